/**
 * Two lab runs compared, as a report keeps it: the "What differs, A vs B" sentences, every compared
 * figure and each run's totals, made by the same functions the app's Compare view and
 * `keepalive-lab http --compare` use (src/shared/compare-runs.ts), so a report says exactly what
 * they say. It is kept in the bundle as made when the runs ended: a report re-rendered from its
 * JSON (`keepalive-lab report --from`) shows the same comparison.
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import { z } from 'zod';
import { compareRuns, differenceSentences, runTotals, type ComparedRun } from './compare-runs';
import { runFigures } from './run-figures';

export const ComparedSideSchema = z.object({
  /** the id of the run's session in the same bundle */
  sessionId: z.string(),
  /** what the run is called where it was compared: "Run 3 · Drained body", "--preset drained-body" */
  title: z.string(),
  /** "HTTP/1.1", "HTTP/1.1 over TLS", "HTTP/2 over TLS (h2)" */
  protocolName: z.string(),
  /** the page's or the CLI's target, e.g. "http://127.0.0.1:41234/" */
  target: z.string(),
  /** the totals shown under the run ("Connections opened", "6"), in its protocol's words */
  totals: z.array(z.object({ label: z.string(), value: z.string() })),
});
export type ComparedSide = z.infer<typeof ComparedSideSchema>;

export const ComparedFigureSchema = z.object({
  /** stable key of the figure ("connectionsOpened") */
  field: z.string(),
  label: z.string(),
  a: z.string(),
  b: z.string(),
  /** the figure differs between the runs (timings only beyond noise: compare-runs.ts) */
  differs: z.boolean(),
});

export const ReportComparisonSchema = z.object({
  a: ComparedSideSchema,
  b: ComparedSideSchema,
  /** every compared figure, in the Compare view's order */
  figures: z.array(ComparedFigureSchema),
  /** "connections opened: 1 vs 10", one per figure that differs; empty when the runs gave the same figures */
  differences: z.array(z.string()),
});
export type ReportComparison = z.infer<typeof ReportComparisonSchema>;

function sideOf(run: ComparedRun, title: string): ComparedSide {
  return {
    sessionId: run.result.session.id,
    title,
    protocolName: runFigures(run).protocolName,
    target: run.result.target,
    totals: runTotals(run),
  };
}

/** Runs A and B compared, with the titles they go by where they were compared. */
export function reportComparison(a: ComparedRun, b: ComparedRun, titles: readonly [string, string]): ReportComparison {
  const lines = compareRuns(a, b);
  return {
    a: sideOf(a, titles[0]),
    b: sideOf(b, titles[1]),
    figures: lines.map(({ field, label, a: valueA, b: valueB, differs }) => ({ field, label, a: valueA, b: valueB, differs })),
    differences: differenceSentences(lines),
  };
}

/** The heading every format gives a comparison. */
export const COMPARISON_HEADING = 'What differs, A vs B';
/** Said instead of the list when no figure differs (as the CLI and the Compare view say it). */
export const SAME_FIGURES = 'The two runs gave the same figures.';
