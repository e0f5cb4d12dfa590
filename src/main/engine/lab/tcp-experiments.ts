/**
 * The TCP lab's experiments end to end, each returning `{ session, summary }`:
 * - mux: N requests over ONE connection, C in flight at a time (matched by uid);
 * - pool: N requests over a pool of S connections, one request per borrow;
 * - per-request: a new connection for every request (the naive way, for the bench);
 * - keepalive: see keepalive-experiment.ts.
 * Without a target, the embedded echo server on a random loopback port is used.
 * Cancel with an AbortSignal (no new requests start; the summary says `cancelled`);
 * `onStats` receives live figures once a second for the UI.
 */
import { randomUUID } from 'node:crypto';
import type { LoadSummary } from '@shared/api-tcp';
import type { Session } from '@shared/trace';
import { withTarget, type EchoBehaviour, type Target } from './echo-server';
import { MuxClient, MuxError } from './mux-client';
import { Pool, type PoolStats } from './pool';
import { TcpRecorder } from './tcp-recorder';

export { runKeepaliveExperiment, type KeepaliveExperimentOptions, type KeepaliveSummary } from './keepalive-experiment';

export interface ExperimentHooks {
  signal?: AbortSignal;
  /** live figures, about once a second */
  onStats?: (stats: Record<string, unknown>) => void;
  /** record into this recorder (the service streams its events); a new one otherwise */
  recorder?: TcpRecorder;
}

export interface LoadOptions extends ExperimentHooks {
  requests: number;
  concurrency: number;
  /** per-request timeout in ms (0 = none) */
  timeoutMs?: number;
  target?: Target;
  /** behaviour of the embedded echo server (ignored with a target) */
  server?: Partial<EchoBehaviour>;
}

export interface ExperimentResult<S> {
  session: Session;
  summary: S;
}

/** Nearest-rank percentile of ascending `sorted` values (null when empty). */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? null;
}

interface LoadTally {
  started: number;
  ok: number;
  timedOut: number;
  failed: number;
  latenciesMs: number[];
  errors: Map<string, number>;
}

/** C workers take request numbers until N are started or the signal aborts. */
async function runLoad(
  options: LoadOptions,
  mode: LoadSummary['mode'],
  recorder: TcpRecorder,
  send: (index: number) => Promise<{ conn?: string; reused: boolean | null }>,
  extraStats: () => Record<string, unknown>,
): Promise<LoadTally> {
  const tally: LoadTally = { started: 0, ok: 0, timedOut: 0, failed: 0, latenciesMs: [], errors: new Map() };
  const startedMs = performance.now();
  const ticker = setInterval(() => {
    const elapsedS = (performance.now() - startedMs) / 1000;
    options.onStats?.({
      mode,
      started: tally.started,
      ok: tally.ok,
      timedOut: tally.timedOut,
      failed: tally.failed,
      requestsPerSecond: Math.round(tally.ok / elapsedS),
      ...extraStats(),
    });
  }, 1000);
  const worker = async (): Promise<void> => {
    while (tally.started < options.requests && !options.signal?.aborted) {
      const index = tally.started++;
      const request = `r${index + 1}`;
      const beganUs = recorder.trace.now();
      recorder.record({ kind: 'request-started', request });
      let outcome: { conn?: string; reused: boolean | null } = { reused: null };
      let error: string | null = null;
      try {
        outcome = await send(index);
        tally.ok += 1;
        tally.latenciesMs.push((recorder.trace.now() - beganUs) / 1000);
      } catch (caught) {
        error = (caught as Error).message;
        if (caught instanceof MuxError && caught.code === 'timeout') tally.timedOut += 1;
        else tally.failed += 1;
        const key = caught instanceof MuxError ? caught.code : ((caught as { code?: string }).code ?? 'error');
        tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
      }
      const totalUs = recorder.trace.now() - beganUs;
      recorder.record({
        kind: 'request-ended',
        conn: outcome.conn,
        request,
        reused: outcome.reused,
        status: null,
        error,
        timings: { queuedUs: null, connectUs: null, firstByteUs: error ? null : totalUs, totalUs },
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, options.requests)) }, worker));
  } finally {
    clearInterval(ticker);
  }
  return tally;
}

function summarize(
  mode: LoadSummary['mode'],
  tally: LoadTally,
  durationMs: number,
  extra: { lateReplies: number; connectionsOpened: number; target: Target; cancelled: boolean },
): LoadSummary {
  const sorted = [...tally.latenciesMs].sort((a, b) => a - b);
  const round = (value: number | null): number | null => (value === null ? null : Math.round(value * 1000) / 1000);
  return {
    mode,
    requests: tally.started,
    ok: tally.ok,
    timedOut: tally.timedOut,
    failed: tally.failed,
    lateReplies: extra.lateReplies,
    connectionsOpened: extra.connectionsOpened,
    requestsPerSecond: durationMs > 0 ? Math.round((tally.ok / durationMs) * 1000) : 0,
    durationMs: Math.round(durationMs),
    ms: { p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)) },
    target: `${extra.target.host}:${extra.target.port}`,
    cancelled: extra.cancelled,
    errors: [...tally.errors].map(([code, count]) => `${code} × ${count}`),
  };
}

/** The plain-data options worth keeping in the session (no hooks, no signal). */
function settingsOf(options: LoadOptions & { size?: number }): Record<string, unknown> {
  const { requests, concurrency, timeoutMs, target, server, size } = options;
  return {
    requests,
    concurrency,
    timeoutMs: timeoutMs ?? 0,
    target: target ?? 'embedded echo server',
    server: server ?? {},
    ...(size === undefined ? {} : { size }),
  };
}

function finishSession(recorder: TcpRecorder, title: string, settings: Record<string, unknown>, summary: object): Session {
  return recorder.trace.toSession({ id: randomUUID(), kind: 'tcp-lab', title, settings, summary: { ...summary } });
}

export function runMuxExperiment(options: LoadOptions): Promise<ExperimentResult<LoadSummary>> {
  const recorder = options.recorder ?? new TcpRecorder();
  return withTarget(options.target, options.server, async (target) => {
    const client = await MuxClient.connect(
      { ...target, timeoutMs: options.timeoutMs, maxPending: Math.max(1024, options.concurrency) },
      (socket) => recorder.watch(socket, { label: `mux → ${target.host}:${target.port}`, connecting: true }),
    );
    const conn = recorder.idOf(client.socket);
    const startedMs = performance.now();
    let tally: LoadTally;
    try {
      tally = await runLoad(
        options,
        'mux',
        recorder,
        async (index) => {
          await client.send(`request ${index + 1}`);
          return { conn, reused: index > 0 };
        },
        () => ({ pending: client.stats().pending, lateReplies: client.stats().lateReplies }),
      );
      // late replies still on their way are counted if they arrive within the timeout
      if (client.stats().timedOut > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(options.timeoutMs ?? 0, 2000)));
    } finally {
      recorder.markLocalClose(client.socket, 'fin');
      await client.close('fin');
    }
    const summary = summarize('mux', tally, performance.now() - startedMs, {
      lateReplies: client.stats().lateReplies,
      connectionsOpened: 1,
      target,
      cancelled: options.signal?.aborted ?? false,
    });
    return {
      session: finishSession(recorder, `mux: ${options.requests} requests over one connection`, settingsOf(options), summary),
      summary,
    };
  });
}

export interface PoolLoadOptions extends LoadOptions {
  /** most pooled connections */
  size: number;
  /** ms an idle pooled connection is kept (default 30 s) */
  idleTimeoutMs?: number;
  /** ms a request waits for a free connection (default 10 s) */
  acquireTimeoutMs?: number;
}

/**
 * A pool of multiplexing clients to `target`, its events recorded. `opened`
 * collects every client it dials (so their late-reply counts can be summed).
 */
export function createMuxPool(
  target: Target,
  options: { size: number; idleTimeoutMs?: number; acquireTimeoutMs?: number; timeoutMs?: number },
  recorder: TcpRecorder,
  opened: MuxClient[] = [],
): Pool<MuxClient> {
  return new Pool<MuxClient>({
    maxSize: options.size,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    acquireTimeoutMs: options.acquireTimeoutMs ?? 10_000,
    dial: async () => {
      const client = await MuxClient.connect({ ...target, timeoutMs: options.timeoutMs }, (socket) =>
        recorder.watch(socket, { label: `pool → ${target.host}:${target.port}`, via: 'pool', connecting: true }),
      );
      opened.push(client);
      return client;
    },
    isAlive: (client) => client.alive,
    destroy: (client) => client.socket.destroy(),
    onClose: (client, listener) => client.socket.once('close', listener),
    events: {
      acquired: (client, _id, reused, waitedMs) =>
        recorder.record({ kind: 'pool-acquired', conn: recorder.idOf(client.socket) ?? '?', reused, waitedUs: waitedMs * 1000 }),
      released: (client, _id, kept, reason) =>
        recorder.record({ kind: 'pool-released', conn: recorder.idOf(client.socket) ?? '?', kept, reason }),
      evicted: (client, _id, reason) => recorder.record({ kind: 'pool-evicted', conn: recorder.idOf(client.socket) ?? '?', reason }),
      waited: (waiting) => recorder.record({ kind: 'pool-waited', waiting }),
    },
  });
}

export function runPoolExperiment(options: PoolLoadOptions): Promise<ExperimentResult<LoadSummary & { pool: PoolStats }>> {
  const recorder = options.recorder ?? new TcpRecorder();
  return withTarget(options.target, options.server, async (target) => {
    const clients: MuxClient[] = [];
    const pool = createMuxPool(target, options, recorder, clients);
    const startedMs = performance.now();
    let tally: LoadTally;
    // the pool as the run left it, before close() evicts every connection: what the summary reports
    let atEnd: PoolStats;
    try {
      tally = await runLoad(
        options,
        'pool',
        recorder,
        async (index) => {
          const client = await pool.getConn(options.signal);
          const reused = client.stats().sent > 0;
          try {
            await client.send(`request ${index + 1}`);
            pool.putOrCloseIdle(client, true);
          } catch (error) {
            // a timed-out request leaves a healthy connection; a closed one must go
            if (error instanceof MuxError && error.code === 'timeout') pool.putOrCloseIdle(client, true);
            else pool.destroy(client, (error as Error).message);
            throw error;
          }
          return { conn: recorder.idOf(client.socket), reused };
        },
        () => ({ pool: pool.stats() }),
      );
    } finally {
      atEnd = pool.stats();
      for (const client of clients) recorder.markLocalClose(client.socket, 'fin');
      await pool.close(2000);
    }
    const lateReplies = clients.reduce((sum, client) => sum + client.stats().lateReplies, 0);
    const summary = {
      ...summarize('pool', tally, performance.now() - startedMs, {
        lateReplies,
        connectionsOpened: atEnd.created,
        target,
        cancelled: options.signal?.aborted ?? false,
      }),
      pool: atEnd,
    };
    return {
      session: finishSession(
        recorder,
        `pool: ${options.requests} requests over ≤ ${options.size} connections`,
        settingsOf(options),
        summary,
      ),
      summary,
    };
  });
}

export function runPerRequestExperiment(options: LoadOptions): Promise<ExperimentResult<LoadSummary>> {
  const recorder = options.recorder ?? new TcpRecorder();
  return withTarget(options.target, options.server, async (target) => {
    let opened = 0;
    const startedMs = performance.now();
    const tally = await runLoad(
      options,
      'per-request',
      recorder,
      async (index) => {
        const client = await MuxClient.connect({ ...target, timeoutMs: options.timeoutMs }, (socket) =>
          recorder.watch(socket, { label: `r${index + 1}`, connecting: true }),
        );
        opened += 1;
        try {
          await client.send(`request ${index + 1}`);
        } finally {
          recorder.markLocalClose(client.socket, 'fin');
          await client.close('fin');
        }
        return { conn: recorder.idOf(client.socket), reused: false };
      },
      () => ({ connectionsOpened: opened }),
    );
    const summary = summarize('per-request', tally, performance.now() - startedMs, {
      lateReplies: 0,
      connectionsOpened: opened,
      target,
      cancelled: options.signal?.aborted ?? false,
    });
    return {
      session: finishSession(recorder, `new connection per request: ${options.requests} requests`, settingsOf(options), summary),
      summary,
    };
  });
}
