/**
 * The JSON report: the whole bundle (sessions with their full trace, settings,
 * captures) plus the `derived` figures the HTML and Markdown show, with a
 * `schemaVersion`. `parseReportJson` reads it back (or a bare Session) for
 * `keepalive-lab report --from`.
 */
import { describeZodError } from '@shared/api';
import { REPORT_SCHEMA_VERSION, ReportBundleSchema, type ReportApp, type ReportBundle, type ReportDerived } from '@shared/report-model';
import { SessionSchema } from '@shared/trace';
import { deriveReport } from './derive-report';
import { captureFindingDetails, sessionFindingDetails, type FindingDetail } from './finding-details';

export function renderJson(bundle: ReportBundle): string {
  const { derived: _ignored, ...rest } = bundle;
  const derived = deriveReport(bundle);
  return `${JSON.stringify({ ...rest, derived, explanations: explanations(bundle, derived) }, null, 2)}\n`;
}

/**
 * The explanations the HTML and Markdown show, as text (filled like theirs), per session and
 * capture in bundle order; for readers only, not read back (the bundle schema drops them).
 */
function explanations(bundle: ReportBundle, derived: ReportDerived): { sessions: FindingDetail[][]; captures: FindingDetail[][] } {
  return {
    sessions: bundle.sessions.map((session, index) =>
      derived.sessions[index] ? sessionFindingDetails(session, derived.sessions[index]) : [],
    ),
    captures: bundle.captures.map((capture, index) =>
      derived.captures[index] ? captureFindingDetails(capture, derived.captures[index]) : [],
    ),
  };
}

export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/**
 * Parses a saved JSON report. A bare Session (a lab's `--json` output) is
 * wrapped into a bundle with `app` as its environment. Throws ReportInputError
 * with the first problems found.
 */
export function parseReportJson(text: string, app: ReportApp, now = new Date()): ReportBundle {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportInputError(`not JSON: ${(error as Error).message}`);
  }
  if (value && typeof value === 'object' && 'events' in value && 'connections' in value) {
    const session = SessionSchema.safeParse(value);
    if (!session.success) throw new ReportInputError(`not a session: ${describeZodError(session.error)}`);
    return { schemaVersion: REPORT_SCHEMA_VERSION, createdAt: now.toISOString(), app, sessions: [session.data], captures: [] };
  }
  const bundle = ReportBundleSchema.safeParse(value);
  if (!bundle.success)
    throw new ReportInputError(`not a Keepalive Lab report (schemaVersion ${REPORT_SCHEMA_VERSION}): ${describeZodError(bundle.error)}`);
  return bundle.data;
}
