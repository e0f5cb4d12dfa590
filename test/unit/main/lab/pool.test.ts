import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pool, PoolError, type PoolOptions } from '@engine/lab/pool';

/** A stand-in connection: no kernel involved, so timers can be faked. */
class FakeConn {
  alive = true;
  destroyedReason: string | null = null;
  private closeListeners: Array<() => void> = [];
  constructor(readonly id: number) {}
  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }
  /** the peer closed it and our close handler ran */
  closeByPeer(): void {
    this.alive = false;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}

function makePool(overrides: Partial<PoolOptions<FakeConn>> = {}) {
  let next = 1;
  const log: string[] = [];
  const pool = new Pool<FakeConn>({
    maxSize: 2,
    dial: async () => new FakeConn(next++),
    isAlive: (conn) => conn.alive,
    destroy: (conn, reason) => {
      conn.destroyedReason = reason;
      conn.alive = false;
    },
    onClose: (conn, listener) => conn.onClose(listener),
    events: {
      acquired: (conn, _id, reused) => log.push(`acquired ${conn.id}${reused ? ' reused' : ''}`),
      released: (conn, _id, kept, reason) => log.push(`released ${conn.id} ${kept ? 'kept' : `closed: ${reason}`}`),
      evicted: (conn, _id, reason) => log.push(`evicted ${conn.id}: ${reason}`),
      waited: (waiting) => log.push(`waited ${waiting}`),
    },
    ...overrides,
  });
  return { pool, log };
}

describe('Pool', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reuses an idle connection instead of dialling', async () => {
    const { pool, log } = makePool();
    const first = await pool.getConn();
    pool.putOrCloseIdle(first, true);
    const second = await pool.getConn();
    expect(second).toBe(first);
    expect(pool.stats()).toMatchObject({ size: 1, idle: 0, inUse: 1, created: 1, reused: 1 });
    expect(log).toEqual(['acquired 1', 'released 1 kept', 'acquired 1 reused']);
  });

  it('queues callers when exhausted, hands the released connection over, and times out the rest', async () => {
    const { pool, log } = makePool({ maxSize: 1, acquireTimeoutMs: 500 });
    const held = await pool.getConn();
    const waiting = pool.getConn();
    const late = pool.getConn();
    expect(pool.stats()).toMatchObject({ waiting: 2, inUse: 1 });
    pool.putOrCloseIdle(held, true);
    await expect(waiting).resolves.toBe(held);
    const lateResult = late.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(500);
    const error = await lateResult;
    expect(error).toBeInstanceOf(PoolError);
    expect((error as PoolError).code).toBe('acquire-timeout');
    expect(pool.stats()).toMatchObject({ waiting: 0, created: 1, reused: 1 });
    expect(log).toContain('waited 2');
  });

  it('never hands out a connection the peer closed while idle (health check on borrow)', async () => {
    const { pool, log } = makePool();
    const first = await pool.getConn();
    pool.putOrCloseIdle(first, true);
    first.alive = false; // FIN seen but the close handler has not run yet
    const second = await pool.getConn();
    expect(second).not.toBe(first);
    expect(first.destroyedReason).toBe('closed by the peer while idle');
    expect(log).toContain('evicted 1: closed by the peer while idle');
  });

  it('drops a connection whose close handler fired while idle, and lets a waiter dial in its place', async () => {
    const { pool, log } = makePool({ maxSize: 1 });
    const first = await pool.getConn();
    const waiter = pool.getConn();
    pool.destroy(first, 'read error');
    const replacement = await waiter;
    expect(replacement).not.toBe(first);
    // the waiter got a fresh dial: it is not counted or reported as a reuse
    expect(log).toContain('acquired 2');
    expect(pool.stats().reused).toBe(0);
    expect(pool.stats()).toMatchObject({ size: 1, created: 2, evicted: 1 });
    pool.putOrCloseIdle(replacement, true);
    replacement.closeByPeer();
    expect(pool.stats()).toMatchObject({ size: 0, idle: 0, evicted: 2 });
  });

  it('evicts idle connections after idleTimeoutMs and keeps at most maxIdle', async () => {
    const { pool } = makePool({ maxSize: 3, maxIdle: 1, idleTimeoutMs: 1000 });
    const [a, b] = [await pool.getConn(), await pool.getConn()];
    pool.putOrCloseIdle(a, true);
    pool.putOrCloseIdle(b, true);
    expect(b.destroyedReason).toBe('too many idle connections (maxIdle)');
    expect(pool.stats()).toMatchObject({ idle: 1 });
    await vi.advanceTimersByTimeAsync(999);
    expect(pool.stats().idle).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(pool.stats()).toMatchObject({ idle: 0, size: 0 });
    expect(a.destroyedReason).toBe('idle for 1000 ms');
  });

  it('does not pool a connection returned as not reusable', async () => {
    const { pool } = makePool();
    const conn = await pool.getConn();
    pool.putOrCloseIdle(conn, false, 'upstream errored');
    expect(conn.destroyedReason).toBe('upstream errored');
    expect(pool.stats().size).toBe(0);
  });

  it('close() rejects waiters, closes idle ones and waits for borrowed ones', async () => {
    const { pool } = makePool({ maxSize: 1 });
    const conn = await pool.getConn();
    const waiter = pool.getConn().catch((error: unknown) => error);
    const closing = pool.close(1000);
    expect(((await waiter) as PoolError).code).toBe('pool-closed');
    // close() resolves on the release itself: no timer has to run
    pool.putOrCloseIdle(conn, true);
    await closing;
    expect(conn.destroyedReason).toBe('pool closed');
    await expect(pool.getConn()).rejects.toThrow('the pool is closed');
  });

  it('close() closes a connection still borrowed when the drain timeout ends', async () => {
    const { pool } = makePool({ maxSize: 1 });
    const conn = await pool.getConn();
    let closed = false;
    const closing = pool.close(1000).then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await closing;
    expect(conn.destroyedReason).toBe('pool closed (still in use after the drain timeout)');
    expect(pool.stats().size).toBe(0);
  });
});
