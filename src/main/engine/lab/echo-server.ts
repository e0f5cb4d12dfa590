/**
 * The lab's JSON-lines echo server: `{"uid","val"}\n` → `{"uid","val":"server: hello, "+val,"ts"}\n`.
 * It answers with the response (not an echo of the request), so `ts` is set.
 * Knobs to make failures visible: a per-response delay, dropping every Nth
 * response (the client's timeout then fires), and closing every connection by FIN or RST.
 */
import net, { type Socket } from 'node:net';
import { DEFAULT_MAX_LINE_BYTES, LineDecoder, LineTooLongError, parseRequestLine } from './json-lines';

export const ECHO_PREFIX = 'server: hello, ';

export interface EchoBehaviour {
  /** ms to wait before each response (0 = answer at once) */
  delayMs: number;
  /** drop every Nth response (0 = never), counted over the whole server */
  dropEveryNth: number;
}

export interface EchoServerOptions extends Partial<EchoBehaviour> {
  /** default 127.0.0.1 */
  host?: string;
  /** default 0: the kernel picks a free port */
  port?: number;
  /** longest accepted request line in bytes (default 1 MiB) */
  maxLineBytes?: number;
  /** called for every accepted connection (the lab records it) */
  onConnection?: (socket: Socket) => void;
}

export interface EchoServerStats {
  connectionsAccepted: number;
  connectionsOpen: number;
  requests: number;
  responses: number;
  dropped: number;
  malformed: number;
  closedForLongLine: number;
}

export interface EchoServer {
  readonly host: string;
  readonly port: number;
  stats(): EchoServerStats;
  setBehaviour(behaviour: Partial<EchoBehaviour>): void;
  /** Closes every open connection (FIN by `end`, RST by `resetAndDestroy`) but keeps listening. */
  closeConnections(how: 'fin' | 'rst'): Promise<void>;
  /** Stops listening, destroys open connections and cancels delayed responses. */
  close(): Promise<void>;
}

/**
 * Writes a reply; when the client is not reading them (the socket's buffer is full), stops reading its
 * requests until the replies drain, so a client that sends and never reads cannot grow our memory.
 */
function writeOrPause(socket: Socket, text: string): void {
  if (socket.write(text) || socket.isPaused()) return;
  socket.pause();
  socket.once('drain', () => socket.resume());
}

export async function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const behaviour: EchoBehaviour = { delayMs: options.delayMs ?? 0, dropEveryNth: options.dropEveryNth ?? 0 };
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const stats: EchoServerStats = {
    connectionsAccepted: 0,
    connectionsOpen: 0,
    requests: 0,
    responses: 0,
    dropped: 0,
    malformed: 0,
    closedForLongLine: 0,
  };

  const answer = (socket: Socket, uid: string, val: string): void => {
    stats.requests += 1;
    if (behaviour.dropEveryNth > 0 && stats.requests % behaviour.dropEveryNth === 0) {
      stats.dropped += 1;
      return;
    }
    const reply = (): void => {
      if (socket.destroyed || !socket.writable) return;
      stats.responses += 1;
      writeOrPause(socket, `${JSON.stringify({ uid, val: ECHO_PREFIX + val, ts: new Date().toISOString() })}\n`);
    };
    if (behaviour.delayMs <= 0) return reply();
    const timer = setTimeout(() => {
      timers.delete(timer);
      reply();
    }, behaviour.delayMs);
    timers.add(timer);
  };

  const server = net.createServer((socket) => {
    stats.connectionsAccepted += 1;
    stats.connectionsOpen += 1;
    sockets.add(socket);
    options.onConnection?.(socket);
    const decoder = new LineDecoder(maxLineBytes);
    socket.on('data', (chunk: Buffer) => {
      let lines: string[];
      try {
        lines = decoder.push(chunk);
      } catch (error) {
        if (!(error instanceof LineTooLongError)) throw error;
        stats.closedForLongLine += 1;
        socket.end(`${JSON.stringify({ error: `${error.message}; closing the connection` })}\n`);
        socket.pause();
        return;
      }
      for (const line of lines) {
        const parsed = parseRequestLine(line);
        if (parsed.kind === 'invalid') {
          stats.malformed += 1;
          writeOrPause(socket, `${JSON.stringify({ error: `malformed request: ${parsed.reason}` })}\n`);
          continue;
        }
        answer(socket, parsed.request.uid, parsed.request.val);
      }
    });
    // a client that vanishes mid-write must not crash the server
    socket.on('error', () => undefined);
    socket.once('close', () => {
      sockets.delete(socket);
      stats.connectionsOpen -= 1;
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('echo server: no TCP address');

  const closeAll = async (how: 'fin' | 'rst'): Promise<void> => {
    const closed = [...sockets].map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.destroyed) return resolve();
          socket.once('close', () => resolve());
          if (how === 'rst') return void socket.resetAndDestroy();
          socket.end();
          // a peer that never answers our FIN is cut off after 2000 ms
          setTimeout(() => socket.destroy(), 2000).unref();
        }),
    );
    await Promise.all(closed);
  };

  return {
    host,
    port: address.port,
    stats: () => ({ ...stats }),
    setBehaviour: (next) => Object.assign(behaviour, next),
    closeConnections: closeAll,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

export interface Target {
  host: string;
  port: number;
}

/** Runs `body` against the target, or against an embedded echo server started for it. */
export async function withTarget<R>(
  target: Target | undefined,
  server: Partial<EchoBehaviour> | undefined,
  body: (target: Target) => Promise<R>,
): Promise<R> {
  if (target) return body(target);
  const echo = await startEchoServer(server);
  try {
    return await body({ host: echo.host, port: echo.port });
  } finally {
    await echo.close();
  }
}
