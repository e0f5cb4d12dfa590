/**
 * `keepalive-lab analyze <file> [--json]`: the capture microscope, headless, for pcap, pcapng and
 * HAR files (decided by the first bytes). Exit 0 on success (a cut-short capture or a HAR with
 * skipped entries too, with a warning); exit 1 with one line on stderr for a file that is neither,
 * cannot be read, or is empty.
 */
import { parseFlags } from '../args';
import { withEngine } from '../engine';
import { REPORT_FLAGS, REPORT_HELP, writeReportFlag } from '../report-flag';
import { CliError, type CliIo } from '../io';
import { harJson, harText } from '../har-output';

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

export async function runAnalyzeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, help: { type: 'boolean' }, ...REPORT_FLAGS }, true);
  if (values.help === true) {
    io.stdout(ANALYZE_HELP);
    return 0;
  }
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new CliError('give exactly one capture or HAR file (try --help)');
  // the engine tells the kind by the first bytes and answers in the words the app uses ("FILE: no such file")
  const { kind } = await withEngine(io, (engine) => engine.call('file.detect', { path: file }));
  if (kind === 'har') return analyzeHar(file, values, io);
  const analysis = await withEngine(io, (engine) => engine.call('analyze.file', { path: file, jobId: engine.jobId }));
  await writeReportFlag(values, { captures: [analysis.report] }, io);
  io.stdout(values.json === true ? `${JSON.stringify(analysis.document, null, 2)}\n` : `${file}: ${analysis.text}`);
  return 0;
}

async function analyzeHar(file: string, values: { json?: boolean; report?: string; force?: boolean }, io: CliIo): Promise<number> {
  const har = await withEngine(io, (engine) => engine.call('har.open', { path: file, jobId: engine.jobId }));
  await writeReportFlag(values, { sessions: [har.session] }, io);
  io.stdout(values.json === true ? `${JSON.stringify(harJson(har), null, 2)}\n` : harText(file, har));
  return 0;
}
