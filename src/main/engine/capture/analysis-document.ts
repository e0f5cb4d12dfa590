/**
 * `keepalive-lab analyze` for a capture, in the engine: the `--json` document and the summary lines,
 * from one analysis (the CLI prints them; `analyze.file` in src/shared/api-cli.ts carries them).
 */
import type { AnalysisDocument } from '@shared/api-cli';
import { applicationText } from '@shared/application-text';
import { plural } from '@shared/counting';
import { encryptedStreamsNote } from '@shared/tls-handshake';
import { listAnnotations, type CaptureAnalysis } from './analyze';

/** The `--json` document (the contract tests and scripts rely on). */
export function analysisDocument(analysis: CaptureAnalysis): AnalysisDocument {
  return {
    format: analysis.format,
    linkTypes: analysis.linkTypes,
    packets: analysis.packets,
    warnings: analysis.warnings,
    hints: analysis.hints.map((hint) => hint.message),
    streams: analysis.streams.map((stream) => ({
      stream: stream.stream,
      a: stream.a,
      b: stream.b,
      firstFrame: stream.firstFrame,
      lastFrame: stream.lastFrame,
      packets: stream.packets,
      end: stream.end,
      httpRequests: stream.httpRequests,
      keepAlives: stream.keepAlives,
      keepAliveAcks: stream.keepAliveAcks,
      keepalive: stream.keepalive,
      ...(stream.tls ? { tls: stream.tls } : {}),
      ...(stream.http2 ? { http2: stream.http2 } : {}),
    })),
    annotations: listAnnotations(analysis),
  };
}

function seconds(value: number | null): string {
  if (value === null) return 'not known';
  // three significant digits: a 47 µs gap must not print as "0.00 s"
  return value >= 10 ? `${value.toFixed(0)} s` : `${Number(value.toPrecision(3))} s`;
}

/** Requests the capture holds only part of: tshark does not count them, nor do we, but they were there. */
function partialRequestsText(count: number): string {
  return `${count} more HTTP request${count === 1 ? '' : 's'} seen in part: ${count === 1 ? 'its' : 'their'} bytes were not all captured (not counted above, as tshark does not count them)`;
}

function duplicatesText(count: number): string {
  return count === 0 ? '' : ` (${count} duplicate probe/ACK cop${count === 1 ? 'y' : 'ies'} from "-i any" left out)`;
}

/**
 * A short human summary: totals, hints, and one line per stream that has probes or requests. The CLI
 * prints it after "FILE: " (the first line names the format, not the file).
 */
export function analysisText(analysis: CaptureAnalysis): string {
  const probes = analysis.streams.reduce((sum, stream) => sum + stream.keepAlives, 0);
  const acks = analysis.streams.reduce((sum, stream) => sum + stream.keepAliveAcks, 0);
  const requests = analysis.streams.reduce((sum, stream) => sum + stream.httpRequests, 0);
  const lines = [
    `${analysis.format}, ${analysis.linkTypes.join(', ') || 'no interfaces'}, ${plural(analysis.packets, 'packet')}, ${plural(analysis.streams.length, 'TCP stream')}`,
    `keep-alive probes ${probes}, keep-alive ACKs ${acks}, HTTP requests ${requests}, flagged packets ${listAnnotations(analysis).length}`,
  ];
  const partial = analysis.streams.reduce((sum, stream) => sum + stream.httpPartialRequests, 0);
  if (partial > 0) lines.push(partialRequestsText(partial));
  // the app's summary says the same (SummaryPanel.tsx); here each TLS stream has a line below, and --json its `tls`
  const tlsStreams = analysis.streams.filter((stream) => stream.tls).length;
  if (tlsStreams > 0) lines.push(encryptedStreamsNote(tlsStreams, 'a line per TLS stream below, and streams[].tls in --json'));
  for (const warning of analysis.warnings) lines.push(`warning: ${warning}`);
  for (const hint of analysis.hints) lines.push(`hint: ${hint.message}`);
  const interesting = analysis.streams.filter((stream) => stream.keepAlives > 0 || stream.httpRequests > 1);
  for (const stream of interesting.slice(0, 50)) {
    const keepalive = stream.keepalive;
    const settings = keepalive
      ? `, probes from ${keepalive.prober === 'a' ? stream.a : stream.b}: idle ${seconds(keepalive.idleSeconds)}, interval ${seconds(keepalive.intervalSeconds)}${keepalive.probesBeforeGiveUp === null ? '' : `, gave up after ${keepalive.probesBeforeGiveUp}`}`
      : '';
    lines.push(
      `  stream ${stream.stream} ${stream.a} → ${stream.b}: ${plural(stream.packets, 'packet')}, ${stream.end}, ${plural(stream.httpRequests, 'HTTP request')}, ${plural(stream.keepAlives, 'probe')}${settings}${duplicatesText(stream.duplicateProbesIgnored)}`,
    );
  }
  if (interesting.length > 50) lines.push(`  … ${interesting.length - 50} more streams (use --json)`);
  const secure = analysis.streams.filter((stream) => stream.tls || stream.http2);
  for (const stream of secure.slice(0, 50)) lines.push(`  stream ${stream.stream} ${stream.a} → ${stream.b}: ${applicationText(stream)}`);
  if (secure.length > 50) lines.push(`  … ${secure.length - 50} more TLS or HTTP/2 streams (use --json)`);
  return `${lines.join('\n')}\n`;
}
