/**
 * Why a connection was opened: the one vocabulary for the HTTP lab, the CLI,
 * the reports, the timeline and (for browser connections) HAR import.
 *
 * A cause is decided when the client dials, from the run's own trace and the
 * client's state at that moment (which connections were busy, idle, closing or
 * closed, and why) — never guessed from totals afterwards.
 *
 * Pure TypeScript: imported by main, preload, renderer and CLI alike.
 */
import { z } from 'zod';

export const ConnectionCauseSchema = z.enum([
  'first',
  'all-busy',
  'body-unread',
  'closed-by-server',
  'closed-by-client',
  'keepalive-off',
  'undici-not-yet-free',
]);
export type ConnectionCause = z.infer<typeof ConnectionCauseSchema>;

/** A cause and the sentence with this run's values filled in ("c3 was still holding request 2's unread body"). */
export const NewConnectionSchema = z.object({
  cause: ConnectionCauseSchema,
  /** one sentence for a person, with connection ids, request numbers and times filled in */
  detail: z.string(),
});
export type NewConnection = z.infer<typeof NewConnectionSchema>;

/** A request that found the pool at its limit (maxSockets / connections) and waited for a connection. */
export const PoolWaitSchema = z.object({
  /** ms from the request's start until a connection was assigned to it */
  ms: z.number(),
});

export interface CauseWords {
  /** a few words for a table cell */
  label: string;
  /** what it means, for a person who has not met the term */
  meaning: string;
  /** how to avoid the extra connection; null when it is needed */
  avoid: string | null;
}

export const CAUSE_WORDS: Readonly<Record<ConnectionCause, CauseWords>> = {
  first: {
    label: 'first',
    meaning: 'Nothing to reuse yet: every run pays for its first connection.',
    avoid: null,
  },
  'all-busy': {
    label: 'all busy',
    meaning: 'Every kept connection was still carrying a request, so the client dialled another one.',
    avoid: 'Send fewer requests at once, or cap the pool (maxSockets, connections) so requests wait instead of dialling.',
  },
  'body-unread': {
    label: 'body not read',
    meaning:
      'The connection that could have been reused was still holding a response whose body nobody had read to the end; a connection carries one response at a time.',
    avoid: 'Read every response body to its end (or destroy it) before the next request.',
  },
  'closed-by-server': {
    label: 'server closed',
    meaning: 'The kept connection had been closed by the server (its idle timeout, Connection: close, a FIN or a reset).',
    avoid: 'Keep the client’s idle timeout below the server’s so the client closes first and never reuses a closing connection.',
  },
  'closed-by-client': {
    label: 'client closed',
    meaning: 'The client had closed the kept connection itself (its idle timeout, maxFreeSockets, or a destroyed response or agent).',
    avoid: 'Raise the client’s idle timeout or maxFreeSockets, and read bodies to the end instead of destroying them.',
  },
  'keepalive-off': {
    label: 'keep-alive off',
    meaning: 'Keep-alive is off: each connection carries one request and is closed after its response.',
    avoid: 'Turn keep-alive on (http.Agent keepAlive: true; undici pipelining ≥ 1).',
  },
  'undici-not-yet-free': {
    label: 'undici: not yet free',
    meaning:
      'The kept connection had finished its response, but undici’s pool marks a connection free one event-loop turn after its response ends; a request sent in that same turn gets a new connection.',
    avoid: 'Let one event-loop turn pass before the next request (await new Promise(setImmediate)), or cap the pool with connections: 1.',
  },
};

/** "c1, c2 and c3" */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

export interface MinimumInput {
  requests: number;
  concurrency: number;
  keepAlive: boolean;
  /** drain keeps the connection; ignore holds it until the run ends; destroy and partial close it */
  body: 'drain' | 'ignore' | 'destroy' | 'partial';
  /** maxSockets (agent) or connections (undici); null = no limit */
  poolLimit: number | null;
  /** the pause between requests is at least an idle timeout (client's or server's): each request after a pause finds its connection closed on purpose */
  pauseOutlivesTimeout?: boolean;
}

/** The fewest connections a run with these client settings can use. */
export function minimumConnections(input: MinimumInput): number {
  if (!input.keepAlive || input.body !== 'drain' || input.pauseOutlivesTimeout) return input.requests;
  const atOnce = Math.min(input.concurrency, input.requests);
  return input.poolLimit === null ? atOnce : Math.min(atOnce, input.poolLimit);
}
