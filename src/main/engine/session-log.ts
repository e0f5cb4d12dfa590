/**
 * What was run and seen in this app session, for "Export report…": every
 * result that carries a lab `Session` (an HTTP run, a TCP experiment, each side
 * of a compare) and every opened capture is kept, newest last, bounded.
 * One mechanism in the service (`observe` every successful result): no handler
 * has to remember to log itself.
 */
import { CaptureSummarySchema } from '@shared/api-capture';
import type { ReportCapture } from '@shared/report-model';
import { SessionSchema, type Session } from '@shared/trace';
import { captureSummaryToReport } from './report/capture-to-report';

/** Kept per kind; older entries are dropped first (a report of 50 runs is already long). */
const MAX_KEPT = 50;

export class SessionLog {
  private readonly sessions = new Map<string, Session>();
  private readonly captures = new Map<string, ReportCapture>();

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
    for (const candidate of sessionCandidates(value)) {
      const session = SessionSchema.safeParse(candidate);
      if (session.success) keep(this.sessions, session.data.id, session.data);
    }
  }

  snapshot(): { sessions: Session[]; captures: ReportCapture[] } {
    return { sessions: [...this.sessions.values()], captures: [...this.captures.values()] };
  }

  clear(): void {
    this.sessions.clear();
    this.captures.clear();
  }
}

function keep<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > MAX_KEPT) map.delete(map.keys().next().value as string);
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
