/**
 * An HTTP/2 lab run as a trace Session, so the timeline, reports and session log read it like any
 * other run: a lane per connection (its TCP + TLS handshake, its close), every request a span on its
 * connection's lane labelled with its stream id, the wait for a stream slot as a waiting span, and
 * the connection's PINGs and GOAWAY as marks (`http2-frame` events).
 *
 * The loop times everything in ms since the run's start; trace times are µs since `epochMs`.
 */
import type { Http2ConnectionResult, Http2RequestResult, Http2RunConfig } from '@shared/api-http2';
import { TRACE_SCHEMA_VERSION, type Connection, type Endpoint, type Session, type TraceEvent } from '@shared/trace';

const us = (ms: number) => Math.round(ms * 1000);

/** "c1 :54321 · TLS 1.3 h2" or "c2 :54322 · h2c" */
function connectionLabel(connection: Http2ConnectionResult): string {
  const protocol = connection.tls ? `${connection.tls.version ?? 'TLS'} ${connection.tls.alpn ?? ''}`.trim() : 'h2c';
  const resumed = connection.tls?.resumed ? ', resumed' : '';
  return `${connection.id} :${connection.localPort} · ${protocol}${resumed}`;
}

function remoteOf(target: string): Endpoint | null {
  try {
    const url = new URL(target);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { address: url.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return null;
  }
}

function connectionEvents(connection: Http2ConnectionResult, remote: Endpoint | null): TraceEvent[] {
  const conn = connection.id;
  const local = connection.localPort > 0 ? { address: remote?.address ?? '127.0.0.1', port: connection.localPort } : null;
  const events: TraceEvent[] = [{ kind: 'conn-opened', conn, via: 'new', local, remote, t: us(connection.openedAtMs) }];
  if (connection.connectMs !== null) {
    // one handshake span: TCP connect, then the TLS handshake when there is one
    const handshakeMs = connection.connectMs + (connection.tls?.handshakeMs ?? 0);
    events.push({ kind: 'handshake-completed', conn, us: us(handshakeMs), t: us(connection.openedAtMs + handshakeMs) });
  }
  for (const ping of connection.pings) {
    const detail = ping.rttMs === null ? 'no PING ACK came back' : `PING ACK after ${ping.rttMs.toFixed(2)} ms`;
    events.push({ kind: 'http2-frame', conn, frame: 'ping', detail, t: us(ping.atMs) });
  }
  const { goaway } = connection;
  if (goaway) {
    const detail = `${goaway.error}, last stream ${goaway.lastStreamId ?? 'not known (undici does not expose it)'}${goaway.debug ? `, “${goaway.debug}”` : ''}`;
    events.push({ kind: 'http2-frame', conn, frame: 'goaway', detail, t: us(goaway.atMs) });
  }
  if (connection.closedAtMs !== null) {
    events.push({
      kind: 'conn-closed',
      conn,
      how: 'fin',
      by: goaway ? 'remote' : 'local',
      reason: goaway ? `GOAWAY ${goaway.error} from the server` : 'the run ended',
      t: us(connection.closedAtMs),
    });
  }
  return events;
}

function requestEvents(request: Http2RequestResult, attempt: number, connection: Http2ConnectionResult | undefined): TraceEvent[] {
  const id = attempt === 0 ? `r${request.index}` : `r${request.index}.${attempt + 1}`;
  const conn = request.connection ?? undefined;
  const waited =
    request.queuedMs !== null && request.queuedMs > 0 ? `, after waiting ${Math.round(request.queuedMs)} ms for a stream slot` : '';
  const stream =
    request.stream === null
      ? 'stream id not known'
      : `stream ${request.stream}${request.streamFrom === 'server' ? ' (server’s record)' : ''}`;
  const label = `${stream} GET /r/${request.index}${request.retried ? ' (sent again)' : ''}${waited}`;
  const endMs = request.endMs ?? request.startMs;
  // the first stream of a connection paid its handshake: drawn as "new"; later ones as "reused"
  const firstOnConnection = request.stream === 1;
  const connectMs = firstOnConnection && connection?.connectMs != null ? connection.connectMs + (connection.tls?.handshakeMs ?? 0) : null;
  // a stream that waited for a slot is drawn from when the server took it; the wait is a "waiting" span on the connection
  const waitedMs = request.queuedMs !== null && request.queuedMs > 0 && conn ? request.queuedMs : 0;
  const servedFromMs = request.startMs + waitedMs;
  const events: TraceEvent[] = [{ kind: 'request-started', request: id, ...(conn ? { conn } : {}), label, t: us(servedFromMs) }];
  if (waitedMs > 0 && conn) {
    events.push({ kind: 'pool-acquired', conn, reused: !firstOnConnection, waitedUs: us(waitedMs), t: us(servedFromMs) });
  }
  events.push({
    kind: 'request-ended',
    request: id,
    ...(conn ? { conn } : {}),
    reused: request.stream === null ? null : !firstOnConnection,
    status: request.status,
    error: request.error,
    timings: {
      queuedUs: request.queuedMs === null ? null : us(request.queuedMs),
      connectUs: connectMs === null ? null : us(connectMs),
      firstByteUs: null,
      totalUs: us(endMs - request.startMs),
    },
    t: us(endMs),
  });
  return events;
}

export function http2Session(run: {
  id: string;
  epochMs: number;
  target: string;
  config: Http2RunConfig;
  connections: Http2ConnectionResult[];
  requests: Http2RequestResult[];
  summary: Record<string, unknown>;
}): Session {
  const remote = remoteOf(run.target);
  const connections: Connection[] = run.connections.map((connection) => ({
    id: connection.id,
    label: connectionLabel(connection),
    local: connection.localPort > 0 ? { address: remote?.address ?? '127.0.0.1', port: connection.localPort } : null,
    remote,
  }));
  const byId = new Map(run.connections.map((connection) => [connection.id, connection]));
  const attempts = new Map<number, number>();
  const events: TraceEvent[] = [
    ...run.connections.flatMap((connection) => connectionEvents(connection, remote)),
    ...run.requests.flatMap((request) => {
      const attempt = attempts.get(request.index) ?? 0;
      attempts.set(request.index, attempt + 1);
      return requestEvents(request, attempt, request.connection ? byId.get(request.connection) : undefined);
    }),
  ];
  return {
    schemaVersion: TRACE_SCHEMA_VERSION,
    id: run.id,
    kind: 'http-lab',
    title: `HTTP/2: ${run.config.requests} requests, ${run.config.concurrency} at once, to ${run.target}`,
    epochMs: run.epochMs,
    settings: { protocol: 'h2', ...run.config },
    connections,
    events: events.sort((a, b) => a.t - b.t),
    summary: run.summary,
  };
}
