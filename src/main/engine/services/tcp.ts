/**
 * The tcp handlers: the TCP lab's experiments and listeners behind the contract in
 * src/shared/api-tcp.ts. Runs stream their trace in batches (`trace-appended`,
 * at most every 250 ms), live figures (`stats-updated`, about once a second) and
 * progress (`job-progressed`) under their job id; `job.cancel` aborts them.
 */
import { randomUUID } from 'node:crypto';
import type { tcpMethods } from '@shared/api-tcp';
import type { Connection, TraceEvent } from '@shared/trace';
import { startEchoServer, type EchoServer } from '../lab/echo-server';
import { halfOpenAvailability, runHalfOpenScenario } from '../lab/half-open';
import { readOwnKernelTimers } from '../lab/kernel-timers';
import { startProxy, type TcpProxy } from '../lab/proxy';
import { runKeepaliveExperiment, runMuxExperiment, runPoolExperiment } from '../lab/tcp-experiments';
import { TcpRecorder } from '../lab/tcp-recorder';
import { Budget } from '../jobs';
import { captureFilePath } from './capture-file';
import { ServiceError, type Handlers, type ServiceContext } from './context';
import { runHalfOpenWithCapture, runKeepaliveWithCapture } from '../correlate/tcp-capture';

/** ms between trace batches pushed to the UI */
const TRACE_FLUSH_MS = 250;

/**
 * Echo servers and proxies started from the UI, closed on `stop*` or `closeAll` (when their page
 * goes). Each holds one unit of the engine's listener budget while it listens.
 */
export class TcpListenerRegistry {
  readonly echoes = new Map<string, EchoServer>();
  readonly proxies = new Map<string, { proxy: TcpProxy; embeddedEcho: EchoServer | null }>();

  constructor(readonly budget: Budget = new Budget('echo servers and proxies', Number.POSITIVE_INFINITY, '')) {}

  async closeAll(): Promise<void> {
    const closing = [...this.echoes.values()].map((echo) => echo.close());
    for (const { proxy, embeddedEcho } of this.proxies.values()) closing.push(proxy.close().then(() => embeddedEcho?.close()));
    for (let index = 0; index < closing.length; index++) this.budget.give();
    this.echoes.clear();
    this.proxies.clear();
    await Promise.all(closing);
  }
}

/** Runs one experiment as a job: recorder wired to the UI, signal from the job registry. */
async function runAsJob<R>(
  ctx: ServiceContext,
  jobIdParam: string | undefined,
  total: number | null,
  unit: string,
  run: (hooks: { recorder: TcpRecorder; signal: AbortSignal; onStats: (stats: Record<string, unknown>) => void }) => Promise<R>,
): Promise<R> {
  const job = ctx.jobs.start(jobIdParam);
  const recorder = new TcpRecorder();
  let pending: TraceEvent[] = [];
  const sentConnections = new Set<string>();
  const flush = (): void => {
    if (pending.length === 0) return;
    const connections: Connection[] = [];
    for (const connection of recorder.trace.connections.values()) {
      if (sentConnections.has(connection.id)) continue;
      sentConnections.add(connection.id);
      connections.push(connection);
    }
    ctx.emit({ kind: 'trace-appended', jobId: job.jobId, epochMs: recorder.trace.epochMs, connections, events: pending });
    pending = [];
  };
  const unsubscribe = recorder.trace.onEvent((event) => pending.push(event));
  const flusher = setInterval(flush, TRACE_FLUSH_MS);
  const onStats = (stats: Record<string, unknown>): void => {
    ctx.emit({ kind: 'stats-updated', jobId: job.jobId, stats });
    const done = typeof stats.started === 'number' ? stats.started : typeof stats.atMs === 'number' ? Math.round(stats.atMs / 1000) : 0;
    ctx.emit({ kind: 'job-progressed', jobId: job.jobId, done, total, unit });
  };
  try {
    return await run({ recorder, signal: job.signal, onStats });
  } catch (error) {
    throw new ServiceError('tcp-failed', (error as Error).message);
  } finally {
    clearInterval(flusher);
    flush();
    unsubscribe();
    job.done();
  }
}

/** The proxy's upstream: the one asked for, or its embedded echo server. */
function upstreamOf(upstream: { host: string; port: number } | undefined, embeddedEcho: EchoServer | null): { host: string; port: number } {
  return upstream ?? { host: embeddedEcho?.host ?? '127.0.0.1', port: embeddedEcho?.port ?? 0 };
}

export function createTcpHandlers(
  ctx: ServiceContext,
  listeners = new TcpListenerRegistry(ctx.listenerBudget),
): Handlers<typeof tcpMethods> {
  ctx.onDispose(() => listeners.closeAll());
  return {
    'tcp.runMux': ({ jobId, ...options }) =>
      runAsJob(ctx, jobId, options.requests, 'requests', (hooks) => runMuxExperiment({ ...options, ...hooks })),
    'tcp.runPool': ({ jobId, ...options }) =>
      runAsJob(ctx, jobId, options.requests, 'requests', (hooks) => runPoolExperiment({ ...options, ...hooks })),
    'tcp.runKeepalive': ({ jobId, capture, saveCapture, ...options }) =>
      runAsJob(ctx, jobId, Math.ceil(options.holdS), 's', async (hooks) =>
        capture || saveCapture
          ? runKeepaliveWithCapture({ ...options, ...hooks }, { saveTo: saveCapture ? await captureFilePath(ctx, jobId) : null })
          : runKeepaliveExperiment({ ...options, ...hooks }),
      ),
    'tcp.runHalfOpen': ({ jobId, capture, saveCapture, ...options }) =>
      runAsJob(ctx, jobId, null, 's', async (hooks) =>
        capture || saveCapture
          ? runHalfOpenWithCapture({ ...options, ...hooks }, { saveTo: saveCapture ? await captureFilePath(ctx, jobId) : null })
          : runHalfOpenScenario({ ...options, ...hooks }),
      ),
    'tcp.halfOpenCheck': () => halfOpenAvailability(),
    'tcp.startEcho': async (options) => {
      let echo: EchoServer;
      listeners.budget.take();
      try {
        echo = await startEchoServer(options);
      } catch (error) {
        listeners.budget.give();
        throw new ServiceError('listen-failed', `echo server: ${(error as Error).message}`);
      }
      const id = randomUUID();
      listeners.echoes.set(id, echo);
      return { id, host: echo.host, port: echo.port };
    },
    'tcp.stopEcho': async ({ id }) => {
      const echo = listeners.echoes.get(id);
      if (echo) listeners.budget.give();
      listeners.echoes.delete(id);
      const stats = echo ? { ...echo.stats() } : null;
      await echo?.close();
      return { stopped: echo !== undefined, stats };
    },
    'tcp.startProxy': async ({ listenPort, upstream, poolSize, highWaterMark }) => {
      listeners.budget.take();
      let embeddedEcho: EchoServer | null = null;
      let proxy: TcpProxy;
      try {
        embeddedEcho = upstream ? null : await startEchoServer();
        proxy = await startProxy({ upstream: upstreamOf(upstream, embeddedEcho), listenPort, poolSize, highWaterMark });
      } catch (error) {
        listeners.budget.give();
        await embeddedEcho?.close();
        throw new ServiceError('listen-failed', `proxy: ${(error as Error).message}`);
      }
      const id = randomUUID();
      listeners.proxies.set(id, { proxy, embeddedEcho });
      const target = upstreamOf(upstream, embeddedEcho);
      return { id, host: proxy.host, port: proxy.port, upstream: `${target.host}:${target.port}` };
    },
    'tcp.stopProxy': async ({ id }) => {
      const entry = listeners.proxies.get(id);
      if (!entry) return { stopped: false, stats: null };
      listeners.proxies.delete(id);
      listeners.budget.give();
      await entry.proxy.close();
      // read after the close: an exchange the stop cut short (or whose client's FIN was still on its
      // way) is counted with its bytes, instead of missing from them
      const stats = entry.proxy.stats();
      await entry.embeddedEcho?.close();
      return { stopped: true, stats: { ...stats } };
    },
    'tcp.kernelTimers': () => readOwnKernelTimers(),
  };
}
