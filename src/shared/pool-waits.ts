/**
 * Requests that waited for a free connection: the one count every screen shows (the lab's
 * explanation card, Compare, the per-request sentence, the reports, the CLI).
 *
 * A request waited for a free connection when the client's pool queued it because every
 * connection it may open to that origin (http.Agent maxSockets, undici `connections`) was
 * busy: Node's agent put it in `agent.requests` (see `Agent#addRequest` in Node's
 * lib/_http_agent.js), undici's pool counted it in `PoolStats.queued`. The lab records that
 * on the request's `request-ended` event as `waitedForPoolUs`; pools other than the HTTP
 * lab's (the TCP pool experiment, the proxy, an imported HAR) record a `pool-waited` event.
 *
 * Not counted, because the request was not waiting for the limit:
 * - a request that dialled its own new connection: its TCP and TLS handshakes are that
 *   connection's setup time (`connect`, `tls-handshake`), paid by every new connection;
 * - the time before a request is handed its socket (`timings.queuedUs`) when the pool did not
 *   queue it: on loopback that is the client's own event loop, still starting the other
 *   requests of its round (measured: 5–12 ms for the first six of 20 requests over TLS).
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import type { HttpRunConfig } from './api-http';
import type { Session } from './trace';

export interface PoolWaits {
  /** requests the pool queued because every connection it may open was busy */
  requests: number;
  /** ms, rounded: the longest of those waits; null when none waited or the wait is not known */
  longestMs: number | null;
}

const US_PER_MS = 1000;

/** Who waited for a free connection in a recorded session, and the longest wait. */
export function poolWaits(session: Pick<Session, 'events'>): PoolWaits {
  const waited = new Set<string>();
  let anonymous = 0;
  let longestUs: number | null = null;
  const longer = (us: number) => (longestUs = Math.max(longestUs ?? 0, us));
  for (const event of session.events) {
    if (event.kind === 'request-ended' && event.waitedForPoolUs !== undefined) {
      waited.add(event.request);
      longer(event.waitedForPoolUs);
    } else if (event.kind === 'pool-waited') {
      // the TCP pool and the proxy name no request: each event is one wait
      if (event.request === undefined) anonymous += 1;
      else waited.add(event.request);
    }
  }
  const requests = waited.size + anonymous;
  if (requests > 0 && longestUs === null) longestUs = longestAcquiredAfterWaitUs(session);
  return { requests, longestMs: requests > 0 && longestUs !== null ? Math.round(longestUs / US_PER_MS) : null };
}

/** µs: pools that record `pool-waited` say how long in their `pool-acquired` events (null when they do not). */
function longestAcquiredAfterWaitUs(session: Pick<Session, 'events'>): number | null {
  let longest: number | null = null;
  for (const event of session.events) if (event.kind === 'pool-acquired') longest = Math.max(longest ?? 0, event.waitedUs);
  return longest;
}

/** "8 for a free connection (all 6 were busy)", "none for a free connection"; the limit is left out when unknown. */
export function poolWaitWords(requests: number, limit: number | null): string {
  if (requests === 0) return 'none for a free connection';
  return `${requests} for a free connection${limit === null ? '' : ` (${busyWords(limit)})`}`;
}

/**
 * "all 6 were busy", "both were busy", "the only one was busy"; with a noun, "all 6 connections to
 * X were busy", "both connections to X were busy", "the only connection to X was busy".
 */
export function busyWords(count: number, noun?: { one: string; many: string }): string {
  if (count === 1) return `the only ${noun?.one ?? 'one'} was busy`;
  const what = noun ? ` ${noun.many}` : '';
  return count === 2 ? `both${what} were busy` : `all ${count}${what} were busy`;
}

/** The HTTP/1.1 lab client's limit on connections to one origin (null: none set), and the client's own name for it. */
export function connectionLimitOf(config: Pick<HttpRunConfig, 'client' | 'agent' | 'undici'>): {
  limit: number | null;
  setting: 'maxSockets' | 'connections';
} {
  return config.client === 'undici'
    ? { limit: config.undici.connections, setting: 'connections' }
    : { limit: config.agent.maxSockets, setting: 'maxSockets' };
}

/** The limit's name as a sentence says it: "maxSockets" (http.Agent), "undici’s connections". */
export function limitSettingWords(setting: 'maxSockets' | 'connections'): string {
  return setting === 'connections' ? 'undici’s connections' : 'maxSockets';
}
