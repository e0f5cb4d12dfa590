/**
 * When a peer that vanished without a FIN or RST (cable pulled, host gone, NAT
 * state dropped) is noticed, for given TCP keepalive settings — Linux semantics.
 *
 * On an idle connection the keepalive timer (net/ipv4/tcp_timer.c,
 * tcp_keepalive_timer) sends the first probe after `idle`, then one every
 * `interval`; with TCP_USER_TIMEOUT unset it gives up once `count` probes are
 * unanswered: idle + count × interval. With TCP_USER_TIMEOUT set (RFC 5482,
 * tcp(7)), the same timer gives up at its first tick at or after the user
 * timeout once at least one probe is out: idle + k × interval with k ≥ 1.
 * While data is unacknowledged the keepalive timer does not run; the
 * retransmission timer gives up after TCP_USER_TIMEOUT when set (so it wins),
 * else after tcp_retries2 retransmissions (about 15 minutes by default).
 *
 * Pure TypeScript: imported by main, preload, renderer and CLI alike.
 */
import { z } from 'zod';

export const DeadPeerDetectionSchema = z.object({
  /** ms from the last packet received until an idle connection with a silent peer is closed; null = never (keepalive off) */
  ms: z.number().nullable(),
  /** TCP_KEEPIDLE in ms; null = keepalive off */
  idleMs: z.number().nullable(),
  /** TCP_KEEPINTVL in ms */
  intervalMs: z.number().nullable(),
  /** TCP_KEEPCNT */
  count: z.number().nullable(),
  /** TCP_USER_TIMEOUT in ms; null or 0 = not set */
  userTimeoutMs: z.number().nullable(),
  /** ms until a connection with unacknowledged data gives up; null = the kernel's retransmission limit (tcp_retries2) */
  dataOutstandingMs: z.number().nullable(),
  /** the arithmetic with the values filled in, e.g. "1 s idle + 3 × 1 s interval = 4 s" */
  formula: z.string(),
});
export type DeadPeerDetection = z.infer<typeof DeadPeerDetectionSchema>;

export interface DeadPeerInput {
  enabled: boolean;
  idleMs: number | null;
  intervalMs: number | null;
  count: number | null;
  userTimeoutMs: number | null;
}

/** "4 s" when every value is whole seconds, else "4000 ms": the formula reads in the units the settings were given in. */
function unitText(values: readonly number[]): (ms: number) => string {
  const seconds = values.every((value) => value % 1000 === 0);
  return (ms) => (seconds ? `${ms / 1000} s` : `${ms} ms`);
}

/** The detection time and its formula; unknown values leave `ms` null and say so. */
export function deadPeerDetection(input: DeadPeerInput): DeadPeerDetection {
  const userTimeoutMs = input.userTimeoutMs !== null && input.userTimeoutMs > 0 ? input.userTimeoutMs : null;
  const base = {
    ms: null,
    idleMs: input.enabled ? input.idleMs : null,
    intervalMs: input.enabled ? input.intervalMs : null,
    count: input.enabled ? input.count : null,
    userTimeoutMs,
    dataOutstandingMs: userTimeoutMs,
  };
  if (!input.enabled) return { ...base, formula: 'TCP keepalive is off: an idle connection never notices a silent peer' };
  const { idleMs, intervalMs, count } = input;
  if (idleMs === null || intervalMs === null || (count === null && userTimeoutMs === null)) {
    return { ...base, formula: `unknown: idle ${idleMs ?? '?'} ms, interval ${intervalMs ?? '?'} ms, count ${count ?? '?'}` };
  }
  if (userTimeoutMs !== null) {
    const ticks = Math.max(1, Math.ceil((userTimeoutMs - idleMs) / intervalMs));
    const ms = idleMs + ticks * intervalMs;
    const unit = unitText([idleMs, intervalMs]);
    return {
      ...base,
      ms,
      formula: `TCP_USER_TIMEOUT ${userTimeoutMs} ms replaces the probe count: the first keepalive check at or after it, ${unit(idleMs)} idle + ${ticks} × ${unit(intervalMs)} interval = ${unit(ms)}`,
    };
  }
  const probes = count ?? 0;
  const ms = idleMs + probes * intervalMs;
  const unit = unitText([idleMs, intervalMs]);
  return { ...base, ms, formula: `${unit(idleMs)} idle + ${probes} × ${unit(intervalMs)} interval = ${unit(ms)}` };
}

/** What happens instead while data is unacknowledged (the keepalive timer does not run then). */
export function dataOutstandingSentence(detection: DeadPeerDetection): string {
  return detection.dataOutstandingMs === null
    ? 'With data unacknowledged the keepalive timer does not run: retransmissions give up after tcp_retries2 (about 15 minutes).'
    : `With data unacknowledged, TCP_USER_TIMEOUT ${detection.dataOutstandingMs} ms wins.`;
}

/** From settings kept in seconds (KeepaliveSettings in trace.ts). */
export function deadPeerFromSeconds(settings: {
  enabled: boolean;
  idleS: number | null;
  intervalS: number | null;
  count: number | null;
  userTimeoutMs: number | null;
}): DeadPeerDetection {
  // whole ms: seconds inferred from a capture are fractions (7.2 s), and 7.2 * 1000 is not exactly 7200
  const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000));
  return deadPeerDetection({
    enabled: settings.enabled,
    idleMs: ms(settings.idleS),
    intervalMs: ms(settings.intervalS),
    count: settings.count,
    userTimeoutMs: settings.userTimeoutMs,
  });
}

/** The CLI's line about a vanished peer: when it would be noticed and why (its formula), then what outstanding data changes. */
export function deadPeerLine(detection: DeadPeerDetection): string {
  const when =
    detection.ms === null
      ? `a silent peer would never be noticed (${detection.formula})`
      : `a silent peer would be noticed after ${formatDetection(detection.ms)}: ${detection.formula}`;
  return `${when}. ${dataOutstandingSentence(detection)}`;
}

/** "4 s" / "2 h 11 min" / "never" for a detection time. */
export function formatDetection(ms: number | null): string {
  if (ms === null) return 'never';
  if (ms < 10_000) return `${Math.round(ms) / 1000} s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts = [hours ? `${hours} h` : '', minutes ? `${minutes} min` : '', seconds ? `${seconds} s` : ''].filter(Boolean);
  return parts.join(' ');
}
