/**
 * Why each connection of a HAR was opened, and which requests waited for the HTTP/1.1 connection
 * limit per origin (findPoolWaits: the browsers' 6, or the run's own in a Keepalive Lab export), decided at the moment the opening entry asked for a connection (after its `blocked`
 * time) from what the file shows then: the connections to the same origin that already existed
 * and which of them had an entry in flight. A HAR does not record closes, so a connection counts
 * as existing from its first entry on.
 *
 * One sweep per origin over entry starts, entry ends and those moments, in time order (ends
 * first, then starts, then the questions), so a file of 50,000 entries costs a sort, not a
 * comparison of every connection with every other.
 */
import { connectionLimitWords, HAR_CAUSE_WORDS, type HarCause, type HarConnectionLimit, type HarPoolWait } from '@shared/har-cause';
import { endMs, isMultiplexed, type AssignedConnection, type Assignment } from './assign-connections';
import type { HarEntry } from './har-entry';
import { listWords } from '@shared/connection-cause';
import { busyWords } from '@shared/pool-waits';

export interface ConnectionCause {
  cause: HarCause;
  detail: string;
  /** all-busy: the entries in flight on every other connection to the origin */
  busyWith: HarEntry[];
}

/** Blocked time below this is the browser's own bookkeeping, not a wait for a connection (ms; Chrome shows ~0.1–0.5 ms on most entries). */
const MIN_POOL_WAIT_MS = 1;

/** ms between a connection finishing an entry and the queued one getting it, still counted as "waiting for that one" (timers are rounded to 1 ms in old files). */
const FREED_SLACK_MS = 2;

/** Entries listed in an all-busy cause (the rest are counted). */
const MAX_BUSY_LISTED = 50;

interface SweepEvent {
  t: number;
  /** at one instant: 0 an entry ended, 1 an entry was issued (startedDateTime) */
  order: 0 | 1;
  entry: HarEntry;
  connection: AssignedConnection;
}

export interface CauseSweep {
  causes: Map<AssignedConnection, ConnectionCause>;
  poolWaits: Map<HarEntry, HarPoolWait>;
}

function carriesManyAtOnce(connection: AssignedConnection): boolean {
  return connection.entries.some((entry) => isMultiplexed(entry.httpVersion));
}

function entryWords(entries: HarEntry[]): string {
  const indexes = entries.slice(0, 6).map((entry) => `#${entry.index}`);
  if (entries.length > 6) indexes.push(`${entries.length - 6} more`);
  return listWords(indexes);
}

function firstOf<T>(set: Set<T>, count: number, skip: T): T[] {
  const found: T[] = [];
  for (const item of set) {
    if (item === skip) continue;
    if (found.length === count) break;
    found.push(item);
  }
  return found;
}

export function decideCauses(assignment: Assignment, limit: HarConnectionLimit): CauseSweep {
  const sweep: CauseSweep = { causes: new Map(), poolWaits: new Map() };
  const byOrigin = new Map<string, AssignedConnection[]>();
  for (const connection of assignment.connections) {
    const list = byOrigin.get(connection.origin) ?? [];
    list.push(connection);
    byOrigin.set(connection.origin, list);
  }
  for (const connections of byOrigin.values()) {
    sweepOrigin(connections, sweep);
    if (limit.perOrigin !== null) findPoolWaits(connections, limit.perOrigin, sweep.poolWaits);
  }
  return sweep;
}

/**
 * An HTTP/1.1 entry waited for the per-host limit when it was queued (`blocked`) until the very
 * connection it then used finished its previous entry, while the origin already had the limit's
 * worth of connections (`perOrigin`; Chromium: 6): it could neither reuse an idle one nor open another.
 */
function findPoolWaits(connections: AssignedConnection[], perOrigin: number, waits: Map<HarEntry, HarPoolWait>): void {
  const opened = connections
    .filter((connection) => !carriesManyAtOnce(connection))
    // dialled when its first entry left the queue
    .map((connection) =>
      connection.entries[0] ? connection.entries[0].startedMs + (connection.entries[0].timings.blocked ?? 0) : Infinity,
    )
    .sort((a, b) => a - b);
  const existingAt = (t: number) => {
    let low = 0;
    let high = opened.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((opened[middle] ?? Infinity) <= t) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  for (const connection of connections) {
    if (carriesManyAtOnce(connection)) continue;
    for (let at = 1; at < connection.entries.length; at++) {
      const entry = connection.entries[at] as HarEntry;
      const previous = connection.entries[at - 1] as HarEntry;
      const blocked = entry.timings.blocked ?? 0;
      const gotItMs = entry.startedMs + blocked;
      const freedMs = endMs(previous);
      if (blocked < MIN_POOL_WAIT_MS || freedMs <= entry.startedMs || freedMs > gotItMs + FREED_SLACK_MS) continue;
      const existing = existingAt(gotItMs);
      if (existing >= perOrigin) waits.set(entry, { ms: blocked, busyConnections: existing });
    }
  }
}

/**
 * Time order, per origin: an entry is issued at its startedDateTime — for the entry that opened a
 * connection this is when the browser chose to dial, so the cause is decided there. From then on
 * the entry holds its connection (the file says which one it got), so a connection that is about
 * to carry a queued entry is not counted idle. At one instant, ends come first, then entries in
 * file order.
 */
function sweepOrigin(connections: AssignedConnection[], sweep: CauseSweep): void {
  const events: SweepEvent[] = [];
  for (const connection of connections) {
    for (const entry of connection.entries) {
      events.push({ t: entry.startedMs, order: 1, entry, connection }, { t: endMs(entry), order: 0, entry, connection });
    }
  }
  events.sort((a, b) => a.t - b.t || a.order - b.order || a.entry.index - b.entry.index);
  const state: OriginState = {
    inFlight: new Map(),
    existing: new Set(),
    multiplexed: new Set(),
    idle: new Set(),
    lastEnded: new Map(),
    idleStillOpen: 0,
  };
  const setIdle = (connection: AssignedConnection, nowIdle: boolean) => {
    const open = state.lastEnded.get(connection)?.responseClosed !== true;
    if (nowIdle === state.idle.has(connection)) return;
    if (nowIdle) state.idle.add(connection);
    else state.idle.delete(connection);
    state.idleStillOpen += (nowIdle ? 1 : -1) * (open ? 1 : 0);
  };
  const occupy = (connection: AssignedConnection, entry: HarEntry) => {
    if (!state.existing.has(connection)) {
      state.existing.add(connection);
      if (carriesManyAtOnce(connection)) state.multiplexed.add(connection);
    } else setIdle(connection, false);
    const flying = state.inFlight.get(connection) ?? new Set();
    flying.add(entry);
    state.inFlight.set(connection, flying);
  };
  for (const event of events) {
    const { connection, entry } = event;
    if (event.order === 0) {
      const flying = state.inFlight.get(connection);
      if (!flying?.delete(entry)) continue;
      state.lastEnded.set(connection, entry);
      if (flying.size > 0) continue;
      state.inFlight.delete(connection); // only busy connections stay in the map: an all-busy walk is over those
      setIdle(connection, true);
      continue;
    }
    if (entry === connection.opener) sweep.causes.set(connection, decide(connection, entry, state));
    occupy(connection, entry);
  }
}

interface OriginState {
  existing: Set<AssignedConnection>;
  multiplexed: Set<AssignedConnection>;
  idle: Set<AssignedConnection>;
  inFlight: Map<AssignedConnection, Set<HarEntry>>;
  lastEnded: Map<AssignedConnection, HarEntry>;
  idleStillOpen: number;
}

function decide(connection: AssignedConnection, opener: HarEntry, state: OriginState): ConnectionCause {
  const say = (cause: HarCause, detail: string, busyWith: HarEntry[] = []): ConnectionCause => ({ cause, detail, busyWith });
  const others = state.existing.size - (state.existing.has(connection) ? 1 : 0);
  if (others === 0) return say('first', `${connection.id} is the first connection to ${connection.origin} in the file.`);
  const multiplexed = firstOf(state.multiplexed, 6, connection);
  if (multiplexed.length > 0) {
    const names = listWords(multiplexed.map((other) => other.id));
    const theirVersion = multiplexed[0]?.entries[0]?.httpVersion;
    const switched =
      isMultiplexed(opener.httpVersion) && multiplexed.every((other) => other.entries[0]?.httpVersion !== opener.httpVersion);
    const why = switched
      ? `it speaks ${opener.httpVersion} where ${names} spoke ${theirVersion}: the server advertised the newer protocol (Alt-Svc) and the browser moved to it.`
      : HAR_CAUSE_WORDS.unexplained.meaning;
    return say(
      'unexplained',
      `${names} to ${connection.origin} could carry many requests at once, yet #${opener.index} opened ${connection.id}: ${why}`,
    );
  }
  const idleOthers = firstOf(state.idle, 6, connection);
  if (idleOthers.length === 0) {
    const busyWith: HarEntry[] = [];
    for (const [other, flying] of state.inFlight) {
      if (other === connection) continue;
      for (const entry of flying) if (busyWith.length < MAX_BUSY_LISTED) busyWith.push(entry);
    }
    busyWith.sort((a, b) => a.index - b.index);
    const busy =
      others === 1 ? `the only other connection to ${connection.origin} was` : `all ${others} connections to ${connection.origin} were`;
    return say('all-busy', `${busy} carrying requests (${entryWords(busyWith)}) when #${opener.index} asked for one.`, busyWith);
  }
  const names = listWords(idleOthers.map((other) => other.id));
  if (state.idleStillOpen === 0)
    return say('closed-by-server', `${names} had answered "Connection: close", so #${opener.index} needed a new connection.`);
  const idleFor = idleOthers.map((other) => {
    const last = state.lastEnded.get(other);
    return last ? `${other.id} (idle ${Math.round(opener.startedMs - endMs(last))} ms)` : other.id;
  });
  return say(
    'unexplained',
    `${listWords(idleFor)} to ${connection.origin} sat idle, yet #${opener.index} opened ${connection.id}. ${HAR_CAUSE_WORDS.unexplained.meaning}`,
  );
}

/** "queued 62 ms: both connections to http://… were busy, and it was sent only when c1 finished its previous request (the run's maxSockets is 2)." */
export function explainPoolWait(wait: HarPoolWait, origin: string, connection: string, limit: HarConnectionLimit): string {
  const busy = busyWords(wait.busyConnections, { one: `connection to ${origin}`, many: `connections to ${origin}` });
  return `queued ${Math.round(wait.ms)} ms: ${busy}, and it was sent only when ${connection} finished its previous request (${connectionLimitWords(limit)}).`;
}
