/**
 * A window of a capture's streams under a sort and a filter, for `capture.streams`: the page asks
 * for the rows it shows, so a 120,000-stream capture is not sent whole (about 66 MB of JSON).
 * The order of the last query is kept per stream list, so scrolling through one sorted and
 * filtered list sorts once.
 */
import type { CaptureStream, StreamFilter, StreamSort } from '@shared/api-capture';

export interface StreamWindow {
  streams: CaptureStream[];
  /** streams matching the filter */
  total: number;
  offset: number;
}

/** per stream list: the last query's key and the positions it selected, in order */
const lastOrder = new WeakMap<readonly CaptureStream[], { key: string; order: Uint32Array }>();

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
  const key = JSON.stringify([sort ?? null, filter ?? null]);
  const cached = lastOrder.get(streams);
  if (cached && cached.key === key) return cached.order;
  const matches = streamMatcher(filter);
  const positions: number[] = [];
  for (let at = 0; at < streams.length; at++) if (matches(streams[at] as CaptureStream)) positions.push(at);
  if (sort && !(sort.key === 'stream' && sort.direction === 'ascending')) {
    const value = SORT_VALUES[sort.key];
    const sign = sort.direction === 'ascending' ? 1 : -1;
    // ties keep stream order, whatever the direction, so a page boundary never moves between calls
    positions.sort((left, right) => sign * (value(streams[left]!) - value(streams[right]!)) || left - right);
  }
  const order = Uint32Array.from(positions);
  lastOrder.set(streams, { key, order });
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
