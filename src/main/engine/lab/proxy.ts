/**
 * A TCP proxy with a pooled upstream. Each client
 * connection borrows an upstream connection and both directions are copied
 * with backpressure (`highWaterMark` bytes of buffer each way).
 *
 * When may the upstream go back to the pool? Only when both directions are done
 * and the exchange is complete — for JSON lines, every request line sent up has
 * had its reply line back ("balanced"). So:
 * - client half-closes (FIN): keep copying replies down; once balanced, pool the
 *   upstream and end the client. If not balanced within `drainTimeoutMs`, forward
 *   the FIN upstream (a real half-close), copy until the upstream ends, never pool it;
 * - client vanishes: pool only if balanced, else close the upstream (its late
 *   replies would reach the next borrower);
 * - upstream ends or errors: never pooled; the client gets FIN (or is destroyed).
 */
import net, { type Socket } from 'node:net';
import { Pool, type PoolStats } from './pool';
import { ProxiedExchange, type ExchangeEnd } from './proxied-exchange';
import type { TcpRecorder } from './tcp-recorder';

export interface ProxyOptions {
  upstream: { host: string; port: number };
  listenHost?: string;
  /** 0 = the kernel picks */
  listenPort?: number;
  /** most upstream connections (default 4) */
  poolSize?: number;
  /** bytes buffered per direction before pausing the source (default 64 KiB) */
  highWaterMark?: number;
  /** ms an idle upstream stays pooled (default 30 s) */
  idleTimeoutMs?: number;
  /** ms to wait for outstanding replies after a client half-close (default 2000) */
  drainTimeoutMs?: number;
  /**
   * ms one side may refuse our writes (backpressure, no 'drain') before the proxied connection is closed
   * at both ends (default 30 s; 0 = wait forever). Without it a peer that stops reading holds the other
   * side forever: its socket is paused, and a paused socket never sees its own peer leave.
   */
  stallTimeoutMs?: number;
  recorder?: TcpRecorder;
}

export interface ProxiedConnectionStats {
  conn: string | null;
  /** bytes client → upstream */
  bytesUp: number;
  /** bytes upstream → client */
  bytesDown: number;
  /** how the upstream was handed back */
  upstream: 'pooled' | 'closed';
  reason: string;
}

export interface ProxyStats {
  accepted: number;
  active: number;
  bytesUp: number;
  bytesDown: number;
  pool: PoolStats;
  /** the last finished connections (at most 100) */
  recent: ProxiedConnectionStats[];
}

export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  stats(): ProxyStats;
  close(): Promise<void>;
}

/** Finished connections kept for stats(). */
const RECENT_LIMIT = 100;

/** Defaults of ProxyOptions (see there for what each bounds). */
const DEFAULT_POOL_SIZE = 4;
const DEFAULT_HIGH_WATER_MARK_BYTES = 64 * 1024;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_DRAIN_TIMEOUT_MS = 2000;
const DEFAULT_STALL_TIMEOUT_MS = 30_000;
/** ms a client waits for a pooled upstream before it is refused: long enough for a busy pool to turn over */
const ACQUIRE_TIMEOUT_MS = 10_000;
/** ms `close()` waits for borrowed upstreams to come back before closing them anyway */
const CLOSE_DRAIN_MS = 1000;

/** The pool of upstream connections, dialled with the proxy's buffer size and recorded as pool events. */
function createUpstreamPool(options: ProxyOptions, highWaterMark: number): Pool<Socket> {
  const { recorder, upstream } = options;
  return new Pool<Socket>({
    maxSize: options.poolSize ?? DEFAULT_POOL_SIZE,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    acquireTimeoutMs: ACQUIRE_TIMEOUT_MS,
    dial: () =>
      new Promise((resolve, reject) => {
        // net.Socket hands its options to stream.Duplex, which takes highWaterMark (types omit it)
        const socket = net.connect({ host: upstream.host, port: upstream.port, highWaterMark } as net.NetConnectOpts);
        recorder?.watch(socket, { label: `proxy → ${upstream.host}:${upstream.port}`, via: 'pool', connecting: true });
        socket.once('error', reject);
        socket.once('connect', () => {
          socket.off('error', reject);
          // keep one listener so a late error never crashes the process
          socket.on('error', () => undefined);
          resolve(socket);
        });
      }),
    isAlive: (socket) => !socket.destroyed && !socket.readableEnded && socket.writable && socket.errored === null,
    destroy: (socket) => socket.destroy(),
    onClose: (socket, listener) => socket.once('close', listener),
    events: recorder && {
      acquired: (socket, _id, reused, waitedMs) =>
        recorder.record({ kind: 'pool-acquired', conn: recorder.idOf(socket) ?? '?', reused, waitedUs: waitedMs * 1000 }),
      released: (socket, _id, kept, reason) => recorder.record({ kind: 'pool-released', conn: recorder.idOf(socket) ?? '?', kept, reason }),
      evicted: (socket, _id, reason) => recorder.record({ kind: 'pool-evicted', conn: recorder.idOf(socket) ?? '?', reason }),
      waited: (waiting) => recorder.record({ kind: 'pool-waited', waiting }),
    },
  });
}

export async function startProxy(options: ProxyOptions): Promise<TcpProxy> {
  const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK_BYTES;
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const recorder = options.recorder;
  const totals = { accepted: 0, active: 0, bytesUp: 0, bytesDown: 0 };
  const recent: ProxiedConnectionStats[] = [];
  const clients = new Set<Socket>();
  /** while pooled, unexpected data or FIN from the upstream makes it unusable */
  const idleGuards = new WeakMap<Socket, () => void>();

  const pool = createUpstreamPool(options, highWaterMark);

  const park = (upstream: Socket): void => {
    const guard = (): void => {
      upstream.destroy();
    };
    upstream.on('data', guard);
    upstream.on('end', guard);
    idleGuards.set(upstream, () => {
      upstream.off('data', guard);
      upstream.off('end', guard);
    });
    upstream.resume();
  };

  /** What the exchange's end means for its upstream: pooled again (guarded while idle) or closed. */
  const settle = (client: Socket, upstream: Socket, conn: string | null, end: ExchangeEnd): void => {
    totals.active -= 1;
    totals.bytesUp += end.bytesUp;
    totals.bytesDown += end.bytesDown;
    const kept = end.reusable && !upstream.destroyed && !upstream.readableEnded;
    recent.push({ conn, bytesUp: end.bytesUp, bytesDown: end.bytesDown, upstream: kept ? 'pooled' : 'closed', reason: end.reason });
    if (recent.length > RECENT_LIMIT) recent.shift();
    if (conn && recorder) {
      recorder.record({ kind: 'bytes-copied', conn, direction: 'received', bytes: end.bytesUp });
      recorder.record({ kind: 'bytes-copied', conn, direction: 'sent', bytes: end.bytesDown });
    }
    if (kept) park(upstream);
    pool.putOrCloseIdle(upstream, kept, end.reason);
    if (!client.destroyed) client.end();
    clients.delete(client);
  };

  const handle = async (client: Socket): Promise<void> => {
    totals.accepted += 1;
    totals.active += 1;
    clients.add(client);
    client.pause();
    client.on('error', () => undefined);
    const conn = recorder?.watch(client, { label: 'client → proxy' }) ?? null;
    let upstream: Socket;
    try {
      upstream = await pool.getConn();
    } catch (error) {
      recorder?.note('warn', `proxy: no upstream connection: ${(error as Error).message}`);
      totals.active -= 1;
      clients.delete(client);
      client.destroy();
      return;
    }
    idleGuards.get(upstream)?.();
    idleGuards.delete(upstream);
    new ProxiedExchange(client, upstream, { drainTimeoutMs, stallTimeoutMs }, (end) => settle(client, upstream, conn, end));
  };

  const server = net.createServer({ highWaterMark, pauseOnConnect: true, allowHalfOpen: true }, (client) => void handle(client));
  const host = options.listenHost ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listenPort ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy: no TCP address');

  return {
    host,
    port: address.port,
    stats: () => ({ ...totals, pool: pool.stats(), recent: [...recent] }),
    close: async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of clients) client.destroy();
      await pool.close(CLOSE_DRAIN_MS);
      await stopped;
    },
  };
}
