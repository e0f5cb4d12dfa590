/** The engine-side window of streams: filter, sort (ties in stream order), offset and limit, totals. */
import { describe, expect, it } from 'vitest';
import type { CaptureStream } from '@shared/api-capture';
import { streamTotals, streamWindow } from '@engine/capture/stream-window';

function stream(number: number, fields: Partial<CaptureStream> = {}): CaptureStream {
  return {
    stream: number,
    a: `127.0.0.1:${40000 + number}`,
    b: '127.0.0.1:8080',
    firstFrame: number + 1,
    lastFrame: number + 10,
    firstTime: 1000 + number,
    lastTime: 1010 + number,
    packets: 10,
    packetsAtoB: 5,
    packetsBtoA: 5,
    payloadAtoB: 0,
    payloadBtoA: 0,
    synSeen: true,
    end: 'fin',
    maxIdleGap: 0,
    httpRequests: 0,
    httpResponses: 0,
    keepAlives: 0,
    keepAliveAcks: 0,
    probeSpacing: null,
    keepalive: null,
    ...fields,
  };
}

const streams = [
  stream(0, { packets: 4, httpRequests: 2 }),
  stream(1, { packets: 9, end: 'rst', keepAlives: 3, keepAliveAcks: 3 }),
  stream(2, { packets: 9, httpRequests: 1, firstTime: 900 }),
  stream(3, { packets: 1, end: 'open', a: '[::1]:5000', b: '[::1]:443' }),
  stream(4, { packets: 20, httpRequests: 1, httpPartialRequests: 1 }),
];
const numbers = (window: { streams: CaptureStream[] }) => window.streams.map((row) => row.stream);

describe('streamWindow', () => {
  it('pages in stream order by default, the total counting every matching stream', () => {
    expect(numbers(streamWindow(streams, { offset: 0, limit: 2 }))).toEqual([0, 1]);
    const last = streamWindow(streams, { offset: 4, limit: 2 });
    expect(numbers(last)).toEqual([4]);
    expect(last.total).toBe(5);
    expect(streamWindow(streams, { offset: 9, limit: 2 })).toEqual({ streams: [], total: 5, offset: 5 });
  });

  it('sorts by packets descending with ties in stream order, and by start ascending', () => {
    const byPackets = streamWindow(streams, { offset: 0, limit: 5, sort: { key: 'packets', direction: 'descending' } });
    expect(numbers(byPackets)).toEqual([4, 1, 2, 0, 3]);
    const byStart = streamWindow(streams, { offset: 0, limit: 2, sort: { key: 'start', direction: 'ascending' } });
    expect(numbers(byStart)).toEqual([2, 0]);
    const byProbes = streamWindow(streams, { offset: 0, limit: 1, sort: { key: 'probes', direction: 'descending' } });
    expect(numbers(byProbes)).toEqual([1]);
  });

  it('filters by end, requests, probes, stream number, endpoint text and a list of numbers', () => {
    expect(numbers(streamWindow(streams, { offset: 0, limit: 9, filter: { end: 'rst' } }))).toEqual([1]);
    expect(numbers(streamWindow(streams, { offset: 0, limit: 9, filter: { withRequests: true } }))).toEqual([0, 2, 4]);
    expect(numbers(streamWindow(streams, { offset: 0, limit: 9, filter: { withProbes: true } }))).toEqual([1]);
    expect(numbers(streamWindow(streams, { offset: 0, limit: 9, filter: { text: '#2' } }))).toEqual([2]);
    expect(numbers(streamWindow(streams, { offset: 0, limit: 9, filter: { text: '[::1]' } }))).toEqual([3]);
    expect(numbers(streamWindow(streams, { offset: 0, limit: 9, filter: { text: ':40004' } }))).toEqual([4]);
    expect(numbers(streamWindow(streams, { offset: 0, limit: 9, filter: { streams: [4, 0, 99] } }))).toEqual([0, 4]);
    const sortedAndFiltered = streamWindow(streams, {
      offset: 1,
      limit: 9,
      sort: { key: 'requests', direction: 'descending' },
      filter: { withRequests: true },
    });
    expect(numbers(sortedAndFiltered)).toEqual([2, 4]);
    expect(sortedAndFiltered.total).toBe(3);
  });

  it('filters by a time range: every stream whose span overlaps it, ends included', () => {
    // spans: 0 [1000, 1010], 1 [1001, 1011], 2 [900, 1012], 3 [1003, 1013], 4 [1004, 1014]
    const during = (from: number, to: number) =>
      numbers(streamWindow(streams, { offset: 0, limit: 9, filter: { timeRange: { from, to } } }));
    expect(during(1011, 1012)).toEqual([1, 2, 3, 4]);
    // a range inside one long stream's span finds it though neither end of the stream is in the range
    expect(during(950, 960)).toEqual([2]);
    // touching an end counts: the packet at 1014 is in [1014, 2000]
    expect(during(1014, 2000)).toEqual([4]);
    expect(during(1015, 2000)).toEqual([]);
    expect(during(0, 899.5)).toEqual([]);
    // with a sort and a limit: the first streams of the range by start, the total counting all of them
    const firstByStart = streamWindow(streams, {
      offset: 0,
      limit: 2,
      sort: { key: 'start', direction: 'ascending' },
      filter: { timeRange: { from: 1001, to: 1004 }, end: 'fin' },
    });
    expect(numbers(firstByStart)).toEqual([2, 0]);
    expect(firstByStart.total).toBe(3);
  });

  it('gives the same windows when queries take turns (kept orders are per sort and filter)', () => {
    const queries = [
      { offset: 0, limit: 3, sort: { key: 'packets', direction: 'descending' } },
      { offset: 0, limit: 9, sort: { key: 'start', direction: 'ascending' }, filter: { timeRange: { from: 1011, to: 1012 } } },
      { offset: 1, limit: 9, filter: { withRequests: true } },
      { offset: 0, limit: 9, sort: { key: 'start', direction: 'ascending' }, filter: { timeRange: { from: 950, to: 960 } } },
      { offset: 0, limit: 9, sort: { key: 'packets', direction: 'ascending' }, filter: { end: 'fin' } },
      { offset: 0, limit: 9, sort: { key: 'start', direction: 'descending' } },
    ] as const;
    const first = queries.map((query) => numbers(streamWindow(streams, query)));
    expect(first).toEqual([[4, 1, 2], [2, 1, 3, 4], [2, 4], [2], [0, 2, 4], [4, 3, 1, 0, 2]]);
    // again, in reverse order and twice over: more queries than the kept orders, same answers
    for (let round = 0; round < 2; round++)
      for (let index = queries.length - 1; index >= 0; index--)
        expect(numbers(streamWindow(streams, queries[index]!))).toEqual(first[index]);
  });

  it('sums requests, partial requests and reused streams over every stream', () => {
    expect(streamTotals(streams)).toEqual({ httpRequests: 4, httpPartialRequests: 1, reusedStreams: 1, tlsStreams: 0 });
  });

  it('counts the streams that carried TLS (their requests are encrypted, not in httpRequests)', () => {
    const tls = {
      clientSide: 'a' as const,
      handshakes: 1,
      resumed: 0,
      sni: null,
      alpn: null,
      version: 'TLS 1.3',
      handshakeMs: 1.2,
      list: [],
    };
    expect(streamTotals([...streams, stream(90, { tls }), stream(91, { tls })]).tlsStreams).toBe(2);
  });
});
