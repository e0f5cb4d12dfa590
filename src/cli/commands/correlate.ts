/**
 * `keepalive-lab correlate --session RUN.json --capture FILE.pcap [--json]`: joins a lab run
 * saved as JSON (a session, or any lab result holding one) with a capture of it taken
 * elsewhere by the user's own tcpdump — the same correlation a live capture gets.
 */
import type { CapturedReport } from '../../shared/api-correlate';
import { CaptureFormatError } from '../../main/capture/read-common';
import { correlateCaptureFile, readSessionFile, SessionFileError } from '../../main/correlate/import-capture';
import { parseFlags } from '../args';
import { CliError, type CliIo } from '../io';

export const CORRELATE_USAGE = `Usage: keepalive-lab correlate --session RUN.json --capture FILE.pcap [--json]
Matches each connection of a saved lab run to its TCP stream in the capture, puts probes,
FIN and RST on its lane, gives each HTTP request its frames, and lists disagreements.
`;

function text(report: CapturedReport): string {
  const lanes = report.connections.map((entry) => `  ${entry.conn} ↔ stream ${entry.stream}`).join('\n');
  return (
    `${report.packets} packets, ${report.streams} streams, ${report.matched} connections matched, ${report.unmatched} unmatched, ${report.keepAlives} keep-alive probes\n` +
    (lanes ? `${lanes}\n` : '') +
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
  try {
    const session = await readSessionFile(values.session);
    const { correlation, report } = await correlateCaptureFile(session, values.capture, io.signal);
    io.stdout(values.json ? `${JSON.stringify({ capture: report, session: correlation.session }, null, 2)}\n` : text(report));
    return 0;
  } catch (error) {
    if (error instanceof SessionFileError) throw new CliError(error.message);
    if (error instanceof CaptureFormatError) throw new CliError(`${values.capture}: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new CliError((error as Error).message);
    throw error;
  }
}
