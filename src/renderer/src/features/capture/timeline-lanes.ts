/**
 * Which streams the capture timeline draws as lanes, and the sentence that says so. The engine
 * answers for a time range (`capture.streams` with `filter.timeRange`): the range the timeline
 * fits to (the capture, the chosen time group, or the chosen stream's span), and, when that range
 * holds more streams than can be drawn, the zoomed range the person looks at. At most
 * MAX_TIMELINE_LANES lanes are drawn, the first in the timeline's lane order (first to start, most
 * requests, most probes), so the lanes on top are the same whether or not all are drawn. Pure.
 */
import type { StreamFilter, StreamSort } from '@shared/api-capture';
import type { LaneSort } from '../timeline/lane-layout';
import type { TimelineView } from '../timeline/timeline-controller';
import type { TimeRangeS } from './capture-timeline';
import { formatCount, formatDuration } from './format';

/** Most lanes drawn at once: about 0.5 MB of rows, and 1,000 lanes is already 22,000 px of scrolling. */
export const MAX_TIMELINE_LANES = 1000;

/** The engine's order for the timeline's lane order (lane-layout.ts: start ascending, the others busiest first). */
export function laneStreamSort(sort: LaneSort): StreamSort {
  return sort === 'start' ? { key: 'start', direction: 'ascending' } : { key: sort, direction: 'descending' };
}

const WHICH_LANES: Record<LaneSort, string> = {
  start: 'the first to start',
  requests: 'those with the most HTTP requests',
  probes: 'those with the most keep-alive probes and ACKs',
};

/** What the range the lanes were asked for is, in the sentence. */
export type LaneScope = { kind: 'capture' } | { kind: 'group' } | { kind: 'stream'; stream: number } | { kind: 'zoom' };

/** The engine's filter for the streams of a range (seconds since frame 1); no range: every stream. */
export function laneFilter(range: TimeRangeS | null, firstTimeS: number): StreamFilter {
  return range ? { timeRange: { from: firstTimeS + range.startS, to: firstTimeS + range.endS } } : {};
}

/**
 * The zoomed range to ask lanes for: the view (µs since frame 1) within `base`, when the view is
 * zoomed in and the base holds more streams than can be drawn; else null (the base's lanes stand).
 */
export function zoomedLaneRange(base: TimeRangeS | null, baseTotal: number | null, view: TimelineView | null): TimeRangeS | null {
  if (baseTotal === null || baseTotal <= MAX_TIMELINE_LANES || view === null || view.fitted) return null;
  const startS = Math.max(view.fromUs / 1e6, base?.startS ?? -Infinity);
  const endS = Math.min(view.toUs / 1e6, base?.endS ?? Infinity);
  // a view left over from another range does not meet this one: wait for this range's view
  return startS <= endS ? { startS, endS } : null;
}

/** The same range, to the µs (a view reported twice for one window asks once). */
export function sameRange(left: TimeRangeS | null, right: TimeRangeS | null): boolean {
  if (left === null || right === null) return left === right;
  return Math.round(left.startS * 1e6) === Math.round(right.startS * 1e6) && Math.round(left.endS * 1e6) === Math.round(right.endS * 1e6);
}

/** Lanes that all end within this part of the range look empty at the fitted zoom (a tenth of 800 px is 80 px). */
const EARLY_LANES_PART = 0.1;

/**
 * Seconds from `range`'s start by which every lane of `rows` has ended, when that is under a tenth
 * of the range: the first 1,000 of 120,000 short connections to start end within 0.3 s of a 35 s
 * capture and look like empty lanes, so the sentence says where they are. Else null.
 */
export function earlyLanesEndS(rows: ReadonlyArray<{ endS: number }>, range: TimeRangeS): number | null {
  if (rows.length === 0) return null;
  let lastEndS = -Infinity;
  for (const row of rows) lastEndS = Math.max(lastEndS, row.endS);
  const endedWithinS = Math.max(0, lastEndS - range.startS);
  return endedWithinS < (range.endS - range.startS) * EARLY_LANES_PART ? endedWithinS : null;
}

/** "in this time group", "during stream 12" */
function scopeWords(scope: LaneScope): string {
  switch (scope.kind) {
    case 'capture':
      return 'in the capture';
    case 'group':
      return 'in this time group';
    case 'stream':
      return `during stream ${scope.stream}`;
    case 'zoom':
      return 'in the zoomed range';
    default:
      return scope satisfies never;
  }
}

/**
 * The timeline's account of its lanes, one sentence; empty when every stream of the fitted range has its lane.
 * `drawn` lanes of `total` streams in the range of `scope`; `baseTotal`: streams in the range the
 * timeline fits to (`baseScope`), for a zoomed range.
 */
export function laneSentence(lanes: {
  drawn: number;
  total: number;
  scope: LaneScope;
  baseTotal: number;
  baseScope: LaneScope;
  /** the lane order they were chosen by */
  sort: LaneSort;
  /** the chosen stream, when it is not among the `drawn` and has a lane of its own after them */
  chosenAfter?: number | null;
  /** seconds from the start of the range by which every lane drawn has ended, when that is a small part of it (see `earlyLanesEndS`) */
  endedWithinS?: number | null;
}): string {
  const { drawn, total, scope } = lanes;
  if (drawn < total) {
    const further = scope.kind === 'zoom' ? 'zoom in further' : 'zoom in';
    const chosen = lanes.chosenAfter == null ? '' : `, and for stream ${lanes.chosenAfter}, the one you chose`;
    const within = lanes.endedWithinS == null ? '' : `, all in its first ${formatDuration(lanes.endedWithinS)}`;
    return `Lanes for ${formatCount(drawn)} of the ${formatCount(total)} streams ${scopeWords(scope)} (${WHICH_LANES[lanes.sort]}${within})${chosen}: ${further} to draw the others, or pick one in the Streams list.`;
  }
  if (scope.kind !== 'zoom') return '';
  const shown = total === 0 ? 'No stream' : total === 1 ? 'The lane for the one stream' : `Lanes for the ${formatCount(total)} streams`;
  return `${shown} ${scopeWords(scope)}, of ${formatCount(lanes.baseTotal)} ${scopeWords(lanes.baseScope)}: zoom out or pan for the others.`;
}
