/**
 * What keeps the HTTP lab's page responsive when a run has up to 100,000 requests:
 * the live timeline is rebuilt from the streamed trace at most every few hundred ms
 * once the trace is big (the counters still move every frame), and the request table
 * shows its first rows only — the timeline draws at most one bar per pixel column
 * whatever the count (draw-timeline.ts), a table of 100,000 rows would not.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import type { RequestRow } from './request-rows';

/** rows the request table shows at most */
export const TABLE_ROW_LIMIT = 1000;
/** streamed trace events past which the live timeline is rebuilt less often */
export const BIG_TRACE_EVENTS = 5000;
/** ms between rebuilds of a big live timeline (sorting and laning 200,000 events takes ~100 ms) */
export const BIG_TRACE_REBUILD_MS = 750;

/** ms to wait between rebuilds of the live timeline for a trace of `events` events; 0 = every frame. */
export function liveRebuildMs(events: number): number {
  return events > BIG_TRACE_EVENTS ? BIG_TRACE_REBUILD_MS : 0;
}

export interface TableSlice {
  rows: RequestRow[];
  /** rows not shown */
  hidden: number;
}

/**
 * The first TABLE_ROW_LIMIT rows, plus the selected row when it lies beyond them
 * (picked on the timeline), so a selection always shows in the table.
 */
export function tableSlice(rows: readonly RequestRow[], selected: string | null, limit = TABLE_ROW_LIMIT): TableSlice {
  if (rows.length <= limit) return { rows: [...rows], hidden: 0 };
  const shown = rows.slice(0, limit);
  const picked = selected ? rows.find((row, position) => position >= limit && row.request === selected) : undefined;
  if (picked) shown.push(picked);
  return { rows: shown, hidden: rows.length - shown.length };
}

/**
 * The line above a cut table, e.g. "Showing 1,000 of 100,000 requests. Pick a bar …";
 * `pickable`: the timeline beside it selects a request (not in a comparison's columns).
 */
export function hiddenRowsNote(slice: TableSlice, total: number, pickable = true): string | null {
  if (slice.hidden === 0) return null;
  const shown = (total - slice.hidden).toLocaleString('en-US');
  const note = `Showing ${shown} of ${total.toLocaleString('en-US')} requests.`;
  return pickable ? `${note} Pick a bar on the timeline to see any other one here.` : note;
}
