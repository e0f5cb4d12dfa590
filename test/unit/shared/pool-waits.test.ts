/**
 * The one count of requests that waited for a free connection (src/shared/pool-waits.ts), over the
 * events of a real lab run (pool-waits-recorded-run.ts), a real browser HAR, and the pool events the
 * TCP pool experiment records; and the words every screen says it with.
 */
import { describe, expect, it } from 'vitest';
import { exampleHarFile } from '@engine/examples/example-files';
import { importHarFile } from '@engine/har/import-har';
import { harMetrics } from '@shared/har-metrics';
import { poolWaits, poolWaitWords } from '@shared/pool-waits';
import type { TraceEvent } from '@shared/trace';
import { RECORDED_MAX_SOCKETS, RECORDED_REQUESTS_ENDED } from './pool-waits-recorded-run';

const ended = (events: readonly TraceEvent[]) => events.flatMap((event) => (event.kind === 'request-ended' ? [event] : []));

describe('poolWaits', () => {
  it('counts the requests the agent queued, not the ones that opened a connection after a slow start', () => {
    const events = ended(RECORDED_REQUESTS_ENDED);
    const queued = events.filter((event) => event.waitedForPoolUs !== undefined);
    const dialled = events.filter((event) => event.timings.connectUs !== null);
    expect(events).toHaveLength(20);
    expect(dialled).toHaveLength(RECORDED_MAX_SOCKETS);
    // the old card's rule (queuedUs over 5 ms) also caught the requests that dialled: all 20
    expect(events.filter((event) => (event.timings.queuedUs ?? 0) > 5000)).toHaveLength(20);
    expect(dialled.every((event) => event.waitedForPoolUs === undefined)).toBe(true);

    const waits = poolWaits({ events: RECORDED_REQUESTS_ENDED });
    expect(waits.requests).toBe(queued.length);
    expect(waits.requests).toBe(20 - RECORDED_MAX_SOCKETS);
    // 45.936 ms, request 20's wait: the last one the agent queued
    expect(waits.longestMs).toBe(46);
  });

  it('a run where nobody waited says so: zero and no longest wait', () => {
    const notQueued = RECORDED_REQUESTS_ENDED.map((event) => {
      if (event.kind !== 'request-ended') return event;
      const { waitedForPoolUs: _ignored, ...rest } = event;
      return rest;
    });
    expect(poolWaits({ events: notQueued })).toEqual({ requests: 0, longestMs: null });
  });

  it('a browser HAR: the same requests as the HAR view counts, each once (pool-waited and waitedForPoolUs name the same request)', async () => {
    const har = await importHarFile(exampleHarFile('browser-page-load'));
    const counted = harMetrics(har).poolWaits;
    expect(counted).toBeGreaterThan(0);
    expect(poolWaits(har.session).requests).toBe(counted);
    const longest = Math.max(...har.requests.flatMap((request) => (request.waitedForPool ? [request.waitedForPool.ms] : [])));
    expect(poolWaits(har.session).longestMs).toBe(Math.round(longest));
  });

  it('pools that name no request (the TCP pool, the proxy): each pool-waited is one wait, the longest from pool-acquired', () => {
    const events: TraceEvent[] = [
      { kind: 'pool-waited', waiting: 1, t: 1_000 },
      { kind: 'pool-acquired', conn: 'c1', reused: true, waitedUs: 12_400, t: 13_400 },
      { kind: 'pool-waited', waiting: 2, t: 2_000 },
      { kind: 'pool-acquired', conn: 'c1', reused: true, waitedUs: 30_600, t: 32_600 },
    ];
    expect(poolWaits({ events })).toEqual({ requests: 2, longestMs: 31 });
  });
});

describe('poolWaitWords', () => {
  it('says how many waited and that every connection allowed was busy', () => {
    expect(poolWaitWords(14, 6)).toBe('14 for a free connection (all 6 were busy)');
    expect(poolWaitWords(8, 2)).toBe('8 for a free connection (both were busy)');
    expect(poolWaitWords(3, 1)).toBe('3 for a free connection (the only one was busy)');
    expect(poolWaitWords(3, null)).toBe('3 for a free connection');
    expect(poolWaitWords(0, 6)).toBe('none for a free connection');
  });
});
