/**
 * Two HTTP runs side by side: the runs of the session a learner can pick from,
 * the figures that differ, in words a learner reads at a glance ("connections
 * opened: 1 vs 10"), each run's totals, and — when asked — one time range for
 * both timelines so their bars compare by length.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import type { HttpRunResult } from '@shared/api-http';
import type { TimelineModel } from '../timeline/timeline-model';
import { countersFromResult, formatPercent, type HttpCounters } from './http-counters';

export interface CompareLine {
  field: keyof HttpCounters | 'durationMs' | 'longestQueuedMs';
  label: string;
  a: string;
  b: string;
  differs: boolean;
}

const COMPARED: ReadonlyArray<{ field: keyof HttpCounters; label: string }> = [
  { field: 'connectionsOpened', label: 'connections opened' },
  { field: 'reusePercent', label: 'reuse' },
  { field: 'handshakesSaved', label: 'handshakes saved' },
  { field: 'maxOpen', label: 'most open at once' },
  { field: 'errors', label: 'errors' },
];

function text(field: keyof HttpCounters, counters: HttpCounters): string {
  const value = counters[field];
  if (field === 'reusePercent') return formatPercent(value);
  return value === null ? '–' : String(value);
}

/** Every compared figure of both runs, with `differs` set where they are not equal. */
export function compareRuns(a: HttpRunResult, b: HttpRunResult): CompareLine[] {
  const countersA = countersFromResult(a);
  const countersB = countersFromResult(b);
  // over TLS: how many new connections resumed their session (the resumption scenario's point)
  const tls = countersA.tlsFull + countersA.tlsResumed + countersB.tlsFull + countersB.tlsResumed > 0;
  const compared = tls ? [...COMPARED, { field: 'tlsResumed' as const, label: 'TLS handshakes resumed' }] : COMPARED;
  const lines: CompareLine[] = compared.map(({ field, label }) => {
    const textA = text(field, countersA);
    const textB = text(field, countersB);
    return { field, label, a: textA, b: textB, differs: textA !== textB };
  });
  const queuedA = longestQueuedMs(a);
  const queuedB = longestQueuedMs(b);
  lines.push({
    field: 'longestQueuedMs',
    label: 'longest wait for a connection',
    a: `${queuedA} ms`,
    b: `${queuedB} ms`,
    differs: clearlyDifferent(queuedA, queuedB),
  });
  lines.push({
    field: 'durationMs',
    label: 'run time',
    a: `${Math.round(a.durationMs)} ms`,
    b: `${Math.round(b.durationMs)} ms`,
    differs: false,
  });
  return lines;
}

/** ms: the longest a request of the run waited before it got a connection (agent queue, connect included). */
export function longestQueuedMs(result: HttpRunResult): number {
  return Math.round(Math.max(0, ...result.requests.map((request) => request.ms.queued ?? 0)));
}

/** Timings always differ a little between runs: only a gap of over 25 ms and over 3× counts as a difference (a cold first request alone can wait 50 ms on a busy machine). */
const NOISE_MS = 25;
function clearlyDifferent(a: number, b: number): boolean {
  const [low, high] = a < b ? [a, b] : [b, a];
  return high - low > NOISE_MS && high > 3 * low;
}

/** "connections opened: 1 vs 10" for each figure that differs (run time aside: it always differs a little). */
export function differenceSentences(lines: readonly CompareLine[]): string[] {
  return lines.filter((line) => line.differs).map((line) => `${line.label}: ${line.a} vs ${line.b}`);
}

/** One finished run of this session (page or window), as the compare view lists it. */
export interface RunRecord {
  /** 1, 2, 3… in the order the runs finished */
  number: number;
  /** "Run 3 · Drained body" or "Run 4 · Custom settings" */
  title: string;
  result: HttpRunResult;
}

/** The title a run is listed under: its number and the scenario it ran (or "Custom settings"). */
export function runTitle(number: number, scenario: string | null): string {
  return `Run ${number} · ${scenario ?? 'Custom settings'}`;
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
export function keepRun(runs: readonly RunRecord[], result: HttpRunResult, scenario: string | null): RunRecord[] {
  const number = (runs.at(-1)?.number ?? 0) + 1;
  return [...runs, { number, title: runTitle(number, scenario), result }].slice(-MAX_KEPT_RUNS);
}

/** The totals under each compared run, label and value. */
export function runTotals(result: HttpRunResult): Array<{ label: string; value: string }> {
  const failed = result.requests.filter((request) => request.error !== null).length;
  return [
    { label: 'Requests', value: String(result.requests.length) },
    { label: 'Failed', value: String(failed) },
    { label: 'Connections opened', value: String(result.connectionsOpened) },
    { label: 'Longest wait for a connection', value: `${longestQueuedMs(result)} ms` },
    { label: 'Run time', value: `${Math.round(result.durationMs)} ms` },
  ];
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
