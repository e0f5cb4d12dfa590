/** Plain-words formatting of capture figures (counts, bytes, durations). Pure. */
import { deadPeerFromSeconds, formatDetection } from '@shared/dead-peer';

const COUNT = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567" */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 1536 → "1.5 KiB"; whole bytes below 1 KiB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'not known';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** A duration in seconds in the unit a person would say: "850 µs", "12.5 ms", "45 s", "2 min 5 s", "2 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const abs = Math.abs(seconds);
  if (abs < 1e-3) return `${round(seconds * 1e6)} µs`;
  if (abs < 1) return `${round(seconds * 1e3)} ms`;
  if (abs < 60) return `${round(seconds)} s`;
  if (abs < 3600) {
    const minutes = Math.floor(abs / 60);
    const rest = Math.round(abs - minutes * 60);
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(abs / 3600);
  const minutes = Math.round((abs - hours * 3600) / 60);
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** Three significant digits at most, no trailing zeros: 12.50 → "12.5", 850 → "850". */
function round(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

/** Seconds since the capture's first packet, as Wireshark's Time column: "12.345678". */
export function formatRelativeTime(seconds: number): string {
  return Number.isFinite(seconds) ? seconds.toFixed(6) : 'not known';
}

/**
 * How the packet list's Time column counts, as Wireshark's View ▸ Time Display Format:
 * seconds since the capture's first packet (its default), since the packet's stream began, or the
 * date and time of day (UTC, so a capture reads the same wherever it is opened).
 */
export type TimeMode = 'since-first' | 'since-stream' | 'date-time';

export const TIME_MODES: ReadonlyArray<{ mode: TimeMode; label: string; header: string }> = [
  { mode: 'since-first', label: 'Seconds since the first packet', header: 'Time (s)' },
  { mode: 'since-stream', label: 'Seconds since the stream began', header: 'Stream time (s)' },
  { mode: 'date-time', label: 'Date and time (UTC)', header: 'Date and time (UTC)' },
];

/**
 * A packet's time in the chosen mode. `timeS`: seconds since frame 1; `firstTimeS`: frame 1's
 * seconds since 1970; `streamStartS`: the packet's stream's first packet, seconds since frame 1.
 */
export function formatPacketTime(timeS: number, mode: TimeMode, firstTimeS: number | null, streamStartS: number | null): string {
  if (mode === 'since-stream') return streamStartS === null ? '—' : formatRelativeTime(timeS - streamStartS);
  if (mode === 'date-time') {
    if (firstTimeS === null || !Number.isFinite(timeS)) return 'not known';
    // whole µs since 1970 stay exact in a double (below 2^53); toISOString alone keeps only ms
    const totalMicro = Math.round((firstTimeS + timeS) * 1e6);
    const wholeSeconds = Math.floor(totalMicro / 1e6);
    const micro = String(totalMicro - wholeSeconds * 1e6).padStart(6, '0');
    return `${new Date(wholeSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${micro}`;
  }
  return formatRelativeTime(timeS);
}

/** Characters the Time column needs so no figure is cut: the widest value the capture can show in that mode. */
export function timeColumnChars(mode: TimeMode, maxTimeS: number): number {
  if (mode === 'date-time') return 'YYYY-MM-DD hh:mm:ss.uuuuuu'.length;
  return Math.max('Time (s)'.length, formatRelativeTime(Math.max(0, maxTimeS)).length + 1);
}

/** A percentage of done/total, or null when the total is unknown. */
export function percent(done: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.min(100, Math.max(0, (done / total) * 100));
}

/** "idle 7.2 s · every 1 s · 9 probes": the keepalive settings a stream's probes imply. */
export function inferredKeepaliveText(
  row: {
    keepaliveIdleS: number | null;
    keepaliveIntervalS: number | null;
    keepaliveProbes: number | null;
    /** probes and ACKs that were `-i any` copies, left out of the figures */
    duplicateProbesIgnored?: number;
  },
  options: { compact?: boolean } = {},
): string {
  const parts: string[] = [];
  if (row.keepaliveIdleS !== null) parts.push(`idle ${formatDuration(row.keepaliveIdleS)}`);
  if (row.keepaliveIntervalS !== null) parts.push(`every ${formatDuration(row.keepaliveIntervalS)}`);
  if (row.keepaliveProbes !== null) parts.push(`${row.keepaliveProbes} probe${row.keepaliveProbes === 1 ? '' : 's'}`);
  // compact: the settings alone, for a list cell (the rest goes to its hover)
  if (options.compact) return parts.join(' · ');
  const copies = row.duplicateProbesIgnored ?? 0;
  if (copies > 0) parts.push(`${copies} duplicate cop${copies === 1 ? 'y' : 'ies'} left out`);
  const detection = deadPeerFromSeconds({
    enabled: true,
    idleS: row.keepaliveIdleS,
    intervalS: row.keepaliveIntervalS,
    count: row.keepaliveProbes,
    userTimeoutMs: null,
  });
  if (detection.ms !== null) parts.push(`a vanished peer noticed after ${formatDetection(detection.ms)}`);
  return parts.join(' · ');
}
