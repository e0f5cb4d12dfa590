import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  axisTicks,
  clampWindow,
  formatTick,
  formatTime,
  jumpTo,
  MIN_SPAN_US,
  niceStep,
  panBy,
  timeOfX,
  xOfTime,
  zoomAround,
  type TimeWindow,
} from '@renderer/features/timeline/scale';

const window1s: TimeWindow = { startUs: 0, endUs: 1_000_000, widthPx: 1000 };

describe('scale: mapping', () => {
  it('maps time to x and back', () => {
    expect(xOfTime(window1s, 250_000)).toBe(250);
    expect(timeOfX(window1s, 250)).toBe(250_000);
  });
});

describe('scale: zoom and pan', () => {
  it('zooms around the cursor: the time under it stays put', () => {
    const zoomed = zoomAround(window1s, 4, 300, 0, 1_000_000);
    expect(zoomed.endUs - zoomed.startUs).toBeCloseTo(250_000, 6);
    expect(timeOfX(zoomed, 300)).toBeCloseTo(300_000, 6);
  });

  it('keeps the anchor fixed for any factor and anchor unless clamped at an edge', () => {
    fc.assert(
      fc.property(fc.double({ min: 1.01, max: 1000, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (factor, anchor) => {
        const zoomed = zoomAround(window1s, factor, anchor, 0, 1_000_000);
        expect(zoomed.startUs).toBeGreaterThanOrEqual(0);
        expect(zoomed.endUs).toBeLessThanOrEqual(1_000_000 + 1e-6);
        expect(timeOfX(zoomed, anchor)).toBeCloseTo(timeOfX(window1s, anchor), 3);
      }),
    );
  });

  it('never zooms narrower than MIN_SPAN_US', () => {
    let window = window1s;
    for (let step = 0; step < 100; step++) window = zoomAround(window, 10, 500, 0, 1_000_000);
    expect(window.endUs - window.startUs).toBe(MIN_SPAN_US);
    expect(window.startUs).toBeGreaterThanOrEqual(0);
  });

  it('never zooms out beyond the data and recentres inside it', () => {
    const out = zoomAround(window1s, 0.01, 100, 0, 1_000_000);
    expect(out).toEqual({ startUs: 0, endUs: 1_000_000, widthPx: 1000 });
  });

  it('pans by pixels and clamps at both edges', () => {
    const zoomed = { startUs: 400_000, endUs: 500_000, widthPx: 1000 };
    expect(panBy(zoomed, 100, 0, 1_000_000).startUs).toBeCloseTo(410_000, 6);
    expect(panBy(zoomed, -1e9, 0, 1_000_000)).toEqual({ startUs: 0, endUs: 100_000, widthPx: 1000 });
    expect(panBy(zoomed, 1e9, 0, 1_000_000)).toEqual({ startUs: 900_000, endUs: 1_000_000, widthPx: 1000 });
  });

  it('jumps to the start or the end keeping the zoom', () => {
    const zoomed = { startUs: 400_000, endUs: 500_000, widthPx: 1000 };
    expect(jumpTo(zoomed, 'start', 0, 1_000_000)).toEqual({ startUs: 0, endUs: 100_000, widthPx: 1000 });
    expect(jumpTo(zoomed, 'end', 0, 1_000_000)).toEqual({ startUs: 900_000, endUs: 1_000_000, widthPx: 1000 });
  });

  it('clamps a degenerate data range to MIN_SPAN_US', () => {
    expect(clampWindow({ startUs: 5, endUs: 5, widthPx: 10 }, 5, 5)).toEqual({ startUs: 5, endUs: 6, widthPx: 10 });
  });
});

describe('scale: axis ticks', () => {
  it('picks 1-2-5 steps below a minute and clock steps above', () => {
    expect(niceStep(1)).toBe(1);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(130)).toBe(200);
    expect(niceStep(4_000_000)).toBe(5_000_000);
    expect(niceStep(12_000_000)).toBe(15_000_000);
    expect(niceStep(61_000_000)).toBe(120_000_000);
    expect(niceStep(4 * 3600e6)).toBe(6 * 3600e6);
    expect(niceStep(3 * 24 * 3600e6)).toBe(5 * 24 * 3600e6);
  });

  it('labels ticks in the unit of their step', () => {
    expect(formatTick(40, 10)).toBe('40 µs');
    expect(formatTick(1_400, 200)).toBe('1.4 ms');
    expect(formatTick(25_000, 5_000)).toBe('25 ms');
    expect(formatTick(2_500_000, 500_000)).toBe('2.5 s');
    expect(formatTick(90 * 60e6, 15 * 60e6)).toBe('1 h 30 min');
    expect(formatTick(150e6, 30e6)).toBe('2:30');
    expect(formatTick(1_526_800_000, 100_000)).toBe('25:26.8');
    expect(formatTick(3_600_000_000 + 5_000_000, 5_000_000)).toBe('1:00:05');
    expect(formatTick(12_345_000, 5_000)).toBe('12.345 s');
    expect(formatTick(0, 1_000_000)).toBe('0 s');
    expect(formatTick(20 * 60e6, 10 * 60e6)).toBe('20 min');
    expect(formatTick(3 * 3600e6, 3600e6)).toBe('3 h');
  });

  it('spaces ticks at least the minimum apart, on multiples of the step, within the window', () => {
    for (const spanUs of [10, 1_000, 123_456, 7e6, 5 * 3600e6]) {
      const window = { startUs: 17, endUs: 17 + spanUs, widthPx: 800 };
      const ticks = axisTicks(window, 0, 80);
      expect(ticks.length).toBeGreaterThan(0);
      expect(ticks.length).toBeLessThanOrEqual(12);
      for (const tick of ticks) {
        expect(tick.t).toBeGreaterThanOrEqual(window.startUs);
        expect(tick.t).toBeLessThanOrEqual(window.endUs);
      }
      const [first, second] = ticks;
      if (first && second) expect(second.x - first.x).toBeGreaterThanOrEqual(80 - 1e-6);
    }
  });

  it('formats precise times for tooltips', () => {
    expect(formatTime(12)).toBe('12 µs');
    expect(formatTime(1_234)).toBe('1.234 ms');
    expect(formatTime(75_000_001)).toBe('1:15.000001');
    expect(formatTime(3_723_000_000)).toBe('1:02:03.000000');
  });
});
