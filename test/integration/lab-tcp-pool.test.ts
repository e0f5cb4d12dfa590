import { describe, expect, it } from 'vitest';
import { startEchoServer, type EchoServer } from '@engine/lab/echo-server';
import type { MuxClient } from '@engine/lab/mux-client';
import { PoolError, type Pool } from '@engine/lab/pool';
import { createMuxPool, runMuxExperiment, runPerRequestExperiment, runPoolExperiment } from '@engine/lab/tcp-experiments';
import { TcpRecorder } from '@engine/lab/tcp-recorder';
import { withLeakCheck } from './helpers/fd-count';

const cleanups = withLeakCheck();

async function echo(options: Parameters<typeof startEchoServer>[0] = {}): Promise<EchoServer> {
  const server = await startEchoServer(options);
  cleanups.push(() => server.close());
  return server;
}

function pool(server: EchoServer, options: { size: number; acquireTimeoutMs?: number }, recorder = new TcpRecorder()): Pool<MuxClient> {
  const created = createMuxPool({ host: server.host, port: server.port }, options, recorder);
  cleanups.push(() => created.close(500));
  return created;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('pool on real sockets', () => {
  it('queues callers when exhausted and hands released connections over', async () => {
    const server = await echo({ delayMs: 100 });
    const recorder = new TcpRecorder();
    const connections = pool(server, { size: 2 }, recorder);
    const once = async (index: number): Promise<string> => {
      const client = await connections.getConn();
      try {
        return (await client.send(`n${index}`)).val;
      } finally {
        connections.putOrCloseIdle(client, true);
      }
    };
    const values = await Promise.all([0, 1, 2, 3, 4].map(once));
    expect(values).toEqual([0, 1, 2, 3, 4].map((index) => `server: hello, n${index}`));
    expect(connections.stats()).toMatchObject({ size: 2, idle: 2, inUse: 0, waiting: 0, created: 2, reused: 3 });
    expect(server.stats().connectionsAccepted).toBe(2);
    expect(recorder.trace.events.some((event) => event.kind === 'pool-waited')).toBe(true);
  });

  it('rejects with acquire-timeout when nothing is released in time', async () => {
    const server = await echo();
    const connections = pool(server, { size: 1, acquireTimeoutMs: 150 });
    const held = await connections.getConn();
    const error = await connections.getConn().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PoolError);
    expect((error as PoolError).code).toBe('acquire-timeout');
    connections.putOrCloseIdle(held, true);
  });

  for (const how of ['fin', 'rst'] as const) {
    it(`never hands out a pooled connection the server closed while idle (${how.toUpperCase()})`, async () => {
      const server = await echo();
      const recorder = new TcpRecorder();
      const connections = pool(server, { size: 2 }, recorder);
      const [a, b] = [await connections.getConn(), await connections.getConn()];
      await Promise.all([a.send('warm'), b.send('warm')]);
      connections.putOrCloseIdle(a, true);
      connections.putOrCloseIdle(b, true);
      await server.closeConnections(how);
      await waitFor(() => !a.alive && !b.alive, 'the client to see the close');
      const fresh = await connections.getConn();
      expect(fresh).not.toBe(a);
      expect(fresh).not.toBe(b);
      await expect(fresh.send('after')).resolves.toMatchObject({ val: 'server: hello, after' });
      expect(connections.stats()).toMatchObject({ created: 3, reused: 0 });
      const evictions = recorder.trace.events.filter((event) => event.kind === 'pool-evicted');
      expect(evictions).toHaveLength(2);
      connections.putOrCloseIdle(fresh, true);
    });
  }

  it('destroys a connection whose request failed because it closed, instead of pooling it', async () => {
    const server = await echo({ delayMs: 2000 });
    const connections = pool(server, { size: 1 });
    const client = await connections.getConn();
    const pending = client.send('x').then(
      () => new Error('unexpected reply'),
      (caught: unknown) => caught as Error,
    );
    await waitFor(() => server.stats().requests === 1, 'the request to arrive');
    await server.closeConnections('rst');
    expect((await pending).message).toContain('ECONNRESET');
    connections.putOrCloseIdle(client, true);
    expect(connections.stats()).toMatchObject({ size: 0, idle: 0 });
  });
});

describe('experiments (embedded echo server)', () => {
  it('mux: one connection carries every request; drops show as timeouts', async () => {
    const { summary, session } = await runMuxExperiment({ requests: 40, concurrency: 8, timeoutMs: 200, server: { dropEveryNth: 10 } });
    expect(summary).toMatchObject({ requests: 40, ok: 36, timedOut: 4, failed: 0, connectionsOpened: 1 });
    expect(summary.requestsPerSecond).toBeGreaterThan(0);
    expect(summary.ms.p50).not.toBeNull();
    expect(session.connections).toHaveLength(1);
    expect(session.events.filter((event) => event.kind === 'request-ended')).toHaveLength(40);
  });

  it('pool: at most `size` connections, the rest reused', async () => {
    const { summary } = await runPoolExperiment({ size: 4, requests: 200, concurrency: 16 });
    expect(summary).toMatchObject({ requests: 200, ok: 200, timedOut: 0, failed: 0 });
    expect(summary.connectionsOpened).toBeLessThanOrEqual(4);
    expect(summary.pool.reused).toBe(200 - summary.connectionsOpened);
    // the pool as the run left it, not after the closing drain (which reported size 0 and every connection evicted)
    expect(summary.pool).toMatchObject({ size: summary.connectionsOpened, idle: summary.connectionsOpened, inUse: 0, evicted: 0 });
  });

  it('per request: one connection each', async () => {
    const { summary } = await runPerRequestExperiment({ requests: 30, concurrency: 5 });
    expect(summary).toMatchObject({ ok: 30, connectionsOpened: 30 });
  });

  it('stops starting requests when cancelled', async () => {
    const controller = new AbortController();
    const running = runMuxExperiment({ requests: 1_000_000, concurrency: 4, signal: controller.signal, server: { delayMs: 5 } });
    setTimeout(() => controller.abort(), 200);
    const { summary } = await running;
    expect(summary.cancelled).toBe(true);
    expect(summary.requests).toBeLessThan(1_000_000);
    expect(summary.ok).toBe(summary.requests);
  });
});
