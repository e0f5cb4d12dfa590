import { describe, expect, it } from 'vitest';
import { FALLBACK_PALETTE } from '@renderer/features/timeline/draw-style';
import { drawTimeline, labelColumnWidth, MIN_LABEL_WIDTH_PX, type Scene } from '@renderer/features/timeline/draw-timeline';
import { LABEL_WIDTH_PX, layoutRows } from '@renderer/features/timeline/lane-layout';
import { zoomAround, type TimeWindow } from '@renderer/features/timeline/scale';
import { withHighlightedLanes, type TimelineModel } from '@renderer/features/timeline/timeline-model';
import { CHAR_WIDTH_PX, countingPainter, generatedCapture } from './fixtures';

const WIDTH_PX = 1200;
const HEIGHT_PX = 400;

function sceneFor(model: TimelineModel, window?: TimeWindow): Scene {
  return {
    rows: layoutRows(model, 'start', true).rows,
    window: window ?? { startUs: model.startUs, endUs: model.endUs, widthPx: WIDTH_PX - LABEL_WIDTH_PX },
    originUs: model.startUs,
    scrollTopPx: 0,
    widthPx: WIDTH_PX,
    heightPx: HEIGHT_PX,
    devicePixelRatio: 2,
    palette: FALLBACK_PALETTE,
    brush: null,
    selected: null,
  };
}

describe('drawTimeline', () => {
  // one generated capture per size, built once for all the tests below
  const small = generatedCapture(10_000, 2_000);
  const big = generatedCapture(1_000_000, 2_000);

  it('draws only the visible lanes, labels and axis', () => {
    const painter = countingPainter();
    const stats = drawTimeline(painter, sceneFor(big));
    // 400 px − 24 px axis = 376 px / 22 px rows → 18 rows, one of them the group header
    expect(stats.lanes).toBe(17);
    expect(painter.texts).toContain('even (1,000)');
    expect(painter.texts).toContain('stream 0');
    expect(painter.texts.some((text) => text.endsWith(' min'))).toBe(true);
  });

  it('shortens a long group name to the label column, never its lane count, and counts what it shortened', () => {
    // 220 px column − 6 px indent − 6 px gap − 56 px for " (2,500)" = 152 px = 21 characters of the 7 px fake font
    for (const [label, laneCount, expected, shortened] of [
      ['127.0.0.1:8080', 119_720, '127.0.0.1:8080 (120K)', 0],
      ['[2001:db8:85a3::8a2e:370:7334]:443', 2_500, '[2001:db8:85a3::8a2e… (2,500)', 1],
    ] as const) {
      const painter = countingPainter();
      const rows = layoutRows(big, 'start', true).rows.map((row) => (row.kind === 'group' ? { ...row, label, laneCount } : row));
      const stats = drawTimeline(painter, { ...sceneFor(big), rows });
      expect(painter.texts).toContain(expected);
      expect(stats.shortenedLabels).toBeGreaterThanOrEqual(shortened);
      expect(6 + expected.length * CHAR_WIDTH_PX).toBeLessThanOrEqual(LABEL_WIDTH_PX);
    }
  });

  it('draws a lab lane label whole: "#10 192.168.115.8:49621" fits the label column', () => {
    const painter = countingPainter();
    const model = { ...small, lanes: small.lanes.slice(0, 3).map((lane) => ({ ...lane, label: '#10 192.168.115.8:49621' })) };
    const stats = drawTimeline(painter, sceneFor(model));
    expect(painter.texts).toContain('#10 192.168.115.8:49621');
    expect(stats.shortenedLabels).toBe(0);
  });

  it('never draws an axis label past the right edge: the last one is left out instead', () => {
    for (const widthPx of [WIDTH_PX, 977, 640]) {
      const painter = countingPainter();
      const placed: Array<{ text: string; x: number }> = [];
      const fillText = painter.fillText.bind(painter);
      painter.fillText = (text: string, x: number, y: number) => {
        placed.push({ text, x });
        fillText(text, x, y);
      };
      const scene = {
        ...sceneFor(small),
        widthPx,
        window: { startUs: small.startUs, endUs: small.endUs, widthPx: widthPx - LABEL_WIDTH_PX },
      };
      drawTimeline(painter, scene);
      const axisLabels = placed.filter((entry) => entry.x > LABEL_WIDTH_PX);
      expect(axisLabels.length).toBeGreaterThan(2);
      for (const entry of axisLabels) expect(entry.x + entry.text.length * CHAR_WIDTH_PX).toBeLessThanOrEqual(widthPx);
    }
  });

  it('sizes the label column to the widest label: narrow for lab lanes, wide enough for a capture endpoint, capped', () => {
    const painter = countingPainter();
    const lane = (label: string) => ({ kind: 'lane' as const, lane: { ...small.lanes[0]!, label } });
    expect(labelColumnWidth(painter, [lane('c1 :35196'), lane('c10 :35262')], 220)).toBe(MIN_LABEL_WIDTH_PX);
    // 14 px indent + 23 characters × 7 px + 6 px gap + 2
    expect(labelColumnWidth(painter, [lane('#10 192.168.115.8:49621')], 220)).toBe(14 + 23 * CHAR_WIDTH_PX + 8);
    expect(labelColumnWidth(painter, [lane('x'.repeat(80))], 176)).toBe(176);
    const fitted = drawTimeline(painter, { ...sceneFor(small), rows: [lane('#10 192.168.115.8:49621')], labelWidthPx: 183 });
    expect(fitted.shortenedLabels).toBe(0);
  });

  it('an empty timeline has no axis figures (no "0 µs … 1")', () => {
    const painter = countingPainter();
    const empty: TimelineModel = { lanes: [], startUs: 0, endUs: 1 };
    drawTimeline(painter, sceneFor(empty));
    expect(painter.texts).toEqual([]);
  });

  it('costs the same whatever the capture size: rectangles bounded by visible lanes × width', () => {
    const plotWidth = WIDTH_PX - LABEL_WIDTH_PX;
    const counts: number[] = [];
    for (const model of [small, big]) {
      let window = sceneFor(model).window;
      // from the whole hour down to a few ms, around the busy lane's data
      for (let step = 0; step < 12; step++) {
        const painter = countingPainter();
        const stats = drawTimeline(painter, sceneFor(model, window));
        // per lane: ≤ 2 ticks or bins per column for each of 2 kinds, ≤ 1 rect per column per span kind, plus lifeline
        expect(stats.rectangles).toBeLessThanOrEqual(stats.lanes * (2 * 2 * plotWidth + 4 * plotWidth + 8) + 64);
        expect(painter.fills).toBeLessThanOrEqual(16);
        counts.push(stats.rectangles);
        window = zoomAround(window, 4, plotWidth / 3, model.startUs, model.endUs);
      }
    }
    const smallMax = Math.max(...counts.slice(0, 12));
    const bigMax = Math.max(...counts.slice(12));
    // 100× the marks may fill more columns, but never more than the width allows
    expect(bigMax).toBeLessThanOrEqual(17 * (8 * (WIDTH_PX - LABEL_WIDTH_PX) + 8) + 64);
    expect(bigMax).toBeGreaterThan(smallMax / 10);
  });

  it('uses bins for the dense lane zoomed out and single ticks zoomed in', () => {
    const zoomedOut = drawTimeline(countingPainter(), sceneFor(big));
    expect(zoomedOut.binnedLanes).toBeGreaterThanOrEqual(1);
    const plotWidth = WIDTH_PX - LABEL_WIDTH_PX;
    const zoomedIn = drawTimeline(countingPainter(), sceneFor(big, { startUs: 1_000_000, endUs: 1_050_000, widthPx: plotWidth }));
    expect(zoomedIn.binnedLanes).toBe(0);
  });

  it('builds bins on first need for a lab lane with more marks than pixels', () => {
    const marks = Array.from({ length: 20_000 }, (_, index) => ({ id: `p${index}`, kind: 'keepalive-probe' as const, t: index * 1_000 }));
    const model: TimelineModel = {
      startUs: 0,
      endUs: 20_000_000,
      lanes: [
        {
          id: 'c1',
          label: 'conn 1',
          sortKeys: { start: 0, requests: 0, probes: marks.length },
          life: { startUs: 0, endUs: null },
          spans: [],
          marks,
        },
      ],
    };
    const painter = countingPainter();
    const stats = drawTimeline(painter, sceneFor(model));
    expect(stats.binnedLanes).toBe(1);
    expect(stats.rectangles).toBeLessThan(2 * (WIDTH_PX - LABEL_WIDTH_PX) + 64);
  });
  // its draw time is a speed goal: measured in Chromium by `npm run bench` (bench/timeline.ts), not timed here
});

describe('highlighted lanes', () => {
  it('draws a tinted band under each highlighted lane, and none without', () => {
    const model = generatedCapture(1_000, 20);
    const bands = (scene: Scene) => {
      const painter = countingPainter();
      const tinted: number[] = [];
      const fillRect = painter.fillRect.bind(painter);
      painter.fillRect = (x, y, width, height) => {
        if (painter.globalAlpha < 1) tinted.push(y);
        fillRect(x, y, width, height);
      };
      drawTimeline(painter, scene);
      return tinted;
    };
    expect(bands(sceneFor(model))).toEqual([]);
    const two = new Set(model.lanes.slice(0, 2).map((lane) => lane.id));
    expect(bands(sceneFor(withHighlightedLanes(model, two)))).toHaveLength(2);
  });
});
