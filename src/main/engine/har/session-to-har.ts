/**
 * An HTTP lab run (its trace Session) → a HAR 1.2 document (http://www.softwareishard.com/blog/har-12-spec/)
 * that DevTools and HAR viewers open: an entry per request with `connection` = the lab's connection
 * id, `serverIPAddress`, and timings from the trace — `blocked` the time queued for a connection,
 * `connect` the TCP handshake (and over TLS the TLS one, which is also `ssl`, as HAR 1.2 counts it)
 * on a new connection and -1 on a reused one (HAR: "-1 if the timing does not apply"), `dns` -1
 * (the lab dials an address), `ssl` -1 without TLS, `send` 0, `wait` to the first
 * response byte, `receive` the rest. `blocked` ("time spent in a queue waiting for a network
 * connection", HAR 1.2) is, for a request the pool queued because all its connections were busy,
 * exactly that wait (`waitedForPoolUs`); for the others the time before the client handed it a
 * socket (its own event loop). `_keepaliveLab` (HAR allows custom fields starting with "_")
 * holds what HAR has no field for: per entry the cause of each new connection, the socket
 * 4-tuple and whether the pool queued it (`waitedForPoolMs`); on the log the run's connection
 * limit per origin, which a browser's file never states (the importer assumes Chrome's 6).
 */
import { HttpRunConfigSchema } from '@shared/api-http';
import { HarCauseSchema, type HarCause } from '@shared/har-cause';
import { connectionLimitOf } from '@shared/pool-waits';
import type { Connection, Endpoint, Session, TraceEvent } from '@shared/trace';
import { APP_VERSION } from '../version';
import { importHar } from './import-har';
import { parseHarText } from './read-har';

type Started = Extract<TraceEvent, { kind: 'request-started' }>;
type Ended = Extract<TraceEvent, { kind: 'request-ended' }>;
type Opened = Extract<TraceEvent, { kind: 'conn-opened' }>;

/** A new connection's connect is never written as 0 ms: Firefox writes 0 on reused connections, so readers take 0 as "reused". */
const MIN_CONNECT_MS = 0.001;

function endpointText(endpoint: Endpoint | null): string | null {
  if (!endpoint) return null;
  return endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;
}

/** "GET /path #3" (the lab's request label) → method and path. */
function methodAndPath(label: string | undefined): { method: string; path: string } {
  const match = /^(\S+) (\/\S*)/.exec(label ?? '');
  return { method: match?.[1] ?? 'GET', path: match?.[2] ?? '/' };
}

function requestUrl(session: Session, connection: Connection | undefined, path: string, secure: boolean): string {
  const configured = session.settings['url'];
  if (typeof configured === 'string' && URL.canParse(configured)) return new URL(path, configured).href;
  const remote = endpointText(connection?.remote ?? null);
  return `${secure ? 'https' : 'http'}://${remote ?? 'unknown-host'}${path}`;
}

/** The lab's own cause when its trace records one (`openedBecause` on conn-opened), else null. */
function recordedCause(opened: Opened | undefined): HarCause | null {
  const because = (opened as { openedBecause?: { cause?: unknown } } | undefined)?.openedBecause;
  const parsed = HarCauseSchema.safeParse(because?.cause);
  return parsed.success ? parsed.data : typeof because?.cause === 'string' ? (because.cause as HarCause) : null;
}

/**
 * "2026-12-04T17:34:54.565432Z": to the microsecond (ISO 8601 allows more digits than three). To the
 * millisecond, a request sent on a connection the moment the previous one ended would seem to
 * start up to 1 ms before it ended: two at once on an HTTP/1.1 connection.
 */
function isoWithMicroseconds(msSince1970: number): string {
  const whole = Math.floor(msSince1970);
  const micros = Math.min(999, Math.round((msSince1970 - whole) * 1000));
  return new Date(whole).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}

const ms = (us: number | null) => (us === null ? null : us / 1000);
const round = (value: number) => Math.round(value * 1000) / 1000;

/** `tlsMs`: the new connection's TLS handshake, which HAR counts inside `connect` and also gives alone as `ssl`. */
function timingsOf(ended: Ended, isNew: boolean, tlsMs: number | null) {
  // a request queued by the pool and never handed a socket (it failed or timed out waiting) has no queuedUs, but it waited all along
  const blocked = Math.max(0, ms(ended.waitedForPoolUs ?? ended.timings.queuedUs) ?? 0);
  const ssl = isNew && tlsMs !== null ? tlsMs : -1;
  const connect = isNew ? Math.max(MIN_CONNECT_MS, ms(ended.timings.connectUs) ?? MIN_CONNECT_MS) + Math.max(0, ssl) : -1;
  const total = Math.max(0, ms(ended.timings.totalUs) ?? 0);
  const firstByte = ms(ended.timings.firstByteUs) ?? total;
  const wait = Math.max(0, firstByte - blocked - Math.max(0, connect));
  const receive = Math.max(0, total - blocked - Math.max(0, connect) - wait);
  return {
    blocked: round(blocked),
    dns: -1,
    connect: round(connect),
    ssl: round(ssl),
    send: 0,
    wait: round(wait),
    receive: round(receive),
  };
}

export function sessionToHar(session: Session, causes: ReadonlyMap<string, HarCause> = new Map()) {
  const connections = new Map(session.connections.map((connection) => [connection.id, connection]));
  const started = new Map<string, Started>();
  const opened = new Map<string, Opened>();
  const seen = new Set<string>();
  /** each TLS connection's handshake, ms (it ends before the first request on the connection does) */
  const tlsMs = new Map<string, number | null>();
  const entries = [];
  for (const event of [...session.events].sort((a, b) => a.t - b.t)) {
    if (event.kind === 'request-started') started.set(event.request, event);
    if (event.kind === 'conn-opened') opened.set(event.conn, event);
    if (event.kind === 'tls-handshake') tlsMs.set(event.conn, ms(event.us));
    if (event.kind !== 'request-ended') continue;
    const start = started.get(event.request);
    const startUs = start?.t ?? event.t - (event.timings.totalUs ?? 0);
    const connection = event.conn === undefined ? undefined : connections.get(event.conn);
    const isNew = event.conn !== undefined && !seen.has(event.conn);
    if (event.conn !== undefined) seen.add(event.conn);
    const { method, path } = methodAndPath(start?.label);
    const timings = timingsOf(event, isNew && event.reused !== true, event.conn === undefined ? null : (tlsMs.get(event.conn) ?? null));
    // HAR 1.2: time is the sum of the timings that apply, ssl excepted (it is inside connect)
    const time = round(timings.blocked + Math.max(0, timings.connect) + timings.send + timings.wait + timings.receive);
    const labCause = isNew && event.conn !== undefined ? recordedCause(opened.get(event.conn)) : null;
    const timingsCause = isNew && event.conn !== undefined ? (causes.get(event.conn) ?? null) : null;
    entries.push({
      startedDateTime: isoWithMicroseconds(session.epochMs + startUs / 1000),
      time,
      request: {
        method,
        url: requestUrl(session, connection, path, event.conn !== undefined && tlsMs.has(event.conn)),
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: [],
        queryString: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: event.status ?? 0,
        statusText: event.error ?? '',
        httpVersion: event.status === null ? '' : 'HTTP/1.1',
        cookies: [],
        headers: [],
        content: { size: -1, mimeType: '' },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
      },
      cache: {},
      timings,
      ...(connection?.remote ? { serverIPAddress: connection.remote.address } : {}),
      ...(event.conn !== undefined ? { connection: event.conn } : {}),
      comment: start?.label ?? event.request,
      _keepaliveLab: {
        request: event.request,
        connection: event.conn ?? null,
        reused: event.reused,
        cause: labCause ?? timingsCause,
        /** "lab": the lab's own verdict when it dialled; "timings": worked out from this file's timings by the HAR rules */
        causeFrom: labCause ? 'lab' : timingsCause ? 'timings' : null,
        local: endpointText(connection?.local ?? null),
        remote: endpointText(connection?.remote ?? null),
        error: event.error,
        /** ms the pool queued it because all its connections were busy (= `timings.blocked`); null = it was not queued */
        waitedForPoolMs: event.waitedForPoolUs === undefined ? null : round(event.waitedForPoolUs / 1000),
      },
    });
  }
  const limit = harLimitOf(session);
  return {
    log: {
      version: '1.2',
      creator: { name: 'keepalive-lab', version: APP_VERSION },
      pages: [],
      entries,
      comment: session.title,
      ...(limit ? { _keepaliveLab: limit } : {}),
    },
  };
}

/**
 * The run's HTTP/1.1 connections per origin: http.Agent's maxSockets or undici's `connections`
 * (null = no limit set). Null for a session that is not an HTTP lab run's.
 */
function harLimitOf(session: Session): { connectionsPerOrigin: number | null; limitSetting: string } | null {
  if (session.kind !== 'http-lab') return null;
  const config = HttpRunConfigSchema.safeParse(session.settings);
  if (!config.success) return null;
  const { limit, setting } = connectionLimitOf(config.data);
  return { connectionsPerOrigin: limit, limitSetting: setting };
}

/**
 * The run as HAR text. Where the run's trace records no cause for a connection, the cause is the
 * one the HAR importer works out from this very file's timings (first, all-busy, …), and says so.
 */
export function labRunToHarText(session: Session): string {
  const draft = sessionToHar(session);
  const read = importHar(parseHarText(JSON.stringify(draft)), 'run.har');
  const causes = new Map<string, HarCause>();
  for (const connection of read.connections) if (connection.cause) causes.set(connection.id, connection.cause);
  return `${JSON.stringify(sessionToHar(session, causes), null, 2)}\n`;
}

/** "keepalive-lab-run-2026-12-04T09-30-00.har" */
export function suggestedHarName(session: Session): string {
  const stamp = new Date(session.epochMs)
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/:/g, '-');
  return `keepalive-lab-run-${stamp}.har`;
}
