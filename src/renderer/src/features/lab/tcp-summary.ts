/**
 * A TCP experiment's figures as label/value lines for the panel — live stats while it
 * runs, then its summary:
 * load runs (mux, pool) and the keepalive run have different shapes
 * (src/shared/api-tcp.ts); unknown keys are left out rather than guessed.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import { formatDetection } from '@shared/dead-peer';
import { valueSourceText } from '@shared/keepalive-settings-text';
import { endpointsText } from './kernel-timer-rows';

export interface SummaryLine {
  label: string;
  value: string;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(text).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const LOAD_LINES: ReadonlyArray<[string, string]> = [
  ['requests', 'requests'],
  ['ok', 'answered'],
  ['timedOut', 'timed out'],
  ['failed', 'failed'],
  ['lateReplies', 'late replies ignored'],
  ['connectionsOpened', 'connections opened'],
  ['requestsPerSecond', 'requests per second'],
  ['durationMs', 'run time, ms'],
  ['target', 'target'],
  ['errors', 'errors'],
];

/** The pool's figures as the run left it (before the pool was closed), in words (pool.ts PoolStats). */
const POOL_LABELS: Readonly<Record<string, string>> = {
  size: 'pool: connections open at the end',
  idle: 'pool: idle at the end',
  inUse: 'pool: in use at the end',
  dialling: 'pool: still connecting at the end',
  waiting: 'pool: requests waiting at the end',
  created: 'pool: connections created',
  reused: 'pool: requests on a reused connection',
  evicted: 'pool: connections dropped during the run (closed by the peer, failed or idle too long)',
};

export function summaryLines(summary: Record<string, unknown>): SummaryLine[] {
  if ('settings' in summary && 'closedBy' in summary) return keepaliveLines(summary);
  if ('expectedGiveUpMs' in summary) return halfOpenLines(summary);
  const lines = LOAD_LINES.filter(([key]) => key in summary).map(([key, label]) => ({ label, value: text(summary[key]) }));
  const ms = summary['ms'] as { p50?: number | null; p99?: number | null } | undefined;
  if (ms) lines.push({ label: 'latency p50 / p99, ms', value: `${text(ms.p50)} / ${text(ms.p99)}` });
  const pool = summary['pool'];
  if (pool && typeof pool === 'object') {
    for (const [key, value] of Object.entries(pool)) lines.push({ label: POOL_LABELS[key] ?? `pool ${key}`, value: text(value) });
  }
  if (summary['cancelled'] === true) lines.push({ label: 'stopped', value: 'yes: the figures cover what ran' });
  return lines;
}

function keepaliveLines(summary: Record<string, unknown>): SummaryLine[] {
  const settings = (summary['settings'] ?? {}) as Record<string, unknown>;
  const source = (settings['source'] ?? {}) as Record<string, unknown>;
  const withSource = (key: string, unit: string) =>
    // TCP_USER_TIMEOUT 0 is "not set": the kernel's retransmission limits decide (tcp(7))
    key === 'userTimeoutMs' && settings[key] === 0
      ? `not set (0 ms): ${valueSourceText(source[key])}`
      : `${text(settings[key])}${settings[key] === null ? '' : unit} (${valueSourceText(source[key])})`;
  const probes = Array.isArray(summary['probesInferredAtMs']) ? (summary['probesInferredAtMs'] as number[]) : [];
  return [
    { label: 'connection', value: endpointsText(text(summary['local']), text(summary['remote'])) },
    { label: 'idle before the first probe', value: withSource('idleS', ' s') },
    { label: 'between unanswered probes', value: withSource('intervalS', ' s') },
    { label: 'unanswered probes before giving up', value: withSource('count', '') },
    { label: 'TCP_USER_TIMEOUT', value: withSource('userTimeoutMs', ' ms') },
    {
      label: 'probes seen',
      value: probes.length === 0 ? 'none' : `${probes.length}, at ${probes.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}`,
    },
    { label: 'closed with', value: text(summary['closedBy']).toUpperCase() },
    { label: 'timers read from', value: text(summary['kernelTimers']) },
    ...detectionLines(summary),
  ];
}

/** The dead-peer detection time of a keepalive or half-open summary, with its formula. */
function detectionLines(summary: Record<string, unknown>): SummaryLine[] {
  const detection = summary['deadPeerDetection'] as { ms?: number | null; formula?: string } | undefined;
  if (!detection || typeof detection.formula !== 'string') return [];
  // the formula without its result: the time is already in front of it
  const arithmetic = detection.formula.replace(/ = [^=]+$/, '');
  return [{ label: 'a vanished peer noticed after', value: `${formatDetection(detection.ms ?? null)} (${arithmetic})` }];
}

/** When the peer vanished and keepalive was switched on, in ms on the timeline's clock (half-open.ts). */
function timelineMomentLines(summary: Record<string, unknown>): SummaryLine[] {
  const moments: Array<[string, string]> = [
    ['peerVanishedAtMs', 'the peer vanished at'],
    ['keepaliveOnAtMs', 'keepalive switched on at'],
  ];
  return moments
    .filter(([key]) => typeof summary[key] === 'number')
    .map(([key, label]) => ({ label, value: `${summary[key] as number} ms on the timeline` }));
}

function halfOpenLines(summary: Record<string, unknown>): SummaryLine[] {
  if (summary['available'] !== true) return [{ label: 'not run', value: text(summary['reason']) }];
  const gaveUp = summary['gaveUpAfterMs'];
  const userTimeout = typeof summary['userTimeoutMs'] === 'number' ? `, TCP_USER_TIMEOUT ${summary['userTimeoutMs']} ms` : '';
  return [
    {
      label: 'keepalive',
      value: `idle ${text(summary['idleS'])} s, ${text(summary['count'])} probes ${text(summary['intervalS'])} s apart${userTimeout}`,
    },
    ...detectionLines(summary),
    ...timelineMomentLines(summary),
    {
      label: 'the kernel gave up after',
      value:
        typeof gaveUp === 'number'
          ? `${gaveUp} ms after keepalive was switched on, with ${text(summary['error'])} (and an RST from this side)`
          : `never (${text(summary['error'])})`,
    },
    { label: 'unanswered probes seen', value: text(summary['probesSeen']) },
  ];
}

/** Ports of the experiment's own connections (both ends), to pick its sockets out of the kernel's list. */
export function sessionPorts(
  connections: ReadonlyArray<{ local: { port: number } | null; remote: { port: number } | null }>,
  extra: readonly number[] = [],
): Set<number> {
  const ports = new Set<number>(extra);
  for (const connection of connections) {
    if (connection.local) ports.add(connection.local.port);
    if (connection.remote) ports.add(connection.remote.port);
  }
  return ports;
}

/** The proxy's figures when it stops, in words: "2 client connections, 120 bytes up, 180 bytes down". */
export function proxyStatsText(stats: Record<string, unknown> | null): string {
  if (!stats) return '';
  const number = (key: string) => (typeof stats[key] === 'number' ? (stats[key] as number) : 0);
  const accepted = number('accepted');
  return `${accepted} client connection${accepted === 1 ? '' : 's'}, ${number('bytesUp')} bytes up, ${number('bytesDown')} bytes down.`;
}

/** The echo server's figures when it stops (echo-server.ts EchoServerStats): "It accepted 1 connection and answered 1 of 1 request." */
export function echoStatsText(stats: Record<string, unknown> | null): string {
  if (!stats) return '';
  const number = (key: string) => (typeof stats[key] === 'number' ? (stats[key] as number) : 0);
  const accepted = number('connectionsAccepted');
  const requests = number('requests');
  const dropped = number('dropped');
  const malformed = number('malformed');
  const extra = [dropped > 0 ? `dropped ${dropped} on purpose` : '', malformed > 0 ? `${malformed} malformed` : ''].filter(Boolean);
  return (
    `It accepted ${accepted} connection${accepted === 1 ? '' : 's'} and answered ${number('responses')} of ${requests} request${requests === 1 ? '' : 's'}` +
    `${extra.length > 0 ? ` (${extra.join(', ')})` : ''}.`
  );
}

/** Live stats of a run as label/value pairs, whole words, known keys first. */
const STAT_LABELS: Readonly<Record<string, string>> = {
  mode: 'mode',
  started: 'requests started',
  ok: 'answered',
  timedOut: 'timed out',
  failed: 'failed',
  requestsPerSecond: 'requests per second',
  connectionsOpened: 'connections opened',
  size: 'pool size',
  idle: 'idle',
  inUse: 'in use',
  waiting: 'waiting',
  created: 'created',
  reused: 'reused',
  evicted: 'evicted',
  conn: 'connection',
  atMs: 'ms since setup',
  state: 'state',
  timer: 'timer',
  nextMs: 'next expiry in ms',
  probes: 'unanswered probes',
  probesInferred: 'probes seen (from the kernel timer)',
};

export function statEntries(stats: Record<string, unknown> | null): Array<{ key: string; label: string; value: string }> {
  if (!stats) return [];
  const known = Object.keys(STAT_LABELS);
  const keys = Object.keys(stats).sort((a, b) => {
    const rankA = known.indexOf(a);
    const rankB = known.indexOf(b);
    return (rankA === -1 ? known.length : rankA) - (rankB === -1 ? known.length : rankB) || a.localeCompare(b);
  });
  return keys.map((key) => {
    const value = stats[key];
    const text = value === null || value === undefined ? '–' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return { key, label: STAT_LABELS[key] ?? key, value: text };
  });
}
