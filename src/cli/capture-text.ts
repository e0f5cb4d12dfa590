/** A run's `capture` block (api-correlate.ts) as a few lines for a person. */
import type { RunCapture } from '../shared/api-correlate';
import { encryptedCaptureText } from '../shared/tls-handshake';

export function captureText(capture: RunCapture | undefined): string {
  if (!capture) return '';
  if (capture.status === 'unavailable') return `capture: ${capture.message}\n  to enable: ${capture.howToEnable}\n`;
  const probes = capture.lanes
    .filter((lane) => lane.probeTimesMs.length > 1)
    .map((lane) => {
      const gaps = lane.probeTimesMs.slice(1).map((time, index) => ((time - (lane.probeTimesMs[index] ?? time)) / 1000).toFixed(2));
      return `  ${lane.conn}: ${lane.keepAlives} probes ${lane.keepAliveAcks} ACKs, ${gaps.join(' s, ')} s apart\n`;
    });
  return (
    `capture: ${capture.packets} packets, ${capture.streams} streams, ${capture.matched} connections matched, ${capture.unmatched} unmatched, ${capture.keepAlives} keep-alive probes${capture.file ? `, saved to ${capture.file}` : ''}\n` +
    probes.join('') +
    encryptedText(capture.encrypted) +
    capture.findings.map((finding) => `finding: ${finding.message}\n`).join('')
  );
}

/** Over TLS: why no request is matched to frames, and what the capture read of the handshakes. */
export function encryptedText(encrypted: Parameters<typeof encryptedCaptureText>[0] | undefined): string {
  if (!encrypted) return '';
  const text = encryptedCaptureText(encrypted);
  return `  ${text.headline}\n  ${text.detail}\n`;
}
