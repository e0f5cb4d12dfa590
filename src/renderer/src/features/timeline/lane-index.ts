/**
 * Per-lane search structures, built once per lane object and cached: marks as
 * sorted typed arrays, spans split by kind with prefix-maximum ends, and a
 * level-of-detail pyramid made on demand for a lane with many marks. With them a
 * frame finds what is visible by binary search instead of scanning the lane.
 */
import { buildLaneLodBins } from './lod-bins';
import {
  MARK_KIND_CODE,
  MARK_KINDS,
  SPAN_KINDS,
  type Lane,
  type LodBins,
  type Mark,
  type MarkColumns,
  type Span,
  type SpanKind,
} from './timeline-model';

/** The spans of one kind on a lane, sorted by start. */
export interface SpanColumn {
  spans: Span[];
  /** µs, ascending */
  start: Float64Array;
  /** µs */
  end: Float64Array;
  /** maxEnd[i] = max(end[0..i]): ascending, so "first span that may reach t" is a binary search */
  maxEnd: Float64Array;
}

export interface LaneIndex {
  lane: Lane;
  marks: MarkColumns;
  spans: Record<SpanKind, SpanColumn>;
  /** the lane's own pyramid, or one built on first need */
  bins(): LodBins[];
}

const cache = new WeakMap<Lane, LaneIndex>();

export function laneIndex(lane: Lane): LaneIndex {
  let index = cache.get(lane);
  if (!index) {
    index = buildIndex(lane);
    cache.set(lane, index);
  }
  return index;
}

function buildIndex(lane: Lane): LaneIndex {
  const marks = lane.columns ?? columnsOf(lane.marks);
  const spans = {} as Record<SpanKind, SpanColumn>;
  for (const kind of SPAN_KINDS) spans[kind] = spanColumn(lane.spans.filter((span) => span.kind === kind));
  let lazyBins: LodBins[] | null = lane.bins ?? null;
  return {
    lane,
    marks,
    spans,
    bins: () => (lazyBins ??= buildLaneLodBins(marks)),
  };
}

function columnsOf(marks: readonly Mark[]): MarkColumns {
  const sorted = [...marks].sort((a, b) => a.t - b.t);
  return {
    t: Float64Array.from(sorted, (mark) => mark.t),
    kind: Uint8Array.from(sorted, (mark) => MARK_KIND_CODE[mark.kind]),
    frame: Uint32Array.from(sorted, (mark) => mark.frame ?? 0),
  };
}

function spanColumn(spans: Span[]): SpanColumn {
  const sorted = [...spans].sort((a, b) => a.startUs - b.startUs);
  const start = Float64Array.from(sorted, (span) => span.startUs);
  const end = Float64Array.from(sorted, (span) => span.endUs);
  const maxEnd = new Float64Array(sorted.length);
  let running = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < sorted.length; index++) {
    running = Math.max(running, end[index] ?? running);
    maxEnd[index] = running;
  }
  return { spans: sorted, start, end, maxEnd };
}

/** First index i with values[i] ≥ target (values ascending); values.length when none. */
export function lowerBound(values: Float64Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index i with values[i] > target (values ascending); values.length when none. */
export function upperBound(values: Float64Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) <= target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The `Mark` at `index` of a lane's columns. Lanes built from `Mark[]` return
 * the original object (so its id and detail survive); column-only lanes get an id
 * from the frame number, or the lane and index.
 */
export function markAt(index: LaneIndex, position: number): Mark | null {
  const t = index.marks.t[position];
  const kind = MARK_KINDS[index.marks.kind[position] ?? 255];
  if (t === undefined || !kind) return null;
  // a lane's Mark objects (all of them, or with columns the few that carry words) come back whole
  if (index.lane.marks.length > 0) {
    const original = findOriginal(index.lane.marks, t, kind);
    if (original) return original;
  }
  const frame = index.marks.frame[position] || undefined;
  return { id: frame !== undefined ? `${index.lane.id}#f${frame}` : `${index.lane.id}#${position}`, kind, t, frame };
}

function findOriginal(marks: readonly Mark[], t: number, kind: Mark['kind']): Mark | undefined {
  // lane.marks is documented sorted by t: binary search, then step over equal times
  let low = 0;
  let high = marks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((marks[middle]?.t ?? 0) < t) low = middle + 1;
    else high = middle;
  }
  for (let position = low; position < marks.length && marks[position]?.t === t; position++) {
    if (marks[position]?.kind === kind) return marks[position];
  }
  return marks.find((mark) => mark.t === t && mark.kind === kind);
}
