/**
 * `keepalive-lab report --from report.json --out report.html [--force]`:
 * re-renders a saved JSON report (or a bare session JSON) as HTML, Markdown or
 * JSON, the format taken from the output file's extension.
 *
 * `writeReportFromCli` is what `analyze`, `http` and `tcp` call for `--report FILE`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseReportJson, ReportInputError } from '@engine/report/render-json';
import { writeReport } from '@engine/report/write-report';
import { createReportBundle, type ReportApp, type ReportBundle, type ReportCapture } from '@shared/report-model';
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

/** The environment a CLI report records: this app, this OS, its keepalive defaults. */
export async function cliReportApp(io: CliIo): Promise<ReportApp> {
  const info = await withEngine(io, (engine) => engine.call('app.getInfo', {}));
  return {
    appVersion: info.appVersion,
    platform: `${info.platform}/${info.arch}`,
    nodeVersion: info.nodeVersion,
    keepaliveDefaults: info.keepaliveDefaults,
  };
}

/** A bundle of what a CLI command ran or analysed, stamped now with this machine's environment. */
export async function makeCliBundle(parts: { sessions?: Session[]; captures?: ReportCapture[] }, io: CliIo): Promise<ReportBundle> {
  return createReportBundle({ app: await cliReportApp(io), sessions: parts.sessions ?? [], captures: parts.captures ?? [] });
}

/** Writes a report for `--report FILE`; one line on stderr when done, a CliError when it cannot. */
export async function writeReportFromCli(bundle: ReportBundle, file: string, force: boolean, io: CliIo): Promise<void> {
  // the engine's report.save renders only what its own session holds (a page cannot send a bundle);
  // the CLI wrote this bundle itself, so it goes to the same writer directly
  const written = await writeReport({ bundle, path: resolve(file), force }).catch((error: unknown) => {
    throw new CliError(error instanceof Error ? error.message : String(error));
  });
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
  let text: string;
  try {
    text = await readFile(values.from, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${values.from} does not exist` : `cannot read ${values.from}: ${(error as Error).message}`);
  }
  let bundle: ReportBundle;
  try {
    bundle = parseReportJson(text, await cliReportApp(io));
  } catch (error) {
    if (error instanceof ReportInputError) throw new CliError(`${values.from}: ${error.message}`);
    throw error;
  }
  await writeReportFromCli(bundle, values.out, values.force ?? false, io);
  return 0;
}
