/**
 * The Compare view's sentences over REAL runs through the service (the lab's own HTTP/1.1 and
 * HTTP/2 servers on loopback): HTTP/2 against HTTP/2 says streams, stream slots, PINGs and GOAWAY;
 * HTTP/1.1 against HTTP/2 asks the same questions of both — connections, handshakes paid, requests
 * on one connection, waits — each side in its own protocol's words. No HTTP/1-only word (reused, pool,
 * handshakes saved) is ever said of an HTTP/2 run, in a label, its side of a sentence or its totals.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '@engine/service';
import type { HttpRunResult } from '@shared/api-http';
import type { Http2RunResult } from '@shared/api-http2';
import { compareRuns, differenceSentences, runTotals, type ComparedRun, type CompareLine } from '@shared/compare-runs';
import { oneConnectionH2 } from '@shared/lessons/one-connection-h2';
import { http1OnlyWordsIn } from '../../helpers/http1-only-words';

const http1 = (result: HttpRunResult): ComparedRun => ({ protocol: 'http1', result });
const http2 = (result: Http2RunResult): ComparedRun => ({ protocol: 'http2', result });

/** Everything said of the HTTP/2 side(s) of a comparison: labels, the HTTP/2 side's words, its totals. */
function http2Words(lines: readonly CompareLine[], sides: { a: boolean; b: boolean }): string {
  return lines.map((line) => [line.label, sides.a ? line.a : '', sides.b ? line.b : ''].join(' | ')).join('\n');
}

describe('comparing runs of any protocol', () => {
  let dataDir: string;
  let service: Service;
  let h1Tls: HttpRunResult;
  let oneConnection: Http2RunResult;
  let streamLimit: Http2RunResult;
  let h2c: Http2RunResult;
  let idleGoaway: Http2RunResult;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'keepalive-lab-compare-'));
    service = createService({ mode: 'cli', dataDir });
    const value = async <T>(answer: Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>) => {
      const settled = await answer;
      if (!settled.ok) throw new Error(settled.error.message);
      return settled.value as T;
    };
    const experiment = oneConnectionH2.experiment;
    if (experiment.kind !== 'http2' || !experiment.h1) throw new Error('the lesson compares HTTP/1.1 with HTTP/2');
    // the lesson's run A: 20 requests, 10 at a time, at most 6 connections, over TLS
    h1Tls = await value<HttpRunResult>(service.call('http.run', { config: experiment.h1.config }));
    oneConnection = await value<Http2RunResult>(service.call('http2.run', { preset: 'one-connection' }));
    streamLimit = await value<Http2RunResult>(service.call('http2.run', { preset: 'stream-limit' }));
    h2c = await value<Http2RunResult>(service.call('http2.run', { preset: 'one-connection', config: { tls: false, client: 'undici' } }));
    idleGoaway = await value<Http2RunResult>(service.call('http2.run', { preset: 'idle-goaway' }));
  }, 90_000);

  afterAll(async () => {
    await service?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('HTTP/2 against HTTP/2: most streams at once and the waits for a stream slot', () => {
    const lines = compareRuns(http2(oneConnection), http2(streamLimit));
    const sentences = differenceSentences(lines);
    expect(oneConnection.connections).toHaveLength(1);
    expect(streamLimit.connections).toHaveLength(1);
    expect(sentences.some((sentence) => sentence.startsWith('connections opened'))).toBe(false);
    // the lab's server counted 10 streams at once, then 5: its SETTINGS_MAX_CONCURRENT_STREAMS
    expect(sentences).toContain('most streams at once: 10 vs 5');
    expect(sentences).toContain(`waited for a stream slot: 0 vs ${streamLimit.waitedForSlot}`);
    expect(streamLimit.waitedForSlot).toBe(15);
    expect(sentences.some((sentence) => sentence.startsWith('run time'))).toBe(false);
    expect(compareRuns(http2(oneConnection), http2(oneConnection)).filter((line) => line.differs)).toEqual([]);
    expect(http1OnlyWordsIn(http2Words(lines, { a: true, b: true }))).toEqual([]);
  });

  it('HTTP/2 against HTTP/2: h2 against h2c with another client, and a GOAWAY with its error name', () => {
    const sentences = differenceSentences(compareRuns(http2(oneConnection), http2(h2c)));
    expect(sentences).toContain('protocol: HTTP/2 over TLS (h2) vs HTTP/2 in cleartext (h2c)');
    expect(sentences).toContain('client: node:http2 vs undici');
    const goaway = compareRuns(http2(oneConnection), http2(idleGoaway));
    const goawaySentences = differenceSentences(goaway);
    const ended = idleGoaway.connections.filter((connection) => connection.goaway !== null).length;
    expect(ended).toBeGreaterThan(0);
    expect(goawaySentences).toContain(`GOAWAY: none vs ${ended} (NO_ERROR)`);
    expect(goawaySentences).toContain(`connections opened: 1 vs ${idleGoaway.connections.length}`);
    expect(goawaySentences).toContain('requests: 20 vs 3');
    expect(goawaySentences).toContain('most streams on one connection: 20 vs 1');
    expect(goawaySentences.find((sentence) => sentence.startsWith('TLS handshakes resumed'))).toMatch(
      /^TLS handshakes resumed: 0 vs [1-9]/,
    );
    expect(http1OnlyWordsIn(http2Words(goaway, { a: true, b: true }))).toEqual([]);
  });

  it('HTTP/1.1 against HTTP/2: connections, handshakes paid, requests on one connection and waits, each in its own words', () => {
    const lines = compareRuns(http1(h1Tls), http2(oneConnection));
    const sentences = differenceSentences(lines);
    const pooled = h1Tls.requests.filter((request) => request.waitedForPool).length;
    const longestPoolWait = Math.round(Math.max(...h1Tls.requests.map((request) => request.waitedForPool?.ms ?? 0)));
    const perConnection = Math.max(...h1Tls.connections.map((connection) => connection.requests));
    expect(h1Tls.connectionsOpened).toBe(6);
    expect(pooled).toBeGreaterThan(0);
    expect(sentences).toEqual([
      'protocol: HTTP/1.1 over TLS vs HTTP/2 over TLS (h2)',
      'connections opened: 6 vs 1',
      'handshakes paid: 6 TCP + 6 TLS vs 1 TCP + 1 TLS',
      `requests on one connection: up to ${perConnection}, one at a time vs up to 20 streams, 10 at once`,
      `requests that waited: ${pooled} for a free connection (all 6 were busy), longest ${longestPoolWait} ms vs none for a stream slot`,
    ]);
    // the HTTP/2 side and every label: no HTTP/1-only word; the HTTP/1.1 side may speak of its pool
    expect(http1OnlyWordsIn(http2Words(lines, { a: false, b: true }))).toEqual([]);
    // the other way round: the HTTP/2 run as A
    const reversed = differenceSentences(compareRuns(http2(oneConnection), http1(h1Tls)));
    expect(reversed[1]).toBe('connections opened: 1 vs 6');
    expect(reversed[2]).toBe('handshakes paid: 1 TCP + 1 TLS vs 6 TCP + 6 TLS');
  });

  it('HTTP/1.1 against HTTP/2 with PINGs and GOAWAY: HTTP/1.1 is said to have no such frame', () => {
    const lines = compareRuns(http1(h1Tls), http2(idleGoaway));
    const goaway = lines.find((line) => line.field === 'goaways');
    expect(goaway).toMatchObject({ a: 'none (HTTP/1.1 has no GOAWAY frame)', differs: true });
    expect(goaway?.b).toMatch(/^\d+ \(NO_ERROR\)$/);
    expect(lines.find((line) => line.field === 'pings')).toBeUndefined();
    expect(http1OnlyWordsIn(http2Words(lines, { a: false, b: true }))).toEqual([]);
  });

  it('HTTP/1.1 against HTTP/1.1 keeps its words: reuse, handshakes saved, the requests that waited for a free connection', () => {
    const labels = compareRuns(http1(h1Tls), http1(h1Tls)).map((line) => line.label);
    expect(labels).toEqual([
      'connections opened',
      'reuse',
      'handshakes saved',
      'most open at once',
      'errors',
      'TLS handshakes resumed',
      'requests that waited',
      'run time',
    ]);
  });

  it('totals an HTTP/2 run in HTTP/2 words', () => {
    const totals = Object.fromEntries(runTotals(http2(streamLimit)).map((line) => [line.label, line.value]));
    expect(totals).toMatchObject({
      Requests: '20',
      Failed: '0',
      'Connections opened': '1',
      'Streams on one connection': 'up to 20 streams, 5 at once',
      PINGs: '0',
      GOAWAY: 'none',
    });
    expect(totals['Waited for a stream slot']).toMatch(/^15, the longest \d+ ms$/);
    expect(totals['Run time']).toMatch(/^\d+ ms$/);
    const said = [streamLimit, idleGoaway, h2c].flatMap((run) => runTotals(http2(run)).map((line) => `${line.label}: ${line.value}`));
    expect(http1OnlyWordsIn(said.join('\n'))).toEqual([]);
  });
});
