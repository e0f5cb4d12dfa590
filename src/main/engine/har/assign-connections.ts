/**
 * Puts every network entry of a HAR on a connection: the recorded one where the writer records
 * ids (see connection-ids.ts), otherwise an inferred one. Inference, per origin + server address +
 * HTTP version, in start order:
 *
 *   - `connect` > 0 (or `ssl` > 0): the entry set up a connection, so it opens a new one. HAR 1.2
 *     says -1 when the time "does not apply" (a reused connection); Firefox writes 0 instead.
 *   - otherwise it reused one: the most recently freed connection of its group that is free
 *     when it starts (h2/h3 carry many requests at once, so for them any connection is free);
 *     if none is free, the one that frees first. With none at all, the connection was set up
 *     before the file began: a new inferred connection that the file did not see open.
 */
import type { HttpVersionFamily } from '@shared/api-har';
import { recordedId, type ConnectionIdScheme } from './connection-ids';
import type { HarEntry } from './har-entry';

export interface AssignedConnection {
  id: string;
  inferred: boolean;
  origin: string;
  serverIPAddress: string | null;
  /** entries in start order */
  entries: HarEntry[];
  /** the entry whose timings show the connection being set up; null when it was set up before */
  opener: HarEntry | null;
  /** ms since 1970 when its last entry ends (updated as entries are assigned) */
  busyUntilMs: number;
}

export interface Assignment {
  /** network entries in start order (ties keep file order) */
  ordered: HarEntry[];
  /** entries that never used the network, in start order */
  offNetwork: HarEntry[];
  connectionOf: Map<HarEntry, AssignedConnection>;
  connections: AssignedConnection[];
}

export function endMs(entry: HarEntry): number {
  return entry.startedMs + entry.totalMs;
}

/**
 * When the entry got onto a connection, ms since 1970: after its time queued in the browser
 * (`blocked`) and the name lookup (`dns`). Before that it occupies no connection, though its
 * `time` counts it (Chrome's entries overlap on one HTTP/1.1 socket by exactly that queueing).
 */
export function onConnectionMs(entry: HarEntry): number {
  return entry.startedMs + (entry.timings.blocked ?? 0) + (entry.timings.dns ?? 0);
}

/** The entry's timings show a connection being set up. */
export function setsUpConnection(entry: HarEntry): boolean {
  return (entry.timings.connect ?? 0) > 0 || (entry.timings.ssl ?? 0) > 0;
}

export function isMultiplexed(version: HttpVersionFamily): boolean {
  return version === 'h2' || version === 'h3';
}

export function byStart(entries: readonly HarEntry[]): HarEntry[] {
  return [...entries].sort((a, b) => a.startedMs - b.startedMs || a.index - b.index);
}

export function assignConnections(entries: readonly HarEntry[], scheme: ConnectionIdScheme): Assignment {
  const ordered = byStart(entries);
  const recorded = new Map<string, AssignedConnection>();
  const groups = new Map<string, AssignedConnection[]>();
  const connectionOf = new Map<HarEntry, AssignedConnection>();
  const connections: AssignedConnection[] = [];
  const network: HarEntry[] = [];
  const offNetwork: HarEntry[] = [];
  let inferredCount = 0;

  const open = (id: string, inferred: boolean, entry: HarEntry, opener: HarEntry | null): AssignedConnection => {
    const connection = { id, inferred, origin: entry.origin, serverIPAddress: entry.serverIPAddress, entries: [], opener, busyUntilMs: 0 };
    connections.push(connection);
    return connection;
  };

  for (const entry of ordered) {
    const id = recordedId(entry, scheme);
    if (id === null && entry.offNetwork) {
      offNetwork.push(entry);
      continue;
    }
    let connection: AssignedConnection;
    if (id !== null) {
      connection = recorded.get(id) ?? open(id, false, entry, setsUpConnection(entry) ? entry : null);
      recorded.set(id, connection);
    } else {
      const key = `${entry.origin}|${entry.serverIPAddress ?? ''}|${entry.httpVersion}`;
      const group = groups.get(key) ?? [];
      groups.set(key, group);
      const reusable = setsUpConnection(entry) ? null : pickReusable(group, entry);
      if (reusable) connection = reusable;
      else {
        inferredCount += 1;
        connection = open(`inferred-${inferredCount}`, true, entry, setsUpConnection(entry) ? entry : null);
        group.push(connection);
      }
    }
    connection.entries.push(entry);
    connection.busyUntilMs = Math.max(connection.busyUntilMs, endMs(entry));
    connectionOf.set(entry, connection);
    network.push(entry);
  }
  return { ordered: network, offNetwork, connectionOf, connections };
}

function pickReusable(group: AssignedConnection[], entry: HarEntry): AssignedConnection | null {
  if (group.length === 0) return null;
  if (isMultiplexed(entry.httpVersion)) return group.at(-1) ?? null;
  const free = group.filter((connection) => connection.busyUntilMs <= onConnectionMs(entry));
  // Chromium hands out the most recently used idle socket first (ClientSocketPool's idle list is LIFO)
  if (free.length > 0) return free.reduce((best, connection) => (connection.busyUntilMs > best.busyUntilMs ? connection : best));
  return group.reduce((best, connection) => (connection.busyUntilMs < best.busyUntilMs ? connection : best));
}
