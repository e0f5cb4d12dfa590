/**
 * capture.open with a window of streams and capture.streams paging, sorting and filtering in the
 * engine, checked against tshark's own stream list for a real capture (the corpus oracle).
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureMethods, MAX_EVENT_REQUESTS } from '@shared/api-capture';
import { requestCap } from '@engine/capture/stream-events';
import { createCaptureHandlers } from '@engine/services/capture';
import type { ServiceContext } from '@engine/services/context';
import { SessionLog } from '@engine/session-log';
import { Budget } from '@engine/jobs';

const CORPUS = path.resolve(__dirname, '../../../shared/captures/public');
const FILE = path.join(CORPUS, 'ndpi__1kxun.pcap');
interface OracleStream {
  stream: number;
  a: string;
  b: string;
  packets: number;
  httpRequests: number;
  end: string;
  /** seconds since 1970, as tshark prints frame.time_epoch */
  firstTime: string;
  lastTime: string;
}
const oracle = JSON.parse(readFileSync(`${FILE}.tshark.json`, 'utf8')) as { streams: OracleStream[] };

function context(sessions: SessionLog): ServiceContext {
  return {
    emit: () => undefined,
    mode: 'cli',
    sessions,
    onDispose: () => undefined,
    dataDir: CORPUS,
    jobs: {
      start: (jobId) => ({ jobId: jobId ?? 'job', signal: new AbortController().signal, done: () => undefined }),
      cancel: () => false,
      cancelAll: () => undefined,
      settled: () => Promise.resolve(),
    },
    listenerBudget: new Budget('listeners', 1, 'stop one'),
  };
}

describe('capture streams in windows', () => {
  it('opens with the first window and the count, pages to the end, sorts and filters as tshark counts', async () => {
    const sessions = new SessionLog();
    const handlers = createCaptureHandlers(context(sessions));
    const summary = captureMethods['capture.open'].result.parse(await handlers['capture.open']({ path: FILE, streamWindow: 10 }));
    expect(oracle.streams.length).toBe(98);
    expect(summary.streamCount).toBe(98);
    expect(summary.streams.map((row) => row.stream)).toEqual(oracle.streams.slice(0, 10).map((row) => row.stream));
    const requests = oracle.streams.reduce((sum, row) => sum + row.httpRequests, 0);
    expect(requests).toBeGreaterThan(0);
    expect(summary.streamTotals?.httpRequests).toBe(requests);
    expect(summary.streamTotals?.reusedStreams).toBe(oracle.streams.filter((row) => row.httpRequests > 1).length);
    // the session's report still lists every stream, though the page got ten
    expect(sessions.snapshot().captures[0]?.streams).toHaveLength(98);

    const page = async (params: Omit<Parameters<(typeof handlers)['capture.streams']>[0], 'captureId'>) =>
      captureMethods['capture.streams'].result.parse(await handlers['capture.streams']({ captureId: summary.captureId, ...params }));
    // windows of 30 cover every stream once, in tshark's numbering, with tshark's endpoints
    const seen: string[] = [];
    for (let offset = 0; offset < 200; offset += 30) {
      const window = await page({ offset, limit: 30 });
      expect(window.total).toBe(98);
      seen.push(...window.streams.map((row) => `${row.stream} ${row.a} ${row.b}`));
      if (window.streams.length < 30) break;
    }
    expect(seen).toEqual(oracle.streams.map((row) => `${row.stream} ${row.a} ${row.b}`));

    const byPackets = await page({ offset: 0, limit: 5, sort: { key: 'packets', direction: 'descending' } });
    const expectedByPackets = [...oracle.streams].sort((left, right) => right.packets - left.packets || left.stream - right.stream);
    expect(byPackets.streams.map((row) => row.stream)).toEqual(expectedByPackets.slice(0, 5).map((row) => row.stream));

    const withRequests = await page({ offset: 0, limit: 100, filter: { withRequests: true } });
    expect(withRequests.streams.map((row) => row.stream)).toEqual(
      oracle.streams.filter((row) => row.httpRequests > 0).map((row) => row.stream),
    );
    const resets = await page({ offset: 0, limit: 100, filter: { end: 'rst' } });
    expect(resets.total).toBe(oracle.streams.filter((row) => row.end === 'rst').length);
    const server = oracle.streams[0]?.b ?? '';
    const toServer = await page({ offset: 0, limit: 100, filter: { text: server } });
    expect(toServer.total).toBe(oracle.streams.filter((row) => row.a.includes(server) || row.b.includes(server)).length);

    // without a limit, every stream (what the CLI and reports read)
    expect((await page({})).streams).toHaveLength(98);
  });

  it('lists the streams of each time group (the file holds packets from 2016 and 2022) as tshark times them', async () => {
    const handlers = createCaptureHandlers(context(new SessionLog()));
    const summary = captureMethods['capture.open'].result.parse(await handlers['capture.open']({ path: FILE, streamWindow: 10 }));
    expect(summary.timeGroups).toHaveLength(2);
    for (const group of summary.timeGroups ?? []) {
      const timeRange = { from: summary.startTime + group.startS, to: summary.startTime + group.endS };
      const window = captureMethods['capture.streams'].result.parse(
        await handlers['capture.streams']({
          captureId: summary.captureId,
          limit: 100,
          sort: { key: 'start', direction: 'ascending' },
          filter: { timeRange },
        }),
      );
      // tshark's times are printed to the ns; the group's bounds are its packets' own times
      const overlapping = oracle.streams.filter(
        (row) => Number(row.firstTime) <= timeRange.to + 1e-6 && Number(row.lastTime) >= timeRange.from - 1e-6,
      );
      expect(overlapping.length).toBeGreaterThan(0);
      expect(window.total).toBe(overlapping.length);
      const byStart = [...overlapping].sort(
        (left, right) => Number(left.firstTime) - Number(right.firstTime) || left.stream - right.stream,
      );
      expect(window.streams.map((row) => row.stream)).toEqual(byStart.map((row) => row.stream));
    }
    const [first, second] = summary.timeGroups ?? [];
    // the gap between the groups holds no stream
    const gap = { from: summary.startTime + first!.endS + 1, to: summary.startTime + second!.startS - 1 };
    const inGap = await handlers['capture.streams']({ captureId: summary.captureId, limit: 10, filter: { timeRange: gap } });
    expect(inGap.total).toBe(0);
  });
});

describe('capture.streams with the lanes’ requests and FIN/RST segments', () => {
  it('gives each stream of the window its requests within the time range, the window’s budget shared, and its ends', async () => {
    const handlers = createCaptureHandlers(context(new SessionLog()));
    const summary = captureMethods['capture.open'].result.parse(await handlers['capture.open']({ path: FILE }));
    const ask = async (maxRequests: number, timeRange?: { from: number; to: number }) =>
      captureMethods['capture.streams'].result.parse(
        await handlers['capture.streams']({
          captureId: summary.captureId,
          limit: 1000,
          sort: { key: 'requests', direction: 'descending' },
          filter: timeRange ? { timeRange } : {},
          events: { maxRequests },
        }),
      );
    const all = await ask(MAX_EVENT_REQUESTS);
    expect(all.events?.map((entry) => entry.stream)).toEqual(all.streams.map((stream) => stream.stream));
    // every request drawn: as many as tshark counts per stream (frames; this capture has one request a frame)
    all.streams.forEach((stream, index) => {
      const events = all.events![index]!;
      expect(events.requests.length, `stream ${stream.stream}`).toBe(stream.httpRequests);
      expect(events.requestsLeftOut).toBe(0);
      expect(events.ends.length + events.endsLeftOut).toBeGreaterThanOrEqual(stream.end === 'open' ? 0 : 1);
    });

    // a budget of 10 over the window: shared by a common cap, the busiest streams left out beyond it
    const counts = all.streams.map((stream) => stream.httpRequests);
    const cap = requestCap(counts, 10);
    const small = await ask(10);
    const listed = small.events!.reduce((sum, events) => sum + events.requests.length, 0);
    expect(listed).toBeLessThanOrEqual(10);
    small.events!.forEach((events, index) => {
      expect(events.requests.length).toBe(Math.min(cap, counts[index]!));
      expect(events.requests.length + events.requestsLeftOut).toBe(counts[index]);
    });

    // a time range: only the requests in it, numbered by their place on the stream
    const busiest = all.events![0]!;
    const middle = busiest.requests[Math.floor(busiest.requests.length / 2)]!;
    const at = summary.startTime + middle.time;
    const ranged = await ask(MAX_EVENT_REQUESTS, { from: at, to: at });
    const same = ranged.events!.find((events) => events.stream === busiest.stream)!;
    expect(same.requests.map((request) => request.frame)).toEqual([middle.frame]);
    expect(same.requests[0]!.n).toBe(middle.n);
    expect(same.requestsLeftOut).toBe(busiest.requests.length - 1);
  });

  it('shares a budget so that every stream lists its own up to a common cap', () => {
    expect(requestCap([1000, 1, 1, 1], 20_000)).toBe(1000);
    expect(requestCap([1000, 1, 1, 1], 103)).toBe(100);
    expect(requestCap([5, 5, 5, 5], 10)).toBe(2);
    expect(requestCap([0, 0], 10)).toBe(0);
    expect(requestCap([3, 9], 1)).toBe(0);
  });
});
