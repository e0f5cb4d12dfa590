/**
 * The HTTP/2 run's figures for the panel: the headline counters and a row per connection, as text.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import type { Http2RunResult } from '@shared/api-http2';
import { atOnce } from '@shared/explain-http2';

export interface Http2Counter {
  field: 'connections' | 'answered' | 'waited' | 'goaways';
  title: string;
  value: string;
  note: string;
}

const ms = (value: number | null) => (value === null ? '–' : value < 10 ? `${value.toFixed(2)} ms` : `${Math.round(value)} ms`);

/** A figure of the live `stats-updated` (http2-run.ts liveView), as text; '–' when not there yet. */
function liveFigure(stats: Record<string, unknown> | null, field: string): string {
  const value = stats?.[field];
  return typeof value === 'number' ? String(value) : '–';
}

/** The counters: from the result once the run returned, else from the live figures and progress. */
export function http2Counters(
  result: Http2RunResult | null,
  progress: { done: number; total: number | null } | null,
  stats: Record<string, unknown> | null = null,
): Http2Counter[] {
  const requests = result?.config.requests ?? progress?.total ?? 0;
  const resumed = result?.connections.filter((connection) => connection.tls?.resumed === true).length ?? 0;
  return [
    {
      field: 'connections',
      title: 'Connections opened',
      value: result ? String(result.connections.length) : liveFigure(stats, 'connectionsOpened'),
      note: result && resumed > 0 ? `${resumed} resumed the TLS session` : 'TCP (and TLS) handshakes paid',
    },
    {
      field: 'answered',
      title: 'Requests answered',
      value: result ? `${result.answered} of ${requests}` : progress ? `${progress.done} of ${requests}` : '–',
      note: result ? atOnce(result) : 'each one an HTTP/2 stream',
    },
    {
      field: 'waited',
      title: 'Waited for a stream',
      value: result ? String(result.waitedForSlot) : liveFigure(stats, 'waitedForSlot'),
      note:
        result?.longestWaitMs != null && result.waitedForSlot > 0
          ? `longest ${ms(result.longestWaitMs)}`
          : 'requests held by the server’s stream limit',
    },
    {
      field: 'goaways',
      title: 'GOAWAY',
      value: result ? String(result.connections.filter((connection) => connection.goaway !== null).length) : liveFigure(stats, 'goaways'),
      note: result ? goawayNote(result) : 'the server ending a connection',
    },
  ];
}

function goawayNote(result: Http2RunResult): string {
  const errors = [...new Set(result.connections.flatMap((connection) => (connection.goaway ? [connection.goaway.error] : [])))];
  return errors.length > 0 ? errors.join(', ') : 'none: no connection was ended by the server';
}

export interface Http2ConnectionRow {
  id: string;
  opened: string;
  connect: string;
  tls: string;
  streams: string;
  pings: string;
  goaway: string;
}

export function http2ConnectionRows(result: Http2RunResult): Http2ConnectionRow[] {
  return result.connections.map((connection) => {
    const streams = result.requests.filter((request) => request.connection === connection.id && request.stream !== null);
    const ids = streams.map((request) => request.stream ?? 0).sort((a, b) => a - b);
    const rtts = connection.pings.map((ping) => ping.rttMs).filter((rtt): rtt is number => rtt !== null);
    return {
      id: connection.id,
      opened:
        connection.openedBecause === 'first' ? 'first' : connection.openedBecause === 'after-goaway' ? 'after a GOAWAY' : 'after an error',
      connect: ms(connection.connectMs),
      tls: connection.tls
        ? `${connection.tls.version ?? 'TLS'}, ALPN ${connection.tls.alpn ?? 'none'}, ${connection.tls.resumed ? 'resumed' : 'full handshake'} ${ms(connection.tls.handshakeMs)}`
        : 'none (h2c)',
      streams: ids.length === 0 ? 'none' : ids.length <= 4 ? ids.join(', ') : `${ids.length}: ${ids[0]}, ${ids[1]}, … ${ids.at(-1)}`,
      pings:
        connection.pings.length === 0
          ? 'none'
          : `${connection.pings.length}${rtts.length > 0 ? `, RTT ${ms(Math.min(...rtts))}–${ms(Math.max(...rtts))}` : ''}`,
      goaway: connection.goaway
        ? `${connection.goaway.error}, last stream ${connection.goaway.lastStreamId ?? 'not known'}${connection.goaway.debug ? ` “${connection.goaway.debug}”` : ''}`
        : 'none',
    };
  });
}

/** One request of an HTTP/2 run as the Compare view lists it: its connection and stream, its wait for a stream slot. */
export interface Http2RequestRow {
  /** unique within the run (a request sent again has two rows) */
  key: string;
  /** 1-based request number (the engine counts from 0) */
  index: number;
  retried: boolean;
  connection: string;
  /** "1", "3", …; "–" when it never got a stream (or the client does not say) */
  stream: string;
  /** ms waited for a stream slot, as text; "–" when it did not wait or it is not known */
  waited: string;
  /** "200", or the error */
  outcome: string;
  failed: boolean;
  /** ms from start to end, as text */
  total: string;
}

/** A row per attempt, in request order; at most `limit` rows (a big run lists its first ones). */
export function http2RequestRows(result: Http2RunResult, limit: number): Http2RequestRow[] {
  const sorted = [...result.requests].sort((a, b) => a.index - b.index || Number(a.retried) - Number(b.retried));
  return sorted.slice(0, limit).map((request, position) => ({
    key: `${request.index}-${position}`,
    index: request.index + 1,
    retried: request.retried,
    connection: request.connection ?? '–',
    stream: request.stream === null ? '–' : String(request.stream),
    waited: request.queuedMs !== null && request.queuedMs > 0 ? ms(request.queuedMs) : '–',
    outcome: request.error ?? (request.status === null ? '–' : String(request.status)),
    failed: request.error !== null,
    total: request.endMs === null ? '–' : ms(request.endMs - request.startMs),
  }));
}
