/**
 * The capture timeline stays interactive on a big capture: a 1 M-packet generated
 * capture, opened in Chromium through the web mode, pans and zooms with a median
 * draw time under one 60 Hz frame (16 ms). Prints the figures `npm run bench` reports.
 */
import { describe, expect, it } from 'vitest';
import { benchTimeline } from '../../bench/timeline';

/** One frame at 60 Hz, ms. */
const FRAME_BUDGET_MS = 16;

describe('timeline performance on a 1 M-packet capture', () => {
  it('draws a pan or zoom step in under 16 ms at the median', async () => {
    const result = await benchTimeline({ log: (line) => console.log(`[timeline-perf] ${line}`) });
    console.log(`[timeline-perf] ${result.steps} steps on ${result.packets} packets: median ${result.medianMs} ms, p95 ${result.p95Ms} ms`);
    expect(result.packets).toBe(1_000_000);
    expect(result.steps).toBeGreaterThanOrEqual(50);
    expect(result.medianMs).toBeLessThan(FRAME_BUDGET_MS);
  }, 420_000);
});
