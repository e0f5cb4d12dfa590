/**
 * The figures of an HTTP/2 lab run that a report and the Compare view both show: streams, most
 * streams at once (as the lab's server counted them), waits for a stream slot, PINGs and their
 * RTT, GOAWAYs, requests sent again.
 * Sources: RFC 9113 §5.1.1 stream ids, §6.5.2 SETTINGS_MAX_CONCURRENT_STREAMS, §6.7 PING, §6.8 GOAWAY.
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import type { Http2ConnectionResult, Http2RunResult } from './api-http2';
import { median } from './counting';

/** The HTTP/2 figures of a run (and the JSON report's `derived.sessions[].http2`). */
export interface Http2Figures {
  /** streams opened, retries included */
  streams: number;
  /** most streams in flight at once on one connection */
  maxConcurrentStreams: number;
  /** the server's SETTINGS_MAX_CONCURRENT_STREAMS on the first connection; null when none arrived */
  serverStreamLimit: number | null;
  /** requests that waited for a stream slot */
  waitedForSlot: number;
  /** ms, rounded; null when not known */
  longestWaitMs: number | null;
  pings: number;
  /** median PING round trip, ms */
  medianPingRttMs: number | null;
  /** connections the server ended with GOAWAY */
  goaways: number;
  /** requests sent again after a GOAWAY or REFUSED_STREAM */
  retried: number;
}

/**
 * Most streams at once on `connection`: as the lab's own server counted them when it served the run
 * (the client counts a stream held back by the server's limit as in flight), else as the client did.
 */
export function mostAtOnce(run: Http2RunResult, connection: Http2ConnectionResult): number {
  const served = run.server?.find((session) => session.remotePort === connection.localPort);
  return served ? served.maxConcurrent : connection.maxConcurrent;
}

export function http2Figures(run: Http2RunResult): Http2Figures {
  const rtts = run.connections.flatMap((connection) => connection.pings.flatMap((ping) => (ping.rttMs === null ? [] : [ping.rttMs])));
  return {
    streams: run.requests.filter((request) => request.stream !== null).length,
    maxConcurrentStreams: Math.max(0, ...run.connections.map((connection) => mostAtOnce(run, connection))),
    serverStreamLimit: run.connections[0]?.serverMaxConcurrentStreams ?? null,
    waitedForSlot: run.waitedForSlot,
    longestWaitMs: run.longestWaitMs === null ? null : Math.round(run.longestWaitMs),
    pings: run.connections.reduce((sum, connection) => sum + connection.pings.length, 0),
    medianPingRttMs: median(rtts),
    goaways: run.connections.filter((connection) => connection.goaway !== null).length,
    retried: run.requests.filter((request) => request.retried).length,
  };
}
