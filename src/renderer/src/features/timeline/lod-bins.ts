/**
 * Level-of-detail bins: per lane, mark counts per time bin at several
 * resolutions, so a frame draws at most ~2 bins per pixel column per lane whatever
 * the zoom, and drawing cost depends on the canvas width, not on the capture size.
 *
 * Pyramid of one lane (finest first, each level `LOD_FACTOR` times coarser):
 *
 *   level 0   |1|0|0|2|5|1|0|0|0|0|3|1|   binUs = b      (~2 bins per mark)
 *   level 1   |   3   |   6   |   4   |   binUs = 4·b    (sums of 4)
 *   level 2   |          13           |   binUs = 16·b   ... down to 1 bin
 *
 * All levels of a lane share `startUs` (the lane's first mark). Arrays exist
 * only for the kinds present in the lane; memory is about 4/3 · 2 · marks · 4 bytes
 * per present kind.
 */
import { MARK_KINDS, type LodBins, type MarkColumns, type MarkKind } from './timeline-model';

/** Each level is this many times coarser than the one below it. */
export const LOD_FACTOR = 4;
/** Finest level: about this many bins per mark of the lane (so zoomed-in bins are still sparse). */
const FINEST_BINS_PER_MARK = 2;
/** Upper bound of the finest level's length, whatever the mark count (bins). */
const MAX_FINEST_BINS = 1 << 22;
/** No bin narrower than this (µs): timestamps are µs at best in the trace model. */
const MIN_BIN_US = 1;

export interface BuildLodOptions {
  /** lanes are `0 .. laneCount-1`; `laneOf` values outside are ignored */
  laneCount: number;
}

interface LaneExtent {
  count: number;
  minUs: number;
  maxUs: number;
  /** bit i set = kind `MARK_KINDS[i]` present */
  kindMask: number;
}

/**
 * Builds one pyramid per lane from per-mark parallel arrays (any order).
 * `kinds` holds indexes into `MARK_KINDS`; unknown codes are ignored.
 * Returns `pyramids[lane]` = levels finest first (empty for a lane without marks).
 */
export function buildLodBins(times: Float64Array, laneOf: Uint32Array, kinds: Uint8Array, options: BuildLodOptions): LodBins[][] {
  const extents = measureLanes(times, laneOf, kinds, options.laneCount);
  const finest: (LodBins | null)[] = extents.map((extent) => allocateFinest(extent));
  // hot loop over every mark: index the count arrays by lane and kind code, no string keys
  const byCode = finest.map((level) => MARK_KINDS.map((kind) => level?.counts[kind]));
  for (let index = 0; index < times.length; index++) {
    const lane = laneOf[index] ?? 0;
    const level = finest[lane];
    const counts = byCode[lane]?.[kinds[index] ?? 255];
    if (!level || !counts) continue;
    const bin = Math.floor(((times[index] ?? 0) - level.startUs) / level.binUs);
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return finest.map((level) => (level ? buildPyramid(level) : []));
}

/** Pyramid of a single lane's marks (e.g. a long lab session with thousands of probes). */
export function buildLaneLodBins(columns: MarkColumns): LodBins[] {
  const pyramids = buildLodBins(columns.t, new Uint32Array(columns.t.length), columns.kind, { laneCount: 1 });
  return pyramids[0] ?? [];
}

function measureLanes(times: Float64Array, laneOf: Uint32Array, kinds: Uint8Array, laneCount: number): LaneExtent[] {
  const extents: LaneExtent[] = Array.from({ length: laneCount }, () => ({
    count: 0,
    minUs: Number.POSITIVE_INFINITY,
    maxUs: Number.NEGATIVE_INFINITY,
    kindMask: 0,
  }));
  for (let index = 0; index < times.length; index++) {
    const extent = extents[laneOf[index] ?? laneCount];
    const code = kinds[index] ?? 255;
    if (!extent || code >= MARK_KINDS.length) continue;
    const t = times[index] ?? 0;
    extent.count++;
    if (t < extent.minUs) extent.minUs = t;
    if (t > extent.maxUs) extent.maxUs = t;
    extent.kindMask |= 1 << code;
  }
  return extents;
}

function allocateFinest(extent: LaneExtent): LodBins | null {
  if (extent.count === 0) return null;
  const rangeUs = extent.maxUs - extent.minUs;
  const wanted = Math.min(MAX_FINEST_BINS, Math.max(1, extent.count * FINEST_BINS_PER_MARK));
  const binUs = Math.max(MIN_BIN_US, rangeUs / wanted);
  const length = Math.floor(rangeUs / binUs) + 1;
  const counts: Partial<Record<MarkKind, Uint32Array>> = {};
  MARK_KINDS.forEach((kind, code) => {
    if (extent.kindMask & (1 << code)) counts[kind] = new Uint32Array(length);
  });
  return { binUs, startUs: extent.minUs, counts };
}

function buildPyramid(finest: LodBins): LodBins[] {
  const levels = [finest];
  let current = finest;
  for (let guard = 0; guard < 32 && binCount(current) > 1; guard++) {
    current = coarsen(current);
    levels.push(current);
  }
  return levels;
}

function coarsen(level: LodBins): LodBins {
  const length = Math.ceil(binCount(level) / LOD_FACTOR);
  const counts: Partial<Record<MarkKind, Uint32Array>> = {};
  for (const kind of MARK_KINDS) {
    const fine = level.counts[kind];
    if (!fine) continue;
    const coarse = new Uint32Array(length);
    for (let target = 0; target < length; target++) {
      let sum = 0;
      const from = target * LOD_FACTOR;
      const to = Math.min(fine.length, from + LOD_FACTOR);
      for (let index = from; index < to; index++) sum += fine[index] ?? 0;
      coarse[target] = sum;
    }
    counts[kind] = coarse;
  }
  return { binUs: level.binUs * LOD_FACTOR, startUs: level.startUs, counts };
}

/** Number of bins in a level (all present kinds have the same length). */
export function binCount(level: LodBins): number {
  for (const kind of MARK_KINDS) {
    const counts = level.counts[kind];
    if (counts) return counts.length;
  }
  return 0;
}

/**
 * The level to draw at `usPerPixel`: the finest whose bins are at least half a
 * pixel wide (≤ 2 bins per pixel column), else the coarsest.
 */
export function pickLevel(levels: readonly LodBins[], usPerPixel: number): LodBins | null {
  for (const level of levels) {
    if (level.binUs >= usPerPixel / 2) return level;
  }
  return levels[levels.length - 1] ?? null;
}

/** Sum of a kind's counts over a lane (read from the coarsest level: one or a few bins). */
export function totalCount(levels: readonly LodBins[], kind: MarkKind): number {
  const coarsest = levels[levels.length - 1];
  const counts = coarsest?.counts[kind];
  if (!counts) return 0;
  let total = 0;
  for (const count of counts) total += count;
  return total;
}
