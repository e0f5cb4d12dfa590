/**
 * `keepalive-lab analyze <file> [--json]`: the capture microscope, headless, for pcap, pcapng and
 * HAR files (decided by the first bytes). Exit 0 on success (a cut-short capture or a HAR with
 * skipped entries too, with a warning); exit 1 with one line on stderr for a file that is neither,
 * cannot be read, or is empty.
 */
import { applicationText } from '@shared/application-text';
import { analyzeCaptureFile, listAnnotations, type CaptureAnalysis } from '@engine/capture/analyze';
import { CaptureFormatError } from '@engine/capture/read-common';
import { parseFlags } from '../args';
import { captureSummary } from '@engine/capture/capture-summary';
import { captureSummaryToReport } from '@engine/report/capture-to-report';
import { REPORT_FLAGS, REPORT_HELP, writeReportFlag } from '../report-flag';
import { CliError, type CliIo } from '../io';
import { detectFileKind } from '@engine/har/detect-file';
import { importHarFile } from '@engine/har/import-har';
import { HarFormatError } from '@engine/har/read-har';
import { harJson, harText } from '../har-output';
import { writeJson } from '../json-out';

export const ANALYZE_HELP = `Usage: keepalive-lab analyze <file> [--json] [--report FILE [--force]]

Reads a pcap or pcapng capture and marks TCP keep-alive probes, their ACKs and the
other TCP analysis flags exactly as Wireshark 4.0 does, per stream, with HTTP/1
requests per connection and the keepalive settings the probes imply.

Reads a browser's HAR file (DevTools "Save all as HAR") as connections and the
requests on them: new or reused, why each connection was opened, TLS cost, HTTP
version, and per origin the connect + TLS time reuse saved.

Options:
  --json    machine-readable output (pcap: format, linkTypes, packets, warnings, streams,
            annotations; HAR: format, creator, pages, warnings, connections, requests, origins)
${REPORT_HELP}`;

/** The `--json` document (the contract tests and scripts rely on). */
export function analysisJson(analysis: CaptureAnalysis) {
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
export function partialRequestsText(count: number): string {
  return `${count} more HTTP request${count === 1 ? '' : 's'} seen in part: ${count === 1 ? 'its' : 'their'} bytes were not all captured (not counted above, as tshark does not count them)`;
}

function duplicatesText(count: number): string {
  return count === 0 ? '' : ` (${count} duplicate probe/ACK cop${count === 1 ? 'y' : 'ies'} from "-i any" left out)`;
}

/** A short human summary: totals, hints, and one line per stream that has probes or requests. */
export function analysisText(file: string, analysis: CaptureAnalysis): string {
  const probes = analysis.streams.reduce((sum, stream) => sum + stream.keepAlives, 0);
  const acks = analysis.streams.reduce((sum, stream) => sum + stream.keepAliveAcks, 0);
  const requests = analysis.streams.reduce((sum, stream) => sum + stream.httpRequests, 0);
  const lines = [
    `${file}: ${analysis.format}, ${analysis.linkTypes.join(', ') || 'no interfaces'}, ${analysis.packets} packets, ${analysis.streams.length} TCP streams`,
    `keep-alive probes ${probes}, keep-alive ACKs ${acks}, HTTP requests ${requests}, flagged packets ${listAnnotations(analysis).length}`,
  ];
  const partial = analysis.streams.reduce((sum, stream) => sum + stream.httpPartialRequests, 0);
  if (partial > 0) lines.push(partialRequestsText(partial));
  for (const warning of analysis.warnings) lines.push(`warning: ${warning}`);
  for (const hint of analysis.hints) lines.push(`hint: ${hint.message}`);
  const interesting = analysis.streams.filter((stream) => stream.keepAlives > 0 || stream.httpRequests > 1);
  for (const stream of interesting.slice(0, 50)) {
    const keepalive = stream.keepalive;
    const settings = keepalive
      ? `, probes from ${keepalive.prober}: idle ${seconds(keepalive.idleSeconds)}, interval ${seconds(keepalive.intervalSeconds)}${keepalive.probesBeforeGiveUp === null ? '' : `, gave up after ${keepalive.probesBeforeGiveUp}`}`
      : '';
    lines.push(
      `  stream ${stream.stream} ${stream.a} → ${stream.b}: ${stream.packets} packets, ${stream.end}, ${stream.httpRequests} HTTP requests, ${stream.keepAlives} probes${settings}${duplicatesText(stream.duplicateProbesIgnored)}`,
    );
  }
  if (interesting.length > 50) lines.push(`  … ${interesting.length - 50} more streams (use --json)`);
  const secure = analysis.streams.filter((stream) => stream.tls || stream.http2);
  for (const stream of secure.slice(0, 50)) lines.push(`  stream ${stream.stream} ${stream.a} → ${stream.b}: ${applicationText(stream)}`);
  if (secure.length > 50) lines.push(`  … ${secure.length - 50} more TLS or HTTP/2 streams (use --json)`);
  return `${lines.join('\n')}\n`;
}

export async function runAnalyzeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, help: { type: 'boolean' }, ...REPORT_FLAGS }, true);
  if (values.help === true) {
    io.stdout(ANALYZE_HELP);
    return 0;
  }
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new CliError('give exactly one capture or HAR file (try --help)');
  if ((await detectKind(file)) === 'har') return analyzeHar(file, values, io);
  let analysis: CaptureAnalysis;
  try {
    analysis = await analyzeCaptureFile(file, { signal: io.signal });
  } catch (error) {
    if (error instanceof CaptureFormatError) throw new CliError(`${file}: ${error.message}`);
    throw fileError(file, error);
  }
  await writeReportFlag(values, { captures: [captureSummaryToReport(captureSummary('cli', file, analysis))] }, io);
  if (values.json === true) writeJson(analysisJson(analysis), (piece) => io.stdout(piece));
  else io.stdout(analysisText(file, analysis));
  return 0;
}

function fileError(file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CliError(`${file}: no such file`);
  if (code === 'EISDIR') return new CliError(`${file}: is a directory, not a capture`);
  if (code === 'EACCES') return new CliError(`${file}: permission denied`);
  return new CliError(`${file}: ${(error as Error).message}`);
}

async function detectKind(file: string): Promise<string> {
  try {
    return await detectFileKind(file);
  } catch (error) {
    throw fileError(file, error);
  }
}

async function analyzeHar(file: string, values: { json?: boolean; report?: string; force?: boolean }, io: CliIo): Promise<number> {
  let har;
  try {
    har = await importHarFile(file);
  } catch (error) {
    if (error instanceof HarFormatError) throw new CliError(`${file}: ${error.message}`);
    throw fileError(file, error);
  }
  await writeReportFlag(values, { sessions: [har.session] }, io);
  if (values.json === true) writeJson(harJson(har), (piece) => io.stdout(piece));
  else io.stdout(harText(file, har));
  return 0;
}
