/** `--report FILE [--force]` on analyze, http and tcp: the same report as the app's "Export report…". */
import type { ReportCapture } from '../shared/report-model';
import type { ReportComparison } from '../shared/report-comparison';
import type { Session } from '../shared/trace';
import { writeReportFromCli } from './commands/report';
import type { CliIo } from './io';

export const REPORT_FLAGS = {
  report: { type: 'string' },
  force: { type: 'boolean' },
} as const;

export const REPORT_HELP =
  '  --report FILE  also write a report (.html, .md or .json, from the extension)\n  --force        replace FILE if it exists\n';

export async function writeReportFlag(
  values: { report?: string; force?: boolean },
  parts: { sessions?: Session[]; captures?: ReportCapture[]; comparisons?: ReportComparison[] },
  io: CliIo,
): Promise<void> {
  if (values.report === undefined) return;
  await writeReportFromCli(parts, values.report, values.force === true, io);
}
