/**
 * Two runs side by side: the runs of the page a learner can pick from (HTTP/1.1
 * and HTTP/2 alike), and — when asked — one time range for both timelines so
 * their bars compare by length. The figures that differ and each run's totals
 * are said in src/shared/compare-runs.ts.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import type { ComparedRun } from '@shared/compare-runs';
import type { TimelineModel } from '../timeline/timeline-model';

/** One finished run of this session (page or window), HTTP/1.1 or HTTP/2, as the compare view lists it. */
export type RunRecord = ComparedRun & {
  /** 1, 2, 3… in the order the runs finished */
  number: number;
  /** "Run 3 · Drained body", "Run 4 · Custom settings", "Run 5 · HTTP/2 · One connection, many streams" */
  title: string;
};

/** The title a run is listed under: its number, HTTP/2 when it was, and the scenario it ran (or "Custom settings"). */
export function runTitle(number: number, scenario: string | null, protocol: ComparedRun['protocol'] = 'http1'): string {
  return `Run ${number} · ${protocol === 'http2' ? 'HTTP/2 · ' : ''}${scenario ?? 'Custom settings'}`;
}

/** The pair shown when none was picked: the last two runs, older one as A; null with fewer than two. */
export function defaultPair(runs: readonly RunRecord[]): [number, number] | null {
  const last = runs.at(-1);
  const before = runs.at(-2);
  return last && before ? [before.number, last.number] : null;
}

/** Runs kept for comparing: enough for a session's experiments, bounded so the page's memory is too. */
export const MAX_KEPT_RUNS = 20;

/** Adds a finished run, dropping the oldest beyond MAX_KEPT_RUNS. */
export function keepRun(runs: readonly RunRecord[], run: ComparedRun, scenario: string | null): RunRecord[] {
  const number = (runs.at(-1)?.number ?? 0) + 1;
  return [...runs, { ...run, number, title: runTitle(number, scenario, run.protocol) }].slice(-MAX_KEPT_RUNS);
}

/** Both models over one range, starting at 0 and ending at the later of the two ends: the same scale side by side. */
export function sharedScale(a: TimelineModel, b: TimelineModel): [TimelineModel, TimelineModel] {
  const startUs = Math.min(a.startUs, b.startUs, 0);
  const endUs = Math.max(a.endUs, b.endUs, startUs + 1);
  return [
    { ...a, startUs, endUs },
    { ...b, startUs, endUs },
  ];
}
