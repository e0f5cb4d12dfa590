/**
 * Capture → timeline model for big captures: the per-packet annotations arrive as
 * typed arrays (a few bytes a packet, never an object per packet), are split per
 * lane into `MarkColumns` sorted by time, and get a level-of-detail pyramid each
 * (built here unless the engine already sent one).
 */
import { buildLodBins, totalCount } from './lod-bins';
import type { Lane, LodBins, Mark, MarkColumns, Span, TimelineModel } from './timeline-model';

export interface CaptureLaneInput {
  /** stream id, e.g. "s12" */
  id: string;
  label: string;
  group?: string;
  /** µs of the stream's first packet */
  startUs: number;
  /** µs of its last packet, or null when it never closed */
  endUs: number | null;
  /** HTTP requests seen on the stream */
  requests?: number;
  /** why it is drawn first, on a tinted band ("the stream you chose"; see `Lane.pinned`) */
  pinned?: string;
  /** requests, handshakes and idle gaps (sorted or not) */
  spans?: Span[];
  /** marks with words the columns cannot carry (FIN/RST and who sent them); each also in `CaptureTimelineInput.marks` */
  marks?: Mark[];
  /** the lane's requests and ends in words (`Lane.note`) */
  note?: string;
}

/** Annotated packets only (probes, ACKs, ...), parallel arrays, any order. */
export interface CaptureMarksInput {
  /** µs */
  t: Float64Array;
  /** index into `lanes` */
  lane: Uint32Array;
  /** index into `MARK_KINDS` */
  kind: Uint8Array;
  /** frame number per mark (1-based), optional */
  frame?: Uint32Array;
}

export interface CaptureTimelineInput {
  /** µs */
  startUs: number;
  endUs: number;
  lanes: CaptureLaneInput[];
  marks?: CaptureMarksInput;
  /** precomputed pyramids per lane (same order as `lanes`); built from `marks` when absent */
  bins?: LodBins[][];
}

export function binsToTimeline(input: CaptureTimelineInput): TimelineModel {
  const columns = input.marks ? splitByLane(input.marks, input.lanes.length) : [];
  const pyramids =
    input.bins ?? (input.marks ? buildLodBins(input.marks.t, input.marks.lane, input.marks.kind, { laneCount: input.lanes.length }) : []);
  const lanes = input.lanes.map((laneInput, index): Lane => {
    const laneColumns = columns[index];
    const levels = pyramids[index];
    const spans = [...(laneInput.spans ?? [])].sort((a, b) => a.startUs - b.startUs);
    return {
      id: laneInput.id,
      label: laneInput.label,
      group: laneInput.group,
      ...(laneInput.pinned === undefined ? {} : { pinned: laneInput.pinned, highlighted: true }),
      sortKeys: {
        start: laneInput.startUs,
        requests: laneInput.requests ?? spans.filter((span) => span.kind === 'request').length,
        probes: levels ? totalCount(levels, 'keepalive-probe') : 0,
      },
      life: { startUs: laneInput.startUs, endUs: laneInput.endUs },
      ...(laneInput.note ? { note: laneInput.note } : {}),
      spans,
      marks: [...(laneInput.marks ?? [])].sort((a, b) => a.t - b.t),
      columns: laneColumns && laneColumns.t.length > 0 ? laneColumns : undefined,
      bins: levels && levels.length > 0 ? levels : undefined,
    };
  });
  return { lanes, startUs: input.startUs, endUs: Math.max(input.endUs, input.startUs + 1) };
}

/** Counting sort by lane (O(n)), then a time sort inside any lane that is not already in order. */
function splitByLane(marks: CaptureMarksInput, laneCount: number): MarkColumns[] {
  const sizes = new Uint32Array(laneCount);
  for (const lane of marks.lane) if (lane < laneCount) sizes[lane] = (sizes[lane] ?? 0) + 1;
  const offsets = new Uint32Array(laneCount + 1);
  for (let lane = 0; lane < laneCount; lane++) offsets[lane + 1] = (offsets[lane] ?? 0) + (sizes[lane] ?? 0);
  const total = offsets[laneCount] ?? 0;
  const t = new Float64Array(total);
  const kind = new Uint8Array(total);
  const frame = new Uint32Array(total);
  const cursor = offsets.slice(0, laneCount);
  for (let index = 0; index < marks.t.length; index++) {
    const lane = marks.lane[index] ?? laneCount;
    if (lane >= laneCount) continue;
    const at = cursor[lane] ?? 0;
    cursor[lane] = at + 1;
    t[at] = marks.t[index] ?? 0;
    kind[at] = marks.kind[index] ?? 0;
    frame[at] = marks.frame?.[index] ?? 0;
  }
  const result: MarkColumns[] = [];
  for (let lane = 0; lane < laneCount; lane++) {
    const from = offsets[lane] ?? 0;
    const to = offsets[lane + 1] ?? from;
    // subarrays share one buffer: one allocation for the whole capture
    const columns = { t: t.subarray(from, to), kind: kind.subarray(from, to), frame: frame.subarray(from, to) };
    result.push(isSorted(columns.t) ? columns : sortColumns(columns));
  }
  return result;
}

function isSorted(times: Float64Array): boolean {
  for (let index = 1; index < times.length; index++) if ((times[index] ?? 0) < (times[index - 1] ?? 0)) return false;
  return true;
}

function sortColumns(columns: MarkColumns): MarkColumns {
  const order = Array.from(columns.t.keys()).sort((a, b) => (columns.t[a] ?? 0) - (columns.t[b] ?? 0));
  return {
    t: Float64Array.from(order, (index) => columns.t[index] ?? 0),
    kind: Uint8Array.from(order, (index) => columns.kind[index] ?? 0),
    frame: Uint32Array.from(order, (index) => columns.frame[index] ?? 0),
  };
}
