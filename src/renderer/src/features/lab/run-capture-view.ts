/**
 * What a run's live capture (tcpdump, correlated with the run's connections by
 * the engine) adds, in a learner's words: packets, streams, keep-alive probes,
 * the findings where the wire and the lab disagree, and over TLS why no request
 * is matched to its frames; or why there was no capture and how to enable it.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import type { RunCapture } from '@shared/api-correlate';
import { encryptedCaptureText } from '@shared/tls-handshake';

export type CaptureView =
  | {
      status: 'captured';
      headline: string;
      details: string[];
      findings: string[];
      /** over TLS: why requests are not matched to frames, then what the capture read of the handshakes; null in cleartext */
      encrypted: { headline: string; detail: string } | null;
    }
  | { status: 'unavailable'; headline: string; details: string[] };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function captureView(report: RunCapture): CaptureView {
  if (report.status === 'unavailable') {
    return { status: 'unavailable', headline: `No capture: ${report.message}`, details: [report.howToEnable] };
  }
  const probesFrom = report.lanes
    .filter((lane) => lane.keepAlives > 0)
    .map((lane) => `${lane.conn}: ${plural(lane.keepAlives, 'probe')}, ${plural(lane.keepAliveAcks, 'ACK')}`);
  const details = [
    `${plural(report.matched, 'connection')} of the run matched to ${plural(report.streams, 'TCP stream')} on the wire${report.unmatched > 0 ? `, ${report.unmatched} unmatched` : ''}.`,
    ...(probesFrom.length > 0 ? [`Keep-alive probes per connection — ${probesFrom.join('; ')}.`] : []),
    ...(report.file ? [`Saved as ${report.file}.`] : []),
    ...report.warnings,
  ];
  return {
    status: 'captured',
    headline: `Captured ${plural(report.packets, 'packet')}: ${plural(report.keepAlives, 'keep-alive probe')} on the wire.`,
    details,
    encrypted: report.encrypted ? encryptedCaptureText(report.encrypted) : null,
    findings: report.findings.map(
      (finding) =>
        `${finding.message}${finding.frames.length > 0 ? ` (frames ${finding.frames.slice(0, 6).join(', ')}${finding.frames.length > 6 ? ', …' : ''})` : ''}`,
    ),
  };
}
