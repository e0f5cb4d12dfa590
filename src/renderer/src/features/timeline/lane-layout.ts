/**
 * Vertical layout: lanes sorted (by start, requests or probes), optionally grouped
 * under headers, as uniform-height rows so that the visible rows of a scrolled
 * view are found by arithmetic (virtualisation without measuring anything).
 *
 *   ┌ label column ┬ plot ──────────────────────────────┐
 *   │              │ axis (AXIS_HEIGHT_PX)               │
 *   ├──────────────┼─────────────────────────────────────┤ ← y = AXIS_HEIGHT_PX - scrollTop
 *   │ group header │                                     │   ROW_HEIGHT_PX each
 *   │ lane label   │ ── idle ──▆▆ request ▆▆ ╵ ╷ probes  │
 *   └──────────────┴─────────────────────────────────────┘
 */
import type { Lane, TimelineModel } from './timeline-model';

/** Height of the time axis at the top of the canvas (CSS px). */
export const AXIS_HEIGHT_PX = 24;
/** Height of every row, lane or group header (CSS px). */
export const ROW_HEIGHT_PX = 22;
/**
 * Widest label column left of the plot (CSS px); the timeline sizes it to its
 * labels (draw-timeline.ts `labelColumnWidth`), and this is also the default.
 */
export const LABEL_WIDTH_PX = 220;
/** Most of the canvas width the label column may take (the plot keeps the rest). */
export const LABEL_WIDTH_MAX_FRACTION = 0.4;

export type LaneSort = 'start' | 'requests' | 'probes';

/**
 * The lane orders that mean something for a timeline: by probes only where its lanes can carry TCP
 * keep-alive probes (an HTTP/2 run's or a HAR file's lanes never do: every lane would tie at 0).
 */
export function laneSorts(probes: boolean): readonly LaneSort[] {
  return probes ? SORTS_WITH_PROBES : SORTS_WITHOUT_PROBES;
}
const SORTS_WITH_PROBES: readonly LaneSort[] = ['start', 'requests', 'probes'];
const SORTS_WITHOUT_PROBES: readonly LaneSort[] = ['start', 'requests'];

/** A group header (`pinned`: over the pinned lanes, its label their `pinned` words, no count drawn) or a lane. */
export type Row = { kind: 'group'; label: string; laneCount: number; pinned?: boolean } | { kind: 'lane'; lane: Lane };

export interface TimelineLayout {
  rows: Row[];
  /** index of each lane's row by lane id, for scrolling a selection into view */
  rowOfLane: Map<string, number>;
}

/** "s2" before "s10": one collator for all comparisons (localeCompare with options builds one per call). */
const LANE_ID_ORDER = new Intl.Collator('en', { numeric: true });

/** Sort key comparison: start ascending; requests and probes descending (busiest first); ties by start then id. */
function compareLanes(sort: LaneSort): (a: Lane, b: Lane) => number {
  return (a, b) => {
    const primary = sort === 'start' ? a.sortKeys.start - b.sortKeys.start : b.sortKeys[sort] - a.sortKeys[sort];
    if (primary !== 0) return primary;
    const byStart = a.sortKeys.start - b.sortKeys.start;
    return byStart !== 0 ? byStart : LANE_ID_ORDER.compare(a.id, b.id);
  };
}

/**
 * Rows for the model. Pinned lanes come first, under a header saying why (the stream a person chose
 * among 1,000 lanes is in view at once, whatever the order: Perfetto's UI pins tracks to the top
 * the same way). With `grouped`, the other lanes sharing `group` are drawn together
 * under a header; groups are ordered by their best lane under the same sort. Lanes without a
 * group come last under "other".
 */
export function layoutRows(model: TimelineModel, sort: LaneSort, grouped: boolean): TimelineLayout {
  const compare = compareLanes(sort);
  const rows: Row[] = [];
  const all = [...model.lanes].sort(compare);
  // one header per reason ("the stream you chose"), over the lanes pinned for it
  const pinned = new Map<string, Lane[]>();
  for (const lane of all) if (lane.pinned !== undefined) pinned.set(lane.pinned, [...(pinned.get(lane.pinned) ?? []), lane]);
  for (const [reason, lanes] of pinned) {
    rows.push({ kind: 'group', label: reason, laneCount: lanes.length, pinned: true });
    for (const lane of lanes) rows.push({ kind: 'lane', lane });
  }
  const sorted = pinned.size === 0 ? all : all.filter((lane) => lane.pinned === undefined);
  const hasGroups = grouped && sorted.some((lane) => lane.group !== undefined);
  if (!hasGroups) {
    for (const lane of sorted) rows.push({ kind: 'lane', lane });
  } else {
    // `sorted` is already in order, so the first lane seen of each group is its best one
    const groups = new Map<string, Lane[]>();
    for (const lane of sorted) {
      const key = lane.group ?? 'other';
      const members = groups.get(key);
      if (members) members.push(lane);
      else groups.set(key, [lane]);
    }
    const other = groups.get('other');
    groups.delete('other');
    if (other) groups.set('other', other);
    for (const [label, lanes] of groups) {
      // rows of HTTP/2 streams (stream-rows.ts) are part of their connection, not connections of the group
      rows.push({ kind: 'group', label, laneCount: lanes.filter((lane) => lane.streamsOf === undefined).length });
      for (const lane of lanes) rows.push({ kind: 'lane', lane });
    }
  }
  const rowOfLane = new Map<string, number>();
  rows.forEach((row, index) => {
    if (row.kind === 'lane') rowOfLane.set(row.lane.id, index);
  });
  return { rows, rowOfLane };
}

/** Total height of the scrollable content: axis plus every row (CSS px). */
export function contentHeight(rowCount: number): number {
  return AXIS_HEIGHT_PX + rowCount * ROW_HEIGHT_PX;
}

/** First and last (inclusive) row indexes intersecting a view of `viewHeightPx` scrolled by `scrollTopPx`. */
export function visibleRows(rowCount: number, scrollTopPx: number, viewHeightPx: number): { first: number; last: number } {
  const plotHeight = Math.max(0, viewHeightPx - AXIS_HEIGHT_PX);
  const first = Math.max(0, Math.floor(scrollTopPx / ROW_HEIGHT_PX));
  const last = Math.min(rowCount - 1, Math.floor((scrollTopPx + plotHeight - 1) / ROW_HEIGHT_PX));
  return { first, last };
}

/** Top of a row in canvas coordinates (CSS px). */
export function rowTop(rowIndex: number, scrollTopPx: number): number {
  return AXIS_HEIGHT_PX + rowIndex * ROW_HEIGHT_PX - scrollTopPx;
}

/** The row under canvas y, or null over the axis or below the last row. */
export function rowAtY(rowCount: number, scrollTopPx: number, y: number): number | null {
  if (y < AXIS_HEIGHT_PX) return null;
  const index = Math.floor((y - AXIS_HEIGHT_PX + scrollTopPx) / ROW_HEIGHT_PX);
  return index >= 0 && index < rowCount ? index : null;
}

/** Largest valid scrollTop for a view of `viewHeightPx`. */
export function maxScrollTop(rowCount: number, viewHeightPx: number): number {
  return Math.max(0, contentHeight(rowCount) - viewHeightPx);
}
