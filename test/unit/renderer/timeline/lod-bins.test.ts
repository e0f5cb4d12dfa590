import { describe, expect, it } from 'vitest';
import { binCount, buildLodBins, LOD_FACTOR, pickLevel, totalCount } from '@renderer/features/timeline/lod-bins';
import { MARK_KIND_CODE } from '@renderer/features/timeline/timeline-model';

const probe = MARK_KIND_CODE['keepalive-probe'];
const ack = MARK_KIND_CODE['keepalive-ack'];

describe('buildLodBins', () => {
  it('counts marks per lane and kind, conserving the total at every level', () => {
    // lane 0: probe/ACK pairs every second for 100 s; lane 1: three RSTs
    const times: number[] = [];
    const lanes: number[] = [];
    const kinds: number[] = [];
    for (let second = 0; second < 100; second++) {
      times.push(second * 1e6, second * 1e6 + 150);
      lanes.push(0, 0);
      kinds.push(probe, ack);
    }
    times.push(5, 6, 7);
    lanes.push(1, 1, 1);
    kinds.push(MARK_KIND_CODE.rst, MARK_KIND_CODE.rst, MARK_KIND_CODE.rst);
    const pyramids = buildLodBins(Float64Array.from(times), Uint32Array.from(lanes), Uint8Array.from(kinds), { laneCount: 3 });

    expect(pyramids).toHaveLength(3);
    expect(pyramids[2]).toEqual([]);
    const lane0 = pyramids[0] ?? [];
    expect(lane0.length).toBeGreaterThan(3);
    for (const level of lane0) {
      expect(Object.keys(level.counts).sort()).toEqual(['keepalive-ack', 'keepalive-probe']);
      expect([...(level.counts['keepalive-probe'] ?? [])].reduce((a, b) => a + b, 0)).toBe(100);
      expect([...(level.counts['keepalive-ack'] ?? [])].reduce((a, b) => a + b, 0)).toBe(100);
      expect(level.startUs).toBe(0);
    }
    // each level is LOD_FACTOR coarser, down to one bin
    for (let index = 1; index < lane0.length; index++) {
      expect(lane0[index]?.binUs).toBeCloseTo((lane0[index - 1]?.binUs ?? 0) * LOD_FACTOR, 6);
    }
    expect(binCount(lane0[lane0.length - 1] ?? { binUs: 1, startUs: 0, counts: {} })).toBe(1);
    // finest level: about two bins per mark, so zoomed in it stays sparse
    expect(binCount(lane0[0] ?? { binUs: 1, startUs: 0, counts: {} })).toBeLessThanOrEqual(2 * 200 + 1);
    expect(totalCount(pyramids[1] ?? [], 'rst')).toBe(3);
  });

  it('ignores lanes and kinds out of range', () => {
    const pyramids = buildLodBins(Float64Array.from([1, 2]), Uint32Array.from([0, 9]), Uint8Array.from([200, probe]), { laneCount: 1 });
    expect(pyramids[0]).toEqual([]);
  });
});

describe('pickLevel', () => {
  it('keeps at most 2 bins per pixel column at any zoom', () => {
    const count = 50_000;
    const times = Float64Array.from({ length: count }, (_, index) => index * 37.5);
    const pyramid = buildLodBins(times, new Uint32Array(count), new Uint8Array(count), { laneCount: 1 })[0] ?? [];
    const rangeUs = (count - 1) * 37.5;
    for (let usPerPixel = 0.5; usPerPixel < rangeUs * 4; usPerPixel *= 3) {
      const level = pickLevel(pyramid, usPerPixel);
      expect(level).not.toBeNull();
      const widthPx = 1000;
      const binsInView = Math.min(binCount(level!), Math.ceil((usPerPixel * widthPx) / level!.binUs) + 1);
      expect(binsInView).toBeLessThanOrEqual(2 * widthPx + 2);
    }
  });

  it('returns null for a lane without bins', () => {
    expect(pickLevel([], 10)).toBeNull();
  });
});
