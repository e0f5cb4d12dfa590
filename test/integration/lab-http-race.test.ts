/**
 * The stale-connection race on demand: the embedded server in race mode closes a
 * connection idle for its keepAliveTimeout exactly when the next request arrives.
 * The reset shows with the unsafe client setting and not with a client idle
 * timeout below the server's; tcpdump + tshark confirm the connection counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRunConfigSchema, type HttpRunConfigInput, type HttpRunResult } from '@shared/api-http';
import { startDemoHttpServer, type DemoHttpServer } from '@engine/lab/demo-http-server';
import { runHttpLoop } from '@engine/lab/http-loop';
import { resolveHttpConfig } from '@engine/lab/http-scenarios';
import { startLoopbackCapture, streamsWithin } from './helpers/tcpdump-capture';

/** server idle timeout, ms; the client idles 400 ms between requests */
const SERVER_IDLE_MS = 300;
let finServer: DemoHttpServer;
let rstServer: DemoHttpServer;

beforeAll(async () => {
  const server = { keepAliveTimeoutMs: SERVER_IDLE_MS, keepAliveHint: false };
  finServer = await startDemoHttpServer(HttpRunConfigSchema.parse({ server: { ...server, staleRace: 'fin' } }).server);
  rstServer = await startDemoHttpServer(HttpRunConfigSchema.parse({ server: { ...server, staleRace: 'rst' } }).server);
});
afterAll(async () => {
  await finServer?.close();
  await rstServer?.close();
});

type RaceCase = 'agent-fin' | 'agent-rst' | 'undici-fin' | 'agent-safe' | 'undici-safe';
const cases: Record<RaceCase, { server: () => DemoHttpServer; config: HttpRunConfigInput }> = {
  'agent-fin': { server: () => finServer, config: {} },
  'agent-rst': { server: () => rstServer, config: {} },
  'undici-fin': { server: () => finServer, config: { client: 'undici' } },
  'agent-safe': { server: () => finServer, config: { agent: { timeoutMs: 200 } } },
  'undici-safe': { server: () => finServer, config: { client: 'undici', undici: { keepAliveTimeoutMs: 200 } } },
};
/** ms between runs sharing the capture */
const GAP_MS = 30;
const runs = new Map<RaceCase, { result: HttpRunResult; streams: number; resets: number }>();

/** Every case under one capture of both servers; one tshark run; streams told apart by time. */
beforeAll(async () => {
  const capture = await startLoopbackCapture([finServer.port, rstServer.port]);
  const windows: Array<{ name: RaceCase; result: HttpRunResult; fromMs: number; toMs: number }> = [];
  try {
    for (const [name, { server, config }] of Object.entries(cases) as Array<[RaceCase, (typeof cases)[RaceCase]]>) {
      const fromMs = Date.now();
      const result = await runHttpLoop(HttpRunConfigSchema.parse({ requests: 3, intervalMs: 400, ...config }), { server: server() });
      windows.push({ name, result, fromMs, toMs: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    }
    await capture.stop();
    const streams = await capture.streams();
    for (const { name, result, fromMs, toMs } of windows) {
      const mine = streamsWithin(streams, fromMs - 1, toMs + 1);
      runs.set(name, { result, streams: mine.length, resets: mine.filter((stream) => stream.reset).length });
    }
  } finally {
    await capture.dispose();
  }
});

function raceRun(name: RaceCase): { result: HttpRunResult; streams: number; resets: number } {
  const run = runs.get(name);
  if (!run) throw new Error(`no run for ${name}`);
  return run;
}

describe('stale-connection race (deterministic)', () => {
  it('http.Agent without a timeout: the reused connection is closed under request 2 → ECONNRESET "socket hang up"', () => {
    const { result, streams, resets } = raceRun('agent-fin');
    const second = result.requests[1]!;
    expect(second.error).toBe('socket hang up');
    expect(second.errorCode).toBe('ECONNRESET');
    expect(second.reused).toBe(true);
    expect(second.retried).toBe(false);
    expect(result.requests[0]!.status).toBe(200);
    expect(result.requests[2]!.status).toBe(200);
    expect(result.server?.requests.map((request) => request.action)).toEqual(['answered', 'race-closed', 'answered']);
    expect(result.connectionsOpened).toBe(2);
    expect(streams).toBe(result.connectionsOpened);
    expect(result.connections[0]!.overlay.verdict.first).toBe('server');
    expect(resets).toBe(0);
  });

  it('the same with RST: "read ECONNRESET", and tshark sees the reset', () => {
    const { result, streams, resets } = raceRun('agent-rst');
    expect(result.requests[1]!.error).toBe('read ECONNRESET');
    expect(result.requests[1]!.errorCode).toBe('ECONNRESET');
    expect(resets).toBeGreaterThanOrEqual(1);
    expect(streams).toBe(result.connectionsOpened);
  });

  it('undici: "other side closed" (UND_ERR_SOCKET), not retried', () => {
    const { result, streams } = raceRun('undici-fin');
    const second = result.requests[1]!;
    expect(second.errorCode).toBe('UND_ERR_SOCKET');
    expect(second.error).toContain('other side closed');
    expect(second.reused).toBe(true);
    expect(result.errors).toBe(1);
    expect(streams).toBe(result.connectionsOpened);
  });

  it('agent timeout below the server keepAliveTimeout avoids it: 3 fresh connections, no error', () => {
    const { result, streams } = raceRun('agent-safe');
    expect(result.errors).toBe(0);
    expect(result.requests.map((request) => request.reused)).toEqual([false, false, false]);
    expect(result.server?.requests.every((request) => request.action === 'answered')).toBe(true);
    expect(result.connectionsOpened).toBe(3);
    expect(streams).toBe(3);
    expect(result.connections[0]!.overlay.verdict.first).toBe('client');
  });

  it('undici keepAliveTimeout below the server keepAliveTimeout avoids it', () => {
    const { result, streams } = raceRun('undici-safe');
    expect(result.errors).toBe(0);
    expect(result.connectionsOpened).toBe(3);
    expect(streams).toBe(3);
  });

  it('the retry preset recovers on a fresh connection', async () => {
    const config = resolveHttpConfig('stale-race-retry');
    const result = await runHttpLoop(config, { server: finServer });
    expect(result.errors).toBe(0);
    expect(result.requests[1]!.retried).toBe(true);
    expect(result.requests[1]!.status).toBe(200);
    expect(result.requests[1]!.reused).toBe(false);
    expect(result.notes.some((note) => note.includes('socket hang up'))).toBe(true);
  });
});
