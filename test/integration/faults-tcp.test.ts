/**
 * Faults on the wire against the TCP lab: the multiplexing client against each faulty JSON-lines
 * peer, and the pool and the proxy against a server that resets a random tenth of its connections.
 * Every request ends (success or a clear error) within its timeout; the pool never hands out a
 * connection that already failed; no fd, socket or timer remains after each run.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MuxClient, MuxError } from '@engine/lab/mux-client';
import { Pool, PoolError } from '@engine/lab/pool';
import { startProxy, type TcpProxy } from '@engine/lab/proxy';
import { startFaultServer, type Fault, type FaultServer } from './helpers/fault-server';
import { leakedSince, snapshotResources } from './helpers/leak-check';

/** per-request timeout, ms */
const TIMEOUT_MS = 1000;
/** slack for a busy machine, ms */
const SLACK_MS = 1500;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function faultServer(fault: Fault, seed = 1): Promise<FaultServer> {
  const server = await startFaultServer(fault, 'json-lines', seed);
  cleanups.push(() => server.close());
  return server;
}

/** Settles a promise into "ok" or its error's message, with how long it took. */
async function settle<T>(work: Promise<T>): Promise<{ ok: boolean; error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await work;
    return { ok: true, error: null, ms: Date.now() - started };
  } catch (error) {
    return { ok: false, error, ms: Date.now() - started };
  }
}

const MUX_FAULTS: { fault: Exclude<Fault, 'kills-a-tenth'>; code: RegExp }[] = [
  { fault: 'rst-mid-response', code: /conn-closed/ },
  { fault: 'close-after-headers', code: /conn-closed/ },
  { fault: 'sends-nothing', code: /timeout/ },
  { fault: 'trickles', code: /timeout/ },
  { fault: 'garbage', code: /timeout/ },
  { fault: 'never-reads', code: /timeout/ },
];

describe('mux client against a faulty peer', () => {
  it.each(MUX_FAULTS)('$fault: every request fails clearly within its timeout, nothing leaks', async ({ fault, code }) => {
    const before = await snapshotResources();
    const server = await faultServer(fault);
    const client = await MuxClient.connect({ host: server.host, port: server.port, timeoutMs: TIMEOUT_MS });
    // never-reads: big requests so the writes pile up in the kernel buffers
    const value = fault === 'never-reads' ? 'x'.repeat(256 * 1024) : 'hello';
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => settle(client.send(value))));
    for (const outcome of outcomes) {
      expect(outcome.ok).toBe(false);
      expect(outcome.error).toBeInstanceOf(MuxError);
      expect((outcome.error as MuxError).code).toMatch(code);
      expect((outcome.error as MuxError).message.length).toBeGreaterThan(10);
      expect(outcome.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    }
    expect(client.stats().pending).toBe(0);
    await client.close('rst');
    await server.close();
    expect(await leakedSince(before)).toEqual({});
  });
});

describe('pool against a server that kills a random tenth of its connections', () => {
  it('every request ends in time; a connection that failed is never handed out again; nothing leaks', async () => {
    const before = await snapshotResources();
    const server = await faultServer('kills-a-tenth', 9);
    const handedOut = new Set<MuxClient>();
    const failed = new Set<MuxClient>();
    const pool = new Pool<MuxClient>({
      dial: () => MuxClient.connect({ host: server.host, port: server.port, timeoutMs: TIMEOUT_MS }),
      isAlive: (client) => client.alive,
      destroy: (client) => void client.close('rst'),
      onClose: (client, listener) => client.socket.once('close', listener),
      maxSize: 8,
      idleTimeoutMs: 5000,
      acquireTimeoutMs: TIMEOUT_MS,
    });
    let deadHandouts = 0;
    const request = async (index: number): Promise<void> => {
      const client = await pool.getConn();
      if (failed.has(client)) deadHandouts += 1;
      handedOut.add(client);
      try {
        await client.send(`request ${index}`);
        pool.putOrCloseIdle(client, true);
      } catch (error) {
        failed.add(client);
        pool.destroy(client, (error as Error).message);
        throw error;
      }
    };
    const outcomes: { ok: boolean; error: unknown; ms: number }[] = [];
    // 30 rounds of 10 concurrent requests: bounded in count (300) and, through the timeouts, in time
    for (let round = 0; round < 30; round++) {
      outcomes.push(...(await Promise.all(Array.from({ length: 10 }, (_, slot) => settle(request(round * 10 + slot))))));
    }
    const failures = outcomes.filter((outcome) => !outcome.ok);
    expect(server.killed).toBeGreaterThan(0);
    expect(failures.length).toBeGreaterThan(0);
    expect(outcomes.filter((outcome) => outcome.ok).length).toBeGreaterThan(outcomes.length / 2);
    for (const failure of failures) {
      expect(failure.error instanceof MuxError || failure.error instanceof PoolError).toBe(true);
      expect(failure.ms).toBeLessThan(2 * TIMEOUT_MS + SLACK_MS);
    }
    for (const outcome of outcomes) expect(outcome.ms).toBeLessThan(2 * TIMEOUT_MS + SLACK_MS);
    expect(deadHandouts).toBe(0);
    await pool.close(1000);
    expect(pool.stats()).toMatchObject({ size: 0, idle: 0, inUse: 0, waiting: 0 });
    await server.close();
    expect(await leakedSince(before)).toEqual({});
  });
});

/** One client through the proxy: send a line, wait for its reply or the end, then close. */
/** Resolves once `done()` holds (checked every 10 ms); fails after 5 s. */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function proxiedRequest(proxy: TcpProxy, index: number): Promise<{ ok: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(proxy.port, proxy.host);
    let reply = '';
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, ms: Date.now() - started });
    };
    const timer = setTimeout(() => done(false), TIMEOUT_MS * 3);
    socket.on('error', () => done(false));
    socket.on('close', () => done(reply.includes('\n')));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\n')) done(reply.includes(`request ${index}`));
    });
    socket.write(`${JSON.stringify({ uid: `u${index}`, val: `request ${index}` })}\n`);
  });
}

describe('proxy against a server that kills a random tenth of its connections', () => {
  it('every client gets its reply or a close in time, the proxy ends with no active client, nothing leaks', async () => {
    const before = await snapshotResources();
    const server = await faultServer('kills-a-tenth', 4);
    const proxy = await startProxy({
      upstream: { host: server.host, port: server.port },
      poolSize: 8,
      idleTimeoutMs: 5000,
      drainTimeoutMs: 500,
    });
    cleanups.push(() => proxy.close());
    const outcomes: { ok: boolean; ms: number }[] = [];
    for (let round = 0; round < 20; round++) {
      outcomes.push(...(await Promise.all(Array.from({ length: 10 }, (_, slot) => proxiedRequest(proxy, round * 10 + slot)))));
    }
    expect(server.killed).toBeGreaterThan(0);
    expect(outcomes.filter((outcome) => outcome.ok).length).toBeGreaterThan(outcomes.length / 2);
    expect(outcomes.filter((outcome) => !outcome.ok).length).toBeGreaterThan(0);
    for (const outcome of outcomes) expect(outcome.ms).toBeLessThan(TIMEOUT_MS * 3);
    // the proxy saw every client finish (none stuck waiting for an upstream)
    const deadline = Date.now() + 3000;
    while (proxy.stats().active > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(proxy.stats().active).toBe(0);
    await proxy.close();
    await server.close();
    expect(await leakedSince(before)).toEqual({});
  });
});

describe('proxy: a client that leaves while waiting for an upstream', () => {
  it('is finished when the upstream arrives: the upstream goes back to the pool and the next client is served', async () => {
    const { startEchoServer } = await import('@engine/lab/echo-server');
    const echo = await startEchoServer();
    cleanups.push(() => echo.close());
    const proxy = await startProxy({ upstream: { host: echo.host, port: echo.port }, poolSize: 1, idleTimeoutMs: 5000 });
    cleanups.push(() => proxy.close());

    // A holds the only upstream connection
    const holder = net.connect(proxy.port, proxy.host);
    cleanups.push(async () => void holder.destroy());
    await new Promise<void>((resolve) => holder.once('connect', () => resolve()));
    holder.write('{"uid":"a","val":"a"}\n');
    await new Promise<void>((resolve) => holder.once('data', () => resolve()));
    // B arrives, waits for the pool, and leaves before it gets an upstream
    const leaver = net.connect(proxy.port, proxy.host);
    await new Promise<void>((resolve) => leaver.once('connect', () => resolve()));
    // B leaves only once the proxy has it waiting for the pool (a fixed pause may end first on a loaded machine)
    await until(() => proxy.stats().pool.waiting === 1, 'B waits for an upstream');
    leaver.resetAndDestroy();
    // A leaves: the upstream goes to B's handler, whose client is already gone
    holder.end();
    await until(() => proxy.stats().pool.waiting === 0, 'the upstream went to B');

    // C must be served by the pooled upstream well before the proxy's 10 s acquire timeout
    const served = await proxiedRequest(proxy, 7);
    expect(served.ok).toBe(true);
    const deadline = Date.now() + 3000;
    while (proxy.stats().active > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(proxy.stats().active).toBe(0);
    expect(proxy.stats().pool.inUse).toBe(0);
  });
});

describe('proxy with an upstream that accepts and never reads', () => {
  it('pushes back on the client instead of buffering (bounded), then closes the stalled connection at both ends', async () => {
    const before = await snapshotResources();
    const server = await faultServer('never-reads');
    const stallTimeoutMs = 1500;
    const proxy = await startProxy({
      upstream: { host: server.host, port: server.port },
      poolSize: 2,
      highWaterMark: 64 * 1024,
      stallTimeoutMs,
    });
    cleanups.push(() => proxy.close());
    const client = net.connect(proxy.port, proxy.host);
    client.on('error', () => undefined);
    const clientClosed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    // offer 64 MiB in 1 MiB lines; stop when the socket stays full for 300 ms (bounded: ≤ 64 writes)
    const line = Buffer.alloc(1024 * 1024, 0x61);
    line[line.length - 1] = 0x0a;
    for (let written = 0; written < 64; written++) {
      if (client.write(line)) continue;
      const drained = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 300);
        client.once('drain', () => (clearTimeout(timer), resolve(true)));
      });
      if (!drained) break;
    }
    const accepted = client.bytesWritten - client.writableLength;
    // kernel buffers on three loopback sockets hold a few MiB; a proxy without backpressure would take all 64
    expect(accepted).toBeLessThan(40 * 1024 * 1024);
    // the client never gives up by itself: the proxy must end the stall (it used to hold it forever)
    const closedInTime = await Promise.race([
      clientClosed.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), stallTimeoutMs + 3000)),
    ]);
    expect(closedInTime).toBe(true);
    expect(proxy.stats().active).toBe(0);
    expect(proxy.stats().recent.at(-1)).toMatchObject({ upstream: 'closed', reason: expect.stringMatching(/stalled/) });
    client.destroy();
    await proxy.close();
    await server.close();
    expect(await leakedSince(before)).toEqual({});
  });
});

describe('echo server with a client that sends requests and never reads the replies', () => {
  it('stops reading requests once its replies back up, instead of buffering them without bound', async () => {
    const { startEchoServer } = await import('@engine/lab/echo-server');
    const before = await snapshotResources();
    const echo = await startEchoServer();
    cleanups.push(() => echo.close());
    const client = net.connect(echo.port, echo.host);
    client.on('error', () => undefined);
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    client.pause();
    // 200,000 requests of ~230 bytes (≈ 46 MB of requests, ≈ 54 MB of replies); stop when the socket stays full for 500 ms
    const value = 'v'.repeat(200);
    const offered = 200_000;
    let sent = 0;
    for (; sent < offered; sent++) {
      if (client.write(`{"uid":"u${sent}","val":"${value}"}\n`)) continue;
      const drained = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 500);
        client.once('drain', () => (clearTimeout(timer), resolve(true)));
      });
      if (!drained) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    // loopback kernel buffers hold a few MiB of replies (~10-30 k); an echo server that reads on
    // regardless holds the rest in memory (it read 197,453 of 200,000 before the fix)
    expect(echo.stats().requests).toBeLessThan(offered / 2);
    client.destroy();
    await echo.close();
    expect(await leakedSince(before)).toEqual({});
  });
});
