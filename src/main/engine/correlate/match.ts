/**
 * Which TCP stream of a capture is which lab connection: same 4-tuple (either direction),
 * and among streams on the same 4-tuple (a port used again later) the one that began
 * closest to the moment the lab opened the connection. Each stream serves one connection.
 */
import type { Connection, Endpoint, Session } from '@shared/trace';
import type { WireStream } from './wire-log';

export interface ConnectionMatch {
  conn: string;
  stream: number;
  /** ms between the lab's conn-opened and the stream's first packet (packet − lab) */
  offsetMs: number | null;
}

export interface MatchResult {
  matched: ConnectionMatch[];
  /** lab connections with endpoints but no stream in the capture */
  unmatchedConnections: string[];
  /** streams no lab connection claimed */
  unmatchedStreams: number[];
}

/** "address:port" the way the capture engine writes endpoints; an IPv4-mapped IPv6 address as IPv4. */
export function endpointKey(endpoint: Endpoint): string {
  const address = endpoint.address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();
  return address.includes(':') ? `[${address}]:${endpoint.port}` : `${address}:${endpoint.port}`;
}

/** Order-free key of a 4-tuple. */
export function pairKey(one: string, other: string): string {
  return one < other ? `${one}|${other}` : `${other}|${one}`;
}

/** ms since 1970 when the lab opened each connection (its conn-opened event, else its first event). */
export function connectionOpenTimes(session: Session): Map<string, number> {
  const times = new Map<string, number>();
  for (const event of session.events) {
    if (event.conn === undefined) continue;
    const atMs = session.epochMs + event.t / 1000;
    const known = times.get(event.conn);
    if (event.kind === 'conn-opened') times.set(event.conn, atMs);
    else if (known === undefined) times.set(event.conn, atMs);
  }
  return times;
}

function laneKey(connection: Connection): string | null {
  if (!connection.local || !connection.remote) return null;
  return pairKey(endpointKey(connection.local), endpointKey(connection.remote));
}

export function matchConnections(session: Session, streams: WireStream[]): MatchResult {
  const byPair = new Map<string, WireStream[]>();
  for (const stream of streams) {
    const key = pairKey(stream.a, stream.b);
    const list = byPair.get(key) ?? [];
    list.push(stream);
    byPair.set(key, list);
  }
  const openedAt = connectionOpenTimes(session);
  const used = new Set<number>();
  const matched: ConnectionMatch[] = [];
  const unmatchedConnections: string[] = [];
  // earliest connections first, so a reused 4-tuple is handed out in time order
  const ordered = [...session.connections].sort((left, right) => (openedAt.get(left.id) ?? 0) - (openedAt.get(right.id) ?? 0));
  for (const connection of ordered) {
    const key = laneKey(connection);
    if (key === null) continue;
    const opened = openedAt.get(connection.id) ?? null;
    let best: WireStream | null = null;
    let bestDistance = Infinity;
    for (const candidate of byPair.get(key) ?? []) {
      if (used.has(candidate.stream)) continue;
      const distance = opened === null ? candidate.stream : Math.abs(candidate.firstTimeMs - opened);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best === null) {
      unmatchedConnections.push(connection.id);
      continue;
    }
    used.add(best.stream);
    matched.push({
      conn: connection.id,
      stream: best.stream,
      offsetMs: opened === null ? null : Math.round((best.firstTimeMs - opened) * 1000) / 1000,
    });
  }
  const unmatchedStreams = streams.filter((stream) => !used.has(stream.stream)).map((stream) => stream.stream);
  return { matched, unmatchedConnections, unmatchedStreams };
}
