/** The figures every renderer shows, derived once from a bundle (never read from its `derived` field). */
import type { ReportBundle, ReportDerived } from '@shared/report-model';
import { summarizeCapture } from './capture-figures';
import { summarizeSession } from './session-figures';

export function deriveReport(bundle: ReportBundle): ReportDerived {
  return { sessions: bundle.sessions.map(summarizeSession), captures: bundle.captures.map(summarizeCapture) };
}
