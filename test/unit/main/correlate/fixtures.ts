/** Tiny hand-made sessions and wire rows for the pure correlation tests. */
import { TRACE_SCHEMA_VERSION, type Connection, type Session, type TraceEvent } from '@shared/trace';
import type { WireCapture, WireSegment, WireStream } from '@engine/correlate/wire-log';

export const EPOCH_MS = 1_700_000_000_000;
export const SYN = 0x02;
export const ACK = 0x10;
export const FIN = 0x01;
export const RST = 0x04;
export const PSH = 0x08;
export const KEEP_ALIVE = 0x0008;
export const KEEP_ALIVE_ACK = 0x0100;

export function connection(id: string, localPort: number, remotePort = 8080, address = '127.0.0.1'): Connection {
  return { id, label: id, local: { address, port: localPort }, remote: { address: '127.0.0.1', port: remotePort } };
}

export function session(connections: Connection[], events: TraceEvent[]): Session {
  return {
    schemaVersion: TRACE_SCHEMA_VERSION,
    id: 's',
    kind: 'http-lab',
    title: 't',
    epochMs: EPOCH_MS,
    settings: {},
    connections,
    events,
    summary: {},
  };
}

/** conn-opened at `atMs` after the epoch */
export function opened(conn: string, atMs: number, local: Connection['local'], remote: Connection['remote']): TraceEvent {
  return { kind: 'conn-opened', conn, via: 'new', local, remote, t: atMs * 1000 };
}

export function request(id: string, conn: string, startMs: number, reused: boolean | null, error: string | null = null): TraceEvent[] {
  return [
    { kind: 'request-started', request: id, t: startMs * 1000 },
    {
      kind: 'request-ended',
      request: id,
      conn,
      reused,
      status: error ? null : 200,
      error,
      timings: { queuedUs: 0, connectUs: null, firstByteUs: null, totalUs: null },
      t: (startMs + 2) * 1000,
    },
  ];
}

/** Builds rows in frame order; `atMs` is after the epoch. */
export class WireBuilder {
  readonly segments: WireSegment[] = [];
  segment(
    stream: number,
    from: string,
    to: string,
    atMs: number,
    tcpFlags: number,
    payloadLength = 0,
    extra: Partial<WireSegment> = {},
  ): this {
    this.segments.push({
      frame: this.segments.length + 1,
      timeMs: EPOCH_MS + atMs,
      stream,
      source: from,
      destination: to,
      tcpFlags,
      payloadLength,
      analysis: 0,
      http: null,
      ...extra,
    });
    return this;
  }
  handshake(stream: number, client: string, server: string, atMs: number): this {
    return this.segment(stream, client, server, atMs, SYN)
      .segment(stream, server, client, atMs + 0.1, SYN | ACK)
      .segment(stream, client, server, atMs + 0.2, ACK);
  }
  exchange(stream: number, client: string, server: string, atMs: number): this {
    return this.segment(stream, client, server, atMs, PSH | ACK, 100, { http: 'request' })
      .segment(stream, server, client, atMs + 1, PSH | ACK, 200, { http: 'response' })
      .segment(stream, server, client, atMs + 1.1, PSH | ACK, 1024)
      .segment(stream, client, server, atMs + 1.2, ACK);
  }
  build(): WireCapture {
    const streams = new Map<number, WireStream>();
    for (const row of this.segments) {
      const known = streams.get(row.stream);
      if (known) {
        known.packets += 1;
        known.lastTimeMs = row.timeMs;
        known.keepAlives += row.analysis & KEEP_ALIVE ? 1 : 0;
        continue;
      }
      streams.set(row.stream, {
        stream: row.stream,
        a: row.source,
        b: row.destination,
        firstFrame: row.frame,
        firstTimeMs: row.timeMs,
        lastTimeMs: row.timeMs,
        packets: 1,
        synSeen: (row.tcpFlags & SYN) !== 0,
        end: 'open',
        httpRequests: 0,
        keepAlives: row.analysis & KEEP_ALIVE ? 1 : 0,
        keepAliveAcks: 0,
        probeSpacingS: null,
        tls: null,
      });
    }
    return { packets: this.segments.length, segments: this.segments, streams: [...streams.values()], segmentsDropped: 0 };
  }
}
