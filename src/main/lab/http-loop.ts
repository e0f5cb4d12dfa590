/**
 * The fetch loop: `requests` requests in rounds of `concurrency`, `intervalMs`
 * apart, over http.Agent or undici, against the embedded server or a URL.
 * Records a trace, counts connections like lsof, and always ends: every request
 * has a timeout, the run can be cancelled, held bodies are released at the end.
 */
import type { HttpRunConfig, HttpRequestResult, HttpRunResult } from '../../shared/api-http';
import type { TraceEvent } from '../../shared/trace';
import { startDemoHttpServer, type DemoHttpServer } from './demo-http-server';
import { createAgentClient } from './http-agent-client';
import { ConnectionTracker } from './http-connections';
import { kernelKeepalive } from './http-kernel-keepalive';
import { OpenSocketSampler } from './http-open-sockets';
import { HttpRecorder, nowUs } from './http-recorder';
import { labRequestId, targetPort } from './http-target';
import type { HttpClient, RequestOutcome, RequestPlan } from './http-request-types';
import { buildRunResult, toRequestResult } from './http-run-result';

export interface HttpRunOptions {
  signal?: AbortSignal;
  /** every trace event as it is recorded */
  onEvent?: (event: TraceEvent, recorder: HttpRecorder) => void;
  /** running figures after each request */
  onStats?: (stats: Record<string, number>) => void;
  /** a run id for the session (default: random) */
  runId?: string;
  /** sample lsof-style counts while the run goes (default true); false counts only at the end, for benchmarks */
  sampleOpenSockets?: boolean;
  /** an embedded server started by the caller (used when config.url is null; not closed by the run) */
  server?: DemoHttpServer;
}

/** ms between lsof-style samples while a run goes */
const SAMPLE_EVERY_MS = 25;
/** ms to let closes triggered by the last response land before counting */
const SETTLE_MS = 50;
/** ms to wait for released sockets to close */
const RELEASE_WAIT_MS = 2000;
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

export async function runHttpLoop(config: HttpRunConfig, options: HttpRunOptions = {}): Promise<HttpRunResult> {
  const signal = options.signal ?? new AbortController().signal;
  const runId = options.runId ?? `http-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const recorder = new HttpRecorder();
  const unsubscribe = options.onEvent ? recorder.onEvent((event) => options.onEvent?.(event, recorder)) : () => undefined;
  const startedUs = nowUs();
  const ownServer = config.url === null && !options.server;
  const server: DemoHttpServer | null = config.url !== null ? null : (options.server ?? (await startDemoHttpServer(config.server)));
  const url = new URL(config.url ?? server?.url ?? '');
  const port = targetPort(url);
  const tracker = new ConnectionTracker(recorder, (connection) => {
    connection.keepalive = kernelKeepalive(config, connection.socket);
    recorder.settingsApplied(connection.id, connection.keepalive, connection.connectedUs);
  });
  const client = await createClient(config, tracker, url.protocol === 'https:');
  const sampler = new OpenSocketSampler(port);
  const sampling = options.sampleOpenSockets ?? true;
  if (sampling) sampler.start(SAMPLE_EVERY_MS);
  recorder.note(
    'info',
    `target ${url.href}${server ? ' (embedded server)' : ''}; ${config.requests} requests, concurrency ${config.concurrency}, client ${config.client}, body ${config.body}`,
  );

  const outcomes: RequestOutcome[] = [];
  const results: HttpRequestResult[] = [];
  const notes: string[] = [];
  const rounds = Math.ceil(config.requests / config.concurrency);
  try {
    for (let round = 0; round < rounds && !signal.aborted; round += 1) {
      if (round > 0 && config.intervalMs > 0) await sleep(config.intervalMs, signal);
      if (signal.aborted) break;
      const first = round * config.concurrency;
      const indexes = Array.from({ length: Math.min(config.concurrency, config.requests - first) }, (_, offset) => first + offset + 1);
      await Promise.all(
        indexes.map(async (index) => {
          const { outcome, retried } = await sendWithRetry(index);
          outcomes.push(outcome);
          results.push(toRequestResult(index, round + 1, outcome, retried, server, runId));
          if (sampling) void sampler.sample();
          options.onStats?.(stats());
        }),
      );
    }
    if (signal.aborted) notes.push(`cancelled after ${results.length} of ${config.requests} requests`);
    await sleep(SETTLE_MS);
    await sampler.sample();
    const openAtEnd = process.platform === 'linux' ? sampler.last : tracker.open;
    const maxOpen = Math.max(sampler.max, tracker.maxOpen);
    results.sort((a, b) => a.index - b.index);
    const overlays = tracker.all.map((connection) => ({ connection, idle: client.idleTimeout(connection.keepAliveHint) }));

    tracker.markReleasing();
    for (const outcome of outcomes) outcome.release?.();
    await client.close();
    await waitForCloses(tracker);
    await sampler.stop();
    const openAfterRelease = (await sampler.sample(), sampler.last);
    if (ownServer) await server?.close();
    return buildRunResult({
      config,
      runId,
      target: url.href,
      recorder,
      results,
      overlays,
      server,
      notes,
      figures: { maxOpen, openAtEnd, openAfterRelease, durationMs: (nowUs() - startedUs) / 1000 },
    });
  } finally {
    await sampler.stop();
    await client.close();
    if (ownServer) await server?.close();
    unsubscribe();
  }

  async function sendWithRetry(index: number): Promise<{ outcome: RequestOutcome; retried: boolean }> {
    const first = await sendOne(index, 1);
    const reused = first.identityReused ?? first.reusedSocket ?? first.diagnosticsReused;
    if (!config.retryReusedReset || !reused || !first.errorCode || !RESET_CODES.has(first.errorCode) || signal.aborted) {
      return { outcome: first, retried: false };
    }
    recorder.note('warn', `request ${index}: "${first.error}" on a reused connection; retrying once on a fresh one`);
    notes.push(`request ${index} retried after "${first.error}" (${first.errorCode}) on reused ${first.connection?.id ?? 'connection'}`);
    return { outcome: await sendOne(index, 2), retried: true };
  }

  async function sendOne(index: number, attempt: number): Promise<RequestOutcome> {
    const labId = `${runId}-${index}${attempt > 1 ? `-retry${attempt - 1}` : ''}`;
    const plan: RequestPlan = {
      index,
      labId,
      url,
      method: config.method,
      timeoutMs: config.timeoutMs,
      body: config.body,
      partialBytes: config.partialBytes,
      signal,
    };
    const requestId = labRequestId(index, attempt);
    const startedAt = nowUs();
    recorder.requestStarted(requestId, startedAt, `${config.method} ${url.pathname} #${index}${attempt > 1 ? ` (retry)` : ''}`);
    const outcome = await client.send(plan);
    const result = toRequestResult(index, 0, outcome, false, server, runId);
    recorder.requestEnded(requestId, outcome.connection?.id ?? null, outcome.endedUs, {
      reused: result.reused,
      status: outcome.status,
      error: outcome.error,
      timings: {
        queuedUs: outcome.assignedUs === null ? null : outcome.assignedUs - outcome.startedUs,
        connectUs: outcome.connectStartUs === null || outcome.connectedUs === null ? null : outcome.connectedUs - outcome.connectStartUs,
        firstByteUs: outcome.firstByteUs === null ? null : outcome.firstByteUs - outcome.startedUs,
        totalUs: outcome.endedUs - outcome.startedUs,
      },
    });
    if (outcome.error) recorder.note('error', `request ${index}: ${outcome.error}${outcome.errorCode ? ` (${outcome.errorCode})` : ''}`);
    return outcome;
  }

  function stats(): Record<string, number> {
    return {
      done: results.length,
      total: config.requests,
      connectionsOpened: tracker.all.length,
      reused: results.filter((result) => result.reused === true).length,
      open: tracker.open,
      maxOpen: Math.max(sampler.max, tracker.maxOpen),
      errors: results.filter((result) => result.error !== null).length,
    };
  }
}

async function createClient(config: HttpRunConfig, tracker: ConnectionTracker, secure: boolean): Promise<HttpClient> {
  if (config.client === 'agent') return createAgentClient(config, { tracker }, secure);
  // Loaded on demand: undici is large and most runs use the agent.
  const { createUndiciClient } = await import('./http-undici-client');
  return createUndiciClient(config, { tracker });
}

async function waitForCloses(tracker: ConnectionTracker): Promise<void> {
  const deadline = Date.now() + RELEASE_WAIT_MS;
  while (tracker.open > 0 && Date.now() < deadline) await sleep(10);
}
