import { describe, expect, it } from 'vitest';
import { hitTest, type HitViewport } from '@renderer/features/timeline/hit-test';
import { AXIS_HEIGHT_PX, LABEL_WIDTH_PX, ROW_HEIGHT_PX, layoutRows } from '@renderer/features/timeline/lane-layout';
import { buildLodBins } from '@renderer/features/timeline/lod-bins';
import { MARK_KIND_CODE, type Lane, type TimelineModel } from '@renderer/features/timeline/timeline-model';
import { generatedCapture } from './fixtures';

const lane: Lane = {
  id: 'c1',
  label: 'conn 1',
  sortKeys: { start: 0, requests: 2, probes: 1 },
  life: { startUs: 0, endUs: 10_000 },
  spans: [
    { id: 'r1', kind: 'request', startUs: 1_000, endUs: 2_000, reused: false },
    { id: 'i1', kind: 'idle', startUs: 2_000, endUs: 6_000, reused: null },
    { id: 'r2', kind: 'request', startUs: 6_000, endUs: 7_000, reused: true },
  ],
  marks: [{ id: 'p1', kind: 'keepalive-probe', t: 4_000, frame: 9, detail: 'from a' }],
};
const model: TimelineModel = { lanes: [lane], startUs: 0, endUs: 10_000 };
// 1 px = 10 µs
const viewport: HitViewport = {
  rows: layoutRows(model, 'start', false).rows,
  window: { startUs: 0, endUs: 10_000, widthPx: 1000 },
  scrollTopPx: 0,
};
const laneY = AXIS_HEIGHT_PX + ROW_HEIGHT_PX / 2;
const xAt = (t: number) => LABEL_WIDTH_PX + t / 10;

describe('hitTest', () => {
  it('finds a mark within a few pixels, returning the original object', () => {
    expect(hitTest(viewport, xAt(4_000) + 3, laneY)).toEqual({ kind: 'mark', lane, mark: lane.marks[0] });
  });

  it('finds the span under the pointer, requests over idle gaps', () => {
    expect(hitTest(viewport, xAt(1_500), laneY)).toMatchObject({ kind: 'span', span: { id: 'r1' } });
    expect(hitTest(viewport, xAt(3_000), laneY)).toMatchObject({ kind: 'span', span: { id: 'i1' } });
    expect(hitTest(viewport, xAt(6_500), laneY)).toMatchObject({ kind: 'span', span: { id: 'r2' } });
  });

  it('returns the lane over the label column, and nothing over the axis, below the lanes or on empty time', () => {
    expect(hitTest(viewport, 20, laneY)).toEqual({ kind: 'lane', lane });
    expect(hitTest(viewport, xAt(1_500), 5)).toBeNull();
    expect(hitTest(viewport, xAt(1_500), AXIS_HEIGHT_PX + 3 * ROW_HEIGHT_PX)).toBeNull();
    expect(hitTest(viewport, xAt(500), laneY)).toBeNull();
  });

  it('follows vertical scrolling', () => {
    const two: TimelineModel = {
      ...model,
      lanes: [lane, { ...lane, id: 'c2', label: 'conn 2', sortKeys: { ...lane.sortKeys, start: 1 } }],
    };
    const rows = layoutRows(two, 'start', false).rows;
    expect(hitTest({ ...viewport, rows, scrollTopPx: ROW_HEIGHT_PX }, 20, laneY)).toMatchObject({ lane: { id: 'c2' } });
  });

  it('on a 200 k-mark lane, finds the nearest mark by frame number', () => {
    const big = generatedCapture(200_000, 10);
    const rows = layoutRows(big, 'start', false).rows;
    const busy = big.lanes[0]!;
    const columns = busy.columns!;
    const target = 12_345;
    const t = columns.t[target]!;
    const window = { startUs: t - 50_000, endUs: t + 50_000, widthPx: 1000 };
    const rowIndex = rows.findIndex((row) => row.kind === 'lane' && row.lane.id === busy.id);
    const hit = hitTest({ rows, window, scrollTopPx: 0 }, LABEL_WIDTH_PX + 500, AXIS_HEIGHT_PX + rowIndex * ROW_HEIGHT_PX + 5);
    expect(hit).toMatchObject({ kind: 'mark', mark: { t, frame: columns.frame[target], id: `${busy.id}#f${columns.frame[target]}` } });
  });

  it('on a lane that only has bins, reports the counts of the bin under the pointer', () => {
    const times = Float64Array.from({ length: 1000 }, (_, index) => index * 10);
    const kinds = Uint8Array.from({ length: 1000 }, (_, index) =>
      index % 2 === 0 ? MARK_KIND_CODE['keepalive-probe'] : MARK_KIND_CODE.retransmission,
    );
    const bins = buildLodBins(times, new Uint32Array(1000), kinds, { laneCount: 1 })[0];
    const binned: Lane = { ...lane, spans: [], marks: [], bins };
    const binnedModel: TimelineModel = { lanes: [binned], startUs: 0, endUs: 10_000 };
    const hit = hitTest({ ...viewport, rows: layoutRows(binnedModel, 'start', false).rows }, xAt(5_000), laneY);
    expect(hit?.kind).toBe('bin');
    if (hit?.kind !== 'bin') return;
    expect(hit.fromUs).toBeLessThanOrEqual(5_000);
    expect(hit.toUs).toBeGreaterThan(5_000);
    expect((hit.counts['keepalive-probe'] ?? 0) + (hit.counts.retransmission ?? 0)).toBeGreaterThan(0);
  });
});
