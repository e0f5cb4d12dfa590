/**
 * One HTTP/2 lab run, as the service and the CLI start it: the embedded HTTP/2 server (over TLS
 * with a certificate made for this run, or h2c) unless a URL is given, the steady-concurrency
 * client (http2-loop.ts), and the outcome as an `Http2RunResult` with its trace Session.
 */
import { randomUUID } from 'node:crypto';
import type { Http2RunConfig, Http2RunResult } from '@shared/api-http2';
import type { Session } from '@shared/trace';
import { runHttp2Loop, type Http2LoopResult, type Http2LoopState } from './http2-loop';
import { runUndiciH2Loop } from './http2-undici';
import { startHttp2LabServer, type Http2LabServer } from './http2-server';
import { http2Session } from './http2-trace';
import { makeLabCertificate } from './tls-certificate';

export interface Http2RunOptions {
  signal?: AbortSignal;
  /** the session's id (the service passes the job id) */
  runId?: string;
  /** attempts ended so far of `total` requests (retries count as attempts) */
  onProgress?: (done: number, total: number) => void;
  /**
   * given once, as the run starts: `read()` returns the run so far as a Session (connections that
   * finished their handshakes, requests that ended) and its figures, for a caller that streams it live
   */
  onLive?: (read: () => Http2LiveView) => void;
}

export interface Http2LiveView {
  session: Session;
  stats: Record<string, number | null>;
}

export async function runHttp2(config: Http2RunConfig, options: Http2RunOptions = {}): Promise<Http2RunResult> {
  const epochMs = Date.now();
  const certificate = config.url === null && config.tls ? makeLabCertificate() : null;
  let server: Http2LabServer | null = null;
  if (config.url === null) {
    server = await startHttp2LabServer({
      certificate,
      maxConcurrentStreams: config.server.maxConcurrentStreams,
      idleTimeoutMs: config.server.idleTimeoutMs,
      maxPingsPerWindow: config.server.maxPingsPerWindow,
      pingWindowMs: config.server.pingWindowMs,
      responseBytes: config.server.responseBytes,
      delayMs: config.server.delayMs,
    });
  }
  const target = server?.url ?? (config.url as string).replace(/\/$/, '');
  let done = 0;
  let loop: Http2LoopResult;
  const meta = { id: options.runId ?? randomUUID(), epochMs };
  const runLoop = config.client === 'undici' ? runUndiciH2Loop : runHttp2Loop;
  try {
    loop = await runLoop({
      url: target,
      ca: certificate?.cert ?? null,
      requests: config.requests,
      concurrency: config.concurrency,
      body: config.body,
      pingIntervalMs: config.pingIntervalMs,
      pauseMs: config.pauseMs,
      resumeSessions: config.resumeSessions,
      waitForSettings: config.waitForSettings,
      timeoutMs: config.timeoutMs,
      ...(server ? { receivedAt: server.receivedAt, servedStreams: server.servedStreams } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onRequestEnded: () => options.onProgress?.((done += 1), config.requests),
      observe: (state) => options.onLive?.(() => liveView(config, target, state, meta)),
    });
  } finally {
    await server?.close();
  }
  if (config.client === 'undici' && server) withServerRecord(loop, server);
  return toResult(config, target, loop, server, meta);
}

/**
 * What undici does not expose, from the embedded server's record of the same connection (matched by
 * the client's port): the most streams open at once on it, and the GOAWAY's last stream id and debug data.
 */
function withServerRecord(loop: Http2LoopResult, server: Http2LabServer): void {
  for (const connection of loop.connections) {
    const served = server.sessions.find((session) => session.remotePort === connection.localPort);
    if (!served) continue;
    connection.maxConcurrent = served.maxConcurrent;
    if (connection.goaway && served.goaway) {
      connection.goaway.lastStreamId = served.goaway.lastStreamId;
      if (served.goaway.reason === 'too-many-pings') connection.goaway.debug = 'too_many_pings';
    }
  }
}

/**
 * The run so far, from the loop's records: what is final already. A request still in flight, a
 * connection still in its handshakes and a PING not yet answered are left for a later read (their
 * figures would change), so every event read here is the same as in the run's final session.
 */
function liveView(config: Http2RunConfig, target: string, state: Http2LoopState, meta: { id: string; epochMs: number }): Http2LiveView {
  const overTls = target.startsWith('https:');
  const ready = state.connections.filter((connection) => connection.localPort > 0 && (!overTls || connection.tls !== null));
  const loop: Http2LoopResult = {
    connections: ready.map((connection) => ({ ...connection, pings: connection.pings.filter((ping) => ping.rttMs !== null) })),
    requests: [...state.requests].sort((a, b) => a.startMs - b.startMs),
    durationMs: state.now(),
  };
  const { session, figures } = describe(config, target, loop, meta);
  // the session draws an in-flight request as ended where it started: its events wait for its end
  // (every attempt of that request: the events of an attempt are named by the request's index)
  const inFlight = new Set(state.requests.filter((request) => request.endMs === null).map((request) => `r${request.index}`));
  const known = new Set(session.connections.map((connection) => connection.id));
  const events = session.events.filter((event) => {
    if ((event.kind === 'request-started' || event.kind === 'request-ended') && inFlight.has(event.request.split('.')[0] ?? ''))
      return false;
    if ('conn' in event && typeof event.conn === 'string') return known.has(event.conn);
    return true;
  });
  return { session: { ...session, events }, stats: figures };
}

/** The run's connections and requests as the contract names them, its figures and its Session. */
function describe(
  config: Http2RunConfig,
  target: string,
  loop: Http2LoopResult,
  meta: { id: string; epochMs: number },
  server: Http2LabServer | null = null,
) {
  const connections = loop.connections.map((connection) => ({ ...connection, id: `c${connection.id}` }));
  const requests = loop.requests.map(({ connection, ...request }, position) => ({
    ...request,
    queuedMs: waitedForSlot(loop, position, config.url === null ? config.server.maxConcurrentStreams : null) ? request.queuedMs : null,
    connection: connection > 0 ? `c${connection}` : null,
  }));
  const answered = new Set(requests.filter((request) => request.error === null && request.status !== null).map((request) => request.index));
  const waits = requests.map((request) => request.queuedMs).filter((ms): ms is number => ms !== null);
  const figures = {
    connectionsOpened: connections.length,
    answered: answered.size,
    errors: requests.filter((request) => request.error !== null).length,
    maxConcurrentStreams: Math.max(0, ...connections.map((connection) => connection.maxConcurrent)),
    waitedForSlot: waits.length,
    longestWaitMs: waits.length > 0 ? Math.max(...waits) : null,
    goaways: connections.filter((connection) => connection.goaway !== null).length,
    pings: connections.reduce((sum, connection) => sum + connection.pings.length, 0),
    resumed: connections.filter((connection) => connection.tls?.resumed === true).length,
  };
  // the run's own records ride in the session, so a report read later speaks of streams, PINGs and GOAWAY (report/http2-report.ts)
  const http2 = {
    target,
    connections,
    requests,
    server: server ? server.sessions.map((served) => ({ ...served })) : null,
    durationMs: loop.durationMs,
  };
  const session = http2Session({ ...meta, target, config, connections, requests, summary: { ...figures, http2 } });
  return { connections, requests, figures, session };
}

function toResult(
  config: Http2RunConfig,
  target: string,
  loop: Http2LoopResult,
  server: Http2LabServer | null,
  meta: { id: string; epochMs: number },
): Http2RunResult {
  const { connections, requests, figures, session } = describe(config, target, loop, meta, server);
  return {
    config,
    target,
    connections,
    requests,
    answered: figures.answered,
    errors: figures.errors,
    maxConcurrentStreams: figures.maxConcurrentStreams,
    waitedForSlot: figures.waitedForSlot,
    longestWaitMs: figures.longestWaitMs,
    durationMs: loop.durationMs,
    server: server ? server.sessions.map((served) => ({ ...served })) : null,
    session,
  };
}

/**
 * Whether the request at `position` (requests sorted by start) had to wait for a stream slot: when it
 * started, its connection already had as many of this run's streams in flight as the server allows.
 * Otherwise its send-to-receive time is plain latency, not a wait, and is not reported as one.
 */
function waitedForSlot(loop: Http2LoopResult, position: number, announced: number | null): boolean {
  const request = loop.requests[position];
  // the limit the client saw in SETTINGS; undici does not expose it: then the one the embedded server announced
  const limit = loop.connections.find((connection) => connection.id === request?.connection)?.serverMaxConcurrentStreams ?? announced;
  if (!request || limit === null || request.queuedMs === null) return false;
  const inFlight = loop.requests
    .slice(0, position)
    .filter((other) => other.connection === request.connection && (other.endMs === null || other.endMs > request.startMs)).length;
  return inFlight >= limit;
}
