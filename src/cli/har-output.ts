/** `keepalive-lab analyze FILE.har`: the import as the `--json` document and as a few lines for a person. */
import type { HarImport } from '../shared/api-har';
import { percentOf } from '../shared/counting';
import { connectionLimitWords, HAR_CAUSE_WORDS } from '../shared/har-cause';
import { harConnectText } from '../shared/har-report-facts';
import { poolWaitWords } from '../shared/pool-waits';

/** The `--json` document: format, creator, pages, warnings, connections, requests (startedDateTime order), origins. */
export function harJson(har: HarImport) {
  const { session: _session, ...rest } = har;
  return rest;
}

function ms(value: number | null): string {
  if (value === null) return 'none';
  return `${value < 10 && value > 0 ? value.toFixed(1) : Math.round(value)} ms`;
}

function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}

/** "requests that waited: 8 for a free connection (both were busy), longest 115 ms — the run's maxSockets is 2" (the lab CLI's words). */
function queuedLine(har: HarImport): string {
  const waits = har.requests.flatMap((request) => (request.waitedForPool ? [request.waitedForPool.ms] : []));
  const longest = waits.length === 0 ? '' : `, longest ${ms(Math.max(...waits))}`;
  return `requests that waited: ${poolWaitWords(waits.length, har.connectionLimit.perOrigin)}${longest} — ${connectionLimitWords(har.connectionLimit)}`;
}

/** Lines shown per origin before "… more" (use --json for all). */
const MAX_ORIGINS = 20;
const MAX_CONNECTIONS_PER_ORIGIN = 12;

/**
 * "connect (TCP + TLS) 98 ms, reuse saved ~0 ms" ("connect (QUIC)" for an HTTP/3 origin); an origin whose connections were all set up
 * before the file shows no set-up, so what reuse saved is not known (not 0 ms).
 */
function originSetupWords(har: HarImport, origin: HarImport['origins'][number]): string {
  const connections = har.connections.filter((connection) => connection.origin === origin.origin);
  const opened = connections.filter((connection) => connection.openedBy !== null);
  // HTTP/3 sets up a QUIC connection over UDP: no TCP connect
  const quic = connections.filter((connection) => connection.httpVersion === 'h3').length;
  const label =
    quic === 0 ? 'connect (TCP + TLS)' : quic === connections.length ? 'connect (QUIC)' : 'connect (TCP + TLS, or QUIC for HTTP/3)';
  if (opened.length === 0) return `${label} none in the file: all set up before it, so what reuse saved is not known`;
  return `${label} ${ms(origin.setupMs)}, reuse saved ~${ms(origin.savedMs)}`;
}

/** What opening no connection while another to the origin sat idle would have saved, or that none was. */
function avoidableWords(origin: HarImport['origins'][number]): string {
  if (origin.couldHaveSavedMs > 0) return `could have saved ${ms(origin.couldHaveSavedMs)} (connections opened while one sat idle)`;
  return 'none opened while another sat idle';
}

/** ", connect (TCP + TLS) 98 ms: TCP 32 + TLS 66"; ", connect 45 ms QUIC handshake …" for HTTP/3; nothing when set up before the file. */
function connectWords(connection: HarImport['connections'][number]): string {
  if (connection.openedBy === null) return '';
  return `, connect${connection.httpVersion === 'h3' ? '' : ' (TCP + TLS)'} ${harConnectText(connection)}`;
}

export function harText(file: string, har: HarImport): string {
  const reused = har.requests.filter((request) => request.reused === true).length;
  const offNetwork = har.requests.filter((request) => request.connection === null).length;
  const lines = [
    `${file}: HAR from ${har.creator.name}${har.creator.version ? ` ${har.creator.version}` : ''}${har.browser ? ` (${har.browser.name} ${har.browser.version})` : ''}, ${count(har.requests.length, 'entry', 'entries')}, ${count(har.pages.length, 'page')}`,
    `${count(har.connections.length, 'connection')} (${har.connectionSource}), ${count(reused, 'request')} on a reused connection, ${offNetwork} never on the network (cache, blocked or failed)`,
    har.connectionNote,
    queuedLine(har),
  ];
  for (const warning of har.warnings) lines.push(`warning: ${warning}`);
  for (const origin of har.origins.slice(0, MAX_ORIGINS)) {
    lines.push(
      `${origin.origin} (${origin.httpVersions.join('/')}): ${count(origin.connectionsOpened, 'connection')}, ${count(origin.requests, 'request')}, ${origin.reused} reused (${percentOf(origin.reuseRatio, 1)}%), ${originSetupWords(har, origin)}, ${avoidableWords(origin)}`,
    );
    const connections = har.connections.filter((connection) => connection.origin === origin.origin);
    for (const connection of connections.slice(0, MAX_CONNECTIONS_PER_ORIGIN)) {
      const opened =
        connection.openedBy === null
          ? 'set up before the file'
          : `opened by #${connection.openedBy}: ${connection.cause ? HAR_CAUSE_WORDS[connection.cause].label : '?'}`;
      lines.push(
        `  ${connection.id}${connection.inferred ? ' (inferred)' : ''} ${connection.httpVersion}: ${count(connection.requests, 'request')}, ${opened}${connectWords(connection)}${connection.maxConcurrent > 1 ? `, up to ${connection.maxConcurrent} at once` : ''}${connection.otherOrigins > 0 ? `, ${connection.otherOrigins} of them for other origins (connection coalescing)` : ''}`,
      );
    }
    if (connections.length > MAX_CONNECTIONS_PER_ORIGIN)
      lines.push(`  … ${connections.length - MAX_CONNECTIONS_PER_ORIGIN} more connections (use --json)`);
  }
  if (har.origins.length > MAX_ORIGINS) lines.push(`… ${har.origins.length - MAX_ORIGINS} more origins (use --json)`);
  return `${lines.join('\n')}\n`;
}
