/**
 * The HTTP/2 lab's client: a loop of requests over `node:http2` sessions, steady concurrency (a new
 * request starts as one ends), so a learner sees what HTTP/2 changes:
 * - every request rides one connection as its own stream (ids 1, 3, 5, …), many at once;
 * - past the server's SETTINGS_MAX_CONCURRENT_STREAMS a request waits for a stream slot (`queuedMs`),
 *   it does not open a connection;
 * - a response body left unread holds that stream's flow-control window, not the connection;
 * - PING is HTTP/2's own keep-alive (`pingIntervalMs`, with each round trip);
 * - a GOAWAY ends the connection: requests the server had not taken (stream id above its last
 *   stream id, or not yet sent) go to a new connection, which is then opened "after GOAWAY".
 * Each connection records its TCP connect and TLS handshake times, TLS version, ALPN and resumption.
 */
import http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { tlsVersionName } from '@shared/tls-handshake';
import { http2ErrorName } from './http2-errors';
import { sleep } from './sleep';

export interface Http2LoopConfig {
  /** "https://127.0.0.1:P" (h2 over TLS, ALPN) or "http://127.0.0.1:P" (h2c, prior knowledge) */
  url: string;
  /** the certificate the client trusts (the lab's own); null for h2c or a server the system trusts */
  ca: string | null;
  requests: number;
  /** requests in flight at once */
  concurrency: number;
  /** 'ignore' leaves each response body unread until the run ends */
  body: 'drain' | 'ignore';
  /** ms between PINGs on each open connection; null: none */
  pingIntervalMs: number | null;
  /** ms to wait before each request after the first (lets idle timeouts fire); 0: none */
  pauseMs: number;
  /** offer the previous connection's TLS session to the next one */
  resumeSessions: boolean;
  /**
   * wait for the server's SETTINGS before a new connection's first request: the client then knows the
   * concurrent-stream limit and queues past it; without waiting, a burst may exceed it and be refused
   */
  waitForSettings: boolean;
  /** ms a request may take before it counts as failed */
  timeoutMs: number;
  /**
   * The embedded server's record of when it received each path (performance.now()): with it, a
   * request's wait for a stream slot is measured (the client gives every stream an id at once and
   * holds its HEADERS while the server's limit is reached, so only the server sees the wait).
   */
  receivedAt?: ReadonlyMap<string, number>;
  /** the embedded server's record of the stream id and client port it answered each path on */
  servedStreams?: ReadonlyMap<string, { stream: number; remotePort: number }>;
  signal?: AbortSignal;
  /** called as each attempt ends (answered, failed or refused), for progress */
  onRequestEnded?: (request: Http2Request) => void;
  /**
   * called once at the start with the run's own records, which fill in as it goes: a caller reads
   * them while the run goes (to stream its trace live); it must not change them
   */
  observe?: (state: Http2LoopState) => void;
}

/** The loop's records while it runs (the same arrays it returns at the end, before sorting). */
export interface Http2LoopState {
  readonly connections: readonly Http2Connection[];
  readonly requests: readonly Http2Request[];
  /** ms since the run's start */
  now(): number;
}

export interface Http2Connection {
  id: number;
  httpVersion: '2';
  localPort: number;
  /** why it was opened: the first one, or a GOAWAY (or error) ended the one before */
  openedBecause: 'first' | 'after-goaway' | 'after-error';
  /** ms since the run's start */
  openedAtMs: number;
  /** TCP connect, ms */
  connectMs: number | null;
  tls: { version: string | null; alpn: string | null; resumed: boolean; handshakeMs: number | null } | null;
  /** the server's SETTINGS_MAX_CONCURRENT_STREAMS */
  serverMaxConcurrentStreams: number | null;
  requests: number;
  /** most of this run's streams in flight at once on it, as the client counts them (sent, not yet answered) */
  maxConcurrent: number;
  pings: { atMs: number; rttMs: number | null }[];
  /** lastStreamId: null when the client does not expose it (undici) and no server record says it */
  goaway: { atMs: number; errorCode: number; error: string; lastStreamId: number | null; debug: string } | null;
  closedAtMs: number | null;
}

/** The record of connection `id`, opened at `openedAtMs` for `because`: nothing known of it yet (both HTTP/2 clients fill it in). */
export function newConnection(id: number, because: Http2Connection['openedBecause'], openedAtMs: number): Http2Connection {
  return {
    id,
    httpVersion: '2',
    localPort: 0,
    openedBecause: because,
    openedAtMs,
    connectMs: null,
    tls: null,
    serverMaxConcurrentStreams: null,
    requests: 0,
    maxConcurrent: 0,
    pings: [],
    goaway: null,
    closedAtMs: null,
  };
}

export interface Http2Request {
  index: number;
  connection: number;
  /** HTTP/2 stream id; null when it never got one */
  stream: number | null;
  /** who gave the stream id: the client's own stream, or the embedded server's record (undici exposes none) */
  streamFrom: 'client' | 'server' | null;
  startMs: number;
  /** from sending to the server receiving it: the wait for a stream slot (its concurrent-stream limit), ms; null when not known */
  queuedMs: number | null;
  endMs: number | null;
  status: number | null;
  bytes: number;
  /** a request the server had not processed when GOAWAY came, sent again on a new connection */
  retried: boolean;
  error: string | null;
}

export interface Http2LoopResult {
  connections: Http2Connection[];
  requests: Http2Request[];
  durationMs: number;
}

interface Live {
  session: http2.ClientHttp2Session;
  record: Http2Connection;
  open: number;
  ended: boolean;
  ping: ReturnType<typeof setInterval> | null;
}

export async function runHttp2Loop(config: Http2LoopConfig): Promise<Http2LoopResult> {
  const started = performance.now();
  const now = () => performance.now() - started;
  const connections: Http2Connection[] = [];
  const requests: Http2Request[] = [];
  let current: Live | null = null;
  /** a connection being opened: every request that needs one meanwhile waits for it, as a client's pool does */
  let opening: Promise<Live> | null = null;
  /** the run is over and closing its connections: a GOAWAY now is the answer to that, not an event of the run */
  let closing = false;
  let tlsSession: Buffer | undefined;
  const pending: number[] = [];
  const retry = new Set<number>();
  /** bodies left unread ('ignore'), read at the end so the connections can close */
  const unread = new Set<http2.ClientHttp2Stream>();
  config.observe?.({ connections, requests, now });

  const open = (because: Http2Connection['openedBecause']): Promise<Live> =>
    new Promise((resolve, reject) => {
      const record = newConnection(connections.length + 1, because, now());
      connections.push(record);
      const options: http2.SecureClientSessionOptions = config.ca ? { ca: config.ca } : {};
      if (config.resumeSessions && tlsSession) options.session = tlsSession;
      const session = http2.connect(config.url, options);
      const live: Live = { session, record, open: 0, ended: false, ping: null };
      session.socket.once('connect', () => (record.connectMs = now() - record.openedAtMs));
      session.socket.once('secureConnect', () => {
        const socket = session.socket as TLSSocket;
        record.tls = {
          version: tlsVersionName(socket.getProtocol()),
          alpn: socket.alpnProtocol || null,
          resumed: socket.isSessionReused(),
          handshakeMs: now() - record.openedAtMs - (record.connectMs ?? 0),
        };
      });
      (session.socket as TLSSocket).on?.('session', (ticket: Buffer) => (tlsSession = ticket));
      const settingsKnown = new Promise<void>((known) =>
        session.once('remoteSettings', (settings) => {
          record.serverMaxConcurrentStreams = settings.maxConcurrentStreams ?? null;
          known();
        }),
      );
      session.on('goaway', (errorCode, lastStreamId, data) => {
        if (closing) return;
        record.goaway = { atMs: now(), errorCode, error: http2ErrorName(errorCode), lastStreamId, debug: data?.toString('latin1') ?? '' };
        end(live);
      });
      session.on('error', () => end(live));
      session.on('close', () => {
        record.closedAtMs = now();
        end(live);
      });
      session.once('connect', () => {
        record.localPort = session.socket.localPort ?? 0;
        if (config.pingIntervalMs !== null) live.ping = setInterval(() => ping(live), config.pingIntervalMs);
        if (config.waitForSettings) void settingsKnown.then(() => resolve(live));
        else resolve(live);
      });
      session.once('error', reject);
    });

  const ping = (live: Live) => {
    if (live.ended) return;
    const entry = { atMs: now(), rttMs: null as number | null };
    live.record.pings.push(entry);
    live.session.ping((error, duration) => {
      if (!error) entry.rttMs = duration;
    });
  };

  const end = (live: Live) => {
    if (live.ended) return;
    live.ended = true;
    if (live.ping) clearInterval(live.ping);
    if (current === live) current = null;
  };

  const connection = async (): Promise<Live> => {
    if (current && !current.ended) return current;
    if (!opening) {
      const last = connections[connections.length - 1];
      opening = open(last === undefined ? 'first' : last.goaway ? 'after-goaway' : 'after-error').then(
        (live) => {
          current = live;
          opening = null;
          return live;
        },
        (error: unknown) => {
          opening = null;
          throw error;
        },
      );
    }
    return opening;
  };

  const send = async (index: number, retried: boolean): Promise<void> => {
    const live = await connection();
    const request: Http2Request = {
      index,
      connection: live.record.id,
      stream: null,
      streamFrom: null,
      startMs: now(),
      queuedMs: null,
      endMs: null,
      status: null,
      bytes: 0,
      retried,
      error: null,
    };
    requests.push(request);
    live.record.requests += 1;
    await new Promise<void>((resolve) => {
      const stream = live.session.request({ ':path': `/r/${index}` });
      const timer = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), config.timeoutMs);
      const finish = (error: string | null) => {
        if (request.endMs !== null) return;
        clearTimeout(timer);
        request.endMs = now();
        const received = config.receivedAt?.get(`/r/${index}`);
        if (received !== undefined && error === null) request.queuedMs = Math.max(0, received - started - request.startMs);
        request.error = error;
        live.open -= 1;
        config.onRequestEnded?.(request);
        resolve();
      };
      const ready = () => {
        request.stream = stream.id ?? null;
        request.streamFrom = request.stream === null ? null : 'client';
        live.open += 1;
        live.record.maxConcurrent = Math.max(live.record.maxConcurrent, live.open);
      };
      if (stream.id !== undefined) ready();
      else stream.once('ready', ready);
      stream.once('response', (headers) => {
        request.status = Number(headers[':status']);
        if (config.body === 'ignore') {
          stream.pause(); // never read: the stream's window stays spent, the connection carries on
          unread.add(stream);
          finish(null);
        }
      });
      stream.on('data', (chunk: Buffer) => (request.bytes += chunk.length));
      stream.once('end', () => finish(null));
      stream.once('close', () => {
        // REFUSED_STREAM (RFC 9113 §8.7): the server did not process it, so it is safe to send again
        if (request.endMs === null && stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM) {
          retry.add(index);
          finish('refused by the server (REFUSED_STREAM: over its concurrent-stream limit); sent again');
          return;
        }
        // GOAWAY: a stream the server never took (id above its last stream id) is sent again elsewhere
        const goaway = live.record.goaway;
        if (request.endMs === null && goaway && (request.stream === null || request.stream > (goaway.lastStreamId ?? 0))) {
          retry.add(index);
          finish(`not processed before GOAWAY ${goaway.error}`);
          return;
        }
        finish(request.endMs === null ? `stream closed (${http2ErrorName(stream.rstCode ?? 0)})` : null);
      });
      // the 'close' handler above names refused and unprocessed streams; other errors end the request here
      stream.on('error', (error: Error) => setImmediate(() => finish(error.message)));
      stream.end();
    });
  };

  for (let index = 0; index < config.requests; index++) pending.push(index);
  const worker = async () => {
    let first = true;
    for (let index = pending.shift(); index !== undefined; index = pending.shift()) {
      if (config.signal?.aborted) return;
      if (!first && config.pauseMs > 0) await sleep(config.pauseMs, config.signal);
      if (config.signal?.aborted) return;
      first = false;
      await send(index, false).catch((error: Error) => {
        const at = now();
        requests.push({
          index,
          connection: 0,
          stream: null,
          streamFrom: null,
          startMs: at,
          queuedMs: 0,
          endMs: at,
          status: null,
          bytes: 0,
          retried: false,
          error: error.message,
        });
      });
      for (const again of [...retry]) {
        retry.delete(again);
        await send(again, true).catch(() => undefined);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(config.concurrency, config.requests)) }, worker));
  } finally {
    closing = true;
    for (const stream of unread) stream.resume();
    const last = current as Live | null;
    if (last) {
      end(last);
      await new Promise<void>((resolve) => last.session.close(resolve));
    }
    for (const record of connections) record.closedAtMs ??= now();
  }
  return { connections, requests: requests.sort((a, b) => a.startMs - b.startMs), durationMs: now() };
}
