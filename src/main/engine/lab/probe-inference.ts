/**
 * Keepalive probes inferred from reads of the kernel's keepalive timer (`ss -tno`, /proc).
 *
 * Linux's tcp_keepalive_timer (net/ipv4/tcp_timer.c) fires, then compares the time since the last
 * segment it received from the peer (keepalive_time_elapsed) with the idle time (TCP_KEEPIDLE):
 * - idle long enough: it sends a probe and re-arms for the interval (TCP_KEEPINTVL);
 * - not yet: it sends nothing and re-arms for the rest of the idle time.
 * An answered probe's ACK is a segment received, so the idle count starts again at the ACK: with
 * idle 2 s and interval 1 s the timer fires at 2, 3, 4, 5 s but probes go out at 2 and 4 s only.
 * Only unanswered probes (the kernel's probe count above 0) follow one another an interval apart.
 *
 * Every firing shows as the timer's time to expiry jumping back up between two reads; this model
 * tells which of those firings sent a probe.
 */

/** ms of slack before a rise in time to expiry counts as a firing (reads are not instant; ss rounds to ms) */
const REARM_SLACK_MS = 100;

export interface InferredProbe {
  /** ms since setup at which the timer fired and sent the probe */
  atMs: number;
  /** the kernel's unanswered-probe count read after it was 0: the peer's ACK came back */
  answered: boolean;
}

export class ProbeInference {
  private previous: { atMs: number; nextMs: number } | null = null;
  /** ms since setup of the last segment received from the peer (setup ends with the echo's reply) */
  private lastHeardMs = 0;
  /** ms since setup of each probe inferred so far */
  readonly probesAtMs: number[] = [];

  /** @param idleMs the connection's TCP_KEEPIDLE in ms; @param intervalMs its TCP_KEEPINTVL in ms */
  constructor(
    private readonly idleMs: number,
    private readonly intervalMs: number,
  ) {}

  /**
   * One read of the keepalive timer: `nextMs` its time to expiry, `probesOut` the kernel's count of
   * unanswered probes. Returns the probe the timer sent since the previous read, if it sent one.
   */
  read(atMs: number, nextMs: number, probesOut: number): InferredProbe | null {
    const previous = this.previous;
    this.previous = { atMs, nextMs };
    if (!previous) return null;
    const expectedNext = previous.nextMs - (atMs - previous.atMs);
    if (nextMs <= expectedNext + REARM_SLACK_MS) return null;
    // A firing that probed re-armed the timer for exactly the interval, so it fired an interval before the
    // new expiry. A firing that only re-armed for the rest of the idle time (a few ms when the wheel ran it
    // just early) puts that moment before the previous read, or less than the idle time after the last answer.
    const firedAtMs = atMs + nextMs - this.intervalMs;
    if (firedAtMs < previous.atMs - REARM_SLACK_MS) return null;
    if (firedAtMs - this.lastHeardMs < this.idleMs - REARM_SLACK_MS) return null;
    const answered = probesOut === 0;
    if (answered) this.lastHeardMs = firedAtMs;
    this.probesAtMs.push(firedAtMs);
    return { atMs: firedAtMs, answered };
  }
}
