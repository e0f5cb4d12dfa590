/**
 * `keepalive-lab correlate --session RUN.json --capture FILE.pcap [--json]`: joins a lab run
 * saved as JSON (a session, or any lab result holding one) with a capture of it taken
 * elsewhere by the user's own tcpdump — the same correlation a live capture gets.
 */
import { resolve } from 'node:path';
import type { CorrelatedCapture } from '@shared/api-correlate';
import { parseFlags } from '../args';
import { withEngine } from '../engine';
import { CliError, type CliIo } from '../io';
import { writeJson } from '../json-out';
import { encryptedText } from '../capture-text';

export const CORRELATE_USAGE = `Usage: keepalive-lab correlate --session RUN.json --capture FILE.pcap [--json]
Matches each connection of a saved lab run to its TCP stream in the capture, puts probes,
FIN and RST on its lane, gives each HTTP request its frames, and lists disagreements.
`;

function text(report: CorrelatedCapture): string {
  const lanes = report.connections.map((entry) => `  ${entry.conn} ↔ stream ${entry.stream}`).join('\n');
  return (
    `${report.packets} packets, ${report.streams} streams, ${report.matched} connections matched, ${report.unmatched} unmatched, ${report.keepAlives} keep-alive probes\n` +
    (lanes ? `${lanes}\n` : '') +
    encryptedText(report.encrypted) +
    report.findings.map((finding) => `finding: ${finding.message}\n`).join('')
  );
}

export async function runCorrelateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, {
    session: { type: 'string' },
    capture: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(CORRELATE_USAGE);
    return 0;
  }
  if (!values.session || !values.capture) throw new CliError('--session RUN.json and --capture FILE.pcap are both required');
  const paths = { sessionPath: resolve(values.session), capturePath: resolve(values.capture) };
  const { session, capture } = await withEngine(io, (engine) => engine.call('capture.correlate', { ...paths, jobId: engine.jobId }));
  if (values.json) writeJson({ capture, session }, (piece) => io.stdout(piece));
  else io.stdout(text(capture));
  return 0;
}
