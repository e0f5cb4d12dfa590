/**
 * The timeline's input model: a lane per connection, spans (intervals) and marks
 * (instants) on it. Every view of a trace — a lab session, an imported capture —
 * is turned into this shape first (`sessionToTimeline`, `binsToTimeline`), and the
 * drawing, hit-testing and ordering code only ever reads this shape.
 *
 * Times are µs on the model's own clock (for a session: µs since its epoch).
 * Pure TypeScript: no DOM, so every transform is unit-tested in plain Node.
 */
import { STATE_WORD } from '@shared/connection-states';
import type { NewConnection } from '@shared/connection-cause';

/** Instants drawn as ticks. Order matters: the index is the `Uint8Array` code in `MarkColumns.kind`. */
export const MARK_KINDS = [
  'keepalive-probe',
  'keepalive-ack',
  'zero-window-probe',
  'retransmission',
  'fin',
  'rst',
  'ping',
  'goaway',
] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

/** The `Uint8Array` code of each mark kind (its index in `MARK_KINDS`). */
export const MARK_KIND_CODE: Readonly<Record<MarkKind, number>> = {
  'keepalive-probe': 0,
  'keepalive-ack': 1,
  'zero-window-probe': 2,
  retransmission: 3,
  fin: 4,
  rst: 5,
  ping: 6,
  goaway: 7,
};

/**
 * Intervals drawn as bars; `SPAN_KINDS` is also their drawing order (later on top). The handshakes
 * come after the requests: a request that dialled its connection starts with them, and drawn on
 * top they show how much of that request the connection's setup took (TCP, then TLS).
 */
export const SPAN_KINDS = ['idle', 'body-unread', 'pool-wait', 'request', 'handshake', 'tls-handshake'] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

export interface Span {
  /** unique within the model; what `selectedId` matches */
  id: string;
  kind: SpanKind;
  /** µs */
  startUs: number;
  /** µs; ≥ startUs */
  endUs: number;
  /** requests only: true = sent on a reused connection, false = on a new one, null = unknown */
  reused: boolean | null;
  /** requests only: it ended in an error (a failed request on a kept connection is "failed on reuse", not "reused") */
  failed?: boolean;
  /** short text for the tooltip, e.g. "GET /a → 200" */
  detail?: string;
  /** capture frame number (1-based, tshark numbering) when the span came from a capture: a request's header block */
  frame?: number;
}

export interface Mark {
  /** unique within the model; what `selectedId` matches */
  id: string;
  kind: MarkKind;
  /** µs */
  t: number;
  /** capture frame number (1-based, tshark numbering) when the mark came from a capture */
  frame?: number;
  /** short text for the tooltip, e.g. "from b (server)" */
  detail?: string;
}

/**
 * Marks of a big lane as parallel typed arrays sorted by `t` — a few bytes a mark,
 * no object per mark. `Mark` objects are materialised only for the one mark a
 * learner hovers or selects (`markAt`).
 */
export interface MarkColumns {
  /** µs, ascending */
  t: Float64Array;
  /** index into `MARK_KINDS` */
  kind: Uint8Array;
  /** frame number, 0 = none */
  frame: Uint32Array;
}

/**
 * Mark counts per time bin at one resolution. Bin `i` covers
 * `[startUs + i·binUs, startUs + (i+1)·binUs)`. Only the kinds that occur in the
 * lane have an array, all of the same length.
 */
export interface LodBins {
  /** µs per bin */
  binUs: number;
  /** µs, start of bin 0 */
  startUs: number;
  counts: Partial<Record<MarkKind, Uint32Array>>;
}

export interface LaneSortKeys {
  /** µs of the lane's first event */
  start: number;
  /** requests carried */
  requests: number;
  /** keep-alive probes seen */
  probes: number;
}

export interface Lane {
  /** the connection id ("c3", "s12", ...) */
  id: string;
  label: string;
  /** drawn instead of `label` when that does not fit the label column ("↳ 1, 21" for "↳ streams 1, 21"); the tooltip and summary keep `label` */
  shortLabel?: string;
  /** lanes with the same group are drawn together under a header (e.g. the remote endpoint) */
  group?: string;
  /** drawn on a tinted band: the lanes a lesson points at */
  highlighted?: boolean;
  /**
   * Why this lane is drawn first, above the lane order and the groups, on a tinted band (the capture's
   * chosen stream: "the stream you chose"): the header over it, and what its tooltip and the
   * screen-reader summary say of it. Absent: the lane takes its place in the order.
   */
  pinned?: string;
  /** an HTTP/2 connection (or a row of its streams): its requests are streams, its waits are for a stream slot, not a pool */
  http2?: boolean;
  /** a row of HTTP/2 streams drawn under its connection's lane: that lane's id (stream-rows.ts); not a connection itself */
  streamsOf?: string;
  sortKeys: LaneSortKeys;
  /** the connection's life: drawn as a thin line; `endUs` null = still open at the model's end */
  life: { startUs: number; endUs: number | null };
  /** why the client opened it (HTTP lab), when the trace says */
  openedBecause?: NewConnection;
  /** what its requests and ends were, in words the lane's summary adds (a capture's stream: "request 1 opened this connection …; FIN from …") */
  note?: string;
  /** sorted by `startUs` */
  spans: Span[];
  /**
   * sorted by `t`; may be empty when `columns` carries the marks. With `columns`: the few marks whose
   * words the columns cannot carry (a capture's FIN and RST, with who sent them), also in `columns`
   */
  marks: Mark[];
  /** big lanes: the marks as typed arrays instead of `marks` */
  columns?: MarkColumns;
  /** level-of-detail pyramid, finest first, each level coarser by `LOD_FACTOR` */
  bins?: LodBins[];
}

export interface TimelineModel {
  lanes: Lane[];
  /** µs, the data range the viewport is clamped to */
  startUs: number;
  endUs: number;
}

/** The same model with the lanes in `ids` highlighted (and no other). */
export function withHighlightedLanes(model: TimelineModel, ids: ReadonlySet<string>): TimelineModel {
  return { ...model, lanes: model.lanes.map((lane) => ({ ...lane, highlighted: ids.has(lane.id) })) };
}

/**
 * µs of the latest thing the lanes draw: a connection's close, a span's end, a mark (or a lane's
 * start, for a lane with nothing else); null without lanes. The axis ends here (plus the
 * controller's small edge padding), so nothing recorded after the last drawn thing (a run's
 * closing notes, logged once the lab has stopped its server) leaves an empty stretch.
 * A lane still open is drawn to the axis's end, whatever it is.
 */
export function drawnEndUs(lanes: readonly Lane[]): number | null {
  let endUs = Number.NEGATIVE_INFINITY;
  for (const lane of lanes) {
    endUs = Math.max(endUs, lane.life.startUs, lane.life.endUs ?? Number.NEGATIVE_INFINITY);
    for (const span of lane.spans) endUs = Math.max(endUs, span.endUs);
    const lastMark = lane.marks.at(-1)?.t ?? Number.NEGATIVE_INFINITY;
    const lastColumnMark = lane.columns?.t[lane.columns.t.length - 1] ?? Number.NEGATIVE_INFINITY;
    endUs = Math.max(endUs, lastMark, lastColumnMark);
  }
  return Number.isFinite(endUs) ? endUs : null;
}

/** An empty model: what the timeline shows before any data arrives. */
export function emptyTimeline(): TimelineModel {
  return { lanes: [], startUs: 0, endUs: 1 };
}

/** Human-readable names for tooltips, the legend and the screen-reader summary (state words: src/shared/connection-states.ts). */
export const MARK_KIND_LABEL: Readonly<Record<MarkKind, string>> = {
  'keepalive-probe': 'keep-alive probe',
  'keepalive-ack': 'keep-alive ACK',
  'zero-window-probe': 'zero-window probe',
  retransmission: 'retransmission',
  fin: 'FIN',
  rst: 'RST',
  ping: 'HTTP/2 PING',
  goaway: 'HTTP/2 GOAWAY',
};

/**
 * The words for an HTTP/2 lane where HTTP/1's would be false: a request is a stream, a wait is for a
 * stream slot (the server's SETTINGS_MAX_CONCURRENT_STREAMS reached, RFC 9113 §5.1.2), not for a pooled connection.
 */
export const HTTP2_WORDS = {
  newRequest: 'stream that opened its connection',
  reusedRequest: 'stream on the connection already open',
  failedRequest: 'failed stream',
  idle: 'idle (no stream open)',
  waiting: 'waiting for a stream slot (the server’s stream limit reached)',
} as const;

export const SPAN_KIND_LABEL: Readonly<Record<SpanKind, string>> = {
  idle: STATE_WORD.idle,
  'body-unread': STATE_WORD['body-unread'],
  'pool-wait': STATE_WORD.waiting,
  handshake: 'handshake',
  'tls-handshake': 'TLS handshake',
  request: 'request',
};
