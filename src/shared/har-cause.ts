/**
 * Why a browser opened a connection, as far as a HAR file can tell.
 *
 * The names are the HTTP lab's vocabulary for "why was this connection opened"
 * (`first`, `all-busy`, `closed-by-server`, … and `waitedForPool: { ms }` for a
 * request that waited for a free slot), restricted to what a HAR file records:
 * start times, durations, the connection an entry used (Chrome-family exports)
 * and the response headers. A HAR does not say when a connection closed or whether
 * a body was read, so `body-unread`, `closed-by-client`, `keepalive-off` and
 * `undici-not-yet-free` cannot be told from one; `unexplained` says so instead of
 * guessing.
 *
 * Pure TypeScript: imported by main, preload, renderer and CLI alike.
 */
import { z } from 'zod';

export const HarCauseSchema = z.enum(['first', 'all-busy', 'closed-by-server', 'unexplained']);
export type HarCause = z.infer<typeof HarCauseSchema>;

/** A request that waited for a free connection because HTTP/1.1's per-host limit was reached. */
export const HarPoolWaitSchema = z.object({
  /** ms the entry spent `blocked` (HAR 1.2 timings.blocked) */
  ms: z.number(),
  /** connections to the origin busy when it started (Chrome allows 6 per host for HTTP/1.1; a lab run its own limit) */
  busyConnections: z.number().int().min(0),
});
export type HarPoolWait = z.infer<typeof HarPoolWaitSchema>;

export interface HarCauseWords {
  /** a few words for a table cell */
  label: string;
  /** what it means, for a person who has not met the term */
  meaning: string;
}

export const HAR_CAUSE_WORDS: Readonly<Record<HarCause, HarCauseWords>> = {
  first: {
    label: 'first',
    meaning: 'The first connection to this origin in the file: there was nothing to reuse yet.',
  },
  'all-busy': {
    label: 'all busy',
    meaning:
      'Every connection to this origin was carrying a request when this one started, and an HTTP/1.1 connection carries one request at a time, so the browser opened another.',
  },
  'closed-by-server': {
    label: 'server closed',
    meaning: 'The idle connection to this origin had answered with "Connection: close", so the server had closed it.',
  },
  unexplained: {
    label: 'not explained by the file',
    meaning:
      'A connection to this origin was open and idle, yet the browser opened another. The file does not say why: the server may have closed the idle one, or the browser keeps separate connections for requests sent without credentials (fonts, CORS fetches).',
  },
};

/** The largest number of HTTP/1.1 connections per host Chrome and Firefox open at once (Chromium's max_sockets_per_group). */
export const HTTP1_CONNECTIONS_PER_HOST = 6;

/**
 * The HTTP/1.1 connections per origin the client that made the file allowed: the pool waits are
 * measured against it. A browser's file does not say, so it is Chrome's and Firefox's 6; a file
 * Keepalive Lab exported from a run records the run's own limit (`log._keepaliveLab`).
 */
export const HarConnectionLimitSchema = z.object({
  /** connections per origin; null = the run set no limit, so no request waited for one */
  perOrigin: z.number().int().min(1).nullable(),
  /** "browser": the browsers' default, assumed; "lab": written in the file by the run that made it */
  from: z.enum(['browser', 'lab']),
  /** the client setting that held it, for "lab": "maxSockets" (http.Agent) or "connections" (undici) */
  setting: z.string().nullable(),
});
export type HarConnectionLimit = z.infer<typeof HarConnectionLimitSchema>;

/** Where nothing in the file says otherwise: the browsers' HTTP/1.1 limit. */
export const BROWSER_CONNECTION_LIMIT: HarConnectionLimit = { perOrigin: HTTP1_CONNECTIONS_PER_HOST, from: 'browser', setting: null };

/**
 * "(browsers open at most 6 per host over HTTP/1.1)", "(the run's maxSockets is 2)": where the limit a
 * pool wait was measured against came from. HTTP/1.1 itself sets no number (RFC 9112 §9.4): 6 is
 * Chrome's and Firefox's own limit.
 */
export function connectionLimitWords(limit: HarConnectionLimit): string {
  if (limit.from === 'browser') return `browsers open at most ${limit.perOrigin ?? HTTP1_CONNECTIONS_PER_HOST} per host over HTTP/1.1`;
  return limit.perOrigin === null
    ? `the run's ${limit.setting ?? 'pool'} set no limit`
    : `the run's ${limit.setting ?? 'limit'} is ${limit.perOrigin}`;
}
