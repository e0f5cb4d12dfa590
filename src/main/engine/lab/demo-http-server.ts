/**
 * The embedded HTTP server: the lab's default target, on a random loopback port.
 *
 * It manages keep-alive idleness itself instead of Node's `server.keepAliveTimeout`
 * (set to 0 here) for two reasons: the `Keep-Alive: timeout=` hint becomes optional
 * (nginx does not send one by default, and Node's agent refuses to keep a socket
 * whose hint is under 2 s), and the stale-connection race can be made deterministic:
 * a timing race on loopback did not reproduce in 52 tries (the race of nodejs/node#47130),
 * so in race mode an idle-expired connection is closed exactly when the next request
 * arrives on it, without an answer.
 *
 * With `tls` it speaks HTTPS (Node's https.Server, TLS 1.2 and 1.3, session tickets on by
 * default) with a certificate for 127.0.0.1 made at start (tls-certificate.ts); the lab's
 * clients trust exactly that certificate.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { HttpServerConfig } from '@shared/api-http';
import { makeLabCertificate, type LabCertificate } from './tls-certificate';

export interface ServedRequest {
  /** 1-based, in arrival order */
  index: number;
  /** server-side socket id ("s1", …) */
  socket: string;
  /** the client's port: the same number the client sees as its local port */
  clientPort: number | null;
  /** this socket had served a request before */
  reused: boolean;
  /** the client's x-lab-request header, if any */
  labId: string | null;
  action: 'answered' | 'answered-and-closed' | 'race-closed';
}

export interface DemoHttpServer {
  readonly url: string;
  readonly port: number;
  readonly config: HttpServerConfig;
  /** over HTTPS: the certificate it presents (the client's `ca`); null over HTTP */
  readonly certificate: LabCertificate | null;
  readonly served: readonly ServedRequest[];
  /** the request the client tagged with this x-lab-request id, if it arrived (a map: runs reach 100,000 requests) */
  servedFor(labId: string): ServedRequest | undefined;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

interface SocketState {
  id: string;
  requests: number;
  /** set while idle between responses, ms (performance.now) */
  idleSince: number | null;
  idleTimer: NodeJS.Timeout | null;
}

/** A request whose client sent this header gets it echoed (the lab's request id). */
export const LAB_REQUEST_HEADER = 'x-lab-request';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Longest a request may take to arrive, ms (Node's server.requestTimeout): never under the headers timeout. */
const REQUEST_TIMEOUT_MS = 300_000;

/** The server's side of every connection: its id, how many requests it served, and its idle timer. */
class ServerConnections {
  private readonly states = new WeakMap<Socket, SocketState>();
  private readonly open = new Set<Socket>();
  private count = 0;

  constructor(private readonly config: HttpServerConfig) {}

  add(socket: Socket): void {
    this.count += 1;
    this.states.set(socket, { id: `s${this.count}`, requests: 0, idleSince: null, idleTimer: null });
    this.open.add(socket);
    socket.on('close', () => {
      const state = this.states.get(socket);
      if (state?.idleTimer) clearTimeout(state.idleTimer);
      this.open.delete(socket);
    });
  }

  /** The connection's state as a request arrives on it (no longer idle: its idle timer does nothing now), and how long it idled, ms. */
  wake(socket: Socket): { state: SocketState; idleMs: number } | null {
    const state = this.states.get(socket);
    if (!state) return null;
    const idleMs = state.idleSince === null ? 0 : performance.now() - state.idleSince;
    state.idleSince = null;
    return { state, idleMs };
  }

  /** A response ended and the connection stays open: it idles until the next request or the timeout. */
  markIdle(socket: Socket, state: SocketState): void {
    state.idleSince = performance.now();
    // in race mode the idle expiry is checked when the next request arrives (see the file comment)
    if (this.config.staleRace !== 'off' || this.config.keepAliveTimeoutMs === 0) return;
    // One timer per socket, re-armed after each response: a new timer per request was a measurable cost at 100,000 requests.
    if (state.idleTimer) return void state.idleTimer.refresh();
    state.idleTimer = setTimeout(() => {
      // fired while a request was being answered: it is re-armed when that response ends
      if (state.idleSince !== null) socket.destroy();
    }, this.config.keepAliveTimeoutMs);
    state.idleTimer.unref();
  }

  destroyAll(): void {
    for (const socket of this.open) socket.destroy();
  }
}

export interface DemoServerOptions {
  /** speak HTTPS with a certificate made now */
  tls?: boolean;
}

/** A plain or TLS server with the same request handler; over TLS a connection is counted once its handshake is done. */
function createServer(
  certificate: LabCertificate | null,
  handler: http.RequestListener,
  onConnection: (socket: Socket) => void,
): http.Server | https.Server {
  if (!certificate) {
    const server = http.createServer({ keepAlive: false }, handler);
    server.on('connection', onConnection);
    return server;
  }
  const server = https.createServer({ keepAlive: false, cert: certificate.cert, key: certificate.key }, handler);
  // request.socket is the TLS socket, so that is the one followed
  server.on('secureConnection', onConnection);
  return server;
}

export async function startDemoHttpServer(config: HttpServerConfig, options: DemoServerOptions = {}): Promise<DemoHttpServer> {
  const certificate = options.tls ? makeLabCertificate() : null;
  const served: ServedRequest[] = [];
  const byLabId = new Map<string, ServedRequest>();
  const connections = new ServerConnections(config);
  const closing = { value: false };
  const payload = Buffer.alloc(Math.min(config.bodyBytes, config.chunkBytes), 'k');

  const server = createServer(
    certificate,
    (request, response) => void answer(request, response),
    (socket) => connections.add(socket),
  );
  // Idle keep-alive connections are timed by us (see the file comment).
  server.keepAliveTimeout = 0;
  server.headersTimeout = config.headersTimeoutMs;
  server.requestTimeout = Math.max(config.headersTimeoutMs, REQUEST_TIMEOUT_MS);

  async function answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const socket = request.socket;
    const woken = connections.wake(socket);
    if (!woken) return void response.destroy();
    const { state, idleMs } = woken;
    const record: ServedRequest = {
      index: served.length + 1,
      socket: state.id,
      clientPort: socket.remotePort ?? null,
      reused: state.requests > 0,
      labId: typeof request.headers[LAB_REQUEST_HEADER] === 'string' ? request.headers[LAB_REQUEST_HEADER] : null,
      action: 'answered',
    };
    served.push(record);
    if (record.labId && !byLabId.has(record.labId)) byLabId.set(record.labId, record);
    state.requests += 1;

    if (config.staleRace !== 'off' && record.reused && idleMs >= config.keepAliveTimeoutMs) {
      // The request bytes were read by the parser, so a plain destroy sends FIN;
      // resetAndDestroy sends RST (SO_LINGER 0).
      record.action = 'race-closed';
      // over TLS the RST goes out on the TCP socket under the TLS one (resetAndDestroy needs a TCP handle)
      if (config.staleRace === 'rst') (((socket as TLSSocket & { _parent?: Socket })._parent ?? socket) as Socket).resetAndDestroy();
      else socket.destroy();
      return;
    }

    const closeAfter = setResponseHeaders(config, record, response);
    request.resume();
    response.on('finish', () => {
      if (!closeAfter && !socket.destroyed) connections.markIdle(socket, state);
    });

    if (config.headersDelayMs > 0) await sleep(config.headersDelayMs);
    if (response.destroyed) return;
    // A body that fits one write with no pause goes out with the head in one write, as any server does.
    if (!config.chunked && config.bodyBytes === payload.length && !closing.value) return void response.end(payload);
    response.flushHeaders();
    await writeBody(config, payload, response, closing);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${certificate ? 'https' : 'http'}://127.0.0.1:${port}/`,
    port,
    config,
    certificate,
    served,
    servedFor: (labId) => byLabId.get(labId),
    async close() {
      closing.value = true;
      connections.destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Connection and Keep-Alive headers, the lab id echoed, the body's framing; true when this response closes the connection. */
function setResponseHeaders(config: HttpServerConfig, record: ServedRequest, response: http.ServerResponse): boolean {
  const closeAfter = config.closeEveryNth > 0 && record.index % config.closeEveryNth === 0;
  if (closeAfter) {
    record.action = 'answered-and-closed';
    response.setHeader('Connection', 'close');
  } else if (config.keepAliveHint && config.keepAliveTimeoutMs > 0) {
    // Node's own server floors to whole seconds in the same way.
    response.setHeader('Keep-Alive', `timeout=${Math.floor(config.keepAliveTimeoutMs / 1000)}`);
  }
  if (record.labId) response.setHeader(LAB_REQUEST_HEADER, record.labId);
  response.setHeader('Content-Type', 'text/plain');
  if (!config.chunked) response.setHeader('Content-Length', config.bodyBytes);
  return closeAfter;
}

/** Writes `bodyBytes` in `chunkBytes` pieces, waiting for drain and `chunkDelayMs` between them; stops when the server closes. */
async function writeBody(
  config: HttpServerConfig,
  payload: Buffer,
  response: http.ServerResponse,
  closing: { value: boolean },
): Promise<void> {
  let remaining = config.bodyBytes;
  // Bounded: bodyBytes / chunkBytes writes at most (64 MiB / 1 byte in the worst config).
  while (remaining > 0 && !response.destroyed && !closing.value) {
    const size = Math.min(remaining, payload.length);
    const flushed = response.write(size === payload.length ? payload : payload.subarray(0, size));
    remaining -= size;
    if (!flushed) await waitForDrain(response);
    if (config.chunkDelayMs > 0 && remaining > 0) await sleep(config.chunkDelayMs);
  }
  if (!response.destroyed) response.end();
}

function waitForDrain(response: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
