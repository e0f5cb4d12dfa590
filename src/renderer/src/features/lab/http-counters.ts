/**
 * The four headline counters of an HTTP run — connections opened, reuse %,
 * handshakes saved, open now — plus the most open at once. Live they come from
 * the engine's `stats-updated` figures; once the run has returned, from its result.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import type { HttpRunResult } from '@shared/api-http';
import { percentOf } from '@shared/counting';
import type { TraceEvent } from '@shared/trace';

export interface HttpCounters {
  /** requests finished so far */
  done: number;
  /** requests planned */
  total: number | null;
  connectionsOpened: number;
  /** requests that completed on a kept connection */
  reused: number;
  /** attempts sent on a kept connection that failed there (the stale race): no handshake saved, so not "reused" */
  failedOnReuse: number;
  /** reused ÷ done × 100, rounded but never to 0 or 100 unless exact (percentOf); null before the first request ends */
  reusePercent: number | null;
  /** a reused connection is a TCP handshake not paid */
  handshakesSaved: number;
  /** client sockets to the target open now (after a finished run: after the held bodies were released) */
  openNow: number;
  /** most client sockets to the target open at once */
  maxOpen: number;
  errors: number;
  /** over TLS: new connections whose TLS handshake was a full one (0 over plain HTTP) */
  tlsFull: number;
  /** over TLS: new connections that resumed an earlier TLS session */
  tlsResumed: number;
}

export const EMPTY_COUNTERS: HttpCounters = {
  done: 0,
  total: null,
  connectionsOpened: 0,
  reused: 0,
  failedOnReuse: 0,
  reusePercent: null,
  handshakesSaved: 0,
  openNow: 0,
  maxOpen: 0,
  errors: 0,
  tlsFull: 0,
  tlsResumed: 0,
};

function numberOf(stats: Record<string, unknown>, key: string): number | null {
  const value = stats[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Attempts (retried ones included) that were sent on a kept connection and failed there. */
export function failedOnReuse(events: readonly TraceEvent[]): number {
  return events.filter((event) => event.kind === 'request-ended' && event.reused === true && event.error !== null).length;
}

/** The TLS handshakes of the run's new connections, full and resumed. */
export function tlsHandshakes(events: readonly TraceEvent[]): Pick<HttpCounters, 'tlsFull' | 'tlsResumed'> {
  const counts = { tlsFull: 0, tlsResumed: 0 };
  for (const event of events) if (event.kind === 'tls-handshake') counts[event.resumed ? 'tlsResumed' : 'tlsFull'] += 1;
  return counts;
}

/** Counters from the live `stats-updated` figures (http-loop.ts `stats()`) and the events so far; missing figures stay 0. */
export function countersFromStats(stats: Record<string, unknown> | null, events: readonly TraceEvent[] = []): HttpCounters {
  if (!stats) return EMPTY_COUNTERS;
  const done = numberOf(stats, 'done') ?? 0;
  const reused = numberOf(stats, 'reused') ?? 0;
  return {
    done,
    total: numberOf(stats, 'total'),
    connectionsOpened: numberOf(stats, 'connectionsOpened') ?? 0,
    reused,
    failedOnReuse: failedOnReuse(events),
    reusePercent: percentOf(reused, done),
    handshakesSaved: reused,
    openNow: numberOf(stats, 'open') ?? 0,
    maxOpen: numberOf(stats, 'maxOpen') ?? 0,
    errors: numberOf(stats, 'errors') ?? 0,
    ...tlsHandshakes(events),
  };
}

/** Counters of a finished run. */
export function countersFromResult(result: HttpRunResult): HttpCounters {
  const done = result.requests.length;
  return {
    done,
    total: result.config.requests,
    connectionsOpened: result.connectionsOpened,
    reused: result.reused,
    failedOnReuse: failedOnReuse(result.session.events),
    reusePercent: percentOf(result.reused, done),
    handshakesSaved: result.handshakesSaved,
    openNow: result.openAfterRelease,
    maxOpen: result.maxOpen,
    errors: result.errors,
    ...tlsHandshakes(result.session.events),
  };
}

/** "90 %" or "–" before any request ended. */
export function formatPercent(value: number | null): string {
  return value === null ? '–' : `${value} %`;
}
