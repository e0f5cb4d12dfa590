/**
 * What the Linux kernel says about the lab's own sockets: state, which timer is
 * armed (keepalive / retransmit / TIME_WAIT / zero-window probe), when it fires
 * and how many probes went unanswered — what `ss -tno` shows.
 *
 * Two sources, matched to our sockets by inode (/proc/self/fd/N → "socket:[inode]"):
 * - `ss -tnoie` (iproute2, netlink inet_diag): `timer:(keepalive,28sec,3)` where
 *   3 = icsk_probes_out, i.e. keepalive probes sent without an answer;
 * - /proc/net/tcp and /proc/net/tcp6 (fallback): its "retrnsmt" column is
 *   icsk_retransmits, which does NOT count keepalive probes.
 * Other OSes: `{ available: false, reason: 'not available on this OS' }`.
 */
import { execFile } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import type { Socket } from 'node:net';

export type TimerKind = 'off' | 'retransmit' | 'keepalive' | 'time-wait' | 'zero-window-probe' | 'unknown';

export interface KernelSocketRow {
  state: string;
  local: string;
  remote: string;
  timer: TimerKind;
  /** ms until the timer fires (null when no timer) */
  nextMs: number | null;
  /** ss: unanswered probes / retransmits; /proc: retransmits only */
  probes: number;
  inode: number | null;
  source: 'ss' | 'proc';
}

export type KernelTimersResult = { available: true; rows: KernelSocketRow[] } | { available: false; reason: string };

/** /proc/net/tcp "st" column (include/net/tcp_states.h) */
const TCP_STATES: Record<number, string> = {
  1: 'ESTAB',
  2: 'SYN-SENT',
  3: 'SYN-RECV',
  4: 'FIN-WAIT-1',
  5: 'FIN-WAIT-2',
  6: 'TIME-WAIT',
  7: 'UNCONN',
  8: 'CLOSE-WAIT',
  9: 'LAST-ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'NEW-SYN-RECV',
};

/** /proc/net/tcp "tr" column (net/ipv4/tcp_ipv4.c get_tcp4_sock) */
const PROC_TIMERS: Record<number, TimerKind> = { 0: 'off', 1: 'retransmit', 2: 'keepalive', 3: 'time-wait', 4: 'zero-window-probe' };

/** ss's names (misc/ss.c tmr_name) */
const SS_TIMERS: Record<string, TimerKind> = {
  off: 'off',
  on: 'retransmit',
  keepalive: 'keepalive',
  timewait: 'time-wait',
  persist: 'zero-window-probe',
};

/** USER_HZ: /proc reports timer expiry in clock ticks of 10 ms */
const PROC_TICK_MS = 10;

/**
 * Address as /proc prints it: the raw bytes of in_addr / in6_addr read as
 * host-order 32-bit words, each printed as 8 hex digits (little-endian hosts).
 *   "0100007F:1F90"  →  127.0.0.1:8080
 */
export function decodeProcAddress(text: string): string {
  const [hexAddress = '', hexPort = '0'] = text.split(':');
  const port = Number.parseInt(hexPort, 16);
  const bytes: number[] = [];
  for (let word = 0; word < hexAddress.length / 8; word += 1) {
    const value = Number.parseInt(hexAddress.slice(word * 8, word * 8 + 8), 16);
    bytes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  }
  if (bytes.length === 4) return `${bytes.join('.')}:${port}`;
  const isV4Mapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isV4Mapped) return `[::ffff:${bytes.slice(12).join('.')}]:${port}`;
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push((((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0)).toString(16));
  return `[${groups.join(':')}]:${port}`;
}

/**
 * One data line of /proc/net/tcp{,6}:
 *   sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
 *   0: 0100007F:A1B2 0100007F:1F90 01 00000000:00000000 02:000000C8 00000000 0 0 12345 …
 */
export function parseProcNetTcpLine(line: string): KernelSocketRow | null {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 10 || !/^\d+:$/.test(fields[0] ?? '')) return null;
  const [, local = '', remote = '', stateHex = '', , timerField = '', retransmits = '0', , , inode = ''] = fields;
  const [timerHex = '0', whenHex = '0'] = timerField.split(':');
  const timer = PROC_TIMERS[Number.parseInt(timerHex, 16)] ?? 'unknown';
  return {
    state: TCP_STATES[Number.parseInt(stateHex, 16)] ?? `state-${stateHex}`,
    local: decodeProcAddress(local),
    remote: decodeProcAddress(remote),
    timer,
    nextMs: timer === 'off' ? null : Number.parseInt(whenHex, 16) * PROC_TICK_MS,
    probes: Number.parseInt(retransmits, 16),
    inode: Number.parseInt(inode, 10),
    source: 'proc',
  };
}

/**
 * ss's timer text (misc/ss.c print_ms_timer): "956ms", "28sec", "1.500ms" (= 1.5 s),
 * "2min30sec", "12min" → ms.
 */
export function parseSsDuration(text: string): number | null {
  const match = /^(?:(\d+)min)?(?:(\d+)(sec|\.))?(?:(\d+)ms)?$/.exec(text);
  if (!match || text === '') return null;
  const [, minutes = '0', seconds = '0', , millis = '0'] = match;
  return Number(minutes) * 60_000 + Number(seconds) * 1000 + Number(millis);
}

/** Parses `ss -tnoie` output (state, addresses, timer, ino); other lines are ignored. */
export function parseSsOutput(text: string): KernelSocketRow[] {
  const rows: KernelSocketRow[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const [state = '', , , local = '', remote = ''] = fields;
    if (fields.length < 5 || state === 'State' || !/^[A-Z-]+[0-9-]*$/.test(state)) continue;
    const timerMatch = /timer:\((\w+),([^,]*),(\d+)\)/.exec(line);
    const inodeMatch = /\bino:(\d+)/.exec(line);
    const timer: TimerKind = timerMatch ? (SS_TIMERS[timerMatch[1] ?? ''] ?? 'unknown') : 'off';
    rows.push({
      state,
      local,
      remote,
      timer,
      nextMs: timerMatch && timer !== 'off' ? parseSsDuration(timerMatch[2] ?? '') : null,
      probes: timerMatch ? Number(timerMatch[3]) : 0,
      inode: inodeMatch ? Number(inodeMatch[1]) : null,
      source: 'ss',
    });
  }
  return rows;
}

/** The inode of a socket's fd, from /proc/self/fd/N → "socket:[inode]". */
export async function socketInode(socket: Socket): Promise<number | null> {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (fd === undefined || fd < 0) return null;
  try {
    const match = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/self/fd/${fd}`));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Inodes of every socket this process holds open. */
export async function ownSocketInodes(): Promise<Set<number>> {
  const { readdir } = await import('node:fs/promises');
  const inodes = new Set<number>();
  for (const fd of await readdir('/proc/self/fd').catch(() => [] as string[])) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(Number(match[1]));
  }
  return inodes;
}

export function runCommand(command: string, args: string[], timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/** Every TCP socket the kernel lists (ss if present, else /proc), optionally inside a netns. */
export async function readAllTcpSockets(options: { netns?: string } = {}): Promise<KernelTimersResult> {
  if (process.platform !== 'linux')
    return {
      available: false,
      reason: `not available on this OS (${process.platform}): kernel timers are read from Linux's ss / /proc/net/tcp`,
    };
  const prefix = options.netns ? ['netns', 'exec', options.netns, 'ss'] : [];
  try {
    const output = options.netns ? await runCommand('ip', [...prefix, '-tnoie']) : await runCommand('ss', ['-tnoie']);
    return { available: true, rows: parseSsOutput(output) };
  } catch {
    if (options.netns) return { available: false, reason: `ss inside netns ${options.netns} failed` };
  }
  const rows: KernelSocketRow[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const row = parseProcNetTcpLine(line);
      if (row) rows.push(row);
    }
  }
  return { available: true, rows };
}

/** Kernel rows for the given sockets, keyed by the caller's connection id. */
export async function readKernelTimers(
  sockets: ReadonlyMap<string, Socket>,
): Promise<{ available: true; rows: (KernelSocketRow & { conn: string })[] } | { available: false; reason: string }> {
  const all = await readAllTcpSockets();
  if (!all.available) return all;
  const byInode = new Map<number, KernelSocketRow>();
  for (const row of all.rows) if (row.inode !== null) byInode.set(row.inode, row);
  const rows: (KernelSocketRow & { conn: string })[] = [];
  for (const [conn, socket] of sockets) {
    const inode = await socketInode(socket);
    const row = inode === null ? undefined : byInode.get(inode);
    if (row) rows.push({ ...row, conn });
  }
  return { available: true, rows };
}

/** Rows for every socket this process owns (the live table of the UI). */
export async function readOwnKernelTimers(): Promise<KernelTimersResult> {
  const all = await readAllTcpSockets();
  if (!all.available) return all;
  const own = await ownSocketInodes();
  return { available: true, rows: all.rows.filter((row) => row.inode !== null && own.has(row.inode)) };
}
