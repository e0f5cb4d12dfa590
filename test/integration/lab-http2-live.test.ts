/**
 * The HTTP/2 lab streams while it runs (services/http2.ts), for both clients, on real loopback
 * sockets: trace batches and figures arrive under the job id before the run returns, their events
 * are the final session's events (none changed, none sent twice), and `job.cancel` mid-run stops it
 * with what was streamed so far. Then what undici with `allowH2` does differently, measured.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '@shared/api';
import type { TraceEvent } from '@shared/trace';
import { nginxAvailable, startNginx } from '@engine/lab/http-nginx';
import { runUndiciH2Loop } from '@engine/lab/http2-undici';
import { makeLabCertificate } from '@engine/lab/tls-certificate';
import { runHttp2, servicesDisposedAfterEach } from './helpers/http2-service';

const open = servicesDisposedAfterEach();

/** Waits (bounded) until `events` holds one that matches. */
async function until(events: EngineEvent[], match: (event: EngineEvent) => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!events.some(match)) {
    if (Date.now() > deadline) throw new Error('no such event in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An event as text with its keys sorted: the result passed the contract's schema, which orders keys its own way. */
const canonical = (event: TraceEvent): string =>
  JSON.stringify(event, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );

const streamed = (events: EngineEvent[], jobId: string): TraceEvent[] =>
  events.flatMap((event) => (event.kind === 'trace-appended' && event.jobId === jobId ? event.events : []));

describe('the HTTP/2 lab streams its trace live', () => {
  for (const client of ['node-http2', 'undici'] as const) {
    it(`${client}: batches arrive while it runs; together they are exactly the final trace`, async () => {
      const { service, events } = open();
      const jobId = `h2-live-${client}`;
      const running = runHttp2(service, { config: { client, requests: 12, concurrency: 2, pauseMs: 60 }, jobId });
      // a request ended while the run still goes: pushed before the result came back
      await until(
        events,
        (event) => event.kind === 'trace-appended' && event.jobId === jobId && event.events.some((e) => e.kind === 'request-ended'),
      );
      await until(events, (event) => event.kind === 'stats-updated' && event.jobId === jobId);
      const result = await running;
      const batches = events.filter((event) => event.kind === 'trace-appended' && event.jobId === jobId);
      expect(batches.length).toBeGreaterThan(1);
      const keys = streamed(events, jobId).map(canonical);
      expect(new Set(keys).size).toBe(keys.length);
      expect(new Set(keys)).toEqual(new Set(result.session.events.map(canonical)));
      expect(result.answered).toBe(12);
    });
  }

  it('job.cancel mid-run: the run returns early with what it streamed', async () => {
    const { service, events } = open();
    const running = runHttp2(service, { config: { client: 'undici', requests: 200, pauseMs: 100 }, jobId: 'h2-live-cancel' });
    await until(
      events,
      (event) =>
        event.kind === 'trace-appended' && event.jobId === 'h2-live-cancel' && event.events.some((e) => e.kind === 'request-ended'),
    );
    expect(await service.call('job.cancel', { jobId: 'h2-live-cancel' })).toEqual({ ok: true, value: { cancelled: true } });
    const result = await running;
    expect(result.answered).toBeGreaterThan(0);
    expect(result.answered).toBeLessThan(200);
    const ended = streamed(events, 'h2-live-cancel').filter((event) => event.kind === 'request-ended');
    expect(ended.length).toBe(result.requests.length);
  });
});

describe('undici with allowH2 against the embedded server', () => {
  it('over TLS trusting the run’s certificate: one connection, ALPN h2, stream ids from the server’s record', async () => {
    const { service } = open();
    const result = await runHttp2(service, { preset: 'one-connection', config: { client: 'undici' } });
    expect(result.answered).toBe(20);
    expect(result.connections).toHaveLength(1);
    expect(result.connections[0]).toMatchObject({ tls: { version: 'TLS 1.3', alpn: 'h2' } });
    expect(result.connections[0]!.maxConcurrent).toBeGreaterThan(1);
    expect(result.requests.every((request) => request.streamFrom === 'server' && request.connection === 'c1')).toBe(true);
    expect(new Set(result.requests.map((request) => request.stream)).size).toBe(20);
  });

  it('past the server’s stream limit undici does not queue: the server refuses the extra streams and undici does not resend them', async () => {
    const { service } = open();
    const result = await runHttp2(service, { preset: 'stream-limit', config: { client: 'undici' } });
    expect(result.connections).toHaveLength(1);
    expect(result.server![0]!.maxConcurrent).toBe(5);
    const refused = result.requests.filter((request) => request.error?.includes('REFUSED_STREAM'));
    expect(refused.length).toBeGreaterThan(0);
    expect(result.answered + refused.length).toBe(20);
    expect(result.requests.every((request) => !request.retried)).toBe(true);
  });

  it('GOAWAY too_many_pings: undici opens a new connection; the last stream id is the server’s', async () => {
    const { service } = open();
    const result = await runHttp2(service, { preset: 'too-many-pings', config: { client: 'undici' } });
    const ended = result.connections.filter((connection) => connection.goaway !== null);
    expect(ended.length).toBeGreaterThan(0);
    expect(ended[0]!.goaway).toMatchObject({ error: 'ENHANCE_YOUR_CALM', debug: 'too_many_pings' });
    expect(ended[0]!.goaway!.lastStreamId).toBe(result.server![0]!.goaway!.lastStreamId);
    expect(result.connections[1]!.openedBecause).toBe('after-goaway');
    expect(result.connections.every((connection) => connection.pings.every((ping) => ping.rttMs !== null))).toBe(true);
  });

  it.runIf(nginxAvailable())('against nginx (listen … ssl http2): one connection, ALPN h2, no stream id invented', async () => {
    const certificate = makeLabCertificate();
    const nginx = await startNginx({ tls: { cert: certificate.cert, key: certificate.key, http2: true } });
    try {
      const result = await runUndiciH2Loop({
        url: nginx.url.replace(/\/$/, ''),
        ca: certificate.cert,
        requests: 10,
        concurrency: 4,
        body: 'drain',
        pingIntervalMs: null,
        pauseMs: 0,
        resumeSessions: true,
        waitForSettings: true,
        timeoutMs: 10_000,
      });
      expect(result.requests.filter((request) => request.status === 200)).toHaveLength(10);
      expect(result.connections).toHaveLength(1);
      expect(result.connections[0]!.tls).toMatchObject({ alpn: 'h2' });
      expect(result.connections[0]!.connectMs).not.toBeNull();
      // undici exposes no stream id and nginx keeps no record the lab reads: said as null, not made up
      expect(result.requests.every((request) => request.stream === null && request.streamFrom === null)).toBe(true);
    } finally {
      await nginx.stop();
    }
  });
});
