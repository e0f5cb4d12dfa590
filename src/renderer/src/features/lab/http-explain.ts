/**
 * Which learner explanations (src/shared/explain.ts) a finished HTTP run shows,
 * with the values the tool compared filled in. Most specific first: a failed
 * reuse is the stale race; many connections with keep-alive on and unread bodies
 * is the drain effect; keep-alive off; queueing; then plain reuse. Over HTTPS, what
 * the TLS handshakes cost and whether they resumed follow (src/shared/explain-tls.ts).
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import type { HttpRunResult, TimerOverlay } from '@shared/api-http';
import { renderExplanation, type RenderedExplanation } from '@shared/explain';
import { explainHttpRunTls } from '@shared/explain-tls';
import { connectionLimitOf, limitSettingWords, poolWaits } from '@shared/pool-waits';

function keepAliveOn(result: HttpRunResult): boolean {
  return result.config.client === 'agent' ? result.config.agent.keepAlive : result.config.undici.pipelining > 0;
}

export function explainHttpRun(result: HttpRunResult): RenderedExplanation[] {
  const found: RenderedExplanation[] = [];
  const { config } = result;
  const requests = result.requests.length;

  const staleFailure = result.requests.find((request) => request.error !== null && request.reused === true);
  if (staleFailure) {
    found.push(
      renderExplanation('stale-race', {
        request: staleFailure.index,
        conn: staleFailure.connection,
        error: `“${staleFailure.error}”${staleFailure.errorCode ? ` (${staleFailure.errorCode})` : ''}`,
        serverTimeoutMs: config.url === null ? config.server.keepAliveTimeoutMs : null,
      }),
    );
  }
  if (!keepAliveOn(result)) {
    found.push(renderExplanation('keepalive-off', { connections: result.connectionsOpened, requests, keepAlive: 'false' }));
  } else if (config.body !== 'drain' && result.connectionsOpened > 1) {
    found.push(
      renderExplanation('new-connection-body-not-drained', { connections: result.connectionsOpened, requests, bodyMode: config.body }),
    );
  }
  // the requests the pool queued, as Compare and the report count them (pool-waits.ts): not a new connection's handshake
  const waited = poolWaits(result.session);
  const { limit, setting } = connectionLimitOf(config);
  if (limit !== null && waited.requests > 0) {
    found.push(
      renderExplanation('queued-above-max-sockets', {
        waiting: waited.requests,
        maxSockets: limit,
        limitSetting: limitSettingWords(setting),
        waitMs: waited.longestMs,
      }),
    );
  }
  const firstReuse = result.requests.find((request) => request.reused === true && request.error === null);
  if (firstReuse && firstReuse.connection) {
    const previousRequests = result.requests.filter(
      (request) => request.connection === firstReuse.connection && request.index < firstReuse.index,
    ).length;
    found.push(renderExplanation('connection-reused', { request: firstReuse.index, conn: firstReuse.connection, previousRequests }));
  }
  if (found.length === 0) {
    const first = result.requests.find((request) => request.connection !== null);
    if (first) found.push(renderExplanation('new-connection', { target: result.target, request: first.index, conn: first.connection }));
  }
  return [...found, ...explainHttpRunTls(result)];
}

/** Every request failed and none reached a connection: the target itself is the problem (refused, bad certificate, not HTTP). */
export function runFailure(result: HttpRunResult): string | null {
  if (result.requests.length === 0 || result.requests.some((request) => request.error === null)) return null;
  const first = result.requests[0];
  const message = first?.error ?? 'unknown error';
  return `All ${result.requests.length} requests to ${result.target} failed: ${message}${first?.errorCode ? ` (${first.errorCode})` : ''}.`;
}

export interface VerdictLine {
  /** "server", "client", "kernel" or "nobody" */
  first: TimerOverlay['verdict']['first'];
  /** "server first, after 5 s" */
  headline: string;
  reason: string;
  /** connections with this same verdict */
  connections: string[];
}

/** Seconds or ms, whichever reads better: 300 ms, 5 s, 7 200 s. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return 'never';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? `${seconds} s` : `${seconds.toFixed(1)} s`;
}

/** The timer overlay's verdicts, one line per distinct verdict (most runs: one line for all connections). */
export function timerVerdicts(result: HttpRunResult): VerdictLine[] {
  const lines = new Map<string, VerdictLine>();
  for (const connection of result.connections) {
    const { verdict } = connection.overlay;
    const key = `${verdict.first}|${verdict.afterMs}|${verdict.reason}`;
    const existing = lines.get(key);
    if (existing) {
      existing.connections.push(connection.id);
      continue;
    }
    lines.set(key, {
      first: verdict.first,
      headline: verdict.first === 'nobody' ? 'nobody closes it' : `${verdict.first} first, after ${formatDuration(verdict.afterMs)}`,
      reason: verdict.reason,
      connections: [connection.id],
    });
  }
  return [...lines.values()];
}
