import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tcpMethods } from '@shared/api-tcp';
import { MuxClient } from '@engine/lab/mux-client';
import { createTcpHandlers, TcpListenerRegistry } from '@engine/services/tcp';
import { countOpenFds, settledFdCount } from './helpers/fd-count';
import { serviceContext } from '../helpers/service-context';

let fdsBefore = 0;
const listeners = new TcpListenerRegistry();

beforeEach(async () => {
  fdsBefore = await countOpenFds();
});
afterEach(async () => {
  await listeners.closeAll();
  expect(await settledFdCount(fdsBefore)).toBeLessThanOrEqual(fdsBefore);
});

const context = serviceContext;

describe('tcp handlers', () => {
  it('tcp.runMux streams the trace in batches and live stats under the job id, and its result fits the schema', async () => {
    const ctx = context();
    const handlers = createTcpHandlers(ctx, listeners);
    const params = tcpMethods['tcp.runMux'].params.parse({ jobId: 'mux-1', requests: 60, concurrency: 2, server: { delayMs: 40 } });
    const result = tcpMethods['tcp.runMux'].result.parse(await handlers['tcp.runMux'](params));
    expect(result.summary).toMatchObject({ requests: 60, ok: 60, connectionsOpened: 1 });
    const batches = ctx.events.filter((event) => event.kind === 'trace-appended');
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.every((batch) => batch.jobId === 'mux-1')).toBe(true);
    expect(batches.reduce((sum, batch) => sum + (batch.kind === 'trace-appended' ? batch.events.length : 0), 0)).toBe(
      result.session.events.length,
    );
    expect(ctx.events.some((event) => event.kind === 'stats-updated' && event.jobId === 'mux-1')).toBe(true);
    expect(ctx.events.some((event) => event.kind === 'job-progressed' && event.total === 60)).toBe(true);
  });

  it('job.cancel stops a run; the summary says cancelled', async () => {
    const ctx = context();
    const handlers = createTcpHandlers(ctx, listeners);
    const running = handlers['tcp.runPool'](
      tcpMethods['tcp.runPool'].params.parse({ jobId: 'pool-1', requests: 1_000_000, concurrency: 4, size: 2, server: { delayMs: 5 } }),
    );
    setTimeout(() => ctx.jobs.cancel('pool-1'), 300);
    const { summary } = await running;
    expect(summary.cancelled).toBe(true);
    expect(summary.requests).toBeLessThan(1_000_000);
  });

  it('starts and stops an echo server and a proxy in front of an embedded upstream', async () => {
    const handlers = createTcpHandlers(context(), listeners);
    const echo = await handlers['tcp.startEcho'](tcpMethods['tcp.startEcho'].params.parse({}));
    const proxy = await handlers['tcp.startProxy'](tcpMethods['tcp.startProxy'].params.parse({}));
    for (const port of [echo.port, proxy.port]) {
      const client = await MuxClient.connect({ host: '127.0.0.1', port });
      await expect(client.send('hi')).resolves.toMatchObject({ val: 'server: hello, hi' });
      await client.close('fin');
    }
    const timers = await handlers['tcp.kernelTimers']({});
    expect(timers.available).toBe(true);
    expect(await handlers['tcp.stopEcho']({ id: echo.id })).toMatchObject({
      stopped: true,
      stats: { connectionsAccepted: expect.any(Number) },
    });
    const stopped = await handlers['tcp.stopProxy']({ id: proxy.id });
    expect(stopped.stopped).toBe(true);
    expect(stopped.stats).toMatchObject({ accepted: 1 });
    expect(await handlers['tcp.stopEcho']({ id: echo.id })).toEqual({ stopped: false, stats: null });
  });

  it('rejects params outside the contract', () => {
    expect(tcpMethods['tcp.runKeepalive'].params.safeParse({ idleS: 0.5, holdS: 1 }).success).toBe(false);
    expect(tcpMethods['tcp.runMux'].params.safeParse({ requests: 1, concurrency: 1, extra: true }).success).toBe(false);
  });
});
