import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startEchoServer, type EchoServer } from '@engine/lab/echo-server';
import { MuxClient, MuxError } from '@engine/lab/mux-client';
import { TcpRecorder } from '@engine/lab/tcp-recorder';
import { withLeakCheck } from './helpers/fd-count';

const cleanups = withLeakCheck();

async function echo(options: Parameters<typeof startEchoServer>[0] = {}): Promise<EchoServer> {
  const server = await startEchoServer(options);
  cleanups.push(() => server.close());
  return server;
}

async function mux(server: EchoServer, options: { timeoutMs?: number } = {}, recorder?: TcpRecorder): Promise<MuxClient> {
  const client = await MuxClient.connect({ host: server.host, port: server.port, ...options }, (socket) =>
    recorder?.watch(socket, { label: 'test', connecting: true }),
  );
  cleanups.push(() => client.close('rst'));
  return client;
}

/** Sends raw lines on a plain socket and collects reply lines until `count` arrived or the socket closed. */
function rawExchange(port: number, payload: string, count: number): Promise<{ lines: string[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    cleanups.push(async () => socket.destroy());
    let text = '';
    const lines = (): string[] => text.split('\n').filter((line) => line.length > 0);
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (lines().length >= count) resolve({ lines: lines(), closed: false });
    });
    socket.on('error', () => undefined);
    socket.once('close', () => resolve({ lines: lines(), closed: true }));
    socket.write(payload);
  });
}

describe('echo server', () => {
  it('answers {uid,val} with the response (not the request): val prefixed and ts set', async () => {
    const server = await echo();
    const { lines } = await rawExchange(server.port, '{"uid":"a","val":"pixelpig!"}\n', 1);
    const reply = JSON.parse(lines[0] ?? '{}') as { uid: string; val: string; ts: string };
    expect(reply.uid).toBe('a');
    expect(reply.val).toBe('server: hello, pixelpig!');
    expect(Number.isNaN(Date.parse(reply.ts))).toBe(false);
  });

  it('answers a malformed line with an error line and keeps the connection usable', async () => {
    const server = await echo();
    const { lines, closed } = await rawExchange(server.port, 'not json\n{"uid":"b","val":"x"}\n', 2);
    expect(closed).toBe(false);
    expect(JSON.parse(lines[0] ?? '{}')).toEqual({ error: 'malformed request: not JSON' });
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({ uid: 'b', val: 'server: hello, x' });
    expect(server.stats().malformed).toBe(1);
  });

  it('closes a connection whose line exceeds the limit, saying why', async () => {
    const server = await echo({ maxLineBytes: 64 });
    const { lines, closed } = await rawExchange(server.port, 'x'.repeat(200), 5);
    expect(closed).toBe(true);
    expect(lines).toEqual([JSON.stringify({ error: 'line longer than 64 bytes; closing the connection' })]);
    expect(server.stats().closedForLongLine).toBe(1);
  });

  it('serves many clients at once', async () => {
    const server = await echo();
    const clients = await Promise.all(Array.from({ length: 20 }, () => mux(server)));
    const replies = await Promise.all(clients.map((client, index) => client.send(`client ${index}`)));
    expect(replies.map((reply) => reply.val)).toEqual(clients.map((_, index) => `server: hello, client ${index}`));
    expect(server.stats().connectionsAccepted).toBe(20);
  });
});

describe('multiplexing client', () => {
  it('matches 500 in-flight requests on one connection by uid', async () => {
    const server = await echo();
    const client = await mux(server);
    const replies = await Promise.all(Array.from({ length: 500 }, (_, index) => client.send(`v${index}`)));
    replies.forEach((reply, index) => expect(reply.val).toBe(`server: hello, v${index}`));
    expect(client.stats()).toMatchObject({ sent: 500, ok: 500, pending: 0 });
    expect(server.stats().connectionsAccepted).toBe(1);
  });

  it('times a request out, ignores its late reply and counts it', async () => {
    const server = await echo({ delayMs: 300 });
    const client = await mux(server, { timeoutMs: 100 });
    const error = await client.send('slow').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MuxError);
    expect((error as MuxError).code).toBe('timeout');
    const deadline = Date.now() + 3000;
    while (client.stats().lateReplies === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.stats()).toMatchObject({ timedOut: 1, lateReplies: 1, ok: 0, pending: 0 });
    server.setBehaviour({ delayMs: 0 });
    await expect(client.send('fast')).resolves.toMatchObject({ val: 'server: hello, fast' });
  });

  it('fails every pending request with a clear error when the peer closes mid-request (FIN)', async () => {
    const server = await echo({ delayMs: 5000 });
    const recorder = new TcpRecorder();
    const client = await mux(server, {}, recorder);
    const pending = [client.send('a'), client.send('b'), client.send('c')].map((promise) =>
      promise.then(
        () => new MuxError('protocol-error', 'unexpected reply'),
        (caught: unknown) => caught as MuxError,
      ),
    );
    while (server.stats().requests < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.closeConnections('fin');
    const errors = await Promise.all(pending);
    for (const error of errors) {
      expect(error.code).toBe('conn-closed');
      expect(error.message).toMatch(/the server closed the connection \(FIN\) with 3 requests pending/);
    }
    expect(client.stats()).toMatchObject({ failed: 3, pending: 0 });
    await expect(client.send('after')).rejects.toThrow(/not sent/);
    const closed = recorder.trace.events.find((event) => event.kind === 'conn-closed');
    expect(closed).toMatchObject({ how: 'fin', by: 'remote' });
  });

  it('reports an RST from the peer as a reset, failing pending requests', async () => {
    const server = await echo({ delayMs: 5000 });
    const recorder = new TcpRecorder();
    const client = await mux(server, {}, recorder);
    const pending = client.send('a').then(
      () => new MuxError('protocol-error', 'unexpected reply'),
      (caught: unknown) => caught as MuxError,
    );
    while (server.stats().requests < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.closeConnections('rst');
    const error = await pending;
    expect(error.code).toBe('conn-closed');
    expect(error.message).toContain('ECONNRESET');
    await new Promise((resolve) => (client.socket.destroyed ? resolve(null) : client.socket.once('close', resolve)));
    const kinds = recorder.trace.events.map((event) => event.kind);
    expect(kinds[0]).toBe('conn-opened');
    expect(recorder.trace.events.find((event) => event.kind === 'conn-closed')).toMatchObject({
      how: 'rst',
      by: 'remote',
      reason: 'ECONNRESET',
    });
    const times = recorder.trace.events.map((event) => event.t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('bounds the requests in flight', async () => {
    const server = await echo({ delayMs: 1000 });
    const client = await MuxClient.connect({ host: server.host, port: server.port, maxPending: 2 });
    cleanups.push(() => client.close('rst'));
    const first = [client.send('1'), client.send('2')].map((promise) => promise.catch(() => undefined));
    await expect(client.send('3')).rejects.toMatchObject({ code: 'too-many-pending' });
    await client.close('rst');
    await Promise.all(first);
  });
});
