/**
 * The kernel-timers table (what `ss -tno` shows) in a learner's words: state,
 * timer, next expiry in seconds, probes sent. Rows come from `tcp.kernelTimers`
 * (all the engine's own sockets) or from the keepalive experiment's stats.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */

export interface KernelTimerInput {
  state: string;
  timer: string;
  /** ms to the timer's next expiry; null = no timer */
  nextMs: number | null;
  probes: number;
  local?: string;
  remote?: string;
}

export interface KernelTimerRow {
  key: string;
  endpoints: string;
  state: string;
  timer: string;
  /** "28.0 s", "–" */
  nextIn: string;
  probes: number;
  /** times the keepalive timer was seen jumping back up (an answered probe, or traffic, re-armed it) */
  rearms: number;
  /** the keepalive timer is the one this panel is about */
  keepalive: boolean;
}

/** The key a socket keeps from one read to the next. */
export function socketKey(row: Pick<KernelTimerInput, 'local' | 'remote'>): string {
  return `${row.local ?? ''}→${row.remote ?? ''}`;
}

/**
 * ms a keepalive timer must rise between two reads to count as re-armed: between reads it only
 * counts down, so a rise is a re-arm; ss rounds to ms and the reads are not instant, hence the slack.
 */
const REARM_RISE_MS = 50;

/**
 * Re-arms seen per socket after one more read: a keepalive timer whose time to expiry went up.
 * With a 1 s interval the timer counts 1000 → 0 ms, so reads 250 ms apart see it fall and jump back.
 */
export function countRearms(
  previous: readonly KernelTimerInput[],
  next: readonly KernelTimerInput[],
  counts: ReadonlyMap<string, number>,
): Map<string, number> {
  const before = new Map(previous.filter((row) => row.timer === 'keepalive').map((row) => [socketKey(row), row.nextMs]));
  const updated = new Map(counts);
  for (const row of next) {
    if (row.timer !== 'keepalive' || row.nextMs === null) continue;
    const key = socketKey(row);
    const last = before.get(key);
    if (last !== undefined && last !== null && row.nextMs > last + REARM_RISE_MS) updated.set(key, (updated.get(key) ?? 0) + 1);
  }
  return updated;
}

const TIMER_WORDS: Readonly<Record<string, string>> = {
  off: 'none',
  retransmit: 'retransmit',
  keepalive: 'keepalive',
  'time-wait': 'TIME_WAIT',
  'zero-window-probe': 'zero-window probe',
  unknown: 'unknown',
};

export function formatNextIn(nextMs: number | null): string {
  if (nextMs === null) return '–';
  return `${(Math.max(0, nextMs) / 1000).toFixed(1)} s`;
}

/** "127.0.0.1:35796" → { host: "127.0.0.1", port: 35796 }; IPv6 may come bracketed or bare. */
export function splitEndpoint(text: string): { host: string; port: number | null } {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return { host: text, port: null };
  const port = Number(text.slice(colon + 1));
  return { host: text.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number.isInteger(port) ? port : null };
}

/** "127.0.0.1 :35796 → :34061" when both ends share an address (always, on loopback); both in full otherwise. */
export function endpointsText(local: string | undefined, remote: string | undefined): string {
  if (!local || !remote) return local ?? remote ?? '';
  const a = splitEndpoint(local);
  const b = splitEndpoint(remote);
  if (a.host === b.host && a.port !== null && b.port !== null) return `${a.host} :${a.port} → :${b.port}`;
  return `${local} → ${remote}`;
}

/**
 * Keepalive rows first (they are the lesson), then by endpoints. Listening sockets
 * are left out (no peer, no timer); with `ports`, only sockets with one end on
 * one of them (the experiment's own connections, not e.g. the UI's web socket).
 */
export function kernelTimerRows(
  rows: readonly KernelTimerInput[],
  ports?: ReadonlySet<number>,
  rearms: ReadonlyMap<string, number> = new Map(),
): KernelTimerRow[] {
  const mine = (row: KernelTimerInput): boolean => {
    if (!ports) return true;
    const local = row.local ? splitEndpoint(row.local).port : null;
    const remote = row.remote ? splitEndpoint(row.remote).port : null;
    return (local !== null && ports.has(local)) || (remote !== null && ports.has(remote));
  };
  return rows
    .filter((row) => row.state !== 'LISTEN' && mine(row))
    .map((row, position) => {
      const endpoints = endpointsText(row.local, row.remote);
      return {
        key: `${endpoints}|${position}`,
        endpoints,
        state: row.state,
        timer: TIMER_WORDS[row.timer] ?? row.timer,
        nextIn: formatNextIn(row.nextMs),
        probes: row.probes,
        rearms: rearms.get(socketKey(row)) ?? 0,
        keepalive: row.timer === 'keepalive',
      };
    })
    .sort((a, b) => Number(b.keepalive) - Number(a.keepalive) || a.endpoints.localeCompare(b.endpoints));
}
