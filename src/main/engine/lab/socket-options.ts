/**
 * TCP keepalive knobs on a Node socket, and where each value in force came from
 * (Linux tcp(7) and ip-sysctl.rst tcp_keepalive_*; libuv src/unix/tcp.c, uv__tcp_keepalive):
 * - idle (TCP_KEEPIDLE) through `setKeepAlive(true, ms)`; Node floors it to whole
 *   seconds, so under 1000 ms it is silently dropped — we refuse it instead;
 * - libuv's keepalive call also sets TCP_KEEPINTVL = 1 s and TCP_KEEPCNT = 10 on
 *   Linux (libuv ≥ 1.35), overwriting earlier values: set interval/count AFTER it;
 * - interval, count and TCP_USER_TIMEOUT through a newer Node's
 *   `setKeepAlive(enable, delay, interval, count)` when present, else `net-keepalive`
 *   (N-API over ffi-rs, ABI-stable, so it also loads in Electron);
 * - close by FIN (`end`) or RST (`resetAndDestroy`, SO_LINGER 0).
 */
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { KeepaliveSettings, ValueSource } from '@shared/trace';

export interface KeepaliveRequest {
  enabled: boolean;
  /** s idle before the first probe (whole seconds, ≥ 1) */
  idleS?: number;
  /** s between unanswered probes (≥ 1) */
  intervalS?: number;
  /** unanswered probes before the kernel gives up (≥ 1) */
  count?: number;
  /** TCP_USER_TIMEOUT in ms (0 = kernel default) */
  userTimeoutMs?: number;
}

export interface OsKeepaliveDefaults {
  idleS: number | null;
  intervalS: number | null;
  count: number | null;
}

interface NetKeepalive {
  setKeepAliveInterval(socket: Socket, intervalMs: number): boolean;
  getKeepAliveInterval(socket: Socket): number;
  setKeepAliveProbes(socket: Socket, count: number): boolean;
  getKeepAliveProbes(socket: Socket): number;
  setUserTimeout(socket: Socket, timeoutMs: number): boolean;
  getUserTimeout(socket: Socket): number;
}

/** libuv ≥ 1.35 on Linux: "10 successive probes, each spaced 1 second" */
export const LIBUV_INTERVAL_S = 1;
export const LIBUV_COUNT = 10;

let netKeepalive: Promise<NetKeepalive | null> | null = null;

/** Loads net-keepalive once; null where its native part does not load (say so, do not crash). */
export function loadNetKeepalive(): Promise<NetKeepalive | null> {
  netKeepalive ??= import('net-keepalive').then(
    (module) => (module as { default?: NetKeepalive }).default ?? (module as unknown as NetKeepalive),
    () => null,
  );
  return netKeepalive;
}

async function readProcNumber(path: string): Promise<number | null> {
  try {
    const value = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** /proc/sys/net/ipv4/tcp_keepalive_{time,intvl,probes}; nulls where not readable. */
export async function readOsKeepaliveDefaults(prefix = '/proc/sys/net/ipv4/tcp_keepalive_'): Promise<OsKeepaliveDefaults> {
  const [idleS, intervalS, count] = await Promise.all(['time', 'intvl', 'probes'].map((name) => readProcNumber(prefix + name)));
  return { idleS: idleS ?? null, intervalS: intervalS ?? null, count: count ?? null };
}

/** A newer Node takes interval and count in setKeepAlive itself (nodejs/node PR #63825). */
export function nodeSetsIntervalAndCount(socket: Socket): boolean {
  return socket.setKeepAlive.length >= 4;
}

export function validateKeepaliveRequest(request: KeepaliveRequest): string | null {
  const wholeAtLeastOne = (value: number | undefined): boolean => value === undefined || (Number.isInteger(value) && value >= 1);
  if (!wholeAtLeastOne(request.idleS))
    return 'idle must be a whole number of seconds ≥ 1 (Node floors to seconds and drops less than 1000 ms)';
  if (!wholeAtLeastOne(request.intervalS)) return 'interval must be a whole number of seconds ≥ 1';
  if (!wholeAtLeastOne(request.count)) return 'count must be a whole number ≥ 1';
  if (request.userTimeoutMs !== undefined && (!Number.isInteger(request.userTimeoutMs) || request.userTimeoutMs < 0))
    return 'user timeout must be a whole number of ms ≥ 0';
  return null;
}

/**
 * Applies the request and reads back what is in force. `notes` says what could
 * not be set here and why, in words for the learner.
 */
export async function applyKeepalive(
  socket: Socket,
  request: KeepaliveRequest,
  osDefaults: OsKeepaliveDefaults,
): Promise<{ settings: KeepaliveSettings; notes: string[] }> {
  const problem = validateKeepaliveRequest(request);
  if (problem) throw new RangeError(problem);
  const notes: string[] = [];
  const source: KeepaliveSettings['source'] = {
    enabled: 'lab',
    idleS: 'os-default',
    intervalS: 'os-default',
    count: 'os-default',
    userTimeoutMs: 'os-default',
  };
  if (!request.enabled) {
    socket.setKeepAlive(false);
    return { settings: { enabled: false, idleS: null, intervalS: null, count: null, userTimeoutMs: null, source }, notes };
  }
  const idleS = request.idleS ?? osDefaults.idleS;
  let intervalS: number | null = osDefaults.intervalS;
  let count: number | null = osDefaults.count;
  let userTimeoutMs: number | null = 0;
  if (nodeSetsIntervalAndCount(socket) && (request.intervalS !== undefined || request.count !== undefined)) {
    const setKeepAlive = socket.setKeepAlive as unknown as (enable: boolean, delayMs: number, intervalMs: number, count: number) => Socket;
    setKeepAlive.call(socket, true, (idleS ?? 7200) * 1000, (request.intervalS ?? LIBUV_INTERVAL_S) * 1000, request.count ?? LIBUV_COUNT);
  } else {
    socket.setKeepAlive(true, (idleS ?? 7200) * 1000);
  }
  source.idleS = request.idleS !== undefined ? 'lab' : 'os-default';
  if (process.platform === 'linux' || process.platform === 'darwin') {
    // libuv overwrote both when keepalive was switched on
    intervalS = LIBUV_INTERVAL_S;
    count = LIBUV_COUNT;
    source.intervalS = 'libuv-default';
    source.count = 'libuv-default';
  }
  const native = await loadNetKeepalive();
  const wantsNative = request.intervalS !== undefined || request.count !== undefined || request.userTimeoutMs !== undefined;
  if (wantsNative && !native && !nodeSetsIntervalAndCount(socket)) {
    notes.push(`interval, count and TCP_USER_TIMEOUT are not settable here (net-keepalive did not load on ${process.platform})`);
  }
  if (native) {
    try {
      if (request.intervalS !== undefined) native.setKeepAliveInterval(socket, request.intervalS * 1000);
      if (request.count !== undefined) native.setKeepAliveProbes(socket, request.count);
      if (request.userTimeoutMs !== undefined) native.setUserTimeout(socket, request.userTimeoutMs);
      // read back what the kernel holds (ms → s)
      intervalS = Math.round(native.getKeepAliveInterval(socket) / 1000);
      count = native.getKeepAliveProbes(socket);
      userTimeoutMs = native.getUserTimeout(socket);
    } catch (error) {
      notes.push(`setsockopt failed: ${(error as Error).message}`);
    }
  }
  const mark = (requested: number | undefined, value: number | null, fallback: ValueSource): ValueSource =>
    requested !== undefined && value === requested ? 'lab' : fallback;
  source.intervalS = mark(request.intervalS, intervalS, source.intervalS);
  source.count = mark(request.count, count, source.count);
  source.userTimeoutMs = mark(request.userTimeoutMs, userTimeoutMs, native ? 'os-default' : 'unknown');
  if (!native && request.userTimeoutMs === undefined) userTimeoutMs = null;
  return { settings: { enabled: true, idleS, intervalS, count, userTimeoutMs, source }, notes };
}

/** ms to wait for the peer's FIN after ours before destroying the socket: a peer that never answers must not hold it forever. */
const FIN_WAIT_MS = 2000;

/** Closes by FIN (`end`, then destroy if the peer never answers) or RST; resolves on 'close'. */
export function closeSocket(socket: Socket, how: 'fin' | 'rst', finWaitMs = FIN_WAIT_MS): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    if (how === 'rst') {
      socket.resetAndDestroy();
      return;
    }
    socket.end();
    setTimeout(() => socket.destroy(), finWaitMs).unref();
  });
}
