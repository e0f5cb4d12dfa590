/**
 * The fetch loop: `requests` requests, `concurrency` at a time (in rounds or
 * steadily, http-schedule.ts), over http.Agent or undici, against the embedded
 * server or a URL.
 * Records a trace, counts connections like lsof, and always ends: every request
 * has a timeout, the run can be cancelled, held bodies are released at the end.
 *
 * Three steps, each a method of HttpRun: plan (target, tracker, client,
 * sampler), send (the schedule, each request an Exchange), settle (count what is
 * open, release, shape the result).
 *
 * Scale (100,000 requests): per request the run keeps its result row and its
 * trace events (the contract returns both), nothing else — no outcome, no
 * closure but a held body's release; counters are running totals; the client
 * listens to the run's signal once, not once per request.
 */
import type { HttpRunConfig, HttpRequestResult, HttpRunResult } from '@shared/api-http';
import type { TraceEvent } from '@shared/trace';
import { startDemoHttpServer, type DemoHttpServer } from './demo-http-server';
import { createAgentClient } from './http-agent-client';
import { ConnectionTracker } from './http-connections';
import type { DialPolicy } from './http-dial-cause';
import { Exchange } from './http-exchange';
import { kernelKeepalive } from './http-kernel-keepalive';
import { targetPort } from './http-target';
import { runSchedule } from './http-schedule';
import { sleep } from './sleep';
import { OpenSocketSampler } from './http-open-sockets';
import { agentIdleTimeout, undiciIdleTimeout } from './http-idle-timeouts';
import { HttpRecorder, nowUs } from './http-recorder';
import type { ClientContext, HttpClient, RequestOutcome, TlsTrust } from './http-request-types';
import { buildRunResult, reusedVerdict, toRequestResult } from './http-run-result';

export interface HttpRunOptions {
  signal?: AbortSignal;
  /** every trace event as it is recorded */
  onEvent?: (event: TraceEvent, recorder: HttpRecorder) => void;
  /** running figures after each request (cheap: counters, no scan) */
  onStats?: (stats: Record<string, number>) => void;
  /** a run id for the session (default: random) */
  runId?: string;
  /** cross-check the open-socket count with the kernel while the run goes (default true); false checks only at the end */
  sampleOpenSockets?: boolean;
  /** an embedded server started by the caller (used when config.url is null; not closed by the run) */
  server?: DemoHttpServer;
  /** PEM certificate to trust instead of the system's CAs for `config.url` (e.g. nginx serving the lab's own certificate) */
  ca?: string;
}

/**
 * ms between kernel cross-checks of the open-socket count while a run goes. The live
 * count comes from socket events (connect/close); a /proc scan costs 5–10 ms here
 * (the kernel walks its whole TCP hash table for /proc/net/tcp), so scanning after
 * every request made a 10,000-request run take minutes.
 */
const KERNEL_CHECK_EVERY_MS = 500;
/** ms to let closes triggered by the last response begin before counting (then each is awaited: ConnectionTracker.closing) */
const SETTLE_MS = 50;
/** ms to wait for closing or released sockets to close */
const RELEASE_WAIT_MS = 2000;
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

export async function runHttpLoop(config: HttpRunConfig, options: HttpRunOptions = {}): Promise<HttpRunResult> {
  const run = await HttpRun.plan(config, options);
  try {
    await run.send();
    return await run.settle();
  } finally {
    await run.dispose();
  }
}

/** The client's settings that decide why it dials (http-dial-cause.ts). */
function dialPolicy(config: HttpRunConfig, server: DemoHttpServer | null): DialPolicy {
  const undici = config.client === 'undici';
  return {
    client: config.client,
    keepAlive: undici ? config.undici.pipelining > 0 : config.agent.keepAlive,
    clientIdleTimeout: (hint) => (undici ? undiciIdleTimeout(config, hint) : agentIdleTimeout(config, hint)),
    serverIdleTimeoutMs: server ? server.config.keepAliveTimeoutMs : null,
  };
}

/** What `plan` sets up for one run. */
interface RunParts {
  signal: AbortSignal;
  runId: string;
  recorder: HttpRecorder;
  unsubscribe: () => void;
  server: DemoHttpServer | null;
  /** the run started the embedded server, so it closes it */
  ownServer: boolean;
  url: URL;
  tracker: ConnectionTracker;
  client: HttpClient;
  sampler: OpenSocketSampler;
}

class HttpRun {
  private readonly results: HttpRequestResult[] = [];
  /** held bodies to release at the end (ignore mode); nothing else of a request's outcome is kept */
  private readonly releases: (() => void)[] = [];
  private readonly counts = { reused: 0, errors: 0 };
  private readonly notes: string[] = [];
  private readonly startedUs = nowUs();

  private constructor(
    private readonly config: HttpRunConfig,
    private readonly options: HttpRunOptions,
    private readonly parts: RunParts,
  ) {}

  /** Target, recorder, tracker, client and sampler, ready to send. */
  static async plan(config: HttpRunConfig, options: HttpRunOptions): Promise<HttpRun> {
    const signal = options.signal ?? new AbortController().signal;
    const runId = options.runId ?? `http-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const recorder = new HttpRecorder();
    const unsubscribe = options.onEvent ? recorder.onEvent((event) => options.onEvent?.(event, recorder)) : () => undefined;
    const ownServer = config.url === null && !options.server;
    const server = config.url !== null ? null : (options.server ?? (await startDemoHttpServer(config.server, { tls: config.tls })));
    const url = new URL(config.url ?? server?.url ?? '');
    const tracker = new ConnectionTracker(recorder, dialPolicy(config, server), (connection, pooled) => {
      // read again when first pooled only if keepalive was still off (https.Agent: see kernelKeepalive)
      if (pooled && connection.keepalive?.enabled !== false) return;
      const keepalive = kernelKeepalive(config, connection.socket, pooled);
      if (pooled && !keepalive.enabled) return;
      connection.keepalive = keepalive;
      recorder.settingsApplied(connection.id, keepalive, pooled ? nowUs() : connection.connectedUs);
    });
    const trust =
      url.protocol === 'https:'
        ? { ca: server?.certificate?.cert ?? options.ca ?? null, maxCachedSessions: config.maxCachedSessions }
        : null;
    const client = await createClient(config, { tracker, signal }, trust);
    const sampler = new OpenSocketSampler(targetPort(url));
    if (options.sampleOpenSockets ?? true) sampler.start(KERNEL_CHECK_EVERY_MS);
    recorder.note(
      'info',
      `target ${url.href}${server ? ' (embedded server)' : ''}; ${config.requests} requests, concurrency ${config.concurrency}, client ${config.client}, body ${config.body}`,
    );
    return new HttpRun(config, options, { signal, runId, recorder, unsubscribe, server, ownServer, url, tracker, client, sampler });
  }

  /** Every request, in rounds or steadily (http-schedule.ts). */
  async send(): Promise<void> {
    const { config } = this;
    const { signal } = this.parts;
    await runSchedule({
      schedule: config.schedule,
      requests: config.requests,
      concurrency: config.concurrency,
      intervalMs: config.intervalMs,
      yieldBetween: config.yieldBeforeNextRequest,
      signal,
      send: (index, round) => this.sendRequest(index, round),
    });
    if (signal.aborted) this.notes.push(`cancelled after ${this.results.length} of ${config.requests} requests`);
  }

  private async sendRequest(index: number, round: number): Promise<void> {
    const { outcome, retried } = await this.sendWithRetry(index);
    if (outcome.release) this.releases.push(outcome.release);
    const result = toRequestResult(index, round, outcome, retried, this.parts.server, this.parts.runId);
    this.results.push(result);
    if (result.reused === true) this.counts.reused += 1;
    if (result.error !== null) this.counts.errors += 1;
    this.options.onStats?.(this.stats());
  }

  private async sendWithRetry(index: number): Promise<{ outcome: RequestOutcome; retried: boolean }> {
    const first = await this.attempt(index, 1);
    const reused = first.identityReused ?? first.reusedSocket ?? first.diagnosticsReused;
    if (!this.config.retryReusedReset || !reused || !first.errorCode || !RESET_CODES.has(first.errorCode) || this.parts.signal.aborted) {
      return { outcome: first, retried: false };
    }
    this.parts.recorder.note('warn', `request ${index}: "${first.error}" on a reused connection; retrying once on a fresh one`);
    this.notes.push(
      `request ${index} retried after "${first.error}" (${first.errorCode}) on reused ${first.connection?.id ?? 'connection'}`,
    );
    return { outcome: await this.attempt(index, 2), retried: true };
  }

  private attempt(index: number, attempt: number): Promise<RequestOutcome> {
    const exchange = new Exchange(index, attempt, this.parts.runId, this.parts.url, this.config, this.parts.signal);
    return exchange.send(this.parts.client, this.parts.recorder, (outcome) => reusedVerdict(outcome));
  }

  /** Counts what is open, releases held bodies and sockets, and shapes the result. */
  async settle(): Promise<HttpRunResult> {
    const { tracker, sampler, client } = this.parts;
    await sleep(SETTLE_MS);
    // and every close already on its way has landed: on a loaded machine the pause alone missed some,
    // and the kernel then counted a socket the events had as closing (openAtEnd 1 where 0)
    await waitUntil(() => tracker.closing === 0, RELEASE_WAIT_MS);
    await sampler.sample();
    const openAtEnd = process.platform === 'linux' ? sampler.last : tracker.open;
    const maxOpen = Math.max(sampler.max, tracker.maxOpen);
    this.results.sort((a, b) => a.index - b.index);
    const overlays = tracker.all.map((connection) => ({ connection, idle: client.idleTimeout(connection.keepAliveHint) }));

    tracker.markReleasing();
    for (const release of this.releases) release();
    await client.close();
    await waitUntil(() => tracker.open === 0, RELEASE_WAIT_MS);
    await sampler.stop();
    await sampler.sample();
    const openAfterRelease = sampler.last;
    if (this.parts.ownServer) await this.parts.server?.close();
    return buildRunResult({
      config: this.config,
      runId: this.parts.runId,
      target: this.parts.url.href,
      recorder: this.parts.recorder,
      results: this.results,
      overlays,
      server: this.parts.server,
      notes: this.notes,
      figures: { maxOpen, openAtEnd, openAfterRelease, durationMs: (nowUs() - this.startedUs) / 1000 },
    });
  }

  /** Idempotent cleanup, also after a failure half-way. */
  async dispose(): Promise<void> {
    await this.parts.sampler.stop();
    await this.parts.client.close();
    if (this.parts.ownServer) await this.parts.server?.close();
    this.parts.unsubscribe();
  }

  private stats(): Record<string, number> {
    const { results } = this;
    const { tracker, sampler } = this.parts;
    return {
      done: results.length,
      total: this.config.requests,
      connectionsOpened: tracker.all.length,
      reused: this.counts.reused,
      open: tracker.open,
      maxOpen: Math.max(sampler.max, tracker.maxOpen),
      errors: this.counts.errors,
    };
  }
}

/** `tls`: over https, what the client trusts and how many sessions it keeps; null over http. */
async function createClient(config: HttpRunConfig, context: ClientContext, tls: TlsTrust | null): Promise<HttpClient> {
  if (config.client === 'agent') return createAgentClient(config, context, tls);
  // Loaded on demand: undici is large and most runs use the agent.
  const { createUndiciClient } = await import('./http-undici-client');
  return createUndiciClient(config, context, tls ?? { ca: null, maxCachedSessions: config.maxCachedSessions });
}

/** Resolves once `done()` holds (checked every 10 ms), or after `withinMs` regardless. */
async function waitUntil(done: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!done() && Date.now() < deadline) await sleep(10);
}
