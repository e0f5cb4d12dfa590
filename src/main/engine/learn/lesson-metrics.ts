/**
 * Measured values of a lesson run, by the names lessons use in their choices and explanations.
 * One function per kind of result (not per lesson): a new lesson reads the same names.
 */
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '@shared/tcp-header-flags';
import type { CaptureSummary, PacketRow } from '@shared/api-capture';
import type { HttpRunResult } from '@shared/api-http';
import type { LessonMetrics } from '@shared/lesson';

/** `connectionsOpened`, `errors`, … of one HTTP run, each name prefixed (`a.`, `b.` or nothing). */
export function httpMetrics(result: HttpRunResult, prefix: string): LessonMetrics {
  const queued = result.requests.map((request) => request.ms.queued ?? 0);
  const values: LessonMetrics = {
    requests: result.requests.length,
    connectionsOpened: result.connectionsOpened,
    reused: result.reused,
    errors: result.errors,
    maxOpen: result.maxOpen,
    openAtEnd: result.openAtEnd,
    // ms, rounded: a learner reads "37 ms", not "36.84"
    maxQueuedMs: queued.length > 0 ? Math.round(Math.max(...queued)) : null,
  };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`${prefix}${name}`, value]));
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
  'half-open': ['idleS', 'intervalS', 'count', 'expectedGiveUpMs', 'gaveUpAfterMs', 'probesSeen'],
  example: CAPTURE_NAMES,
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
