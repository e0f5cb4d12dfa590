/**
 * "More connections than needed" on real loopback sockets: when the pause between requests outlives an
 * idle timeout (the client's or the server's), each request needs a new connection on purpose, so the
 * run raises no surprise — and the advice never says to raise the client's timeout above the server's.
 * A pause shorter than the timeouts still names the extra dials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRunConfigSchema, type HttpRunConfigInput } from '@shared/api-http';
import { startDemoHttpServer, type DemoHttpServer } from '@engine/lab/demo-http-server';
import { runHttpLoop } from '@engine/lab/http-loop';

/** the server's keep-alive timeout, ms; the runs pause 400 ms between requests */
const SERVER_IDLE_MS = 300;
let timerServer: DemoHttpServer;
let raceServer: DemoHttpServer;
/** answers every response with Connection: close */
let closingServer: DemoHttpServer;

beforeAll(async () => {
  const server = { keepAliveTimeoutMs: SERVER_IDLE_MS, keepAliveHint: false };
  timerServer = await startDemoHttpServer(HttpRunConfigSchema.parse({ server }).server);
  raceServer = await startDemoHttpServer(HttpRunConfigSchema.parse({ server: { ...server, staleRace: 'fin' } }).server);
  closingServer = await startDemoHttpServer(HttpRunConfigSchema.parse({ server: { ...server, closeEveryNth: 1 } }).server);
});
afterAll(async () => {
  await timerServer?.close();
  await raceServer?.close();
  await closingServer?.close();
});

const run = (server: DemoHttpServer, config: HttpRunConfigInput) =>
  runHttpLoop(HttpRunConfigSchema.parse({ requests: 3, intervalMs: 400, ...config }), { server });

describe('connections a timeout closed on purpose', () => {
  it('the client’s idle timeout (200 ms) below the pause: 3 connections for 3 requests, no surprise', async () => {
    const result = await run(timerServer, { agent: { timeoutMs: 200 } });
    expect(result.errors).toBe(0);
    expect(result.connectionsOpened).toBe(3);
    expect(result.connections.slice(1).map((connection) => connection.openedBecause.cause)).toEqual([
      'closed-by-client',
      'closed-by-client',
    ]);
    expect(result.surprise).toBeNull();
  });

  it('the server’s keep-alive timeout (300 ms) below the pause: the FIN comes first, the client redials quietly, no surprise', async () => {
    const result = await run(timerServer, {});
    expect(result.errors).toBe(0);
    expect(result.connectionsOpened).toBe(3);
    expect(result.connections.slice(1).map((connection) => connection.openedBecause.cause)).toEqual([
      'closed-by-server',
      'closed-by-server',
    ]);
    expect(result.surprise).toBeNull();
  });

  it('the race (server closes as the request arrives): 2 connections and a failed request, no “1 would do”', async () => {
    const result = await run(raceServer, {});
    expect(result.errors).toBe(1);
    expect(result.connectionsOpened).toBe(2);
    expect(result.surprise).toBeNull();
  });

  it('a pause shorter than every timeout: connections the server closed (Connection: close) are still extra', async () => {
    const result = await run(closingServer, { intervalMs: 50 });
    expect(result.connectionsOpened).toBe(3);
    expect(result.surprise).toMatchObject({ minimum: 1, headline: '3 connections for 3 requests where 1 would do' });
    expect(result.surprise?.extra.map((item) => item.openedBecause.cause)).toEqual(['closed-by-server', 'closed-by-server']);
  });
});
