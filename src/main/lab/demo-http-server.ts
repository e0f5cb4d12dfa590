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
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { HttpServerConfig } from '../../shared/api-http';

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
  readonly served: readonly ServedRequest[];
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

export async function startDemoHttpServer(config: HttpServerConfig): Promise<DemoHttpServer> {
  const served: ServedRequest[] = [];
  const states = new WeakMap<Socket, SocketState>();
  const sockets = new Set<Socket>();
  let socketCount = 0;
  let closing = false;
  const payload = Buffer.alloc(Math.min(config.bodyBytes, config.chunkBytes), 'k');

  const server = http.createServer({ keepAlive: false }, (request, response) => {
    void answer(request, response);
  });
  // Idle keep-alive connections are timed by us (see the file comment).
  server.keepAliveTimeout = 0;
  server.headersTimeout = config.headersTimeoutMs;
  server.requestTimeout = Math.max(config.headersTimeoutMs, 300_000);

  server.on('connection', (socket: Socket) => {
    socketCount += 1;
    states.set(socket, { id: `s${socketCount}`, requests: 0, idleSince: null, idleTimer: null });
    sockets.add(socket);
    socket.on('close', () => {
      const state = states.get(socket);
      if (state?.idleTimer) clearTimeout(state.idleTimer);
      sockets.delete(socket);
    });
  });

  function markIdle(socket: Socket, state: SocketState): void {
    state.idleSince = performance.now();
    if (config.staleRace !== 'off' || config.keepAliveTimeoutMs === 0) return;
    state.idleTimer = setTimeout(() => socket.destroy(), config.keepAliveTimeoutMs);
    state.idleTimer.unref();
  }

  async function answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const socket = request.socket;
    const state = states.get(socket);
    if (!state) return void response.destroy();
    if (state.idleTimer) clearTimeout(state.idleTimer);
    state.idleTimer = null;
    const idleMs = state.idleSince === null ? 0 : performance.now() - state.idleSince;
    state.idleSince = null;
    const record: ServedRequest = {
      index: served.length + 1,
      socket: state.id,
      clientPort: socket.remotePort ?? null,
      reused: state.requests > 0,
      labId: typeof request.headers[LAB_REQUEST_HEADER] === 'string' ? request.headers[LAB_REQUEST_HEADER] : null,
      action: 'answered',
    };
    served.push(record);
    state.requests += 1;

    if (config.staleRace !== 'off' && record.reused && idleMs >= config.keepAliveTimeoutMs) {
      // The request bytes were read by the parser, so a plain destroy sends FIN;
      // resetAndDestroy sends RST (SO_LINGER 0).
      record.action = 'race-closed';
      if (config.staleRace === 'rst') socket.resetAndDestroy();
      else socket.destroy();
      return;
    }

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
    request.resume();
    response.on('finish', () => {
      if (!closeAfter && !socket.destroyed) markIdle(socket, state);
    });

    if (config.headersDelayMs > 0) await sleep(config.headersDelayMs);
    if (response.destroyed) return;
    response.flushHeaders();
    await writeBody(response);
  }

  async function writeBody(response: http.ServerResponse): Promise<void> {
    let remaining = config.bodyBytes;
    // Bounded: bodyBytes / chunkBytes writes at most (64 MiB / 1 byte in the worst config).
    while (remaining > 0 && !response.destroyed && !closing) {
      const size = Math.min(remaining, payload.length);
      const flushed = response.write(size === payload.length ? payload : payload.subarray(0, size));
      remaining -= size;
      if (!flushed) await waitForDrain(response);
      if (config.chunkDelayMs > 0 && remaining > 0) await sleep(config.chunkDelayMs);
    }
    if (!response.destroyed) response.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    config,
    served,
    async close() {
      closing = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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
