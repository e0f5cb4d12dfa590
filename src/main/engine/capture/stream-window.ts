/**
 * A window of a capture's streams under a sort and a filter, for `capture.streams`: the page asks
 * for the rows it shows, so a 120,000-stream capture is not sent whole (about 66 MB of JSON).
 * Per stream list, each sort's whole order is kept once made, and the last few filtered orders
 * too: scrolling through one list sorts once, and the stream list and the timeline (which asks for
 * the streams of the time range it shows, a new range after each zoom) take turns without sorting
 * again; a filter is then one pass over the kept order.
 */
import type { CaptureStream, StreamFilter, StreamSort } from '@shared/api-capture';

export interface StreamWindow {
  streams: CaptureStream[];
  /** streams matching the filter */
  total: number;
  offset: number;
}

/**
 * Filtered orders kept per stream list: the stream list's and the timeline's current queries and
 * a step back for each. At 120,000 streams an order is at most 480 KB (4 bytes a stream).
 */
const KEPT_FILTERED_ORDERS = 4;

interface KeptOrders {
  /** by sort key: every stream's position in that order */
  sorted: Map<string, Uint32Array>;
  /** by sort and filter key, least recently used first */
  filtered: Map<string, Uint32Array>;
}

const keptOrders = new WeakMap<readonly CaptureStream[], KeptOrders>();

/** Streams [offset, offset + limit) of those matching `filter`, in `sort` order (stream number when absent). */
export function streamWindow(
  streams: readonly CaptureStream[],
  query: { offset: number; limit: number; sort?: StreamSort; filter?: StreamFilter },
): StreamWindow {
  const order = orderOf(streams, query.sort, query.filter);
  const offset = Math.min(query.offset, order.length);
  const end = Math.min(order.length, offset + query.limit);
  const window: CaptureStream[] = [];
  for (let at = offset; at < end; at++) window.push(streams[order[at] ?? 0] as CaptureStream);
  return { streams: window, total: order.length, offset };
}

function orderOf(streams: readonly CaptureStream[], sort: StreamSort | undefined, filter: StreamFilter | undefined): Uint32Array {
  let kept = keptOrders.get(streams);
  if (!kept) {
    kept = { sorted: new Map(), filtered: new Map() };
    keptOrders.set(streams, kept);
  }
  const key = JSON.stringify([sort ?? null, filter ?? null]);
  const cached = kept.filtered.get(key);
  if (cached) {
    // most recently used goes last
    kept.filtered.delete(key);
    kept.filtered.set(key, cached);
    return cached;
  }
  const sorted = sortedOrder(streams, sort, kept.sorted);
  const matches = streamMatcher(filter);
  let order: Uint32Array;
  if (!filter) order = sorted;
  else {
    const positions: number[] = [];
    for (const at of sorted) if (matches(streams[at] as CaptureStream)) positions.push(at);
    order = Uint32Array.from(positions);
  }
  kept.filtered.set(key, order);
  if (kept.filtered.size > KEPT_FILTERED_ORDERS) kept.filtered.delete(kept.filtered.keys().next().value as string);
  return order;
}

/** Every stream's position in `sort` order, made once per sort; ties keep stream order, whatever the direction, so a page boundary never moves between calls. */
function sortedOrder(streams: readonly CaptureStream[], sort: StreamSort | undefined, kept: Map<string, Uint32Array>): Uint32Array {
  const byNumber = !sort || (sort.key === 'stream' && sort.direction === 'ascending');
  const key = byNumber ? 'stream ascending' : `${sort.key} ${sort.direction}`;
  const cached = kept.get(key);
  if (cached) return cached;
  const order = new Uint32Array(streams.length);
  for (let at = 0; at < order.length; at++) order[at] = at;
  if (!byNumber) {
    const value = SORT_VALUES[sort.key];
    const sign = sort.direction === 'ascending' ? 1 : -1;
    order.sort((left, right) => sign * (value(streams[left]!) - value(streams[right]!)) || left - right);
  }
  kept.set(key, order);
  return order;
}

const SORT_VALUES: Record<StreamSort['key'], (stream: CaptureStream) => number> = {
  stream: (stream) => stream.stream,
  start: (stream) => stream.firstTime,
  packets: (stream) => stream.packets,
  requests: (stream) => stream.httpRequests,
  probes: (stream) => stream.keepAlives + stream.keepAliveAcks,
};

/** The filter as a predicate; no filter matches every stream. */
export function streamMatcher(filter: StreamFilter | undefined): (stream: CaptureStream) => boolean {
  if (!filter) return () => true;
  const ids = filter.streams ? new Set(filter.streams) : null;
  const text = filter.text?.trim().toLowerCase() ?? '';
  return (stream) =>
    (ids === null || ids.has(stream.stream)) &&
    (filter.end === undefined || stream.end === filter.end) &&
    (filter.withRequests !== true || stream.httpRequests > 0) &&
    (filter.withProbes !== true || stream.keepAlives + stream.keepAliveAcks > 0) &&
    (filter.timeRange === undefined || (stream.firstTime <= filter.timeRange.to && stream.lastTime >= filter.timeRange.from)) &&
    (text === '' || matchesText(stream, text));
}

/** "#12" or "12" is a stream number; any other text is looked for in the endpoints ("127.0.0.1:8080"). */
function matchesText(stream: CaptureStream, text: string): boolean {
  const number = /^#?(\d+)$/.exec(text);
  if (number && Number(number[1]) === stream.stream) return true;
  return stream.a.toLowerCase().includes(text) || stream.b.toLowerCase().includes(text);
}

/** Sums over every stream that the summary panel shows without the streams themselves. */
export function streamTotals(streams: readonly CaptureStream[]): {
  httpRequests: number;
  httpPartialRequests: number;
  reusedStreams: number;
  tlsStreams: number;
} {
  let httpRequests = 0;
  let httpPartialRequests = 0;
  let reusedStreams = 0;
  let tlsStreams = 0;
  for (const stream of streams) {
    httpRequests += stream.httpRequests;
    httpPartialRequests += stream.httpPartialRequests ?? 0;
    if (stream.httpRequests > 1) reusedStreams++;
    if (stream.tls) tlsStreams++;
  }
  return { httpRequests, httpPartialRequests, reusedStreams, tlsStreams };
}
