/**
 * The figures of one finished lab run that the Compare view sets side by side, in the words of
 * the run's own protocol. An HTTP/1.1 run reuses connections from a pool and its requests wait
 * for a free connection; an HTTP/2 run carries every request as a stream on one connection, and
 * its requests wait for a stream slot (RFC 9113 §5.1.2): "reused" or "pool" would be false there.
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import type { HttpRunResult } from './api-http';
import type { Http2RunResult } from './api-http2';
import { plural } from './counting';
import { http2Figures } from './http2-figures';
import { connectionLimitOf, poolWaits, poolWaitWords } from './pool-waits';

/** A finished run of the Lab page, tagged with its protocol. */
export type ComparedRun = { protocol: 'http1'; result: HttpRunResult } | { protocol: 'http2'; result: Http2RunResult };

/** The same figures for either protocol: what both runs have, and each one's own. */
export interface RunFigures {
  protocol: ComparedRun['protocol'];
  /** "HTTP/1.1 over TLS", "HTTP/2 over TLS (h2)", "HTTP/2 in cleartext (h2c)" */
  protocolName: string;
  tls: boolean;
  requests: number;
  failed: number;
  connections: number;
  /** TLS handshakes paid, full ones and resumed ones (0 in cleartext) */
  tlsFull: number;
  tlsResumed: number;
  /** most requests one connection carried (HTTP/2: its streams) */
  mostPerConnection: number;
  /** most requests in flight at once on one connection (1 for HTTP/1.1: one response at a time) */
  mostAtOnce: number;
  /** requests that waited: for a free connection because all `connectionLimit` were busy (HTTP/1.1, pool-waits.ts) or for a stream slot (HTTP/2) */
  waited: number;
  /** HTTP/1.1: the most connections the client may open to the origin (maxSockets, undici `connections`); null = no limit, and for HTTP/2 */
  connectionLimit: number | null;
  /** ms, rounded: the longest of those waits; null when not known */
  longestWaitMs: number | null;
  /** HTTP/2 only (0 for HTTP/1.1) */
  pings: number;
  goaways: number;
  /** GOAWAY error names ("NO_ERROR"), once each */
  goawayErrors: string[];
  durationMs: number;
}

function http1Figures(result: HttpRunResult): RunFigures {
  const handshakes = result.session.events.flatMap((event) => (event.kind === 'tls-handshake' ? [event.resumed] : []));
  const waits = poolWaits(result.session);
  return {
    protocol: 'http1',
    protocolName: result.config.tls ? 'HTTP/1.1 over TLS' : 'HTTP/1.1',
    tls: result.config.tls,
    requests: result.requests.length,
    failed: result.requests.filter((request) => request.error !== null).length,
    connections: result.connectionsOpened,
    tlsFull: handshakes.filter((resumed) => !resumed).length,
    tlsResumed: handshakes.filter((resumed) => resumed).length,
    mostPerConnection: Math.max(0, ...result.connections.map((connection) => connection.requests)),
    mostAtOnce: result.connections.length > 0 ? 1 : 0,
    waited: waits.requests,
    connectionLimit: connectionLimitOf(result.config).limit,
    longestWaitMs: waits.longestMs,
    pings: 0,
    goaways: 0,
    goawayErrors: [],
    durationMs: result.durationMs,
  };
}

function http2RunFigures(result: Http2RunResult): RunFigures {
  const figures = http2Figures(result);
  const tls = result.connections.flatMap((connection) => (connection.tls ? [connection.tls.resumed] : []));
  const secure = result.target.startsWith('https:');
  return {
    protocol: 'http2',
    protocolName: secure ? 'HTTP/2 over TLS (h2)' : 'HTTP/2 in cleartext (h2c)',
    tls: secure,
    requests: indexes(result.requests).size,
    failed: unanswered(result),
    connections: result.connections.length,
    tlsFull: tls.filter((resumed) => !resumed).length,
    tlsResumed: tls.filter((resumed) => resumed).length,
    mostPerConnection: Math.max(0, ...result.connections.map((connection) => connection.requests)),
    mostAtOnce: figures.maxConcurrentStreams,
    waited: figures.waitedForSlot,
    connectionLimit: null,
    longestWaitMs: figures.waitedForSlot > 0 ? figures.longestWaitMs : null,
    pings: figures.pings,
    goaways: figures.goaways,
    goawayErrors: [...new Set(result.connections.flatMap((connection) => (connection.goaway ? [connection.goaway.error] : [])))],
    durationMs: result.durationMs,
  };
}

function indexes(requests: ReadonlyArray<{ index: number }>): Set<number> {
  return new Set(requests.map((request) => request.index));
}

/** Requests (not attempts) that ended in an error with no attempt answered: a refused stream sent again and answered did not fail. */
function unanswered(result: Http2RunResult): number {
  const answered = indexes(result.requests.filter((request) => request.error === null && request.status !== null));
  return [...indexes(result.requests.filter((request) => request.error !== null))].filter((index) => !answered.has(index)).length;
}

export function runFigures(run: ComparedRun): RunFigures {
  return run.protocol === 'http1' ? http1Figures(run.result) : http2RunFigures(run.result);
}

/** "6 TCP + 6 TLS", "6 TCP + 6 TLS (5 resumed)", "10 TCP" in cleartext. */
export function handshakesPaid(figures: RunFigures): string {
  const tls = figures.tlsFull + figures.tlsResumed;
  if (tls === 0) return `${figures.connections} TCP`;
  return `${figures.connections} TCP + ${tls} TLS${figures.tlsResumed > 0 ? ` (${figures.tlsResumed} resumed)` : ''}`;
}

/** What one connection carried: "up to 4, one at a time" (HTTP/1.1), "up to 20 streams, 10 at once" (HTTP/2). */
export function perConnection(figures: RunFigures): string {
  if (figures.protocol === 'http1') return `up to ${figures.mostPerConnection}, one at a time`;
  const streams = `up to ${plural(figures.mostPerConnection, 'stream')}`;
  return `${streams}, ${figures.mostAtOnce > 1 ? `${figures.mostAtOnce} at once` : 'one at a time'}`;
}

/** Who waited and for what: "14 for a free connection (all 6 were busy), longest 45 ms" or "none for a stream slot". */
export function waitedWords(figures: RunFigures): string {
  const longest = figures.waited > 0 && figures.longestWaitMs !== null ? `, longest ${figures.longestWaitMs} ms` : '';
  if (figures.protocol === 'http1') return `${poolWaitWords(figures.waited, figures.connectionLimit)}${longest}`;
  return `${figures.waited === 0 ? 'none' : figures.waited} for a stream slot${longest}`;
}

/** "2 (NO_ERROR)", "none". */
export function goawayWords(figures: RunFigures): string {
  return figures.goaways === 0 ? 'none' : `${figures.goaways} (${figures.goawayErrors.join(', ')})`;
}
