/**
 * `keepalive-lab report --from report.json --out report.html [--force]`:
 * re-renders a saved JSON report (or a bare session JSON) as HTML, Markdown or
 * JSON, the format taken from the output file's extension.
 *
 * `writeReportFromCli` is what `analyze`, `http` and `tcp` call for `--report FILE`.
 */
import { resolve } from 'node:path';
import type { ReportCapture } from '@shared/report-model';
import type { ReportComparison } from '@shared/report-comparison';
import type { Session } from '@shared/trace';
import { parseFlags } from '../args';
import { withEngine } from '../engine';
import { CliError, type CliIo } from '../io';

export const REPORT_HELP = `Usage: keepalive-lab report --from FILE.json --out FILE.(html|md|json) [--force]

Turns a saved JSON report (or a session saved with --json) into an HTML,
Markdown or JSON report. The format comes from the --out extension.

Options:
  --from FILE   the JSON report or session to read
  --out FILE    where to write the report (.html, .md or .json)
  --force       overwrite FILE if it exists
`;

/** Writes a report for `--report FILE` of what the command made; one line on stderr when done, a CliError when it cannot. */
export async function writeReportFromCli(
  parts: { sessions?: Session[]; captures?: ReportCapture[]; comparisons?: ReportComparison[] },
  file: string,
  force: boolean,
  io: CliIo,
): Promise<void> {
  // report.save renders only what the engine's own scope holds (a page cannot send a bundle);
  // report.write takes what the command made, and only from the CLI
  const written = await withEngine(io, (engine) =>
    engine.call('report.write', {
      sessions: parts.sessions ?? [],
      captures: parts.captures ?? [],
      comparisons: parts.comparisons ?? [],
      path: resolve(file),
      force,
    }),
  );
  reportWritten(written, io);
}

function reportWritten(written: { path: string; format: string; bytes: number }, io: CliIo): void {
  io.stderr(`report written: ${written.path} (${written.format}, ${written.bytes.toLocaleString('en-US')} bytes)\n`);
}

export async function runReportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, {
    from: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(REPORT_HELP);
    return 0;
  }
  if (!values.from) throw new CliError('--from FILE.json is required (try --help)');
  if (!values.out) throw new CliError('--out FILE.html, FILE.md or FILE.json is required (try --help)');
  const from = values.from;
  const to = resolve(values.out);
  reportWritten(await withEngine(io, (engine) => engine.call('report.convert', { from, to, force: values.force ?? false })), io);
  return 0;
}
