/**
 * Turns what the HTTP lab observes (sockets opened and closed, requests started
 * and ended, keepalive settings, verdicts) into trace events on a TraceRecorder.
 * The lab's clock is `performance.now()` in µs; the recorder's t is µs since its epoch.
 */
import type { NewConnection } from '@shared/connection-cause';
import type { ConnectionTls } from '@shared/tls-handshake';
import { TraceRecorder, type CloseHow, type Endpoint, type KeepaliveSettings, type RequestTimings, type TraceEvent } from '@shared/trace';

type EventOf<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

export function nowUs(): number {
  return Math.round(performance.now() * 1000);
}

export class HttpRecorder {
  readonly trace = new TraceRecorder(nowUs, Date.now());
  /**
   * The session epoch on the lab clock (µs), read once: read again for every event, two clock reads
   * apart, it moved by the µs between them (more when the thread was preempted in between), and two
   * events a few µs apart could come out in the wrong order.
   */
  private readonly epochUs = nowUs() - this.trace.now();

  /** µs on the lab clock → µs since the session epoch */
  private at(labUs: number): number {
    return Math.max(0, labUs - this.epochUs);
  }

  connectionOpened(
    id: string,
    local: Endpoint | null,
    remote: Endpoint | null,
    connectStartUs: number,
    connectedUs: number,
    openedBecause: NewConnection,
  ): void {
    const label = local ? `${id} :${local.port}` : id;
    this.trace.addConnection({ id, label, local, remote });
    this.trace.record<EventOf<'conn-opened'>>({
      kind: 'conn-opened',
      conn: id,
      via: 'new',
      local,
      remote,
      openedBecause,
      t: this.at(connectStartUs),
    });
    this.trace.record<EventOf<'handshake-completed'>>({
      kind: 'handshake-completed',
      conn: id,
      us: connectedUs - connectStartUs,
      t: this.at(connectedUs),
    });
  }

  /** The TLS handshake on connection `id` finished at `securedUs` (lab clock, µs). */
  tlsHandshake(id: string, tls: ConnectionTls, securedUs: number): void {
    this.trace.record<EventOf<'tls-handshake'>>({
      kind: 'tls-handshake',
      conn: id,
      us: tls.handshakeMs === null ? null : Math.round(tls.handshakeMs * 1000),
      version: tls.version,
      alpn: tls.alpn,
      resumed: tls.resumed,
      t: this.at(securedUs),
    });
  }

  connectionClosed(id: string, how: CloseHow, by: 'local' | 'remote' | 'unknown', reason?: string): void {
    this.trace.record<EventOf<'conn-closed'>>({ kind: 'conn-closed', conn: id, how, by, ...(reason ? { reason } : {}) });
  }

  requestStarted(request: string, startedUs: number, label: string): void {
    this.trace.record<EventOf<'request-started'>>({ kind: 'request-started', request, label, t: this.at(startedUs) });
  }

  requestEnded(
    request: string,
    conn: string | null,
    endedUs: number,
    outcome: {
      reused: boolean | null;
      status: number | null;
      error: string | null;
      timings: RequestTimings;
      /** µs waited for a pool slot; absent = no wait */
      waitedForPoolUs?: number;
      /** the response body was left unread: the connection stays busy until it is released */
      bodyUnread?: boolean;
    },
  ): void {
    this.trace.record<EventOf<'request-ended'>>({
      kind: 'request-ended',
      request,
      ...(conn ? { conn } : {}),
      ...outcome,
      t: this.at(endedUs),
    });
  }

  settingsApplied(conn: string, keepalive: KeepaliveSettings, labUs = nowUs()): void {
    this.trace.record<EventOf<'settings-applied'>>({ kind: 'settings-applied', conn, keepalive, t: this.at(labUs) });
  }

  note(level: 'info' | 'warn' | 'error', message: string): void {
    this.trace.record<EventOf<'note-logged'>>({ kind: 'note-logged', level, message });
  }

  onEvent(listener: (event: TraceEvent) => void): () => void {
    return this.trace.onEvent(listener);
  }
}

/** "127.0.0.1:54321" → endpoint (IPv6 in brackets or bare) */
export function endpointOf(address: string | undefined, port: number | undefined): Endpoint | null {
  if (!address || port === undefined) return null;
  return { address: address.replace(/^::ffff:/, ''), port };
}

export function endpointText(endpoint: Endpoint | null): string | null {
  if (!endpoint) return null;
  return endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;
}
