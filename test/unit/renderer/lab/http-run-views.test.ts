/**
 * The HTTP lab's view models over REAL runs of the engine (embedded server on a
 * loopback port 0, http.Agent): counters, the per-request table, the explanations,
 * the timer verdicts and the compare lines must read the contract's shapes as the
 * engine actually fills them.
 */
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HttpRunResult } from '@shared/api-http';
import { runHttpLoop } from '@engine/lab/http-loop';
import { compareRuns, differenceSentences, runTotals } from '@shared/compare-runs';
import { defaultPair, keepRun, MAX_KEPT_RUNS, sharedScale } from '@renderer/features/lab/compare-model';
import { countersFromResult, countersFromStats, EMPTY_COUNTERS } from '@renderer/features/lab/http-counters';
import { explainHttpRun, runFailure, timerVerdicts } from '@renderer/features/lab/http-explain';
import { formFromPreset } from '@renderer/features/lab/http-form-model';
import { requestRows } from '@renderer/features/lab/request-rows';
import { sessionToTimeline } from '@renderer/features/timeline/session-to-timeline';

describe('HTTP lab views of real runs', () => {
  let drained: HttpRunResult;
  let ignored: HttpRunResult;
  const liveStats: Record<string, number>[] = [];

  beforeAll(async () => {
    drained = await runHttpLoop(formFromPreset({ requests: 10, body: 'drain' }).form, { onStats: (stats) => liveStats.push(stats) });
    ignored = await runHttpLoop(formFromPreset({ requests: 10, body: 'ignore' }).form);
  }, 30_000);

  it('counts 1 connection and 9 handshakes saved when bodies are drained, 10 and 0 when ignored', () => {
    expect(countersFromResult(drained)).toMatchObject({
      done: 10,
      total: 10,
      connectionsOpened: 1,
      reused: 9,
      reusePercent: 90,
      handshakesSaved: 9,
      openNow: 0,
      maxOpen: 1,
      errors: 0,
    });
    expect(countersFromResult(ignored)).toMatchObject({
      connectionsOpened: 10,
      reused: 0,
      reusePercent: 0,
      handshakesSaved: 0,
      maxOpen: 10,
    });
  });

  it('reads the live stats the engine pushes, ending at the final figures', () => {
    expect(liveStats.length).toBe(10);
    const live = liveStats.map((stats) => countersFromStats(stats));
    expect(live.map((counters) => counters.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(live.at(-1)).toMatchObject({ connectionsOpened: 1, reused: 9, reusePercent: 90, total: 10 });
    expect(countersFromStats(null)).toEqual(EMPTY_COUNTERS);
  });

  it('lists one row per request with its connection, new or reused, and timings in ms', () => {
    const rows = requestRows(drained.session.events);
    expect(rows.map((row) => row.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows.map((row) => row.connectionKind)).toEqual(['new', ...Array(9).fill('reused')]);
    expect(new Set(rows.map((row) => row.connection))).toEqual(new Set(['c1']));
    expect(rows.every((row) => row.outcome === '200' && !row.failed)).toBe(true);
    expect(rows[0]?.connectMs).toBeGreaterThan(0);
    expect(rows[1]?.connectMs).toBeNull();
    for (const row of rows) expect(row.totalMs).toBeGreaterThanOrEqual(row.firstByteMs ?? 0);
    expect(new Set(requestRows(ignored.session.events).map((row) => row.connection)).size).toBe(10);
  });

  it('explains reuse for the drained run and the undrained body for the ignored one, with the figures filled in', () => {
    const drainedKinds = explainHttpRun(drained).map((explanation) => explanation.kind);
    expect(drainedKinds).toEqual(['connection-reused']);
    const [notDrained] = explainHttpRun(ignored);
    expect(notDrained?.kind).toBe('new-connection-body-not-drained');
    expect(notDrained?.whatYouSee).toContain('10 connections for 10 requests');
    expect(notDrained?.whyConcluded).toContain('(ignore)');
    expect(notDrained?.missing).toEqual([]);
    expect(runFailure(drained)).toBeNull();
  });

  it('groups the timer verdicts: the same verdict for every connection is one line', () => {
    const verdicts = timerVerdicts(ignored);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]?.connections).toHaveLength(10);
    expect(verdicts[0]?.headline).toBe('server first, after 5 s');
  });

  it('says "connections opened: 1 vs 10" when comparing, and puts both timelines on one scale', () => {
    const http1 = (result: HttpRunResult) => ({ protocol: 'http1' as const, result });
    const sentences = differenceSentences(compareRuns(http1(drained), http1(ignored)));
    expect(sentences).toContain('connections opened: 1 vs 10');
    expect(sentences).toContain('reuse: 90 % vs 0 %');
    expect(sentences.some((sentence) => sentence.startsWith('run time'))).toBe(false);
    expect(compareRuns(http1(drained), http1(drained)).every((line) => !line.differs)).toBe(true);
    const [a, b] = sharedScale(sessionToTimeline(drained.session), sessionToTimeline(ignored.session));
    expect(a.startUs).toBe(b.startUs);
    expect(a.endUs).toBe(b.endUs);
    expect(a.endUs).toBeGreaterThanOrEqual(Math.max(sessionToTimeline(drained.session).endUs, sessionToTimeline(ignored.session).endUs));
  });

  it('keeps the page’s runs numbered and titled for comparing any two, custom or not, with their totals', () => {
    const http1 = (result: HttpRunResult) => ({ protocol: 'http1' as const, result });
    let runs = keepRun([], http1(drained), 'Drained body');
    expect(defaultPair(runs)).toBeNull();
    runs = keepRun(runs, http1(ignored), null);
    expect(runs.map((run) => run.title)).toEqual(['Run 1 · Drained body', 'Run 2 · Custom settings']);
    expect(defaultPair(runs)).toEqual([1, 2]);
    for (let index = 0; index < MAX_KEPT_RUNS; index++) runs = keepRun(runs, http1(drained), 'Drained body');
    expect(runs).toHaveLength(MAX_KEPT_RUNS);
    expect(runs.at(-1)?.number).toBe(MAX_KEPT_RUNS + 2);
    const totals = Object.fromEntries(runTotals(http1(ignored)).map((line) => [line.label, line.value]));
    expect(totals).toMatchObject({ Requests: '10', Failed: '0', 'Connections opened': '10' });
    expect(totals['Run time']).toMatch(/^\d+ ms$/);
  });
});

/** A loopback port that was just free: listen on port 0, note the port, close. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('requests that waited for the only connection', () => {
  it('undici with connections 1 (a single Client, no queue count): 6 of 8 waited, in undici’s own words', async () => {
    const run = await runHttpLoop(
      formFromPreset({ requests: 8, concurrency: 4, client: 'undici', undici: { connections: 1 }, server: { headersDelayMs: 20 } }).form,
    );
    const card = explainHttpRun(run).find((explanation) => explanation.kind === 'queued-above-max-sockets');
    expect(card?.title).toBe('Requests queued above the connection limit (undici’s connections)');
    expect(card?.whyConcluded).toMatch(
      /^6 requests waited because every connection allowed \(undici’s connections = 1\) was busy; the longest wait was /,
    );
    expect(card?.tryNext).toMatch(/^Raise undici’s connections or lower concurrency/);
  }, 30_000);
});

describe('a run whose every request failed', () => {
  it('becomes one readable sentence naming the target and the error', async () => {
    const port = await closedPort();
    const refused = await runHttpLoop(formFromPreset({ url: `http://127.0.0.1:${port}/`, requests: 2 }).form);
    expect(runFailure(refused)).toBe(
      `All 2 requests to http://127.0.0.1:${port}/ failed: connect ECONNREFUSED 127.0.0.1:${port} (ECONNREFUSED).`,
    );
    expect(explainHttpRun(refused)).toEqual([]);
  }, 30_000);
});

describe('TLS runs explained with their own figures', () => {
  it('ten unread bodies over HTTPS: a handshake per connection, nine resumed; drained: one handshake for all ten', async () => {
    const ignoredTls = await runHttpLoop(formFromPreset({ tls: true, requests: 10, body: 'ignore' }).form);
    const drainedTls = await runHttpLoop(formFromPreset({ tls: true, requests: 10, body: 'drain' }).form);
    const ignoredCards = explainHttpRun(ignoredTls);
    expect(ignoredCards.map((card) => card.kind)).toEqual(['new-connection-body-not-drained', 'tls-handshakes', 'tls-resumption']);
    const cost = ignoredCards[1]!;
    expect(cost.whatYouSee).toMatch(
      /^Each of the 10 new connections paid a TCP connect \(\d+(\.\d+)? ms\) and a TLS 1\.3 handshake \(\d+(\.\d+)? ms, medians\) before its first request: \d+(\.\d+)? ms in all\. Kept alive, 1 handshake would serve all 10 requests\.$/,
    );
    expect(ignoredCards[2]!.whatYouSee).toMatch(
      /^All 9 later handshakes resumed an earlier session and took [\d.]+ ms \(median\) instead of the [\d.]+ ms of a full handshake\.$/,
    );
    const drainedCards = explainHttpRun(drainedTls);
    expect(drainedCards.map((card) => card.kind)).toEqual(['connection-reused', 'tls-handshake-reused']);
    expect(drainedCards[1]!.whatYouSee).toMatch(
      /^1 connection carried 10 requests: one TCP connect \([\d.]+ ms\) and one TLS 1\.3 handshake \([\d.]+ ms\) per connection; the other 9 requests needed neither\.$/,
    );
    // a cleartext run shows none of them
    expect(explainHttpRun(await runHttpLoop(formFromPreset({ requests: 2 }).form)).some((card) => card.kind.startsWith('tls-'))).toBe(
      false,
    );
  }, 30_000);
});
