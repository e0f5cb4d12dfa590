import { describe, expect, it } from 'vitest';
import { binsToTimeline } from '@renderer/features/timeline/bins-to-timeline';
import {
  AXIS_HEIGHT_PX,
  ROW_HEIGHT_PX,
  contentHeight,
  laneSorts,
  layoutRows,
  maxScrollTop,
  rowAtY,
  visibleRows,
} from '@renderer/features/timeline/lane-layout';
import { MARK_KIND_CODE, type Lane, type TimelineModel } from '@renderer/features/timeline/timeline-model';

function laneOf(id: string, start: number, requests: number, probes: number, group?: string): Lane {
  return { id, label: id, group, sortKeys: { start, requests, probes }, life: { startUs: start, endUs: null }, spans: [], marks: [] };
}

const model: TimelineModel = {
  startUs: 0,
  endUs: 100,
  lanes: [laneOf('a', 30, 1, 5, 'x:80'), laneOf('b', 10, 7, 0, 'y:80'), laneOf('c', 20, 3, 9, 'x:80'), laneOf('d', 5, 0, 0)],
};
const laneIds = (rows: ReturnType<typeof layoutRows>['rows']) => rows.map((row) => (row.kind === 'lane' ? row.lane.id : `[${row.label}]`));

describe('layoutRows', () => {
  it('sorts by start ascending, requests and probes descending', () => {
    expect(laneIds(layoutRows(model, 'start', false).rows)).toEqual(['d', 'b', 'c', 'a']);
    expect(laneIds(layoutRows(model, 'requests', false).rows)).toEqual(['b', 'c', 'a', 'd']);
    expect(laneIds(layoutRows(model, 'probes', false).rows)).toEqual(['c', 'a', 'd', 'b']);
  });

  it('groups under headers ordered by their best lane, ungrouped lanes last', () => {
    const { rows, rowOfLane } = layoutRows(model, 'start', true);
    expect(laneIds(rows)).toEqual(['[y:80]', 'b', '[x:80]', 'c', 'a', '[other]', 'd']);
    expect(rows[2]).toEqual({ kind: 'group', label: 'x:80', laneCount: 2 });
    expect(rowOfLane.get('a')).toBe(4);
  });
});

describe('layoutRows with a pinned lane', () => {
  // the chosen stream among many: it has the fewest requests, so by requests it would sort last
  const chosen: Lane = { ...laneOf('e', 40, 0, 2, 'x:80'), pinned: 'the stream you chose' };
  const withChosen: TimelineModel = { ...model, lanes: [...model.lanes, chosen] };

  it('puts it first, under a header saying why, in every order, grouped or not', () => {
    for (const sort of ['start', 'requests', 'probes'] as const) {
      expect(laneIds(layoutRows(withChosen, sort, false).rows).slice(0, 2)).toEqual(['[the stream you chose]', 'e']);
      expect(laneIds(layoutRows(withChosen, sort, true).rows).slice(0, 2)).toEqual(['[the stream you chose]', 'e']);
    }
    const { rows, rowOfLane } = layoutRows(withChosen, 'requests', true);
    expect(rows[0]).toEqual({ kind: 'group', label: 'the stream you chose', laneCount: 1, pinned: true });
    // the others keep their order and groups, and their group counts them only
    expect(laneIds(rows).slice(2)).toEqual(['[y:80]', 'b', '[x:80]', 'c', 'a', '[other]', 'd']);
    expect(rows[4]).toEqual({ kind: 'group', label: 'x:80', laneCount: 2 });
    expect(rowOfLane.get('e')).toBe(1);
  });
});

describe('laneSorts', () => {
  it('offers the order by keep-alive probes only where lanes can carry them', () => {
    expect(laneSorts(true)).toEqual(['start', 'requests', 'probes']);
    // an HTTP/2 run's or a HAR file's lanes: every lane would tie at 0 probes
    expect(laneSorts(false)).toEqual(['start', 'requests']);
  });
});

describe('vertical virtualisation', () => {
  it('finds the rows in view and the row under a point', () => {
    expect(visibleRows(1000, 0, AXIS_HEIGHT_PX + 10 * ROW_HEIGHT_PX)).toEqual({ first: 0, last: 9 });
    expect(visibleRows(1000, 5 * ROW_HEIGHT_PX + 3, AXIS_HEIGHT_PX + 10 * ROW_HEIGHT_PX)).toEqual({ first: 5, last: 15 });
    expect(visibleRows(3, 0, 1000)).toEqual({ first: 0, last: 2 });
    expect(rowAtY(1000, 2 * ROW_HEIGHT_PX, AXIS_HEIGHT_PX + 1)).toBe(2);
    expect(rowAtY(1000, 0, 3)).toBeNull();
    expect(contentHeight(10)).toBe(AXIS_HEIGHT_PX + 10 * ROW_HEIGHT_PX);
    expect(maxScrollTop(10, 100)).toBe(contentHeight(10) - 100);
    expect(maxScrollTop(1, 1000)).toBe(0);
  });
});

describe('binsToTimeline', () => {
  it('splits unordered marks per lane into time-sorted columns, with bins and probe counts', () => {
    const timeline = binsToTimeline({
      startUs: 0,
      endUs: 1_000,
      lanes: [
        { id: 's0', label: 'stream 0', startUs: 0, endUs: 900 },
        { id: 's1', label: 'stream 1', startUs: 100, endUs: null, requests: 3 },
      ],
      marks: {
        t: Float64Array.from([500, 100, 300, 200]),
        lane: Uint32Array.from([0, 1, 0, 0]),
        kind: Uint8Array.from([
          MARK_KIND_CODE['keepalive-probe'],
          MARK_KIND_CODE.fin,
          MARK_KIND_CODE['keepalive-ack'],
          MARK_KIND_CODE['keepalive-probe'],
        ]),
        frame: Uint32Array.from([4, 1, 3, 2]),
      },
    });
    const [s0, s1] = timeline.lanes;
    expect([...(s0?.columns?.t ?? [])]).toEqual([200, 300, 500]);
    expect([...(s0?.columns?.frame ?? [])]).toEqual([2, 3, 4]);
    expect(s0?.sortKeys).toEqual({ start: 0, requests: 0, probes: 2 });
    expect(s0?.bins?.length).toBeGreaterThan(0);
    expect(s1?.sortKeys.requests).toBe(3);
    expect([...(s1?.columns?.kind ?? [])]).toEqual([MARK_KIND_CODE.fin]);
    expect(s1?.life).toEqual({ startUs: 100, endUs: null });
  });
});
