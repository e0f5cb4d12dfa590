/**
 * Per-connection figures derived from a Session's events, shared by the HTML,
 * Markdown and JSON reports: requests and reuse, idle gaps, probes and their
 * spacing, how each connection ended, the keepalive settings in force, and the
 * findings (explanation kinds) the run shows.
 */
import type { ExplainKind } from '@shared/explain';
import type { ConnectionFigures, SessionFigures } from '@shared/report-model';
import { assertNever, type Endpoint, type Session, type TraceEvent } from '@shared/trace';
import { median, plural } from '@shared/counting';
import { poolWaits } from '@shared/pool-waits';
import { http2Figures, http2Headline, http2RunOf } from './http2-report';
import { harHeadline, harRunOf } from './har-report';
import { tlsFindingKinds, type TlsClientSettings } from './tls-findings';

const US_PER_S = 1_000_000;

interface ConnectionState {
  figures: ConnectionFigures;
  /** request id → start time, µs */
  requestStarts: Map<string, number>;
  /** µs of the previous request's end, to measure the idle gap before the next */
  lastRequestEndUs: number | null;
  probeTimesUs: number[];
}

export function formatEndpoint(endpoint: Endpoint | null | undefined): string | null {
  if (!endpoint) return null;
  return endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;
}

/** One helper for counts with their noun, shared with the CLI and the app. */
export { plural };

function newConnectionState(session: Session, id: string): ConnectionState {
  const known = session.connections.find((connection) => connection.id === id);
  return {
    figures: {
      id,
      label: known?.label ?? id,
      local: formatEndpoint(known?.local),
      remote: formatEndpoint(known?.remote),
      via: 'unknown',
      openedS: null,
      closedS: null,
      closedHow: 'open',
      closedBy: 'unknown',
      requests: 0,
      reusedRequests: 0,
      failedRequests: 0,
      idleGapsS: [],
      probes: 0,
      probeAcks: 0,
      probeSpacingS: null,
      zeroWindowProbes: 0,
      retransmissions: 0,
      keepalive: null,
      openedBecause: null,
      connectMs: null,
      tls: null,
    },
    requestStarts: new Map(),
    lastRequestEndUs: null,
    probeTimesUs: [],
  };
}

interface SessionTally {
  requestConnection: Map<string, string>;
  requestStartUs: Map<string, number>;
  marks: Set<ExplainKind>;
  staleRace: boolean;
  /** a HAR marks reuse on every entry but the first on a connection set up before the file (null): that one is not reused */
  unknownReuseIsFirst: boolean;
}

function applyEvent(event: TraceEvent, connection: ConnectionState | null, tally: SessionTally): void {
  switch (event.kind) {
    case 'conn-opened':
      if (!connection) return;
      connection.figures.openedS = event.t / US_PER_S;
      connection.figures.via = event.via;
      connection.figures.openedBecause = event.openedBecause ?? null;
      connection.figures.local ??= formatEndpoint(event.local);
      connection.figures.remote ??= formatEndpoint(event.remote);
      return;
    case 'conn-closed':
      if (!connection) return;
      connection.figures.closedS = event.t / US_PER_S;
      connection.figures.closedHow = event.how;
      connection.figures.closedBy = event.by;
      return;
    case 'request-started':
      tally.requestStartUs.set(event.request, event.t);
      if (event.conn) tally.requestConnection.set(event.request, event.conn);
      return;
    case 'request-ended': {
      if (!connection) return;
      const figures = connection.figures;
      const startUs = tally.requestStartUs.get(event.request) ?? event.t;
      if (connection.lastRequestEndUs !== null && startUs >= connection.lastRequestEndUs) {
        figures.idleGapsS.push((startUs - connection.lastRequestEndUs) / US_PER_S);
      }
      connection.lastRequestEndUs = event.t;
      const reused = event.reused ?? (!tally.unknownReuseIsFirst && figures.requests > 0);
      figures.requests += 1;
      if (reused) figures.reusedRequests += 1;
      if (event.error !== null) {
        figures.failedRequests += 1;
        if (reused && /ECONNRESET|socket hang up|other side closed|UND_ERR_SOCKET|EPIPE/i.test(event.error)) tally.staleRace = true;
      }
      return;
    }
    case 'wire-seen':
      if (!connection) return;
      if (event.mark === 'keepalive-probe') {
        connection.figures.probes += 1;
        connection.probeTimesUs.push(event.t);
        tally.marks.add('keepalive-probe');
      } else if (event.mark === 'keepalive-ack') {
        connection.figures.probeAcks += 1;
        tally.marks.add('keepalive-ack');
      } else if (event.mark === 'zero-window-probe') {
        connection.figures.zeroWindowProbes += 1;
        tally.marks.add('zero-window-probe');
      } else if (event.mark === 'retransmission') {
        connection.figures.retransmissions += 1;
        tally.marks.add('retransmission');
      } else if (event.mark === 'zero-window') {
        tally.marks.add('zero-window');
      }
      return;
    case 'settings-applied':
      if (!connection) return;
      connection.figures.keepalive = {
        enabled: event.keepalive.enabled,
        idleS: event.keepalive.idleS,
        intervalS: event.keepalive.intervalS,
        count: event.keepalive.count,
      };
      return;
    case 'half-open-detected':
      tally.marks.add('half-open-peer');
      return;
    case 'handshake-completed':
      if (connection && event.us !== null) connection.figures.connectMs = event.us / 1000;
      return;
    case 'tls-handshake':
      if (!connection) return;
      connection.figures.tls = {
        version: event.version,
        alpn: event.alpn,
        resumed: event.resumed,
        handshakeMs: event.us === null ? null : event.us / 1000,
      };
      return;
    case 'pool-waited':
    case 'pool-acquired':
    case 'pool-released':
    case 'pool-evicted':
    case 'bytes-copied':
    case 'kernel-timer-read':
    case 'http2-frame':
    case 'note-logged':
      return;
    default:
      assertNever(event, 'trace event');
  }
}

/** Connection id an event belongs to (request-ended may name it only on request-started). */
function connectionOf(event: TraceEvent, tally: SessionTally): string | undefined {
  if (event.kind === 'request-ended') return event.conn ?? tally.requestConnection.get(event.request);
  if (event.kind === 'request-started') return event.conn;
  return event.conn;
}

export function summarizeSession(session: Session): SessionFigures {
  const states = new Map<string, ConnectionState>();
  for (const connection of session.connections) states.set(connection.id, newConnectionState(session, connection.id));
  const tally: SessionTally = {
    requestConnection: new Map(),
    requestStartUs: new Map(),
    marks: new Set(),
    staleRace: false,
    unknownReuseIsFirst: session.kind === 'har',
  };
  let sessionKeepalive: ConnectionFigures['keepalive'] = null;
  let lastUs = 0;
  for (const event of session.events) {
    lastUs = Math.max(lastUs, event.t);
    if (event.kind === 'settings-applied' && event.conn === undefined) {
      sessionKeepalive = {
        enabled: event.keepalive.enabled,
        idleS: event.keepalive.idleS,
        intervalS: event.keepalive.intervalS,
        count: event.keepalive.count,
      };
    }
    const id = connectionOf(event, tally);
    let state: ConnectionState | null = null;
    if (id !== undefined) {
      state = states.get(id) ?? newConnectionState(session, id);
      states.set(id, state);
    }
    applyEvent(event, state, tally);
  }
  const perConnection = [...states.values()].map((state) => {
    const gaps = state.probeTimesUs.slice(1).map((t, index) => (t - (state.probeTimesUs[index] ?? t)) / US_PER_S);
    return { ...state.figures, probeSpacingS: median(gaps), keepalive: state.figures.keepalive ?? sessionKeepalive };
  });
  perConnection.sort((left, right) => (left.openedS ?? Infinity) - (right.openedS ?? Infinity) || left.id.localeCompare(right.id));
  const sum = (pick: (figures: ConnectionFigures) => number) => perConnection.reduce((total, figures) => total + pick(figures), 0);
  const figures: SessionFigures = {
    sessionId: session.id,
    title: session.title,
    kind: session.kind,
    durationS: lastUs / US_PER_S,
    requests: sum((connection) => connection.requests),
    connections: perConnection.length,
    reusedRequests: sum((connection) => connection.reusedRequests),
    failedRequests: sum((connection) => connection.failedRequests),
    probes: sum((connection) => connection.probes),
    // the one count of requests that waited for a free connection (pool-waits.ts), as the lab's card and Compare show it
    poolWaits: poolWaits(session).requests,
    headline: '',
    findings: [],
    perConnection,
  };
  const http2 = http2RunOf(session);
  if (http2) {
    // HTTP/2 words: the HTTP/1 findings (reuse, pool waits) would be false here; its own are in http2-report.ts
    return { ...figures, headline: http2Headline(http2), findings: [], http2: http2Figures(http2) };
  }
  const har = harRunOf(session);
  // a HAR's own words: the lab's findings (keep-alive off, body modes, probes) would not be the file's
  if (har) return { ...figures, headline: harHeadline(figures, har.facts) };
  figures.headline = sessionHeadline(figures);
  figures.findings = sessionFindings(session, figures, tally);
  return figures;
}

export function sessionHeadline(
  figures: Pick<SessionFigures, 'requests' | 'connections' | 'reusedRequests' | 'probes' | 'failedRequests'>,
): string {
  const parts: string[] = [];
  if (figures.requests > 0)
    parts.push(
      plural(figures.requests, 'request'),
      plural(figures.connections, 'connection'),
      `${figures.reusedRequests.toLocaleString('en-US')} reused`,
    );
  if (figures.probes > 0) {
    const probing = `${plural(figures.probes, 'keep-alive probe')}`;
    parts.push(figures.requests > 0 ? probing : `${probing} on ${plural(figures.connections, 'connection')}`);
  }
  if (figures.failedRequests > 0) parts.push(`${figures.failedRequests.toLocaleString('en-US')} failed`);
  if (parts.length === 0) parts.push(plural(figures.connections, 'connection'));
  return parts.join(', ');
}

/** Reads a setting by any of its names, at the top level or one object deep (e.g. settings.agent.keepAlive). */
export function findSetting(settings: Record<string, unknown>, names: readonly string[]): unknown {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  for (const [key, value] of Object.entries(settings)) if (wanted.has(key.toLowerCase())) return value;
  for (const value of Object.values(settings)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) if (wanted.has(key.toLowerCase())) return inner;
    }
  }
  return undefined;
}

// the HTTP lab's body modes (api-http.ts) other than 'drain': the body is not read to its end
const UNDRAINED_BODY = /^(ignore|ignored|destroy|partial|not-drained|undrained)$/i;
/** keepAlive: false on the agent, or undici with pipelining 0 (its way to turn keep-alive off). */
function keepAliveDisabled(settings: Record<string, unknown>): boolean {
  if (findSetting(settings, ['client']) === 'undici') return findSetting(settings, ['pipelining']) === 0;
  return findSetting(settings, ['keepAlive', 'keepalive', 'httpKeepAlive']) === false;
}

/** The per-origin connection limit in force (agent maxSockets, undici connections, a pool size); null = none. */
export function connectionLimit(settings: Record<string, unknown>): number | null {
  const client = findSetting(settings, ['client']);
  const names = client === 'undici' ? ['connections'] : ['maxSockets', 'poolSize', 'size', 'maxConnections'];
  const value = findSetting(settings, names);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The client settings the TLS findings read (tls-findings.ts). */
export function tlsSettings(settings: Record<string, unknown>): TlsClientSettings {
  const number = (name: string) => {
    const value = findSetting(settings, [name]);
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  return { concurrency: number('concurrency'), poolLimit: connectionLimit(settings), maxCachedSessions: number('maxCachedSessions') };
}

function sessionFindings(session: Session, figures: SessionFigures, tally: SessionTally): ExplainKind[] {
  const found = new Set<ExplainKind>();
  const opened = figures.perConnection.filter((connection) => connection.via === 'new' || connection.via === 'unknown').length;
  if (figures.reusedRequests > 0) found.add('connection-reused');
  if (opened > 0 && figures.requests > 0) found.add('new-connection');
  const bodyMode = findSetting(session.settings, ['body', 'bodyMode', 'bodyHandling', 'consumeBody']);
  const noReuse = figures.requests >= 2 && figures.reusedRequests === 0;
  if (noReuse && keepAliveDisabled(session.settings)) found.add('keepalive-off');
  else if (noReuse && typeof bodyMode === 'string' && UNDRAINED_BODY.test(bodyMode)) found.add('new-connection-body-not-drained');
  if (figures.poolWaits > 0) found.add(session.kind === 'http-lab' ? 'queued-above-max-sockets' : 'pool-wait');
  if (tally.staleRace) found.add('stale-race');
  if (figures.perConnection.some((connection) => connection.closedHow === 'rst')) found.add('fin-vs-rst');
  for (const mark of tally.marks) found.add(mark);
  for (const kind of tlsFindingKinds(session, figures, tlsSettings(session.settings))) found.add(kind);
  return [...found];
}
