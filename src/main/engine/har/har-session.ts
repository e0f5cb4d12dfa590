/**
 * A HAR import as a trace Session — the one kind of data the timeline, the explanations and the
 * reports read: a connection per lane (its set-up drawn as the handshake, from `connect`), each
 * entry a request on it until `startedDateTime` + `time`, new or reused, its `blocked` time as a
 * wait before it. Entries that never used the network (cache hits, blocked or failed requests) sit on the
 * "(no connection)" lane. Request ids are "e<index>" (the entry's position in the file).
 */
import type { HarConnection, HarImport, HarRequest } from '@shared/api-har';
import { HAR_FACTS_SETTING, type HarReportFacts } from '@shared/har-report-facts';
import { TRACE_SCHEMA_VERSION, type Connection, type Endpoint, type Session, type TraceEvent } from '@shared/trace';

const US_PER_MS = 1000;

export function harRequestId(index: number): string {
  return `e${index}`;
}

function remoteOf(connection: HarConnection): Endpoint | null {
  if (connection.serverIPAddress === null || !URL.canParse(connection.origin)) return null;
  const url = new URL(connection.origin);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { address: connection.serverIPAddress, port };
}

function hostOf(origin: string): string {
  return URL.canParse(origin) ? new URL(origin).host : origin;
}

function pathOf(url: string): string {
  if (!URL.canParse(url)) return url.slice(0, 80);
  const parsed = new URL(url);
  const path = `${parsed.pathname}${parsed.search}`;
  return path.length > 60 ? `${path.slice(0, 59)}…` : path;
}

function toTraceConnection(connection: HarConnection): Connection {
  const how = connection.inferred ? 'inferred' : connection.id;
  return {
    id: connection.id,
    // a version the file does not record is left out of the label ("#1 example.com"), not written "unknown"
    label: `${connection.inferred ? connection.id : `#${connection.id}`}${connection.httpVersion === 'unknown' ? '' : ` ${connection.httpVersion}`} ${hostOf(connection.origin)}${how === 'inferred' ? ' (inferred)' : ''}`,
    local: null,
    remote: remoteOf(connection),
  };
}

function connectionEvents(connection: HarConnection, request: HarRequest | undefined): TraceEvent[] {
  if (!request) return [];
  const remote = remoteOf(connection);
  const timings = request.timings;
  if (connection.openedBy === null) {
    return [{ kind: 'conn-opened', conn: connection.id, via: 'pool', local: null, remote, t: request.startMs * US_PER_MS }];
  }
  const dialMs = request.startMs + (timings.blocked ?? 0) + (timings.dns ?? 0);
  const setupMs = connection.setupMs ?? 0;
  return [
    { kind: 'conn-opened', conn: connection.id, via: 'new', local: null, remote, t: dialMs * US_PER_MS },
    { kind: 'handshake-completed', conn: connection.id, us: setupMs * US_PER_MS, t: (dialMs + setupMs) * US_PER_MS },
  ];
}

/**
 * A request's bar starts when it got onto its connection (after `blocked`). The time before that is
 * drawn as a wait in the pool on the same lane (`pool-acquired` with the µs waited) and counted
 * (`pool-waited`) only where the per-host limit held it: a browser also holds requests for reasons
 * of its own (Chrome keeps images back while the page's CSS and scripts load), and that time, in
 * the entry's timings, is not a wait for a connection.
 */
function requestEvents(request: HarRequest): TraceEvent[] {
  const id = harRequestId(request.index);
  const timings = request.timings;
  const conn = request.connection === null ? {} : { conn: request.connection };
  const beforeFirstByte = [timings.blocked, timings.dns, timings.connect, timings.send, timings.wait];
  const usOrNull = (ms: number | null) => (ms === null ? null : ms * US_PER_MS);
  const queuedMs = request.connection === null ? 0 : (timings.blocked ?? 0);
  const onConnectionUs = (request.startMs + queuedMs) * US_PER_MS;
  const events: TraceEvent[] = [];
  if (request.waitedForPool) {
    // drawn on the lane of the connection it got; counted even when it failed while still queued
    if (request.connection !== null && queuedMs > 0)
      events.push({
        kind: 'pool-acquired',
        conn: request.connection,
        reused: request.reused === true,
        waitedUs: queuedMs * US_PER_MS,
        t: onConnectionUs,
      });
    events.push({ kind: 'pool-waited', request: id, waiting: 1, t: request.startMs * US_PER_MS });
  }
  events.push(
    {
      kind: 'request-started',
      request: id,
      label: `#${request.index} ${request.method} ${pathOf(request.url)}`,
      t: onConnectionUs,
      ...conn,
    },
    {
      kind: 'request-ended',
      request: id,
      ...conn,
      // first on a connection set up before it (connect -1): neither a handshake the file shows nor an earlier entry, so unknown
      reused: request.reused === false && request.cause === null ? null : request.reused,
      status: request.status === 0 ? null : request.status,
      error: request.status === 0 ? 'no response (failed, blocked or cancelled)' : null,
      timings: {
        queuedUs: usOrNull(timings.blocked),
        connectUs: usOrNull(timings.connect),
        firstByteUs: timings.wait === null ? null : beforeFirstByte.reduce<number>((sum, ms) => sum + (ms ?? 0), 0) * US_PER_MS,
        totalUs: timings.total * US_PER_MS,
      },
      ...(request.waitedForPool ? { waitedForPoolUs: request.waitedForPool.ms * US_PER_MS } : {}),
      t: Math.max(onConnectionUs, (request.startMs + timings.total) * US_PER_MS),
    },
  );
  return events;
}

/** "its first entry, #0, has connect 0": why a connection counts as set up before the file. */
function setUpBeforeDetail(connection: HarConnection, first: HarRequest | undefined): string {
  if (!first) return `Connection ${connection.id} was set up before the file.`;
  const connect = first.timings.connect === null ? '-1 (or none)' : String(first.timings.connect);
  return `Connection ${connection.id} was already open when its first entry in the file, #${first.index}, used it: that entry's connect is ${connect}, so it set nothing up.`;
}

function reportFacts(har: Omit<HarImport, 'session'>, byIndex: ReadonlyMap<number, HarRequest>): HarReportFacts {
  return {
    connectionNote: har.connectionNote,
    connectionSource: har.connectionSource,
    connectionLimit: har.connectionLimit,
    offNetwork: har.requests.filter((request) => request.connection === null).length,
    warnings: har.warnings,
    connections: har.connections.map((connection) => {
      const opener = connection.openedBy === null ? undefined : byIndex.get(connection.openedBy);
      const first = byIndex.get(connection.requestIndexes[0] ?? -1);
      return {
        id: connection.id,
        httpVersion: connection.httpVersion,
        inferred: connection.inferred,
        openedBy: connection.openedBy,
        cause: connection.cause,
        causeDetail: opener ? opener.causeDetail : setUpBeforeDetail(connection, first),
        connectMs: connection.setupMs,
        tlsMs: connection.tlsMs,
        maxConcurrent: connection.maxConcurrent,
      };
    }),
  };
}

export function harSession(har: Omit<HarImport, 'session'>, epochMs: number): Session {
  const byIndex = new Map(har.requests.map((request) => [request.index, request]));
  const events: TraceEvent[] = [];
  for (const connection of har.connections) {
    const opener = connection.openedBy ?? connection.requestIndexes[0];
    events.push(...connectionEvents(connection, opener === undefined ? undefined : byIndex.get(opener)));
  }
  for (const request of har.requests) events.push(...requestEvents(request));
  events.sort((a, b) => a.t - b.t);
  const reused = har.requests.filter((request) => request.reused === true).length;
  return {
    schemaVersion: TRACE_SCHEMA_VERSION,
    id: `har:${har.file}:${epochMs}`,
    kind: 'har',
    title: `HAR ${har.file} (${har.creator.name}${har.creator.version ? ` ${har.creator.version}` : ''})`,
    epochMs,
    settings: {
      file: har.file,
      creator: har.creator,
      browser: har.browser,
      connectionSource: har.connectionSource,
      // the HTTP/1.1 connections per origin the pool waits are measured against: the browsers' 6, or a lab run's own limit
      maxConnections: har.connectionLimit.perOrigin,
      [HAR_FACTS_SETTING]: reportFacts(har, byIndex),
    },
    connections: har.connections.map(toTraceConnection),
    events,
    summary: {
      connectionsOpened: har.connections.length,
      reused,
      handshakesSaved: reused,
      requests: har.requests.length,
      offNetwork: har.requests.filter((request) => request.connection === null).length,
    },
  };
}
