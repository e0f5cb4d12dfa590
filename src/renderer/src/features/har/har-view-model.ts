/**
 * What the HAR view shows, derived from an import (src/shared/api-har.ts) without drawing: the
 * session of one page (or all), the entry a timeline span stands for, an entry's timings as
 * bar segments, and its cause in words.
 */
import type { HarImport, HarRequest } from '@shared/api-har';
import type { HarConnectionLimit } from '@shared/har-cause';
import type { Session } from '@shared/trace';

/** "all" or a page id */
export type PageChoice = string;
export const ALL_PAGES: PageChoice = '*';

/** The import's session with only the entries of one page (and the connections they used). */
export function sessionOfPage(har: HarImport, page: PageChoice): Session {
  if (page === ALL_PAGES) return har.session;
  const requests = new Set(har.requests.filter((request) => request.pageref === page).map((request) => `e${request.index}`));
  const connections = new Set(har.requests.filter((request) => request.pageref === page).map((request) => request.connection));
  const events = har.session.events.filter((event) => {
    if ('request' in event && typeof event.request === 'string') return requests.has(event.request);
    return event.conn === undefined || connections.has(event.conn);
  });
  return { ...har.session, connections: har.session.connections.filter((connection) => connections.has(connection.id)), events };
}

/**
 * The entry index a timeline item stands for: a request bar is "e12", its queued time "e12/queued";
 * a connection's handshake "<conn>/handshake@t" stands for the entry that opened it.
 */
export function entryOfTimelineItem(har: HarImport, id: string): number | null {
  const request = /^e(\d+)(\/|$)/.exec(id);
  if (request?.[1]) return Number(request[1]);
  const handshake = /^(.*)\/handshake@/.exec(id);
  if (handshake) return har.connections.find((connection) => connection.id === handshake[1])?.openedBy ?? null;
  return null;
}

export interface TimingSegment {
  name: 'blocked' | 'dns' | 'connect' | 'ssl' | 'send' | 'wait' | 'receive';
  label: string;
  ms: number;
  /** ms from the entry's start */
  fromMs: number;
}

const SEGMENT_LABELS: Record<TimingSegment['name'], string> = {
  blocked: 'Queued (blocked)',
  dns: 'DNS lookup',
  connect: 'TCP connect',
  ssl: 'TLS handshake',
  send: 'Request sent',
  wait: 'Waiting for the first byte',
  receive: 'Receiving the response',
};

/**
 * A phase's name for this entry: an HTTP/3 connect is QUIC over UDP; `blocked` is a wait for a free
 * connection only where the per-host limit held the entry, else time the browser held it for
 * reasons of its own (Chrome keeps images back while a page's CSS and scripts load).
 */
function segmentLabel(name: TimingSegment['name'], request: HarRequest): string {
  if (name === 'connect' && request.httpVersion === 'h3') return 'QUIC connect (UDP)';
  if (name === 'blocked' && request.waitedForPool === null) return 'Blocked in the browser';
  return SEGMENT_LABELS[name];
}

/**
 * The entry's phases in order; connect (HAR 1.2: TCP + TLS, ssl inside it; the importer adds ssl to
 * the connect of a writer that counts it apart) is split into its TCP and TLS parts — for HTTP/3 a
 * QUIC handshake over UDP, no TCP. -1/absent phases are left out.
 */
export function timingSegments(request: HarRequest): TimingSegment[] {
  const t = request.timings;
  const tls = t.ssl ?? 0;
  const tcp = t.connect === null ? null : Math.max(0, t.connect - tls);
  const phases: Array<[TimingSegment['name'], number | null]> = [
    ['blocked', t.blocked],
    ['dns', t.dns],
    ['connect', tcp],
    ['ssl', t.ssl],
    ['send', t.send],
    ['wait', t.wait],
    ['receive', t.receive],
  ];
  const segments: TimingSegment[] = [];
  let at = 0;
  for (const [name, ms] of phases) {
    if (ms === null) continue;
    const label = segmentLabel(name, request);
    segments.push({ name, label, ms, fromMs: at });
    at += ms;
  }
  return segments;
}

/** Under the timings: what connect holds for this entry (HAR 1.2: TCP + TLS, TLS as its part). */
export function connectNote(request: HarRequest): string {
  const { connect, ssl } = request.timings;
  if (connect === null || connect === 0)
    return `Connect is ${connect === null ? '-1' : '0'} in the file: no connection was set up for this entry.`;
  const what = request.httpVersion === 'h3' ? 'a QUIC handshake over UDP (no TCP), TLS inside it' : 'TCP + TLS';
  if (ssl === null)
    return `Connect ${formatMs(connect)} is ${request.httpVersion === 'h3' ? 'a QUIC handshake over UDP' : 'TCP only: no TLS'}.`;
  return `Connect ${formatMs(connect)} is ${what}: TLS ${formatMs(ssl)} of it.`;
}

/** One sentence on how the entry got its connection. */
export function connectionSentence(request: HarRequest): string {
  if (request.connection === null)
    return 'It never used the network: served from the cache, or blocked, failed or cancelled before it was sent.';
  if (request.reused)
    return `It reused connection ${request.connection}, which had carried an earlier entry of this file: no new handshake.`;
  if (request.cause) return `It opened connection ${request.connection}: its timings show the connection being set up.`;
  return `It is the first entry on connection ${request.connection}, which was set up before it.`;
}

/** Under the "Queued" figure: what they waited for and whose limit it was ("for a free connection (the run's maxSockets: 2)"). */
export function queuedDetail(limit: HarConnectionLimit): string {
  if (limit.perOrigin === null) return `no limit (the run left ${limit.setting ?? 'its limit'} unset)`;
  const whose = limit.from === 'lab' ? `the run's ${limit.setting ?? 'limit'}: ${limit.perOrigin}` : `${limit.perOrigin} per host`;
  return `for a free connection (${whose})`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms > 0 && ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}
