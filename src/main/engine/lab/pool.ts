/**
 * A bounded connection pool in the words of Go's net/http Transport and undici:
 * `getConn` (idle first, health-checked; else dial; else wait in a queue with a
 * timeout), `putOrCloseIdle` (keep it idle or close it, with a named reason),
 * idle-timeout eviction, `stats()` as a plain snapshot, `close()` that drains.
 * A connection leaves the pool only through `evict` (its close handler calls it).
 * Generic over the connection type so the state machine is tested with fake
 * timers and fake connections; the lab uses it with `MuxClient` and raw sockets.
 */

export interface PoolOptions<T> {
  /** opens a new connection */
  dial: () => Promise<T>;
  /** health check on borrow: false means the peer closed it (never hand it out) */
  isAlive: (conn: T) => boolean;
  /** closes a connection; the pool calls it once per connection it drops */
  destroy: (conn: T, reason: string) => void;
  /** calls `listener` once when the connection closes by itself */
  onClose: (conn: T, listener: () => void) => void;
  /** most connections open at once, idle + in use + dialling (≥ 1) */
  maxSize: number;
  /** most idle connections kept (default maxSize) */
  maxIdle?: number;
  /** ms an idle connection is kept before it is closed (0 = forever) */
  idleTimeoutMs?: number;
  /** ms a caller waits in the queue before getConn rejects (0 = forever) */
  acquireTimeoutMs?: number;
  /** most callers waiting (default DEFAULT_MAX_WAITING); beyond it getConn rejects at once */
  maxWaiting?: number;
  events?: PoolEvents<T>;
}

/** What the recorder wants to know; ids are the pool's own ("p1", "p2", …). */
export interface PoolEvents<T> {
  created?(conn: T, id: string): void;
  acquired?(conn: T, id: string, reused: boolean, waitedMs: number): void;
  waited?(waiting: number): void;
  released?(conn: T, id: string, kept: boolean, reason?: string): void;
  evicted?(conn: T, id: string, reason: string): void;
}

export interface PoolStats {
  size: number;
  idle: number;
  inUse: number;
  dialling: number;
  waiting: number;
  created: number;
  reused: number;
  evicted: number;
}

export type PoolErrorCode = 'acquire-timeout' | 'pool-closed' | 'queue-full' | 'aborted';

export class PoolError extends Error {
  constructor(
    readonly code: PoolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PoolError';
  }
}

/** Callers allowed to queue when `maxWaiting` is not given: a bound, not a target. */
const DEFAULT_MAX_WAITING = 10_000;
/** ms `close()` waits for borrowed connections to come back before it closes them anyway. */
const DEFAULT_DRAIN_TIMEOUT_MS = 5000;

interface Entry<T> {
  conn: T;
  id: string;
  state: 'idle' | 'in-use' | 'gone';
  idleTimer: ReturnType<typeof setTimeout> | null;
}

/** What a waiter is handed (Go's `wantConn`): the connection and whether it was used before. */
interface Handover<T> {
  entry: Entry<T>;
  /** true when a released connection went straight to the waiter; false for a fresh dial */
  reused: boolean;
}

interface Waiter<T> {
  deliver: (handover: Handover<T>) => void;
  fail: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | null;
}

export class Pool<T> {
  private readonly entries = new Map<T, Entry<T>>();
  /** most recently used last: reuse the warmest connection (LIFO), evict the coldest */
  private readonly idle: Entry<T>[] = [];
  private readonly waiters: Waiter<T>[] = [];
  private dialling = 0;
  private closed = false;
  private nextId = 1;
  private readonly counters = { created: 0, reused: 0, evicted: 0 };
  /** resolved by `checkDrained` once nothing is open or dialling (set while `close()` waits) */
  private onDrained: (() => void) | null = null;

  constructor(private readonly options: PoolOptions<T>) {
    if (options.maxSize < 1) throw new RangeError('pool maxSize must be at least 1');
  }

  stats(): PoolStats {
    const size = this.entries.size + this.dialling;
    return {
      size,
      idle: this.idle.length,
      inUse: this.entries.size - this.idle.length,
      dialling: this.dialling,
      waiting: this.waiters.length,
      ...this.counters,
    };
  }

  /** Borrows a connection: a healthy idle one, else a new one, else waits for a release. */
  async getConn(signal?: AbortSignal): Promise<T> {
    const startedMs = Date.now();
    if (this.closed) throw new PoolError('pool-closed', 'the pool is closed');
    const idle = this.takeIdle();
    if (idle) return this.handOut(idle, true, startedMs);
    if (this.entries.size + this.dialling < this.options.maxSize) return this.handOut(await this.dial(), false, startedMs);
    const handover = await this.queueForIdle(signal);
    return this.handOut(handover.entry, handover.reused, startedMs);
  }

  /** Returns a borrowed connection: kept idle when `reusable` and healthy, else closed. */
  putOrCloseIdle(conn: T, reusable: boolean, reason?: string): void {
    const entry = this.entries.get(conn);
    if (!entry || entry.state !== 'in-use') return;
    const refusal = this.refusalReason(entry, reusable, reason);
    if (refusal) {
      this.options.events?.released?.(conn, entry.id, false, refusal);
      this.evict(entry, refusal);
      this.dialForWaiter();
      return;
    }
    this.options.events?.released?.(conn, entry.id, true);
    const waiter = this.waiters.shift();
    if (waiter) {
      // straight to the next caller: it stays in use, and it was used before
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.deliver({ entry, reused: true });
      return;
    }
    this.makeIdle(entry);
  }

  /** Drops a connection after an error (never pooled again). */
  destroy(conn: T, reason: string): void {
    const entry = this.entries.get(conn);
    if (!entry) return;
    this.evict(entry, reason);
    this.dialForWaiter();
  }

  /** Rejects waiters, closes idle connections, then waits (bounded, ms) for borrowed ones to come back. */
  async close(drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.fail(new PoolError('pool-closed', 'the pool was closed while waiting'));
    }
    for (const entry of [...this.idle]) this.evict(entry, 'pool closed');
    await this.drained(drainTimeoutMs);
    for (const entry of [...this.entries.values()]) this.evict(entry, 'pool closed (still in use after the drain timeout)');
  }

  /** Resolves when every borrowed and dialling connection is gone, or after `timeoutMs`. */
  private drained(timeoutMs: number): Promise<void> {
    if (this.isDrained()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.onDrained = null;
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.onDrained = finish;
    });
  }

  private isDrained(): boolean {
    return this.entries.size === 0 && this.dialling === 0;
  }

  private checkDrained(): void {
    if (this.onDrained && this.isDrained()) this.onDrained();
  }

  private refusalReason(entry: Entry<T>, reusable: boolean, reason?: string): string | null {
    if (!reusable) return reason ?? 'not reusable';
    if (this.closed) return 'pool closed';
    if (!this.options.isAlive(entry.conn)) return 'closed by the peer while in use';
    if (this.waiters.length === 0 && this.idle.length >= (this.options.maxIdle ?? this.options.maxSize))
      return 'too many idle connections (maxIdle)';
    return null;
  }

  private takeIdle(): Entry<T> | undefined {
    for (let entry = this.idle.pop(); entry; entry = this.idle.pop()) {
      this.clearIdleTimer(entry);
      if (this.options.isAlive(entry.conn)) return entry;
      // health check on borrow: the peer closed it while idle
      this.evict(entry, 'closed by the peer while idle');
    }
    return undefined;
  }

  private handOut(entry: Entry<T>, reused: boolean, startedMs: number): T {
    // closed between the release and this hand-over: never hand out a dead connection
    if (entry.state === 'gone') throw new PoolError('aborted', 'the connection closed while being handed over; retry');
    entry.state = 'in-use';
    if (reused) this.counters.reused += 1;
    this.options.events?.acquired?.(entry.conn, entry.id, reused, Date.now() - startedMs);
    return entry.conn;
  }

  private async dial(): Promise<Entry<T>> {
    this.dialling += 1;
    let conn: T;
    try {
      conn = await this.options.dial();
    } catch (error) {
      this.dialling -= 1;
      this.checkDrained();
      throw error;
    }
    this.dialling -= 1;
    const entry: Entry<T> = { conn, id: `p${this.nextId++}`, state: 'in-use', idleTimer: null };
    this.entries.set(conn, entry);
    this.counters.created += 1;
    this.options.events?.created?.(conn, entry.id);
    this.options.onClose(conn, () => {
      if (entry.state !== 'gone') this.evict(entry, entry.state === 'idle' ? 'closed by the peer while idle' : 'closed while in use');
      this.dialForWaiter();
    });
    return entry;
  }

  private queueForIdle(signal?: AbortSignal): Promise<Handover<T>> {
    if (this.waiters.length >= (this.options.maxWaiting ?? DEFAULT_MAX_WAITING)) {
      return Promise.reject(new PoolError('queue-full', `${this.waiters.length} callers already waiting`));
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => leave(new PoolError('aborted', 'cancelled while waiting for a connection'));
      const settle =
        <A>(action: (value: A) => void) =>
        (value: A): void => {
          signal?.removeEventListener('abort', onAbort);
          action(value);
        };
      const waiter: Waiter<T> = { deliver: settle(resolve), fail: settle(reject), timer: null };
      const leave = (error: PoolError): void => {
        const index = this.waiters.indexOf(waiter);
        if (index === -1) return;
        this.waiters.splice(index, 1);
        if (waiter.timer) clearTimeout(waiter.timer);
        waiter.fail(error);
      };
      const timeoutMs = this.options.acquireTimeoutMs ?? 0;
      if (timeoutMs > 0) {
        waiter.timer = setTimeout(
          () =>
            leave(
              new PoolError('acquire-timeout', `no connection free within ${timeoutMs} ms (pool of ${this.options.maxSize} exhausted)`),
            ),
          timeoutMs,
        );
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.options.events?.waited?.(this.waiters.length);
    });
  }

  /** After a connection went away, a waiter may dial in its place. */
  private dialForWaiter(): void {
    if (this.closed || this.waiters.length === 0 || this.entries.size + this.dialling >= this.options.maxSize) return;
    const waiter = this.waiters.shift();
    if (!waiter) return;
    if (waiter.timer) clearTimeout(waiter.timer);
    this.dial().then(
      (entry) => waiter.deliver({ entry, reused: false }),
      (error: unknown) => waiter.fail(error instanceof Error ? error : new Error(String(error))),
    );
  }

  private makeIdle(entry: Entry<T>): void {
    entry.state = 'idle';
    this.idle.push(entry);
    const idleTimeoutMs = this.options.idleTimeoutMs ?? 0;
    if (idleTimeoutMs > 0) {
      entry.idleTimer = setTimeout(() => {
        const index = this.idle.indexOf(entry);
        if (index !== -1) this.idle.splice(index, 1);
        this.evict(entry, `idle for ${idleTimeoutMs} ms`);
      }, idleTimeoutMs);
    }
  }

  private clearIdleTimer(entry: Entry<T>): void {
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = null;
  }

  private evict(entry: Entry<T>, reason: string): void {
    if (entry.state === 'gone') return;
    entry.state = 'gone';
    this.clearIdleTimer(entry);
    const index = this.idle.indexOf(entry);
    if (index !== -1) this.idle.splice(index, 1);
    this.entries.delete(entry.conn);
    this.counters.evicted += 1;
    this.options.events?.evicted?.(entry.conn, entry.id, reason);
    this.options.destroy(entry.conn, reason);
    this.checkDrained();
  }
}
