/**
 * A read HAR → what the app shows: connections (recorded or inferred) with the requests on them,
 * new vs reused, why each connection was opened, who waited for the per-host limit, per-origin
 * figures, pages, and the same data as a trace Session for the timeline and reports.
 */
import { basename } from 'node:path';
import type { HarConnection, HarImport, HarOrigin, HarRequest, HttpVersionFamily } from '@shared/api-har';
import { HAR_CAUSE_WORDS, HarCauseSchema, type HarConnectionLimit, type HarPoolWait } from '@shared/har-cause';
import { assignConnections, byStart, onConnectionMs, type AssignedConnection, type Assignment } from './assign-connections';
import { connectionIdScheme } from './connection-ids';
import { decideCauses, explainPoolWait, type CauseSweep, type ConnectionCause } from './har-causes';
import type { HarEntry } from './har-entry';
import { harSession } from './har-session';
import { readHarFile, type HarLog } from './read-har';

export async function importHarFile(path: string): Promise<HarImport> {
  return importHar(await readHarFile(path), basename(path));
}

/** The connection's HTTP version: the most common known version of its entries. */
function versionOf(connection: AssignedConnection): HttpVersionFamily {
  const counts = new Map<HttpVersionFamily, number>();
  for (const entry of connection.entries)
    if (entry.httpVersion !== 'unknown') counts.set(entry.httpVersion, (counts.get(entry.httpVersion) ?? 0) + 1);
  let best: HttpVersionFamily = 'unknown';
  for (const [version, count] of counts) if (count > (counts.get(best) ?? 0)) best = version;
  return best;
}

function maxConcurrent(connection: AssignedConnection): number {
  const edges = connection.entries.flatMap((entry) => [
    { at: onConnectionMs(entry), step: 1 },
    { at: entry.startedMs + entry.totalMs, step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const edge of edges) most = Math.max(most, (now += edge.step));
  // entries of 0 ms (Firefox writes some) end as they start: still one at a time, not none
  return connection.entries.length > 0 ? Math.max(1, most) : 0;
}

/** ms of connect + TLS the opener paid (HAR's connect includes ssl); null when not set up in the file. */
function setupMs(connection: AssignedConnection): number | null {
  const timings = connection.opener?.timings;
  if (!timings) return null;
  return Math.max(timings.connect ?? 0, timings.ssl ?? 0);
}

/**
 * The cause this app wrote in `_keepaliveLab` when it exported a lab run: the lab's own verdict,
 * taken over the one worked out from the timings when they differ (the detail says whose it is).
 */
function labCause(entry: HarEntry, inferred: ConnectionCause | undefined): ConnectionCause | null {
  const parsed = HarCauseSchema.safeParse(entry.lab?.cause);
  if (!parsed.success || parsed.data === inferred?.cause) return null;
  const words = HAR_CAUSE_WORDS[parsed.data];
  return { cause: parsed.data, detail: `Keepalive Lab recorded this when it dialled: ${words.label}. ${words.meaning}`, busyWith: [] };
}

/** ms of TLS the opener paid; null without TLS (Fiddler writes ssl 0, not -1, on a plain http:// connection). */
function tlsMsOf(connection: AssignedConnection): number | null {
  const ssl = connection.opener?.timings.ssl ?? null;
  return ssl === 0 && connection.origin.startsWith('http:') ? null : ssl;
}

function toConnection(connection: AssignedConnection, cause: ConnectionCause | null): HarConnection {
  return {
    id: connection.id,
    inferred: connection.inferred,
    origin: connection.origin,
    httpVersion: versionOf(connection),
    serverIPAddress: connection.serverIPAddress,
    requests: connection.entries.length,
    requestIndexes: connection.entries.map((entry) => entry.index),
    openedBy: connection.opener?.index ?? null,
    cause: cause?.cause ?? null,
    setupMs: setupMs(connection),
    tlsMs: tlsMsOf(connection),
    otherOrigins: connection.entries.filter((entry) => entry.origin !== connection.origin).length,
    maxConcurrent: maxConcurrent(connection),
  };
}

/**
 * The requests a Keepalive Lab export says its pool queued (`_keepaliveLab.waitedForPoolMs`): the
 * lab saw its pool queue them, so that record replaces what the timings suggest. Files without
 * the record (a browser's, an older export) keep the timing rule's answer.
 */
function recordedPoolWaits(entries: readonly HarEntry[], limit: HarConnectionLimit, waits: Map<HarEntry, HarPoolWait>): void {
  if (limit.from !== 'lab' || !entries.some((entry) => entry.lab?.waitedForPoolMs !== undefined)) return;
  waits.clear();
  for (const entry of entries) {
    const ms = entry.lab?.waitedForPoolMs;
    // queued by the pool: every one of the run's connections to the origin was busy
    if (typeof ms === 'number') waits.set(entry, { ms, busyConnections: limit.perOrigin ?? 0 });
  }
}

function toRequest(entry: HarEntry, epochMs: number, assignment: Assignment, sweep: CauseSweep, limit: HarConnectionLimit): HarRequest {
  const causes = sweep.causes;
  const connection = assignment.connectionOf.get(entry) ?? null;
  const opened = connection !== null && connection.opener === entry ? (causes.get(connection) ?? null) : null;
  const first = connection?.entries[0] === entry;
  const wait = sweep.poolWaits.get(entry) ?? null;
  const setUpBefore = connection !== null && first && connection.opener === null;
  return {
    index: entry.index,
    startedDateTime: entry.startedDateTime,
    // to the microsecond: both are ms since 1970, whose sub-millisecond digits a double holds to about 0.2 µs
    startMs: Math.round((entry.startedMs - epochMs) * 1000) / 1000,
    method: entry.method,
    url: entry.url,
    origin: entry.origin,
    status: entry.status,
    pageref: entry.pageref,
    httpVersion: entry.httpVersion,
    connection: connection?.id ?? null,
    reused: connection === null ? null : !first,
    cause: opened?.cause ?? null,
    causeDetail:
      opened?.detail ??
      (setUpBefore
        ? `${connection.id} was set up before this entry (its connect time is -1): opened before the recording, or the file does not record it.`
        : null) ??
      (wait && connection ? explainPoolWait(wait, entry.origin, connection.id, limit) : null),
    busyWith: opened?.busyWith.map((busy) => busy.index) ?? [],
    waitedForPool: wait,
    timings: { ...entry.timings, total: entry.totalMs },
  };
}

function originFigures(connections: HarConnection[], requests: HarRequest[]): HarOrigin[] {
  const origins = [...new Set(connections.map((connection) => connection.origin))];
  return origins.map((origin) => {
    const mine = connections.filter((connection) => connection.origin === origin);
    const onNetwork = requests.filter((request) => request.origin === origin && request.connection !== null);
    const opened = mine.filter((connection) => connection.setupMs !== null);
    const setup = opened.reduce((sum, connection) => sum + (connection.setupMs ?? 0), 0);
    const reused = onNetwork.filter((request) => request.reused === true).length;
    const avoidable = opened.filter((connection) => connection.cause === 'unexplained' || connection.cause === 'closed-by-server');
    return {
      origin,
      connectionsOpened: mine.length,
      requests: onNetwork.length,
      reused,
      reuseRatio: onNetwork.length === 0 ? 0 : reused / onNetwork.length,
      setupMs: setup,
      savedMs: opened.length === 0 ? 0 : (reused * setup) / opened.length,
      couldHaveSavedMs: avoidable.reduce((sum, connection) => sum + (connection.setupMs ?? 0), 0),
      httpVersions: [...new Set(mine.map((connection) => connection.httpVersion))],
    };
  });
}

function orderWarning(entries: readonly HarEntry[]): string | null {
  let outOfOrder = 0;
  for (let index = 1; index < entries.length; index++)
    if ((entries[index]?.startedMs ?? 0) < (entries[index - 1]?.startedMs ?? 0)) outOfOrder += 1;
  return outOfOrder === 0
    ? null
    : `${outOfOrder} ${outOfOrder === 1 ? 'entry is' : 'entries are'} out of time order in the file: ${outOfOrder === 1 ? 'it is' : 'they are'} shown in startedDateTime order`;
}

export function importHar(log: HarLog, file: string): HarImport {
  const scheme = connectionIdScheme(log.creator, log.browser);
  const assignment = assignConnections(log.entries, scheme);
  const sweep = decideCauses(assignment, log.connectionLimit);
  recordedPoolWaits(log.entries, log.connectionLimit, sweep.poolWaits);
  for (const connection of assignment.connections) {
    const recorded = connection.opener ? labCause(connection.opener, sweep.causes.get(connection)) : null;
    if (recorded) sweep.causes.set(connection, recorded);
  }
  const causes = sweep.causes;
  const epochMs = log.entries.reduce((earliest, entry) => Math.min(earliest, entry.startedMs), Number.POSITIVE_INFINITY);
  const connections = assignment.connections.map((connection) => toConnection(connection, causes.get(connection) ?? null));
  const requests = byStart(log.entries).map((entry) => toRequest(entry, epochMs, assignment, sweep, log.connectionLimit));
  const warnings = [...log.warnings];
  if (log.entries.length === 0) warnings.push('the file has no entries to show');
  const order = orderWarning(log.entries);
  if (order) warnings.push(order);
  const inferred = connections.filter((connection) => connection.inferred).length;
  if (inferred > 0 && !log.entries.some((entry) => (entry.timings.connect ?? 0) > 0))
    warnings.push(
      'no entry records a connect time, so new and reused connections cannot be told apart: each origin is drawn on the connections the timings allow',
    );
  const connectionSource = inferred === 0 ? 'recorded' : inferred === connections.length ? 'inferred' : 'mixed';
  const pages = log.pages.map((page) => ({ ...page, entries: log.entries.filter((entry) => entry.pageref === page.id).length }));
  const result = {
    format: 'har' as const,
    file,
    creator: log.creator,
    browser: log.browser,
    connectionSource,
    connectionNote: connectionNote(scheme.note, connectionSource),
    connectionLimit: log.connectionLimit,
    pages,
    warnings,
    connections,
    requests,
    origins: originFigures(connections, requests),
  } satisfies Omit<HarImport, 'session'>;
  return { ...result, session: harSession(result, Number.isFinite(epochMs) ? epochMs : 0) };
}

function connectionNote(writer: string, source: HarImport['connectionSource']): string {
  if (source === 'mixed') return `${writer} Some entries have no id: their connections are inferred from the timings.`;
  return writer;
}
