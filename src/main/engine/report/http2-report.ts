/**
 * An HTTP/2 lab run in a report, in HTTP/2 words: one connection carrying many streams (how many
 * at once, against the server's SETTINGS_MAX_CONCURRENT_STREAMS), waits for a stream slot, PINGs
 * and their RTT, GOAWAY with its error code and last stream id, and the Lab panel's own
 * explanations (src/shared/explain-http2.ts) as the findings. HTTP/1 words — a reused connection,
 * a pool wait, keep-alive probes — would be false here: an HTTP/2 stream never waits in a pool.
 *
 * The run's records ride in the session's summary (`summary.http2`, written by lab/http2-run.ts);
 * a session without them (an older file) is reported as any other session.
 * Sources: RFC 9113 §5.1.1 stream ids, §6.5.2 SETTINGS_MAX_CONCURRENT_STREAMS, §6.7 PING, §6.8 GOAWAY, §7 error codes.
 */
import { Http2RunResultSchema, type Http2ConnectionResult, type Http2RunResult } from '@shared/api-http2';
import { explainHttp2Run, type Http2Explanation } from '@shared/explain-http2';
import { median } from '@shared/counting';
import { http2Figures, mostAtOnce } from '@shared/http2-figures';
import type { Session } from '@shared/trace';
import { formatCount } from './escape';
import { moreInJsonNote } from './report-tables';

export { http2Figures } from '@shared/http2-figures';

function plural(count: number, one: string): string {
  return `${formatCount(count)} ${count === 1 ? one : `${one}s`}`;
}

/** The run behind an HTTP/2 lab session, or null for any other session. */
export function http2RunOf(session: Session): Http2RunResult | null {
  if (session.settings['protocol'] !== 'h2') return null;
  const records = session.summary['http2'];
  if (!records || typeof records !== 'object') return null;
  const { protocol: _protocol, ...config } = session.settings;
  const summary = session.summary;
  const parsed = Http2RunResultSchema.safeParse({
    ...records,
    config,
    answered: summary['answered'],
    errors: summary['errors'],
    maxConcurrentStreams: summary['maxConcurrentStreams'],
    waitedForSlot: summary['waitedForSlot'],
    longestWaitMs: summary['longestWaitMs'],
    session,
  });
  return parsed.success ? parsed.data : null;
}

function msText(ms: number | null): string {
  return ms === null ? 'not known' : `${ms < 10 ? ms.toFixed(2) : Math.round(ms).toLocaleString('en-US')} ms`;
}

/** "20 requests on 1 connection as 20 streams, up to 10 at once" + waits, PINGs, GOAWAYs, failures. */
export function http2Headline(run: Http2RunResult): string {
  const figures = http2Figures(run);
  const parts = [
    `${plural(run.config.requests, 'request')} on ${plural(run.connections.length, 'connection')} as ${plural(figures.streams, 'stream')}, ${
      figures.maxConcurrentStreams > 1 ? `up to ${figures.maxConcurrentStreams} at once` : 'one at a time'
    }`,
  ];
  if (figures.waitedForSlot > 0) parts.push(`${formatCount(figures.waitedForSlot)} waited for a stream slot`);
  if (figures.pings > 0) parts.push(plural(figures.pings, 'PING'));
  if (figures.goaways > 0) parts.push(`${plural(figures.goaways, 'connection')} ended by GOAWAY`);
  if (run.errors > 0) parts.push(`${formatCount(run.errors)} failed`);
  return parts.join(', ');
}

/** The figures line/list: label → value. */
export function http2FigureList(run: Http2RunResult): Array<[string, string, number]> {
  const figures = http2Figures(run);
  return [
    ['requests', 'Requests', run.config.requests],
    ['connections', 'Connections', run.connections.length],
    ['streams', 'Streams', figures.streams],
    ['streams-at-once', 'Most streams at once', figures.maxConcurrentStreams],
    ['waited-for-slot', 'Waited for a stream slot', figures.waitedForSlot],
    ['pings', 'PINGs', figures.pings],
    ['goaways', 'GOAWAYs', figures.goaways],
    ['failed', 'Failed', run.errors],
  ];
}

const OPENED_WORDS: Record<Http2ConnectionResult['openedBecause'], string> = {
  first: 'the first connection',
  'after-goaway': 'the one before had received GOAWAY',
  'after-error': 'the one before had failed',
};

function goawayText(connection: Http2ConnectionResult): string {
  const { goaway } = connection;
  if (!goaway) return '–';
  const code = `0x${goaway.errorCode.toString(16)}`;
  return `${goaway.error} (${code}), last stream ${goaway.lastStreamId}${goaway.debug ? `, “${goaway.debug}”` : ''}, at ${msText(goaway.atMs)}`;
}

function closedText(connection: Http2ConnectionResult): string {
  if (connection.closedAtMs === null) return 'still open';
  return connection.goaway
    ? `after the server’s GOAWAY, at ${msText(connection.closedAtMs)}`
    : `by the client at the run’s end, ${msText(connection.closedAtMs)}`;
}

function pingsText(connection: Http2ConnectionResult): string {
  if (connection.pings.length === 0) return '0';
  const rtts = connection.pings.flatMap((ping) => (ping.rttMs === null ? [] : [ping.rttMs]));
  const unanswered = connection.pings.length - rtts.length;
  return `${formatCount(connection.pings.length)} (median RTT ${msText(median(rtts))}${unanswered > 0 ? `, ${unanswered} without ACK` : ''})`;
}

function protocolText(connection: Http2ConnectionResult): string {
  if (!connection.tls) return 'h2c (cleartext)';
  const version = connection.tls.version ?? 'TLS';
  const handshake = connection.tls.handshakeMs === null ? '' : `, handshake ${msText(connection.tls.handshakeMs)}`;
  return `${version}, ALPN ${connection.tls.alpn ?? 'none'}${connection.tls.resumed ? ', resumed' : ''}${handshake}`;
}

/** The connections table of an HTTP/2 run: streams, not reuse; PINGs, not TCP probes; GOAWAY, not a pool. */
export function http2ConnectionTable(run: Http2RunResult, session: Session, maxRows: number) {
  const shown = run.connections.slice(0, maxRows);
  const labels = new Map(session.connections.map((connection) => [connection.id, connection.label]));
  const failed = (id: string) => run.requests.filter((request) => request.connection === id && request.error !== null).length;
  return {
    caption: `Connections of ${session.title}`,
    headers: [
      'Connection',
      'Protocol',
      'Opened',
      'Why opened',
      'Streams',
      'Most at once (server’s limit)',
      'Failed',
      'PINGs',
      'GOAWAY',
      'Closed',
    ],
    rows: shown.map((connection) => [
      labels.get(connection.id) ?? connection.id,
      protocolText(connection),
      `${msText(connection.openedAtMs)}${connection.connectMs === null ? '' : ` (TCP connect ${msText(connection.connectMs)})`}`,
      OPENED_WORDS[connection.openedBecause],
      formatCount(connection.requests),
      `${mostAtOnce(run, connection)} (${connection.serverMaxConcurrentStreams ?? 'no limit announced'})`,
      formatCount(failed(connection.id)),
      pingsText(connection),
      goawayText(connection),
      closedText(connection),
    ]),
    note: moreInJsonNote(run.connections.length - shown.length, 'connection'),
  };
}

/** What the figures behind one explanation are, in one line. */
function seenHere(explanation: Http2Explanation, run: Http2RunResult): string {
  const figures = http2Figures(run);
  switch (explanation.kind) {
    case 'stream-limit':
      return `${plural(figures.waitedForSlot, 'request')} waited for a stream slot, the longest ${msText(figures.longestWaitMs)}; the server allowed ${figures.serverStreamLimit ?? 'any number of'} streams at once.`;
    case 'pings':
      return `${plural(figures.pings, 'PING')}, median RTT ${msText(figures.medianPingRttMs)}, every ${run.config.pingIntervalMs ?? '–'} ms.`;
    case 'too-many-pings':
    case 'goaway-idle': {
      const ended = run.connections.filter((connection) => connection.goaway !== null);
      return `${plural(ended.length, 'connection')} ended by GOAWAY (${ended.map((connection) => `${connection.id}: ${goawayText(connection)}`).join('; ')}); ${plural(figures.retried, 'request')} sent again, ${formatCount(run.errors)} failed.`;
    }
    case 'unread-bodies': {
      const size = run.server === null ? '' : ` of ${formatCount(run.config.server.responseBytes)} bytes`;
      return `${plural(run.answered, 'response')}${size} left unread on ${plural(run.connections.length, 'connection')}: each held only its stream’s flow-control window.`;
    }
    case 'resumed':
      return `${plural(run.connections.filter((connection) => connection.tls?.resumed).length, 'connection')} of ${run.connections.length} resumed.`;
    default:
      return `${http2Headline(run)}.`;
  }
}

/** The Lab panel's explanations of this run, as report findings. */
export function http2FindingDetails(run: Http2RunResult) {
  return explainHttp2Run(run).map((explanation) => ({
    explanation: {
      kind: explanation.kind,
      title: explanation.title,
      whatYouSee: explanation.whatYouSee,
      whyConcluded: explanation.why,
      tryNext: explanation.tryNext,
      missing: [] as string[],
    },
    seenHere: seenHere(explanation, run),
  }));
}
