/**
 * Joins a lab session and a capture of it: each lab connection gets its TCP stream
 * (match.ts), the stream's probes, ACKs, retransmissions, FIN and RST become `wire-seen`
 * events on the connection's lane (wire-events.ts), each HTTP request gets the frames that
 * carried it (http-frames.ts), and disagreements become findings (findings.ts).
 * Pure: the same for a live tcpdump pipe and for a capture imported with a saved session.
 */
import type { Session, TraceEvent } from '@shared/trace';
import { closeFindings, probeFindings, raceFindings, requestFindings, type Finding, type LaneContext } from './findings';
import type { EncryptedTraffic, RequestFrames } from '@shared/api-correlate';
import { labRequests, pairRequests, wireExchanges, type WireExchange } from './http-frames';
import { endpointKey, matchConnections, type ConnectionMatch } from './match';
import { laneFigures, wireEventsFor, type LaneFigures } from './wire-events';
import type { WireCapture, WireSegment, WireStream } from './wire-log';

export interface Correlation {
  /** the session with each matched connection's `stream` set and the capture's marks on its lane */
  session: Session;
  packets: number;
  streams: number;
  matched: ConnectionMatch[];
  unmatchedConnections: string[];
  unmatchedStreams: number[];
  /** keep-alive probes in the whole capture (tcp.analysis.keep_alive) */
  keepAlives: number;
  lanes: LaneFigures[];
  requests: RequestFrames[];
  findings: Finding[];
  /** the connections that spoke TLS, whose requests the wire cannot show; null when none did */
  encrypted: EncryptedTraffic | null;
}

function segmentsByStream(segments: WireSegment[]): Map<number, WireSegment[]> {
  const byStream = new Map<number, WireSegment[]>();
  for (const segment of segments) {
    const list = byStream.get(segment.stream);
    if (list) list.push(segment);
    else byStream.set(segment.stream, [segment]);
  }
  return byStream;
}

function labCloses(session: Session): Map<string, { how: string; by: string }> {
  const closes = new Map<string, { how: string; by: string }>();
  for (const event of session.events) {
    if (event.kind === 'conn-closed' && !closes.has(event.conn)) closes.set(event.conn, { how: event.how, by: event.by });
  }
  return closes;
}

/**
 * The matched connections that spoke TLS (the lab recorded a handshake, or the wire shows one) and
 * what the capture read of their handshakes; null when none spoke TLS.
 */
function encryptedTraffic(
  matched: readonly ConnectionMatch[],
  streams: readonly WireStream[],
  tlsConnections: ReadonlySet<string>,
  requests: readonly { conn: string | null }[],
): EncryptedTraffic | null {
  const streamByNumber = new Map(streams.map((stream) => [stream.stream, stream]));
  const encrypted = matched.filter(({ conn, stream }) => tlsConnections.has(conn) || streamByNumber.get(stream)?.tls);
  if (encrypted.length === 0) return null;
  const read = encrypted.flatMap(({ stream }) => streamByNumber.get(stream)?.tls ?? []);
  const connections = new Set(encrypted.map(({ conn }) => conn));
  return {
    connections: connections.size,
    requests: requests.filter((request) => request.conn !== null && connections.has(request.conn)).length,
    handshakes: read.reduce((sum, tls) => sum + tls.handshakes, 0),
    resumed: read.reduce((sum, tls) => sum + tls.resumed, 0),
    version: read.find((tls) => tls.version !== null)?.version ?? null,
  };
}

export function correlateSession(session: Session, wire: WireCapture): Correlation {
  const match = matchConnections(session, wire.streams);
  const byStream = segmentsByStream(wire.segments);
  const connections = new Map(session.connections.map((connection) => [connection.id, connection]));
  const closes = labCloses(session);
  const requests = labRequests(session);
  const streamOf = new Map<string, number>();
  const exchangesOf = new Map<number, WireExchange[]>();
  const lanes: LaneContext[] = [];
  for (const { conn, stream } of match.matched) {
    const local = connections.get(conn)?.local;
    if (!local) continue;
    const localKey = endpointKey(local);
    const segments = byStream.get(stream) ?? [];
    const exchanges = wireExchanges(segments, localKey);
    streamOf.set(conn, stream);
    exchangesOf.set(stream, exchanges);
    lanes.push({ conn, stream, localKey, segments, exchanges, labClose: closes.get(conn) ?? null });
  }
  const paired = pairRequests(requests, streamOf, exchangesOf);

  const findings: Finding[] = match.unmatchedConnections.map((conn) => ({
    code: 'unmatched-connection',
    conn,
    stream: null,
    frames: [],
    message: `${conn}: no TCP stream with its 4-tuple in the capture (was the capture running when it opened, and did its filter include the port?)`,
  }));
  const wireEvents: TraceEvent[] = [];
  // over TLS the requests are encrypted: the wire cannot count them, so only TCP-level findings apply there
  const encrypted = new Set(session.events.flatMap((event) => (event.kind === 'tls-handshake' ? [event.conn] : [])));
  for (const lane of lanes) {
    const readable = !encrypted.has(lane.conn);
    findings.push(
      ...(readable ? requestFindings(lane, requests, paired) : []),
      ...(readable ? raceFindings(lane, paired) : []),
      ...probeFindings(lane),
      ...closeFindings(lane),
    );
    for (const segment of lane.segments) wireEvents.push(...wireEventsFor(segment, lane.conn, lane.localKey, session.epochMs));
  }
  const noteEvents: TraceEvent[] = findings.map((finding) => {
    const frame = finding.frames[0];
    const segment = frame === undefined ? undefined : wire.segments.find((candidate) => candidate.frame === frame);
    const t = segment
      ? Math.max(0, Math.round((segment.timeMs - session.epochMs) * 1000))
      : (session.events[session.events.length - 1]?.t ?? 0);
    return { kind: 'note-logged', level: 'warn', message: `capture: ${finding.message}`, t };
  });

  // the kernel-timer marks are inferred probes; where the wire shows the real ones they would only double them
  const probedOnWire = new Set(
    wireEvents.flatMap((event) => (event.kind === 'wire-seen' && event.mark === 'keepalive-probe' ? [event.conn] : [])),
  );
  const keptEvents = session.events.filter((event) => {
    if (event.kind !== 'wire-seen') return true;
    if (event.source === 'capture') return false;
    return !(probedOnWire.has(event.conn) && (event.mark === 'keepalive-probe' || event.mark === 'keepalive-ack'));
  });
  const correlated: Session = {
    ...session,
    connections: session.connections.map((connection) => {
      const stream = streamOf.get(connection.id);
      return stream === undefined ? connection : { ...connection, stream };
    }),
    events: [...keptEvents, ...wireEvents, ...noteEvents].sort((left, right) => left.t - right.t),
  };
  return {
    session: correlated,
    packets: wire.packets,
    streams: wire.streams.length,
    matched: match.matched,
    unmatchedConnections: match.unmatchedConnections,
    unmatchedStreams: match.unmatchedStreams,
    keepAlives: wire.streams.reduce((sum, stream) => sum + stream.keepAlives, 0),
    lanes: lanes.map((lane) => laneFigures(lane.conn, lane.stream, lane.segments, lane.localKey)),
    requests: paired,
    findings,
    encrypted: encryptedTraffic(match.matched, wire.streams, encrypted, requests),
  };
}
