/**
 * The HTTP/2 lab's second client: undici's Pool with `allowH2` (h2 over TLS by ALPN) or `useH2c`
 * (cleartext, prior knowledge), the same steady-concurrency loop as http2-loop.ts, so a learner sees
 * what a production client decides for itself:
 * - undici keeps at most the server's SETTINGS_MAX_CONCURRENT_STREAMS streams on a connection and
 *   queues the rest inside the client (it does not open a second connection for them);
 * - on GOAWAY it fails the request at the head of its queue with the GOAWAY error and sends the
 *   requests it had not yet written on a new connection; the lab does not retry anything itself;
 * - PING is undici's own `pingInterval` (its default is one PING a minute).
 * undici does not expose a request's stream id, nor which connection carried it: both come from the
 * embedded server (the stream id it answered each path on, and the client port of that connection),
 * and stay null against any other server. Each connection's TCP connect and TLS handshake times are
 * measured on the socket undici's own connector (buildConnector) returns.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { buildConnector, Client, Pool, type Dispatcher } from 'undici';
import { newConnection, type Http2Connection, type Http2LoopConfig, type Http2LoopResult, type Http2Request } from './http2-loop';
import { tlsVersionName } from '@shared/tls-handshake';
import { http2ErrorName } from './http2-errors';
import { sleep } from './sleep';

/** undici's GOAWAY error says `HTTP/2: "GOAWAY" frame received with code N` (lib/dispatcher/client-h2.js) */
const GOAWAY_CODE = /GOAWAY" frame received with code (\d+)/;

export async function runUndiciH2Loop(config: Http2LoopConfig): Promise<Http2LoopResult> {
  const started = performance.now();
  const now = () => performance.now() - started;
  const connections: Http2Connection[] = [];
  const requests: Http2Request[] = [];
  config.observe?.({ connections, requests, now });
  const overTls = config.url.startsWith('https:');
  // `useH2c` is in undici's code (lib/core/connect.js) but not yet in its type declarations
  const base = buildConnector({
    allowH2: true,
    useH2c: !overTls,
    // undici's TLS session cache: 0 turns resumption off
    maxCachedSessions: config.resumeSessions ? 100 : 0,
    ...(config.ca ? { ca: config.ca } : {}),
  } as buildConnector.BuildOptions);
  /** buildConnector's function returns the socket it made (lib/core/connect.js), which the declarations call void */
  const connect = base as unknown as (
    options: buildConnector.Options,
    callback: (error: Error | null, socket: Socket | null) => void,
  ) => Socket;
  /** each undici Client's current connection: the one its 'disconnect' and 'ping' events are about */
  const currentOf = new WeakMap<Client, Http2Connection>();
  let closing = false;

  const connectorFor =
    (client: () => Client): buildConnector.connector =>
    (options, callback) => {
      const last = connections[connections.length - 1];
      const because = last === undefined ? 'first' : last.goaway ? 'after-goaway' : 'after-error';
      const record = newConnection(connections.length + 1, because, now());
      connections.push(record);
      currentOf.set(client(), record);
      const socket = connect(options, (error, connected) => {
        if (!error && overTls) {
          const secure = connected as TLSSocket;
          record.tls = {
            version: tlsVersionName(secure.getProtocol()),
            alpn: secure.alpnProtocol || null,
            resumed: secure.isSessionReused(),
            handshakeMs: now() - record.openedAtMs - (record.connectMs ?? 0),
          };
        }
        if (error) record.closedAtMs = now();
        if (error || !connected) callback(error ?? new Error('no socket'), null);
        else callback(null, connected);
      });
      socket.once('connect', () => {
        record.connectMs = now() - record.openedAtMs;
        record.localPort = socket.localPort ?? 0;
      });
      socket.once('close', () => (record.closedAtMs ??= now()));
      return socket;
    };

  const pool = new Pool(config.url, {
    // one HTTP/2 connection at a time, its streams multiplexed: without a cap the Pool starts a new
    // Client for each request that finds the others still connecting (10 at once: 10 connections)
    connections: 1,
    factory: (origin, options) => {
      let client: Client | null = null;
      client = new Client(origin, {
        ...options,
        allowH2: true,
        useH2c: !overTls,
        // undici's Client sends one request at a time unless told otherwise (`pipelining` defaults to 1,
        // over HTTP/2 too: lib/dispatcher/client.js getPipelining); 100 is its own default stream cap
        pipelining: 100,
        // 0: undici sends no PING of its own
        pingInterval: config.pingIntervalMs ?? 0,
        connect: connectorFor(() => client as Client),
      } as Client.Options);
      client.on(
        'ping' as 'connect',
        ((duration: number) => {
          const record = currentOf.get(client as Client);
          if (record) record.pings.push({ atMs: now() - duration, rttMs: duration });
        }) as never,
      );
      client.on('disconnect', (_origin, _targets, error) => {
        const record = currentOf.get(client as Client);
        const code = GOAWAY_CODE.exec(error.message)?.[1];
        if (!record || closing || code === undefined) return;
        record.goaway = {
          atMs: now(),
          errorCode: Number(code),
          error: http2ErrorName(Number(code)),
          lastStreamId: null,
          debug: '',
        };
      });
      return client;
    },
  });
  const unread: Dispatcher.ResponseData['body'][] = [];

  const send = async (index: number): Promise<void> => {
    const request: Http2Request = {
      index,
      connection: 0,
      stream: null,
      streamFrom: null,
      startMs: now(),
      queuedMs: null,
      endMs: null,
      status: null,
      bytes: 0,
      retried: false,
      error: null,
    };
    requests.push(request);
    const path = `/r/${index}`;
    try {
      const response = await pool.request({ path, method: 'GET', signal: AbortSignal.timeout(config.timeoutMs) });
      request.status = response.statusCode;
      if (config.body === 'ignore') unread.push(response.body);
      else for await (const chunk of response.body) request.bytes += (chunk as Buffer).length;
    } catch (error) {
      request.error = error instanceof Error ? error.message : String(error);
    }
    request.endMs = now();
    const served = config.servedStreams?.get(path);
    const received = config.receivedAt?.get(path);
    if (served) {
      const carrier = connections.find((connection) => connection.localPort === served.remotePort);
      request.stream = served.stream;
      request.streamFrom = 'server';
      if (carrier) {
        request.connection = carrier.id;
        carrier.requests += 1;
      }
    }
    if (received !== undefined && request.error === null) request.queuedMs = Math.max(0, received - started - request.startMs);
    config.onRequestEnded?.(request);
  };

  const pending = Array.from({ length: config.requests }, (_, index) => index);
  const worker = async () => {
    let first = true;
    for (let index = pending.shift(); index !== undefined; index = pending.shift()) {
      if (config.signal?.aborted) return;
      if (!first && config.pauseMs > 0) await sleep(config.pauseMs, config.signal);
      if (config.signal?.aborted) return;
      first = false;
      await send(index);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(config.concurrency, config.requests)) }, worker));
  } finally {
    closing = true;
    await Promise.all(unread.map((body) => body.dump().catch(() => undefined)));
    await pool.close();
    for (const record of connections) record.closedAtMs ??= now();
  }
  return { connections, requests: requests.sort((a, b) => a.startMs - b.startMs), durationMs: now() };
}
