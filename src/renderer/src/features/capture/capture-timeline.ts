/**
 * Capture → timeline input: a lane per TCP stream (in stream order), marks for the
 * annotated packets (probes, their ACKs, zero-window probes, retransmissions), and each
 * lane's HTTP/1 requests and FIN/RST segments (lane-events.ts). The timeline builds its
 * level-of-detail bins from the typed arrays, so a million marks cost a few bytes each. Pure.
 */
import type { StreamEvents } from '@shared/api-capture';
import type { CaptureLaneInput, CaptureMarksInput, CaptureTimelineInput } from '../timeline/bins-to-timeline';
import { MARK_KIND_CODE, MARK_KINDS, type Mark, type MarkKind } from '../timeline/timeline-model';
import type { StreamRow } from './capture-model';
import { endMarks, laneEventWords, requestSpans } from './lane-events';

/** tshark flag (or TCP end) → timeline mark kind; flags not listed are not drawn. */
const FLAG_MARK: Readonly<Record<string, MarkKind>> = {
  keep_alive: 'keepalive-probe',
  keep_alive_ack: 'keepalive-ack',
  zero_window_probe: 'zero-window-probe',
  retransmission: 'retransmission',
  fast_retransmission: 'retransmission',
  spurious_retransmission: 'retransmission',
  fin: 'fin',
  rst: 'rst',
};

/** The timeline mark of a flag, or null when the flag is not drawn. */
export function markKindOfFlag(flag: string): MarkKind | null {
  return Object.hasOwn(FLAG_MARK, flag) ? (FLAG_MARK[flag] ?? null) : null;
}

/** The lane id of a stream: matches the mark ids the timeline gives (`s3#f120`). */
export function laneIdOfStream(stream: number): string {
  return `s${stream}`;
}

/** The id the timeline uses for a capture mark, to outline the selected packet. */
export function markIdOf(stream: number, frame: number): string {
  return `${laneIdOfStream(stream)}#f${frame}`;
}

export interface CaptureMarks {
  /** seconds since the capture's first packet */
  timeS: ArrayLike<number>;
  stream: ArrayLike<number>;
  /** tshark flag name (or "fin"/"rst") per mark */
  flag: ArrayLike<string> | null;
  /** or, instead of `flag`, the `MARK_KINDS` code per mark */
  kindCode?: ArrayLike<number>;
  frame: ArrayLike<number>;
  /** with `kindCode`: the packets whose code is no mark kind (the timeline skips them), by their first annotation, most first */
  unmarked?: ReadonlyArray<{ flag: string; count: number }>;
}

/** A time range of the capture, seconds since its first packet. */
export interface TimeRangeS {
  startS: number;
  endS: number;
}

/** Shortest range a stream is zoomed to, seconds: a one-packet stream still gets an axis. */
const MIN_STREAM_RANGE_S = 0.001;

/**
 * What the timeline fits to: the selected stream, else the chosen group of packets when the
 * capture's timestamps fall in groups far apart (an axis over the gap would be empty), else
 * everything (null).
 */
export function timelineRange(
  groups: readonly TimeRangeS[],
  groupIndex: number,
  selected: Pick<StreamRow, 'startS' | 'endS'> | null,
): TimeRangeS | null {
  if (selected) {
    const padS = Math.max(MIN_STREAM_RANGE_S, selected.endS - selected.startS) * 0.02;
    return { startS: selected.startS - padS, endS: selected.endS + padS };
  }
  const group = groups.length > 1 ? groups[groupIndex] : undefined;
  return group ? { startS: group.startS, endS: Math.max(group.endS, group.startS + MIN_STREAM_RANGE_S) } : null;
}

/** What the chosen stream's lane says of itself: the header over it, its tooltip, the screen-reader summary. */
export const CHOSEN_STREAM_WORDS = 'the stream you chose';

/** The timeline's input, and how many annotated packets it draws (its other marks are FIN/RST segments, drawn for every lane). */
export type CaptureTimeline = CaptureTimelineInput & { annotatedDrawn: number };

/**
 * Streams (lanes), annotated packets (marks) and each stream's requests and FIN/RST segments
 * (`events`, by stream) → the input of `binsToTimeline`; `range` keeps the lanes in it and fits the
 * axis to it; `chosenStream`'s lane is pinned on top (the person picked it in the Streams list, and
 * its lane would otherwise sit wherever the lane order puts it: up to 22,000 px down).
 */
export function captureTimelineInput(
  allStreams: readonly StreamRow[],
  marks: CaptureMarks | null,
  durationS: number | null,
  range: TimeRangeS | null = null,
  chosenStream: number | null = null,
  events: ReadonlyMap<number, StreamEvents> = new Map(),
): CaptureTimeline {
  const streams = range ? allStreams.filter((row) => row.endS >= range.startS && row.startS <= range.endS) : allStreams;
  const laneOfStream = new Map<number, number>();
  const ends: Array<{ lane: number; mark: Mark }> = [];
  const lanes: CaptureLaneInput[] = streams.map((row, index) => {
    laneOfStream.set(row.stream, index);
    const own = events.get(row.stream);
    const endsOfLane = own ? endMarks(row, own) : [];
    for (const mark of endsOfLane) ends.push({ lane: index, mark });
    const note = own ? laneEventWords(row, own) : '';
    return {
      id: laneIdOfStream(row.stream),
      // the group header names the server side (b); the label names the stream and its client side
      label: `#${row.stream} ${shortEndpoint(row.a)}`,
      group: row.b,
      startUs: row.startS * 1e6,
      endUs: row.end === 'open' ? null : row.endS * 1e6,
      requests: row.httpRequests,
      ...(row.stream === chosenStream ? { pinned: CHOSEN_STREAM_WORDS } : {}),
      ...(own ? { spans: requestSpans(row, own), marks: endsOfLane } : {}),
      ...(note ? { note } : {}),
    };
  });
  const annotated = marks ? toMarkColumns(marks, laneOfStream) : undefined;
  let annotatedDrawn = 0;
  for (const code of annotated?.kind ?? []) if (code < MARK_KINDS.length) annotatedDrawn++;
  const columns = ends.length > 0 ? withEnds(annotated, ends) : annotated;
  if (range) return { startUs: range.startS * 1e6, endUs: range.endS * 1e6, lanes, marks: columns, annotatedDrawn };
  const startS = Math.min(0, ...streams.map((row) => row.startS));
  const endS = Math.max(durationS ?? 0, ...streams.map((row) => row.endS));
  return { startUs: startS * 1e6, endUs: Math.max(startS * 1e6 + 1, endS * 1e6), lanes, marks: columns, annotatedDrawn };
}

/** The annotated packets' columns with the lanes' FIN and RST ticks after them (the timeline sorts each lane by time). */
function withEnds(columns: CaptureMarksInput | undefined, ends: ReadonlyArray<{ lane: number; mark: Mark }>): CaptureMarksInput {
  const before = columns?.t.length ?? 0;
  const count = before + ends.length;
  const t = new Float64Array(count);
  const lane = new Uint32Array(count);
  const kind = new Uint8Array(count);
  const frame = new Uint32Array(count);
  if (columns) {
    t.set(columns.t);
    lane.set(columns.lane);
    kind.set(columns.kind);
    if (columns.frame) frame.set(columns.frame);
  }
  ends.forEach((end, index) => {
    t[before + index] = end.mark.t;
    lane[before + index] = end.lane;
    kind[before + index] = MARK_KIND_CODE[end.mark.kind];
    frame[before + index] = end.mark.frame ?? 0;
  });
  return { t, lane, kind, frame };
}

function toMarkColumns(marks: CaptureMarks, laneOfStream: Map<number, number>): CaptureMarksInput {
  const count = marks.timeS.length;
  const t = new Float64Array(count);
  const lane = new Uint32Array(count);
  const kind = new Uint8Array(count);
  const frame = new Uint32Array(count);
  let kept = 0;
  for (let index = 0; index < count; index++) {
    const laneIndex = laneOfStream.get(marks.stream[index] ?? -1);
    const code = marks.kindCode ? marks.kindCode[index] : codeOfFlag(marks.flag?.[index]);
    if (laneIndex === undefined || code === undefined || code === null) continue;
    t[kept] = (marks.timeS[index] ?? 0) * 1e6;
    lane[kept] = laneIndex;
    kind[kept] = code;
    frame[kept] = marks.frame[index] ?? 0;
    kept++;
  }
  return { t: t.subarray(0, kept), lane: lane.subarray(0, kept), kind: kind.subarray(0, kept), frame: frame.subarray(0, kept) };
}

function codeOfFlag(flag: string | undefined): number | null {
  const markKind = flag === undefined ? null : markKindOfFlag(flag);
  return markKind === null ? null : MARK_KIND_CODE[markKind];
}

/** "192.168.1.10:54154" stays; long IPv6 endpoints are shortened in the middle for the label column. */
function shortEndpoint(endpoint: string): string {
  return endpoint.length > 26 ? `${endpoint.slice(0, 12)}…${endpoint.slice(-12)}` : endpoint;
}
