/**
 * What was run and seen in this app session, for "Export report…": every
 * result that carries a lab `Session` (an HTTP run, a TCP experiment, each side
 * of a compare) and every opened capture is kept, newest last, bounded.
 * One mechanism in the service (`observe` every successful result): no handler
 * has to remember to log itself.
 */
import { CaptureSummarySchema } from '@shared/api-capture';
import type { ComparedRun } from '@shared/compare-runs';
import { reportComparison, type ReportComparison } from '@shared/report-comparison';
import type { ReportCapture } from '@shared/report-model';
import { SessionSchema, type Session } from '@shared/trace';
import { captureSummaryToReport } from './report/capture-to-report';

/** Kept per kind; older entries are dropped first (a report of 50 runs is already long). */
const MAX_KEPT = 50;
/**
 * Whole run results kept for exporting a compared pair: as many as the Lab page lists to compare
 * (MAX_KEPT_RUNS in the renderer's compare-model.ts). A result holds its session again and every
 * request row, so fewer than MAX_KEPT.
 */
export const MAX_KEPT_RUNS = 20;

export class SessionLog {
  private readonly sessions = new Map<string, Session>();
  private readonly captures = new Map<string, ReportCapture>();
  /** finished HTTP lab runs by session id: the Compare view exports any two of them with their comparison */
  private readonly runs = new Map<string, ComparedRun>();
  /** session ids of the pairs run as a comparison (the Lab's Compare: `http.compare`), A first */
  private readonly pairs = new Map<string, readonly [string, string]>();

  /** Looks at a successful result for sessions (top level or one level down) and capture summaries. */
  observe(method: string, value: unknown): void {
    if (method === 'capture.open' || method === 'capture.openExample') {
      const summary = CaptureSummarySchema.safeParse(value);
      // a window of the streams (the page's capture.open): the handler logged the whole summary
      if (!summary.success || (summary.data.streamCount ?? 0) > summary.data.streams.length) return;
      const report = captureSummaryToReport(summary.data);
      // the same file opened twice is one entry (a web-mode upload gets a new path each time)
      const { packets, startTime, duration } = summary.data;
      keep(this.captures, JSON.stringify([report.file, packets, startTime, duration]), report);
      return;
    }
    if (method.startsWith('report.') || method.startsWith('session.')) return;
    const runs = labRuns(method, value);
    for (const run of runs) keep(this.runs, run.result.session.id, run, MAX_KEPT_RUNS);
    const [a, b] = runs.map((run) => run.result.session.id);
    if (method === 'http.compare' && a !== undefined && b !== undefined) keep(this.pairs, `${a} ${b}`, [a, b] as const, MAX_KEPT_RUNS);
    for (const candidate of sessionCandidates(value)) {
      const session = SessionSchema.safeParse(candidate);
      if (session.success) keep(this.sessions, session.data.id, session.data);
    }
  }

  /** Everything kept; `comparisons` (only when some) for each pair run as a comparison whose two runs are still kept. */
  snapshot(): { sessions: Session[]; captures: ReportCapture[]; comparisons?: ReportComparison[] } {
    const comparisons = [...this.pairs.values()].flatMap(([a, b]) => {
      const [runA, runB, sessionA, sessionB] = [this.runs.get(a), this.runs.get(b), this.sessions.get(a), this.sessions.get(b)];
      return runA && runB && sessionA && sessionB ? [reportComparison(runA, runB, [sessionA.title, sessionB.title])] : [];
    });
    return {
      sessions: [...this.sessions.values()],
      captures: [...this.captures.values()],
      ...(comparisons.length > 0 ? { comparisons } : {}),
    };
  }

  /** A finished HTTP lab run by its session's id, or null when it was never seen or is no longer kept. */
  run(sessionId: string): ComparedRun | null {
    return this.runs.get(sessionId) ?? null;
  }

  clear(): void {
    this.sessions.clear();
    this.captures.clear();
    this.runs.clear();
    this.pairs.clear();
  }
}

function keep<T>(map: Map<string, T>, key: string, value: T, max = MAX_KEPT): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as string);
}

/**
 * The HTTP lab runs a result holds, as the Compare view lists them: `http.run` and `http2.run` one
 * each, `http.compare` two, a lesson's run the ones it compares. The results come from the engine's
 * own handlers, checked against their schemas on the way out (service.ts): trusted here.
 */
function labRuns(method: string, value: unknown): ComparedRun[] {
  const record = value as Record<string, unknown>;
  const http1 = (result: unknown): ComparedRun[] => (isRun(result) ? [{ protocol: 'http1', result } as ComparedRun] : []);
  const http2 = (result: unknown): ComparedRun[] => (isRun(result) ? [{ protocol: 'http2', result } as ComparedRun] : []);
  switch (method) {
    case 'http.run':
      return http1(value);
    case 'http2.run':
      return http2(value);
    case 'http.compare':
      return [...http1(record['a']), ...http1(record['b'])];
    case 'learn.run': {
      const result = record['result'] as Record<string, unknown> | null;
      if (result?.['kind'] === 'http-compare') return [...http1(result['a']), ...http1(result['b'])];
      if (result?.['kind'] === 'http2') return [...http2(result['h2']), ...http1(result['h1'])];
      return [];
    }
    default:
      return [];
  }
}

/** A whole run result (its requests and its session), not a session alone. */
function isRun(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return Array.isArray(record['requests']) && typeof (record['session'] as { id?: unknown } | undefined)?.id === 'string';
}

function sessionCandidates(value: unknown): unknown[] {
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const found: unknown[] = [];
  if ('session' in record) found.push(record['session']);
  for (const nested of Object.values(record)) {
    if (nested && typeof nested === 'object' && 'session' in nested) found.push((nested as Record<string, unknown>)['session']);
  }
  return found;
}
