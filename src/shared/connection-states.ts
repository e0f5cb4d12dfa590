/**
 * The words for what a connection is doing, one per state, said the same way in
 * every view: the timeline and its tooltips and legend, the request and counter
 * tables, the explanations and the reports. A learner cannot tell a wording
 * slip from a fact about TCP, so no view invents its own word for these.
 *
 *   idle                 open and kept for reuse, carrying nothing
 *   busy (body unread)   a response arrived but its body was never read: the
 *                        connection cannot take another request (not idle!)
 *   waiting in the pool  a request (or borrower) waiting for a free connection
 *   closed               ended by FIN or RST
 *
 * "Reused" is a request that *completed* on a kept connection; a request that
 * was sent on a kept connection and failed there (the stale-connection race)
 * "failed on reuse" — it did not save a handshake, so it is not counted as reuse.
 *
 * Pure TypeScript: no node:*, no DOM.
 */

export const CONNECTION_STATES = ['idle', 'body-unread', 'waiting', 'closed'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** The one word (or short phrase) for each state. */
export const STATE_WORD: Readonly<Record<ConnectionState, string>> = {
  idle: 'idle',
  'body-unread': 'busy (body unread)',
  waiting: 'waiting in the pool',
  closed: 'closed',
};

/** The word for a request that completed on a kept connection. */
export const REUSED_WORD = 'reused';
/** The words for a request sent on a kept connection that failed there (it saved no handshake). */
export const FAILED_ON_REUSE_WORDS = 'failed on reuse';
