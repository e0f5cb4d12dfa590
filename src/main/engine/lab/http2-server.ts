/**
 * The HTTP/2 lab's embedded server: `node:http2` over TLS (ALPN "h2", a certificate made for this
 * run, tls-certificate.ts) or in cleartext with prior knowledge (h2c). What a learner varies:
 * - `maxConcurrentStreams` (SETTINGS_MAX_CONCURRENT_STREAMS): more requests at once wait for a slot;
 * - `idleTimeoutMs`: a connection idle that long is closed with GOAWAY NO_ERROR;
 * - `maxPingsPerWindow`: more client PINGs than that in `pingWindowMs` are answered with GOAWAY
 *   ENHANCE_YOUR_CALM and the debug data "too_many_pings", as gRPC servers do (its servers allow one
 *   PING every 5 minutes by default, so a client's keepalive must be slower than that).
 * Every session and stream it served is recorded, so a run can be cross-checked against the server.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { LabCertificate } from './tls-certificate';

export interface Http2ServerConfig {
  /** null: h2c (cleartext, prior knowledge) */
  certificate: LabCertificate | null;
  maxConcurrentStreams: number;
  /** ms of no stream activity after which the server sends GOAWAY and closes; null: never */
  idleTimeoutMs: number | null;
  /** PINGs allowed per window before GOAWAY ENHANCE_YOUR_CALM; null: answer every PING */
  maxPingsPerWindow: number | null;
  pingWindowMs: number;
  responseBytes: number;
  /** ms before each response is sent */
  delayMs: number;
}

export interface ServedSession {
  /** the client's port: the connection's identity on loopback */
  remotePort: number;
  streams: number;
  /** most streams the server had open at once on this connection */
  maxConcurrent: number;
  pings: number;
  /** set when the server sent GOAWAY */
  goaway: { errorCode: number; reason: 'idle' | 'too-many-pings'; lastStreamId: number } | null;
}

export interface Http2LabServer {
  readonly url: string;
  readonly port: number;
  readonly sessions: ServedSession[];
  /** when the server received each request, by its path (performance.now(), this process's clock) */
  readonly receivedAt: Map<string, number>;
  /** the stream id each path arrived on and the client port of its connection (a client that hides its stream ids is read from here) */
  readonly servedStreams: Map<string, { stream: number; remotePort: number }>;
  close(): Promise<void>;
}

/** gRPC's debug data for its ENHANCE_YOUR_CALM GOAWAY */
const TOO_MANY_PINGS = Buffer.from('too_many_pings');

export async function startHttp2LabServer(config: Http2ServerConfig): Promise<Http2LabServer> {
  const settings = { maxConcurrentStreams: config.maxConcurrentStreams };
  const server = config.certificate
    ? http2.createSecureServer({ cert: config.certificate.cert, key: config.certificate.key, settings, allowHTTP1: false })
    : http2.createServer({ settings });
  const sessions: ServedSession[] = [];
  // filled by the 'stream' handler below; read when a GOAWAY is sent
  const lastStream = new WeakMap<ServedSession, number>();
  const live = new Set<http2.ServerHttp2Session>();
  const servedBy = new WeakMap<http2.Http2Session, ServedSession>();
  const body = Buffer.alloc(config.responseBytes, 'k');

  server.on('session', (session) => {
    const served: ServedSession = { remotePort: session.socket?.remotePort ?? 0, streams: 0, maxConcurrent: 0, pings: 0, goaway: null };
    sessions.push(served);
    servedBy.set(session, served);
    live.add(session);
    session.on('close', () => live.delete(session));
    session.on('error', () => undefined); // a client that resets is part of some experiments
    const goaway = (errorCode: number, reason: 'idle' | 'too-many-pings', data?: Buffer) => {
      if (served.goaway || session.closed || session.destroyed) return;
      // the GOAWAY names the last stream the server took (RFC 9113 §6.8): the highest id it received
      served.goaway = { errorCode, reason, lastStreamId: lastStream.get(served) ?? 0 };
      session.goaway(errorCode, undefined, data);
      session.close();
    };
    if (config.idleTimeoutMs !== null) session.setTimeout(config.idleTimeoutMs, () => goaway(http2.constants.NGHTTP2_NO_ERROR, 'idle'));
    const pingTimes: number[] = [];
    session.on('ping', () => {
      served.pings += 1;
      if (config.maxPingsPerWindow === null) return;
      const now = performance.now();
      pingTimes.push(now);
      while (pingTimes.length > 0 && now - pingTimes[0]! > config.pingWindowMs) pingTimes.shift();
      if (pingTimes.length > config.maxPingsPerWindow) goaway(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, 'too-many-pings', TOO_MANY_PINGS);
    });
  });
  const receivedAt = new Map<string, number>();
  const servedStreams = new Map<string, { stream: number; remotePort: number }>();
  const openStreams = new WeakMap<ServedSession, number>();
  server.on('stream', (stream, headers) => {
    receivedAt.set(String(headers[':path']), performance.now());
    const served = stream.session ? servedBy.get(stream.session) : undefined;
    if (served) {
      servedStreams.set(String(headers[':path']), { stream: stream.id ?? 0, remotePort: served.remotePort });
      lastStream.set(served, Math.max(lastStream.get(served) ?? 0, stream.id ?? 0));
      served.streams += 1;
      const open = (openStreams.get(served) ?? 0) + 1;
      openStreams.set(served, open);
      served.maxConcurrent = Math.max(served.maxConcurrent, open);
      stream.once('close', () => openStreams.set(served, (openStreams.get(served) ?? 1) - 1));
    }
    stream.on('error', () => undefined);
    const respond = () => {
      if (stream.closed || stream.destroyed) return;
      stream.respond({ ':status': 200, 'content-type': 'text/plain', 'content-length': String(body.length) });
      stream.end(body);
    };
    if (config.delayMs > 0) setTimeout(respond, config.delayMs);
    else respond();
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${config.certificate ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    sessions,
    receivedAt,
    servedStreams,
    async close() {
      for (const session of live) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
