/**
 * The learner presets and body modes against the embedded server: what each is
 * meant to show actually shows (counts from socket identity, lsof-style counting
 * and the server's own record).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRunConfigSchema, type HttpRunConfigInput, type HttpRunResult } from '@shared/api-http';
import { startDemoHttpServer, type DemoHttpServer } from '@engine/lab/demo-http-server';
import { runHttpLoop } from '@engine/lab/http-loop';
import { resolveHttpConfig } from '@engine/lab/http-scenarios';

let big: DemoHttpServer;
beforeAll(async () => {
  // 1 MiB bodies: more than the socket buffers, so an unread body really blocks the connection.
  big = await startDemoHttpServer(HttpRunConfigSchema.parse({ server: { bodyBytes: 1024 * 1024 } }).server);
});
afterAll(async () => {
  await big?.close();
});

const onBig = (config: HttpRunConfigInput): Promise<HttpRunResult> =>
  runHttpLoop(HttpRunConfigSchema.parse({ ...config, url: null }), { server: big });

describe('presets', () => {
  it('two-held-open: two bodies held at once need two connections, both open at the end, because of the unread body', async () => {
    const result = await runHttpLoop(resolveHttpConfig('two-held-open'));
    expect(result.connectionsOpened).toBe(2);
    expect(result.connections[1]?.openedBecause.cause).toBe('body-unread');
    expect(result.maxOpen).toBe(2);
    expect(result.openAtEnd).toBe(2);
    expect(result.openAfterRelease).toBe(0);
  });

  it('queued-above-max-sockets: 2 connections and requests that waited for one', async () => {
    const result = await runHttpLoop(resolveHttpConfig('queued-above-max-sockets'));
    expect(result.connectionsOpened).toBe(2);
    expect(result.maxOpen).toBe(2);
    const queued = result.requests.map((request) => request.ms.queued ?? 0);
    // 6 at once on 2 sockets with a 50 ms answer: the 5th and 6th of a round wait two answers
    expect(Math.max(...queued)).toBeGreaterThanOrEqual(80);
    expect(queued.filter((ms) => ms < 40).length).toBeGreaterThanOrEqual(2);
  });

  it('keepalive-off: one connection at a time, 10 handshakes, the agent closes first', async () => {
    const result = await runHttpLoop(resolveHttpConfig('keepalive-off'));
    expect(result.connectionsOpened).toBe(10);
    expect(result.handshakesSaved).toBe(0);
    expect(result.requests.every((request) => request.ms.connect !== null)).toBe(true);
    expect(result.connections.every((connection) => connection.overlay.verdict.first === 'client')).toBe(true);
  });
});

describe('body modes', () => {
  it('destroy: every request costs a connection', async () => {
    const result = await onBig({ requests: 4, body: 'destroy' });
    expect(result.connectionsOpened).toBe(4);
    expect(result.errors).toBe(0);
  });

  it('partial read of a large body then abort: no reuse; a partial read that covers the body: reuse', async () => {
    const aborted = await onBig({ requests: 3, body: 'partial', partialBytes: 1000 });
    expect(aborted.connectionsOpened).toBe(3);
    expect(aborted.requests.every((request) => request.bodyBytesRead >= 1000)).toBe(true);
    const whole = await runHttpLoop(
      HttpRunConfigSchema.parse({ requests: 3, body: 'partial', partialBytes: 1_000_000, server: { bodyBytes: 100 } }),
    );
    expect(whole.connectionsOpened).toBe(1);
  });

  it('undici: an ignored 1 MiB body blocks its connection; a drained one does not', async () => {
    const ignored = await onBig({ client: 'undici', requests: 3, body: 'ignore' });
    expect(ignored.connectionsOpened).toBe(3);
    const drained = await onBig({ client: 'undici', requests: 3, body: 'drain', intervalMs: 20 });
    expect(drained.connectionsOpened).toBe(1);
    expect(drained.requests.map((request) => request.reuseSignals.diagnostics)).toEqual([false, true, true]);
    expect(drained.requests.map((request) => request.reuseSignals.server)).toEqual([false, true, true]);
  });

  it('Connection: close on every 3rd response costs a new connection after each', async () => {
    const result = await runHttpLoop(HttpRunConfigSchema.parse({ requests: 6, server: { closeEveryNth: 3 } }));
    expect(result.connectionsOpened).toBe(2);
    expect(result.server?.requests.map((request) => request.action)).toEqual([
      'answered',
      'answered',
      'answered-and-closed',
      'answered',
      'answered',
      'answered-and-closed',
    ]);
    expect(result.connections[0]?.closed).toEqual({ how: 'fin', by: 'remote' });
  });
});
