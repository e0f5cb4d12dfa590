/**
 * One HTTP/2 lab run, as the service and the CLI start it: the embedded HTTP/2 server (over TLS
 * with a certificate made for this run, or h2c) unless a URL is given, the steady-concurrency
 * client (http2-loop.ts), and the outcome as an `Http2RunResult` with its trace Session.
 */
import { randomUUID } from 'node:crypto';
import type { Http2RunConfig, Http2RunResult } from '@shared/api-http2';
import { runHttp2Loop, type Http2LoopResult } from './http2-loop';
import { startHttp2LabServer, type Http2LabServer } from './http2-server';
import { http2Session } from './http2-trace';
import { makeLabCertificate } from './tls-certificate';

export interface Http2RunOptions {
  signal?: AbortSignal;
  /** the session's id (the service passes the job id) */
  runId?: string;
  /** attempts ended so far of `total` requests (retries count as attempts) */
  onProgress?: (done: number, total: number) => void;
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
  try {
    loop = await runHttp2Loop({
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
      ...(server ? { receivedAt: server.receivedAt } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onRequestEnded: () => options.onProgress?.((done += 1), config.requests),
    });
  } finally {
    await server?.close();
  }
  return toResult(config, target, loop, server, { id: options.runId ?? randomUUID(), epochMs });
}

function toResult(
  config: Http2RunConfig,
  target: string,
  loop: Http2LoopResult,
  server: Http2LabServer | null,
  meta: { id: string; epochMs: number },
): Http2RunResult {
  const connections = loop.connections.map((connection) => ({ ...connection, id: `c${connection.id}` }));
  const requests = loop.requests.map(({ connection, ...request }, position) => ({
    ...request,
    queuedMs: waitedForSlot(loop, position) ? request.queuedMs : null,
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
function waitedForSlot(loop: Http2LoopResult, position: number): boolean {
  const request = loop.requests[position];
  const limit = loop.connections.find((connection) => connection.id === request?.connection)?.serverMaxConcurrentStreams ?? null;
  if (!request || limit === null || request.queuedMs === null) return false;
  const inFlight = loop.requests
    .slice(0, position)
    .filter((other) => other.connection === request.connection && (other.endMs === null || other.endMs > request.startMs)).length;
  return inFlight >= limit;
}
