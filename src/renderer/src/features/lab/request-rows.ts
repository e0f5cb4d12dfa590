/**
 * The per-request table of an HTTP run: one row per request (retries included),
 * read from the trace's `request-ended` events, so the same rows appear live
 * (while events stream in) and after the run.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import { FAILED_ON_REUSE_WORDS, REUSED_WORD } from '@shared/connection-states';
import { CAUSE_WORDS, type ConnectionCause } from '@shared/connection-cause';
import type { TraceEvent } from '@shared/trace';
import { tlsHandshakeSentence, type ConnectionTls } from '@shared/tls-handshake';

/** Why a request's connection was new: the cause, its few words, and the sentence with this run's values. */
export interface RowWhy {
  cause: ConnectionCause;
  label: string;
  detail: string;
}

export interface RequestRow {
  /** "r3", or "r3.2" for a retry */
  request: string;
  /** 1-based request number, for sorting */
  index: number;
  attempt: number;
  connection: string | null;
  /** "failed-on-reuse": sent on a kept connection and failed there (saved no handshake, so not "reused") */
  connectionKind: 'new' | 'reused' | 'failed-on-reuse' | 'unknown';
  /** "200", or the client's error message */
  outcome: string;
  failed: boolean;
  /** ms, null = not measured */
  queuedMs: number | null;
  connectMs: number | null;
  firstByteMs: number | null;
  totalMs: number | null;
  /** set when this request dialled its connection */
  why: RowWhy | null;
  /** ms it waited because the pool was at its limit; null = it did not wait */
  waitedForPoolMs: number | null;
  /** over https: its connection's TLS handshake (on every row of that connection); null over http */
  tls: ConnectionTls | null;
}

const REQUEST_ID = /^r(\d+)(?:\.(\d+))?$/;

function milliseconds(us: number | null): number | null {
  return us === null ? null : us / 1000;
}

function connectionKind(reused: boolean | null, failed: boolean): RequestRow['connectionKind'] {
  if (reused === null) return 'unknown';
  if (!reused) return 'new';
  return failed ? 'failed-on-reuse' : 'reused';
}

/** The words of the "New / reused" column (src/shared/connection-states.ts). */
export const CONNECTION_KIND_LABEL: Readonly<Record<RequestRow['connectionKind'], string>> = {
  new: 'new',
  reused: REUSED_WORD,
  'failed-on-reuse': FAILED_ON_REUSE_WORDS,
  unknown: 'unknown',
};

/** Rows sorted by request number, then attempt. */
export function requestRows(events: readonly TraceEvent[]): RequestRow[] {
  const rows: RequestRow[] = [];
  const causes = connectionCauses(events);
  const handshakes = tlsHandshakes(events);
  for (const event of events) {
    if (event.kind !== 'request-ended') continue;
    const match = REQUEST_ID.exec(event.request);
    rows.push({
      request: event.request,
      index: match ? Number(match[1]) : rows.length + 1,
      attempt: match?.[2] ? Number(match[2]) : 1,
      connection: event.conn ?? null,
      connectionKind: connectionKind(event.reused, event.error !== null),
      outcome: event.error ?? (event.status === null ? '–' : String(event.status)),
      failed: event.error !== null,
      queuedMs: milliseconds(event.timings.queuedUs),
      connectMs: milliseconds(event.timings.connectUs),
      firstByteMs: milliseconds(event.timings.firstByteUs),
      totalMs: milliseconds(event.timings.totalUs),
      why: event.reused === false && event.conn ? (causes.get(event.conn) ?? null) : null,
      waitedForPoolMs: milliseconds(event.waitedForPoolUs ?? null),
      tls: event.conn ? (handshakes.get(event.conn) ?? null) : null,
    });
  }
  return rows.sort((a, b) => a.index - b.index || a.attempt - b.attempt);
}

/** Why each connection of a trace was opened, by connection id (only connections whose cause the trace records). */
export function connectionCauses(events: readonly TraceEvent[]): Map<string, RowWhy> {
  const causes = new Map<string, RowWhy>();
  for (const event of events) {
    if (event.kind !== 'conn-opened' || !event.openedBecause) continue;
    const { cause, detail } = event.openedBecause;
    causes.set(event.conn, { cause, label: CAUSE_WORDS[cause].label, detail });
  }
  return causes;
}

/** Each connection's TLS handshake, by connection id (connections over https only). */
function tlsHandshakes(events: readonly TraceEvent[]): Map<string, ConnectionTls> {
  const handshakes = new Map<string, ConnectionTls>();
  for (const event of events) {
    if (event.kind !== 'tls-handshake') continue;
    const { version, alpn, resumed } = event;
    handshakes.set(event.conn, { version, alpn, resumed, handshakeMs: milliseconds(event.us) });
  }
  return handshakes;
}

/** The row a timeline item stands for: a request span ("r3") or the handshake of the connection it dialled ("c2/handshake@…"). */
export function rowOfItem(rows: readonly RequestRow[], id: string): RequestRow | null {
  const byRequest = rows.find((row) => row.request === id);
  if (byRequest) return byRequest;
  const handshake = /^(.+)\/handshake@/.exec(id);
  return handshake ? (rows.find((row) => row.connection === handshake[1] && row.connectionKind === 'new') ?? null) : null;
}

/** One sentence on a selected request: its connection, and why it was new or what it waited for. */
export function describeRow(row: RequestRow): string {
  const name = `Request ${row.index}${row.attempt > 1 ? ' (retry)' : ''}`;
  const waited =
    row.waitedForPoolMs !== null ? ` after waiting ${formatMs(row.waitedForPoolMs)} ms for a free connection (the pool was full)` : '';
  if (row.connection === null) return `${name} got no connection: ${row.outcome}.`;
  if (row.connectionKind === 'reused')
    return `${name} reused ${row.connection}${waited}${row.tls ? ': no TCP connect and no TLS handshake to pay' : ''}.`;
  const cost = row.tls && row.connectionKind === 'new' ? ` ${tlsHandshakeSentence(row.tls, row.connectMs)}.` : '';
  if (row.why) return `${name} opened ${row.connection}${waited} — ${row.why.label}: ${row.why.detail}.${cost}`;
  return `${name} ran on ${row.connection}${waited}.${cost}`;
}

/** ms with a precision a learner can read: "0.42", "12.3", "1 204". */
export function formatMs(value: number | null): string {
  if (value === null) return '–';
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');
}
