/**
 * Measured values of a lesson run, by the names lessons use in their choices and explanations.
 * One function per kind of result (not per lesson): a new lesson reads the same names.
 */
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '@shared/tcp-header-flags';
import type { CaptureSummary, PacketRow } from '@shared/api-capture';
import type { HttpRunResult } from '@shared/api-http';
import type { Http2RunResult } from '@shared/api-http2';
import type { LessonMetrics } from '@shared/lesson';
import { poolWaits } from '@shared/pool-waits';
import { median } from '@shared/counting';

/** `connectionsOpened`, `errors`, … of one HTTP run, each name prefixed (`a.`, `b.` or nothing). */
export function httpMetrics(result: HttpRunResult, prefix: string): LessonMetrics {
  const values: LessonMetrics = {
    requests: result.requests.length,
    connectionsOpened: result.connectionsOpened,
    reused: result.reused,
    errors: result.errors,
    maxOpen: result.maxOpen,
    openAtEnd: result.openAtEnd,
    // ms, rounded: the longest wait for a free connection (pool-waits.ts); 0 when no request waited for one
    maxQueuedMs: poolWaits(result.session).longestMs ?? 0,
  };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`${prefix}${name}`, value]));
}

/**
 * What an HTTP/2 run shows, each name prefixed `h2.`: connections and the streams they carried, the
 * stream limit and waits for a slot, PINGs (RTT, the client's interval against the slowest the server
 * allows), and the first GOAWAY (error code, last stream id) with what happened to the requests after it.
 */
export function http2Metrics(result: Http2RunResult): LessonMetrics {
  const { config, connections } = result;
  const goaway = connections.find((connection) => connection.goaway !== null) ?? null;
  const rtts = connections.flatMap((connection) => connection.pings.flatMap((ping) => (ping.rttMs === null ? [] : [ping.rttMs])));
  const { maxPingsPerWindow, pingWindowMs } = config.server;
  const values: LessonMetrics = {
    requests: config.requests,
    connectionsOpened: connections.length,
    answered: result.answered,
    errors: result.errors,
    retried: result.requests.filter((request) => request.retried).length,
    streamsOnFirstConnection: connections[0]?.requests ?? null,
    maxConcurrentStreams: result.maxConcurrentStreams,
    serverStreamLimit: connections[0]?.serverMaxConcurrentStreams ?? null,
    waitedForSlot: result.waitedForSlot,
    longestWaitMs: result.longestWaitMs === null ? null : Math.round(result.longestWaitMs),
    resumed: connections.filter((connection) => connection.tls?.resumed === true).length,
    pings: connections.reduce((sum, connection) => sum + connection.pings.length, 0),
    // ms to 2 decimals: loopback RTTs are a fraction of a millisecond
    medianPingRttMs: rtts.length === 0 ? null : Math.round(median(rtts)! * 100) / 100,
    pingIntervalMs: config.pingIntervalMs,
    // the server's policy as a spacing: N PINGs per window allow one every window / N ms (embedded server only)
    serverMinPingIntervalMs:
      result.server === null || maxPingsPerWindow === null || maxPingsPerWindow === 0 ? null : Math.round(pingWindowMs / maxPingsPerWindow),
    pingsBeforeGoaway: goaway?.goaway ? goaway.pings.filter((ping) => ping.atMs <= goaway.goaway!.atMs).length : null,
    goaways: connections.filter((connection) => connection.goaway !== null).length,
    goawayErrorCode: goaway?.goaway?.errorCode ?? null,
    goawayLastStreamId: goaway?.goaway?.lastStreamId ?? null,
    goawayAtMs: goaway?.goaway ? Math.round(goaway.goaway.atMs) : null,
  };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`h2.${name}`, value]));
}

/** What a capture shows: streams, HTTP requests and reuse, probes, and the closing segments among `rows`. */
export function captureMetrics(summary: CaptureSummary, rows: readonly PacketRow[]): LessonMetrics {
  const count = (bit: number, without = 0) => rows.filter((row) => (row.tcpFlags & bit) !== 0 && (row.tcpFlags & without) === 0).length;
  return {
    packets: summary.packets,
    streams: summary.streams.length,
    httpRequests: summary.streams.reduce((sum, stream) => sum + stream.httpRequests, 0),
    streamsReused: summary.streams.filter((stream) => stream.httpRequests > 1).length,
    keepAlives: summary.flagCounts['keep_alive'] ?? 0,
    keepAliveAcks: summary.flagCounts['keep_alive_ack'] ?? 0,
    zeroWindows: summary.flagCounts['zero_window'] ?? 0,
    synSegments: count(TCP_SYN, TCP_ACK),
    finSegments: count(TCP_FIN),
    rstSegments: count(TCP_RST),
  };
}

/** Does a packet row match a lesson's `highlight.frames`? */
export function rowMatches(row: PacketRow, frames: string): boolean {
  if (frames === 'syn') return (row.tcpFlags & TCP_SYN) !== 0 && (row.tcpFlags & TCP_ACK) === 0;
  if (frames === 'fin') return (row.tcpFlags & TCP_FIN) !== 0;
  if (frames === 'rst') return (row.tcpFlags & TCP_RST) !== 0;
  return (row.flags as string[]).includes(frames);
}

const HTTP_NAMES = ['requests', 'connectionsOpened', 'reused', 'errors', 'maxOpen', 'openAtEnd', 'maxQueuedMs'];
const HTTP2_NAMES = [
  'requests',
  'connectionsOpened',
  'answered',
  'errors',
  'retried',
  'streamsOnFirstConnection',
  'maxConcurrentStreams',
  'serverStreamLimit',
  'waitedForSlot',
  'longestWaitMs',
  'resumed',
  'pings',
  'medianPingRttMs',
  'pingIntervalMs',
  'serverMinPingIntervalMs',
  'pingsBeforeGoaway',
  'goaways',
  'goawayErrorCode',
  'goawayLastStreamId',
  'goawayAtMs',
];
const CAPTURE_NAMES = [
  'packets',
  'streams',
  'httpRequests',
  'streamsReused',
  'keepAlives',
  'keepAliveAcks',
  'zeroWindows',
  'synSegments',
  'finSegments',
  'rstSegments',
];

/** Every value name each kind of experiment measures: what a lesson may use in its choices, figures and explanation. */
export const LESSON_METRIC_NAMES = {
  'http-compare': [...HTTP_NAMES.map((name) => `a.${name}`), ...HTTP_NAMES.map((name) => `b.${name}`)],
  'tcp-keepalive': ['idleS', 'intervalS', 'count', 'probes', ...CAPTURE_NAMES],
  'half-open': [
    'idleS',
    'intervalS',
    'count',
    'expectedGiveUpMs',
    'gaveUpAfterMs',
    'probesSeen',
    'peerVanishedAtMs',
    'keepaliveOnAtMs',
    'gaveUpAtMs',
  ],
  example: CAPTURE_NAMES,
  // an HTTP/2 run (h2.…) and, when the lesson compares, the HTTP/1.1 run of the same requests (h1.…)
  http2: [...HTTP2_NAMES.map((name) => `h2.${name}`), ...HTTP_NAMES.map((name) => `h1.${name}`)],
  // the names harMetrics() (src/shared/har-metrics.ts) returns
  'har-example': [
    'requests',
    'connections',
    'reused',
    'offNetwork',
    'allBusy',
    'unexplained',
    'poolWaits',
    'maxConnectionsPerOrigin',
    'maxConcurrentOnOneConnection',
  ],
} as const;
