import net, { type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startEchoServer, type EchoServer } from '@engine/lab/echo-server';
import { startProxy, type TcpProxy } from '@engine/lab/proxy';
import { withLeakCheck } from './helpers/fd-count';

const cleanups = withLeakCheck();

async function setup(
  echoOptions: Parameters<typeof startEchoServer>[0] = {},
  proxyOptions: { drainTimeoutMs?: number; poolSize?: number } = {},
): Promise<{ echo: EchoServer; proxy: TcpProxy }> {
  const echo = await startEchoServer(echoOptions);
  cleanups.push(() => echo.close());
  const proxy = await startProxy({ upstream: { host: echo.host, port: echo.port }, highWaterMark: 16 * 1024, ...proxyOptions });
  cleanups.push(() => proxy.close());
  return { echo, proxy };
}

interface Conversation {
  socket: Socket;
  /** resolves with every reply line and whether the proxy ended (FIN) or the socket closed */
  done: Promise<{ lines: string[]; ended: boolean }>;
}

function talk(proxy: TcpProxy, lines: string[], options: { halfClose: boolean }): Conversation {
  const socket = net.connect(proxy.port, proxy.host);
  cleanups.push(async () => socket.destroy());
  socket.on('error', () => undefined);
  let text = '';
  let ended = false;
  socket.on('data', (chunk) => (text += chunk.toString()));
  socket.on('end', () => (ended = true));
  const done = new Promise<{ lines: string[]; ended: boolean }>((resolve) =>
    socket.once('close', () => resolve({ lines: text.split('\n').filter(Boolean), ended })),
  );
  socket.write(lines.map((val, index) => `${JSON.stringify({ uid: `u${index}`, val })}\n`).join(''));
  if (options.halfClose) socket.end();
  return { socket, done };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('proxy with a pooled upstream', () => {
  it('copies both ways, then pools the upstream and reuses it for the next client', async () => {
    const { echo, proxy } = await setup();
    const first = await talk(proxy, ['a', 'b', 'c'], { halfClose: true }).done;
    expect(first.lines.map((line) => (JSON.parse(line) as { val: string }).val)).toEqual([
      'server: hello, a',
      'server: hello, b',
      'server: hello, c',
    ]);
    expect(first.ended).toBe(true);
    await waitFor(() => proxy.stats().pool.idle === 1, 'the upstream to be pooled');
    const second = await talk(proxy, ['d'], { halfClose: true }).done;
    expect(second.lines).toHaveLength(1);
    const stats = proxy.stats();
    expect(stats.pool).toMatchObject({ created: 1, reused: 1 });
    expect(echo.stats().connectionsAccepted).toBe(1);
    const [recentFirst] = stats.recent;
    expect(recentFirst).toMatchObject({ upstream: 'pooled', bytesUp: 3 * '{"uid":"u0","val":"a"}\n'.length });
    expect(recentFirst?.bytesDown).toBe(first.lines.join('\n').length + 1);
  });

  it('half-close: replies still on their way reach the client before the proxy ends it', async () => {
    const { proxy } = await setup({ delayMs: 300 });
    const result = await talk(proxy, ['slow'], { halfClose: true }).done;
    expect(result.lines).toHaveLength(1);
    expect(result.ended).toBe(true);
    expect(proxy.stats().recent[0]).toMatchObject({ upstream: 'pooled', reason: 'client half-closed; all replies delivered' });
  });

  it('half-close with replies that never come: forwards the FIN upstream and does not pool it', async () => {
    const { echo, proxy } = await setup({ dropEveryNth: 1 }, { drainTimeoutMs: 200 });
    const result = await talk(proxy, ['lost'], { halfClose: true }).done;
    expect(result).toEqual({ lines: [], ended: true });
    await waitFor(() => echo.stats().connectionsOpen === 0, 'the upstream connection to close');
    expect(proxy.stats().recent[0]).toMatchObject({ upstream: 'closed' });
    expect(proxy.stats().pool).toMatchObject({ size: 0, idle: 0 });
  });

  it('a client that vanishes with a reply outstanding does not return the upstream to the pool', async () => {
    const { echo, proxy } = await setup({ delayMs: 300 });
    const conversation = talk(proxy, ['x'], { halfClose: false });
    await waitFor(() => echo.stats().requests === 1, 'the request to reach the upstream');
    conversation.socket.resetAndDestroy();
    await waitFor(() => proxy.stats().recent.length === 1, 'the proxy to finish the connection');
    expect(proxy.stats().recent[0]).toMatchObject({ upstream: 'closed', reason: 'client went away with 1 repl(ies) outstanding' });
    await waitFor(() => echo.stats().connectionsOpen === 0, 'the upstream to be closed');
    expect(proxy.stats().pool.size).toBe(0);
  });

  it('an upstream that resets is never pooled and the client is closed', async () => {
    const { echo, proxy } = await setup({ delayMs: 5000 });
    const conversation = talk(proxy, ['x'], { halfClose: false });
    await waitFor(() => echo.stats().requests === 1, 'the request to reach the upstream');
    await echo.closeConnections('rst');
    const result = await conversation.done;
    expect(result.lines).toEqual([]);
    expect(proxy.stats().recent[0]).toMatchObject({ upstream: 'closed', reason: 'upstream closed' });
    expect(proxy.stats().pool).toMatchObject({ size: 0, idle: 0 });
  });

  it('copies a large transfer with backpressure and counts the bytes', async () => {
    const { proxy } = await setup();
    const big = 'y'.repeat(200_000);
    const result = await talk(proxy, [big, big], { halfClose: true }).done;
    expect(result.lines).toHaveLength(2);
    const recent = proxy.stats().recent[0];
    expect(recent?.bytesUp).toBeGreaterThan(400_000);
    expect(recent?.bytesDown).toBeGreaterThan(400_000);
  });
});
