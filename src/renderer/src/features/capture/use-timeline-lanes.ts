/**
 * The capture timeline's lanes, asked of the engine for the range the timeline shows (see
 * timeline-lanes.ts): one request when the fitted range changes, and, when that range holds more
 * streams than are drawn, one for the zoomed range once the view has been still for
 * VIEW_SETTLE_MS. Answers for a range no longer shown are dropped, so a burst of wheel steps costs
 * one request and the page holds at most two sets of MAX_TIMELINE_LANES rows.
 */
import type { ApiResult } from '@shared/api';
import { MAX_EVENT_REQUESTS, type StreamEvents } from '@shared/api-capture';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LaneSort } from '../timeline/lane-layout';
import type { TimelineView } from '../timeline/timeline-controller';
import type { CaptureClient } from './capture-client';
import type { StreamRow } from './capture-model';
import type { TimeRangeS } from './capture-timeline';
import { laneFilter, laneStreamSort, MAX_TIMELINE_LANES, sameRange, zoomedLaneRange, type LaneScope } from './timeline-lanes';

/**
 * Most requests the lanes of one answer draw (shared among them: a lane lists all of its own up to a
 * cap common to all): 1,000 lanes of short connections draw every request, one lane of a 20,000-request
 * stream too; past it, a lane says how many it left out (the lanes of a zoomed range, asked for on a
 * capture with more streams than lanes, list the requests of that range).
 */
export const MAX_LANE_REQUESTS = MAX_EVENT_REQUESTS;
const NO_EVENTS: ReadonlyMap<number, StreamEvents> = new Map();

/** Quiet time after the last pan or zoom step before the zoomed range's lanes are asked for, ms. */
export const VIEW_SETTLE_MS = 250;

interface LaneAnswer {
  /** the range asked for (null: the whole capture) */
  range: TimeRangeS | null;
  sort: LaneSort;
  rows: readonly StreamRow[];
  /** streams overlapping the range */
  total: number;
  /** by stream: the requests and FIN/RST segments its lane draws */
  events: ReadonlyMap<number, StreamEvents>;
}

export interface TimelineLanes {
  /** the lanes to draw, in start order; null until the engine has answered for the fitted range */
  rows: readonly StreamRow[] | null;
  /** by stream: the requests (those in the range asked for) and FIN/RST segments of the lanes drawn */
  events: ReadonlyMap<number, StreamEvents>;
  /** streams overlapping the range the lanes were asked for */
  total: number;
  scope: LaneScope;
  /** the lane order the drawn lanes were chosen by (the first of it) */
  sort: LaneSort;
  /** streams overlapping the range the timeline fits to */
  baseTotal: number;
  /** the lanes of the zoomed range or the new lane order are on their way (those shown are the previous ones) */
  updating: boolean;
  error: string | null;
  /** give the Timeline's view reports here */
  onViewChange(view: TimelineView): void;
}

/**
 * `base`: the range the timeline fits to, seconds since frame 1 (null: the whole capture);
 * `baseScope` says what it is; `sort`: the timeline's lane order, which picks the lanes drawn.
 */
export function useTimelineLanes(
  client: CaptureClient,
  captureId: string,
  firstTimeS: number,
  base: TimeRangeS | null,
  baseScope: LaneScope,
  sort: LaneSort,
): TimelineLanes {
  const [baseAnswer, setBaseAnswer] = useState<LaneAnswer | null>(null);
  const [zoomAnswer, setZoomAnswer] = useState<LaneAnswer | null>(null);
  const [view, setView] = useState<TimelineView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const settleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const ask = useCallback(
    async (range: TimeRangeS | null): Promise<ApiResult<LaneAnswer>> => {
      const query = { sort: laneStreamSort(sort), filter: laneFilter(range, firstTimeS), events: MAX_LANE_REQUESTS };
      const result = await client.streamWindow(captureId, query, 0, MAX_TIMELINE_LANES);
      if (!result.ok) return result;
      const events = new Map((result.value.events ?? []).map((entry) => [entry.stream, entry]));
      return { ok: true, value: { range, sort, rows: result.value.rows, total: result.value.total, events } };
    },
    [client, captureId, firstTimeS, sort],
  );

  useEffect(() => {
    let live = true;
    void ask(base).then((result) => {
      if (!live) return;
      setError(result.ok ? null : result.error.message);
      if (result.ok) setBaseAnswer(result.value);
    });
    return () => {
      live = false;
    };
  }, [ask, base]);
  // an answer for another range (the group or stream before) is not this range's; one in another
  // lane order is (same total), and stays drawn until this order's arrives
  const current = baseAnswer && sameRange(baseAnswer.range, base) ? baseAnswer : null;

  const zoomRange = useMemo(() => zoomedLaneRange(base, current?.total ?? null, view), [base, current, view]);
  useEffect(() => {
    if (zoomRange === null) return;
    let live = true;
    void ask(zoomRange).then((result) => {
      if (!live) return;
      setError(result.ok ? null : result.error.message);
      if (result.ok) setZoomAnswer(result.value);
    });
    return () => {
      live = false;
    };
  }, [ask, zoomRange]);

  const onViewChange = useCallback((next: TimelineView) => {
    clearTimeout(settleTimer.current);
    settleTimer.current = setTimeout(() => setView(next), VIEW_SETTLE_MS);
  }, []);
  useEffect(() => () => clearTimeout(settleTimer.current), []);

  if (current === null)
    return { rows: null, events: NO_EVENTS, total: 0, scope: baseScope, sort, baseTotal: 0, updating: false, error, onViewChange };
  const fresh =
    zoomRange === null ? current.sort === sort : zoomAnswer !== null && sameRange(zoomAnswer.range, zoomRange) && zoomAnswer.sort === sort;
  // while a zoomed range's answer is on its way, the previous zoomed range's lanes stay (no flash of other lanes)
  const zoomed = zoomRange !== null && zoomAnswer !== null && isWithin(zoomAnswer.range, base);
  const shown = zoomed ? zoomAnswer : current;
  return {
    rows: shown.rows,
    events: shown.events,
    total: shown.total,
    scope: zoomed ? { kind: 'zoom' } : baseScope,
    sort: shown.sort,
    baseTotal: current.total,
    updating: !fresh,
    error,
    onViewChange,
  };
}

/** `inner` lies within `outer` (null: the whole capture), so lanes asked for it belong to this range. */
function isWithin(inner: TimeRangeS | null, outer: TimeRangeS | null): boolean {
  if (outer === null) return true;
  return inner !== null && inner.startS >= outer.startS && inner.endS <= outer.endS;
}
