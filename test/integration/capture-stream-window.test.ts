/**
 * capture.open with a window of streams and capture.streams paging, sorting and filtering in the
 * engine, checked against tshark's own stream list for a real capture (the corpus oracle).
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureMethods } from '@shared/api-capture';
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
