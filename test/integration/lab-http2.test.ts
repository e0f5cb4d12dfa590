/**
 * The HTTP/2 lab on real loopback sockets, against its embedded node:http2 server (over TLS with
 * ALPN, and h2c) and against nginx with TLS and HTTP/2: one connection carries every request as its
 * own stream; a concurrent-stream limit makes requests wait, not dial; an unread body costs a stream's
 * window, not a connection; an idle timeout ends a connection with GOAWAY and the next one resumes the
 * TLS session; PINGs faster than the server allows are answered with GOAWAY ENHANCE_YOUR_CALM.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nginxAvailable, startNginx } from '@engine/lab/http-nginx';
import { runHttp2Loop, type Http2LoopConfig, type Http2LoopResult } from '@engine/lab/http2-loop';
import { startHttp2LabServer, type Http2LabServer, type Http2ServerConfig } from '@engine/lab/http2-server';
import { makeLabCertificate } from '@engine/lab/tls-certificate';

const certificate = makeLabCertificate();
const SERVER: Http2ServerConfig = {
  certificate,
  maxConcurrentStreams: 100,
  idleTimeoutMs: null,
  maxPingsPerWindow: null,
  pingWindowMs: 1000,
  responseBytes: 2000,
  delayMs: 0,
};
const LOOP: Omit<Http2LoopConfig, 'url'> = {
  ca: certificate.cert,
  requests: 10,
  concurrency: 1,
  body: 'drain',
  pingIntervalMs: null,
  pauseMs: 0,
  resumeSessions: true,
  timeoutMs: 10_000,
  waitForSettings: true,
};

const servers: Http2LabServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(overrides: Partial<Http2ServerConfig> = {}): Promise<Http2LabServer> {
  const server = await startHttp2LabServer({ ...SERVER, ...overrides });
  servers.push(server);
  return server;
}

/** Every request index answered exactly once with 200. */
function expectAllAnswered(result: Http2LoopResult, count: number): void {
  const answered = result.requests.filter((request) => request.status === 200 && request.error === null).map((request) => request.index);
  expect(answered.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, index) => index));
}

describe('HTTP/2 lab', () => {
  it('carries 10 sequential requests on one TLS connection as streams 1, 3, 5, …, with TLS 1.3 and ALPN h2', async () => {
    const server = await serve();
    const result = await runHttp2Loop({ ...LOOP, url: server.url });
    expectAllAnswered(result, 10);
    expect(result.connections).toHaveLength(1);
    expect(result.requests.map((request) => request.stream)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(result.connections[0]!.tls).toMatchObject({ version: 'TLS 1.3', alpn: 'h2', resumed: false });
    expect(result.connections[0]!.connectMs).toBeGreaterThan(0);
    expect(server.sessions).toHaveLength(1);
    expect(server.sessions[0]!.streams).toBe(10);
  });

  it("makes requests past the server's concurrent-stream limit wait on the same connection instead of opening another (h2c)", async () => {
    const server = await serve({ certificate: null, maxConcurrentStreams: 5, delayMs: 60 });
    const result = await runHttp2Loop({ ...LOOP, ca: null, url: server.url, requests: 20, concurrency: 20, receivedAt: server.receivedAt });
    expectAllAnswered(result, 20);
    expect(result.connections).toHaveLength(1);
    expect(result.connections[0]!.serverMaxConcurrentStreams).toBe(5);
    expect(server.sessions[0]!.maxConcurrent).toBe(5);
    // 15 of the 20 waited at least one response time (60 ms) for a slot
    const waited = result.requests.filter((request) => (request.queuedMs ?? 0) >= 50);
    expect(waited.length).toBeGreaterThanOrEqual(15);
  });

  it("sends a burst before the server's SETTINGS arrive; streams it refuses are sent again and every request is answered", async () => {
    const server = await serve({ certificate: null, maxConcurrentStreams: 2, delayMs: 30 });
    const result = await runHttp2Loop({ ...LOOP, ca: null, url: server.url, requests: 12, concurrency: 12, waitForSettings: false });
    expectAllAnswered(result, 12);
    expect(result.connections).toHaveLength(1);
    const refused = result.requests.filter((request) => request.error?.includes('REFUSED_STREAM'));
    for (const attempt of refused) expect(result.requests.some((request) => request.index === attempt.index && request.retried)).toBe(true);
  });

  it('keeps one connection when response bodies are left unread: the unread body holds its stream, not the connection', async () => {
    const server = await serve({ certificate: null, responseBytes: 100_000 });
    const result = await runHttp2Loop({ ...LOOP, ca: null, url: server.url, body: 'ignore' });
    expect(result.requests.filter((request) => request.status === 200)).toHaveLength(10);
    expect(result.connections).toHaveLength(1);
    expect(server.sessions).toHaveLength(1);
  });

  it("opens a new connection after the server's idle GOAWAY, and that connection resumes the TLS session", async () => {
    const server = await serve({ idleTimeoutMs: 150 });
    const result = await runHttp2Loop({ ...LOOP, url: server.url, requests: 3, pauseMs: 400 });
    expectAllAnswered(result, 3);
    expect(result.connections).toHaveLength(3);
    const [first, second] = result.connections;
    expect(first!.goaway).toMatchObject({ error: 'NO_ERROR', lastStreamId: 1 });
    expect(second!.openedBecause).toBe('after-goaway');
    expect(first!.tls!.resumed).toBe(false);
    expect(second!.tls!.resumed).toBe(true);
    expect(server.sessions.every((session) => session.goaway === null || session.goaway.reason === 'idle')).toBe(true);
  });

  it('gets GOAWAY ENHANCE_YOUR_CALM "too_many_pings" when it PINGs faster than the server allows, and carries on on a new connection', async () => {
    const server = await serve({ certificate: null, maxPingsPerWindow: 2, pingWindowMs: 1000 });
    const result = await runHttp2Loop({ ...LOOP, ca: null, url: server.url, requests: 6, pauseMs: 100, pingIntervalMs: 40 });
    expectAllAnswered(result, 6);
    const calm = result.connections.find((connection) => connection.goaway?.errorCode === 11);
    expect(calm?.goaway).toMatchObject({ error: 'ENHANCE_YOUR_CALM', debug: 'too_many_pings' });
    expect(calm!.pings.some((ping) => ping.rttMs !== null)).toBe(true);
    expect(result.connections.length).toBeGreaterThan(1);
    expect(result.connections[1]!.openedBecause).toBe('after-goaway');
    expect(server.sessions.some((session) => session.goaway?.reason === 'too-many-pings')).toBe(true);
  });

  it.runIf(nginxAvailable())('talks HTTP/2 over TLS to nginx: one connection, ALPN h2, every request its own stream', async () => {
    const nginx = await startNginx({ tls: { cert: certificate.cert, key: certificate.key, http2: true } });
    try {
      const result = await runHttp2Loop({ ...LOOP, url: nginx.url.replace(/\/$/, ''), requests: 10, concurrency: 4 });
      expectAllAnswered(result, 10);
      expect(result.connections).toHaveLength(1);
      expect(result.connections[0]!.tls).toMatchObject({ alpn: 'h2' });
      expect(new Set(result.requests.map((request) => request.stream)).size).toBe(10);
    } finally {
      await nginx.stop();
    }
  });
});
