/**
 * The report of an opened HAR file, in what a HAR records: entries on connections (recorded or
 * inferred), which were set up in the file and which before it, each one's connect time (HAR 1.2:
 * TCP + TLS, or QUIC for HTTP/3) and why it was opened, and who waited for a free connection.
 * What a HAR cannot hold — keep-alive probes, closes, keepalive settings, the local port — is
 * left out rather than shown as 0 or "still open". The facts beyond the trace's events travel in
 * the session (src/shared/har-report-facts.ts); the findings are in har-findings.ts.
 */
import { connectionLimitWords } from '@shared/har-cause';
import { harConnectText, harReportFacts, type HarConnectionFacts, type HarReportFacts } from '@shared/har-report-facts';
import type { ConnectionFigures, SessionFigures } from '@shared/report-model';
import type { Session } from '@shared/trace';
import { median, plural } from '@shared/counting';
import { formatCount, formatDuration } from './escape';
import { moreInJsonNote, type TextTable } from './report-tables';

const DASH = '–';
const US_PER_S = 1_000_000;

export interface HarRun {
  session: Session;
  facts: HarReportFacts;
}

/** The HAR facts of a session opened from a HAR file; null for any other session. */
export function harRunOf(session: Session): HarRun | null {
  const facts = harReportFacts(session);
  if (!facts) return null;
  // a session cut to one page (har-view-model sessionOfPage) keeps the file's facts: count only its own connections
  const drawn = new Set(session.connections.map((connection) => connection.id));
  const connections = facts.connections.filter((connection) => drawn.has(connection.id));
  const offNetwork = session.events.filter((event) => event.kind === 'request-ended' && event.conn === undefined).length;
  return { session, facts: { ...facts, connections, offNetwork } };
}

const HTTP_VERSION_WORDS: Readonly<Record<HarConnectionFacts['httpVersion'], string>> = {
  h1: 'HTTP/1.1',
  h2: 'HTTP/2',
  h3: 'HTTP/3 (QUIC over UDP)',
  unknown: 'not recorded',
};

/** Connections by id, with the trace's figures beside the HAR facts. */
export function factsById(facts: HarReportFacts): Map<string, HarConnectionFacts> {
  return new Map(facts.connections.map((connection) => [connection.id, connection]));
}

export function openedInFile(facts: HarReportFacts): HarConnectionFacts[] {
  return facts.connections.filter((connection) => connection.openedBy !== null);
}

/** "9 requests on 3 connections (1 opened in the file, 2 set up before it), 6 reused a connection, 5 never on the network" */
export function harHeadline(
  figures: Pick<SessionFigures, 'requests' | 'connections' | 'reusedRequests' | 'failedRequests'>,
  facts: HarReportFacts,
): string {
  const opened = openedInFile(facts).length;
  const before = facts.connections.length - opened;
  const split =
    before === 0 ? `all opened in the file` : `${formatCount(opened)} opened in the file, ${formatCount(before)} set up before it`;
  const parts = [`${plural(figures.requests, 'request')} on ${plural(figures.connections, 'connection')} (${split})`];
  parts.push(`${formatCount(figures.reusedRequests)} on a connection an earlier entry had used`);
  if (figures.failedRequests > 0) parts.push(`${formatCount(figures.failedRequests)} failed`);
  if (facts.offNetwork > 0) parts.push(`${formatCount(facts.offNetwork)} more never on the network`);
  return parts.join(', ');
}

/** The figures a HAR report shows: [data-figure name, label, value]. */
export function harFigureList(figures: SessionFigures, facts: HarReportFacts): [string, string, number][] {
  const opened = openedInFile(facts).length;
  return [
    ['requests', 'Requests on the network', figures.requests],
    ['off-network', 'Never on the network', facts.offNetwork],
    ['connections', 'Connections', figures.connections],
    ['opened', 'Opened in the file', opened],
    ['set-up-before', 'Set up before the file', facts.connections.length - opened],
    ['reused', 'Reused', figures.reusedRequests],
    ['failed', 'Failed', figures.failedRequests],
    ['pool-waits', 'Waited for a free connection', figures.poolWaits],
  ];
}

/** The connection's connect (HAR 1.2: TCP + TLS) with TLS as its part, in the shared wording. */
export function connectText(connection: HarConnectionFacts): string {
  return harConnectText({ ...connection, setupMs: connection.connectMs });
}

interface Span {
  startUs: number;
  endUs: number;
}

/** Each connection's requests as time spans (µs), from the session's own events. */
function requestSpans(session: Session): Map<string, Span[]> {
  const starts = new Map<string, number>();
  const spans = new Map<string, Span[]>();
  for (const event of session.events) {
    if (event.kind === 'request-started') starts.set(event.request, event.t);
    if (event.kind !== 'request-ended' || event.conn === undefined) continue;
    const list = spans.get(event.conn) ?? [];
    list.push({ startUs: starts.get(event.request) ?? event.t, endUs: event.t });
    spans.set(event.conn, list);
  }
  return spans;
}

/** Seconds the connection carried nothing between its first and last entry (requests at once merged: h2, h3). */
function idleGapsS(spans: readonly Span[]): number[] {
  const sorted = [...spans].sort((a, b) => a.startUs - b.startUs);
  const gaps: number[] = [];
  let busyUntil = sorted[0]?.endUs ?? 0;
  for (const span of sorted.slice(1)) {
    if (span.startUs > busyUntil) gaps.push((span.startUs - busyUntil) / US_PER_S);
    busyUntil = Math.max(busyUntil, span.endUs);
  }
  return gaps;
}

function gapsText(gaps: readonly number[]): string {
  if (gaps.length === 0) return DASH;
  return `${formatCount(gaps.length)} (median ${formatDuration(median(gaps) ?? 0)}, max ${formatDuration(Math.max(...gaps))})`;
}

function openedText(connection: ConnectionFigures, facts: HarConnectionFacts | undefined): string {
  const at = connection.openedS === null ? DASH : formatDuration(connection.openedS);
  return facts?.openedBy === null ? `before the file (first used at ${at})` : `${at}, by #${facts?.openedBy ?? '?'}`;
}

export function harConnectionTable(run: HarRun, figures: SessionFigures, maxRows: number): TextTable {
  const byId = factsById(run.facts);
  const spans = requestSpans(run.session);
  const shown = figures.perConnection.slice(0, maxRows);
  const hidden = figures.perConnection.length - shown.length;
  return {
    caption: `Connections of ${figures.title}`,
    headers: [
      'Connection',
      'HTTP',
      'Server',
      'Opened',
      run.facts.connections.some((connection) => connection.httpVersion === 'h3')
        ? 'Connect (TCP + TLS; QUIC for HTTP/3)'
        : 'Connect (TCP + TLS)',
      'Why opened',
      'Requests',
      'Reused',
      'Most at once',
      'Failed',
      'Idle gaps',
    ],
    rows: shown.map((connection) => {
      const facts = byId.get(connection.id);
      return [
        connection.label,
        facts ? HTTP_VERSION_WORDS[facts.httpVersion] : DASH,
        connection.remote ?? 'not in the file',
        openedText(connection, facts),
        facts ? connectText(facts) : DASH,
        facts?.causeDetail ?? DASH,
        formatCount(connection.requests),
        formatCount(connection.reusedRequests),
        facts ? formatCount(facts.maxConcurrent) : DASH,
        formatCount(connection.failedRequests),
        gapsText(idleGapsS(spans.get(connection.id) ?? [])),
      ];
    }),
    note: moreInJsonNote(hidden, 'connection'),
  };
}

/** What the file is and what its `connection` field holds, then the reader's warnings. */
export function harAboutLines(facts: HarReportFacts): string[] {
  return [facts.connectionNote, ...facts.warnings.map((warning) => `Warning: ${warning}`)];
}

/** The file's own settings in words (the facts behind the tables are not repeated). */
export function harSettingsTable(session: Session, facts: HarReportFacts): TextTable {
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : 'not in the file');
  const who = (value: unknown) => {
    const record = (value ?? {}) as { name?: unknown; version?: unknown };
    return typeof record.name === 'string'
      ? `${record.name}${typeof record.version === 'string' && record.version ? ` ${record.version}` : ''}`
      : 'not in the file';
  };
  return {
    caption: `The file behind ${session.title}`,
    headers: ['Field', 'Value'],
    rows: [
      ['File', text(session.settings['file'])],
      ['Written by (log.creator)', who(session.settings['creator'])],
      ['Browser (log.browser)', who(session.settings['browser'])],
      [
        'Connections',
        { recorded: 'recorded in the file', inferred: 'inferred from the timings', mixed: 'recorded, some inferred' }[
          facts.connectionSource
        ],
      ],
      ['Connections per origin (pool waits measured against)', connectionLimitWords(facts.connectionLimit)],
    ],
    note: null,
  };
}

/** The HTML timeline's legend for a HAR: no probes or closes (a HAR holds neither). */
export const HAR_LEGEND =
  '<ul class="legend"><li><i style="background:var(--new)"></i>entry on a connection it set up</li><li><i style="background:var(--reused)"></i>entry on a connection already open</li><li><i style="background:var(--failed)"></i>failed entry</li><li>a HAR records no closes: a lane ends with its last entry</li></ul>';
