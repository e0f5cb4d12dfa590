/**
 * Probe spacing and the keepalive settings a stream's keep-alive probes imply, computed straight
 * from the probe columns (stream-columns.ts) in two reused scratch arrays: a big capture has 100 k+
 * streams with probes, and per-stream lists, filters and sorted copies were a third of `finish`.
 *
 * Linux model: a prober waits `idle` after the last traffic, then probes every `interval` while
 * unanswered, and resets after `count` unanswered probes. An answered probe restarts the idle wait.
 */
import { NONE, PROBE_ANSWERED, PROBE_FROM_A, type ProbeColumns } from './stream-columns';

const INITIAL_SCRATCH = 64;
/**
 * Shortest idle or interval taken for a kernel's keepalive timer, seconds. Linux (tcp(7):
 * TCP_KEEPIDLE, TCP_KEEPINTVL) and macOS take whole seconds, at least 1; a probe-shaped segment
 * 357 µs after other traffic (arkime__wireshark-retrans.pcap, among repeated FINs) is something
 * else, and its gap is no setting. Half a second leaves room for timestamps taken apart.
 */
const MIN_TIMER_SECONDS = 0.5;
/** above this many values, the built-in sort (n log n) wins */
const INSERTION_SORT_MAX = 32;

export interface ProbeSpacing {
  /** seconds between consecutive probes from the same side */
  min: number;
  median: number;
  max: number;
}

export interface InferredKeepalive {
  /** which endpoint sent the probes */
  prober: 'a' | 'b';
  /** seconds of silence before the first probe (≈ TCP_KEEPIDLE) */
  idleSeconds: number | null;
  /** median seconds between unanswered probes (≈ TCP_KEEPINTVL) */
  intervalSeconds: number | null;
  /** unanswered probes before the connection was reset (≈ TCP_KEEPCNT), when the capture shows it */
  probesBeforeGiveUp: number | null;
}

export class ProbeStatistics {
  /** the loaded stream's probe indexes, in frame order */
  private order = new Int32Array(INITIAL_SCRATCH);
  private count = 0;
  /** gaps or idle times being summarised, seconds */
  private values = new Float64Array(INITIAL_SCRATCH + 1);

  constructor(private readonly probes: ProbeColumns) {}

  /** Loads the probes chained back from `last` (a stream's latest probe, or NONE); returns how many. */
  load(last: number): number {
    const previous = this.probes.previous;
    let count = 0;
    for (let index = last; index !== NONE; index = previous[index]!) count += 1;
    if (count > this.order.length) {
      this.order = new Int32Array(count);
      this.values = new Float64Array(count + 1);
    }
    let slot = count;
    for (let index = last; index !== NONE; index = previous[index]!) this.order[--slot] = index;
    this.count = count;
    return count;
  }

  /** min / median / max of the gaps between consecutive probes of each side; null under two probes on a side. */
  spacing(): ProbeSpacing | null {
    let length = this.pushGaps(true, false, 0);
    length = this.pushGaps(false, false, length);
    if (length === 0) return null;
    const sorted = this.sortValues(length);
    return { min: sorted[0]!, median: sorted[length >> 1]!, max: sorted[length - 1]! };
  }

  /** The settings the loaded probes imply; null without probes. */
  infer(probesBeforeReset: number | null): InferredKeepalive | null {
    if (this.count === 0) return null;
    const { time, state, idleBefore } = this.probes;
    let fromACount = 0;
    for (let slot = 0; slot < this.count; slot++) if ((state[this.order[slot]!]! & PROBE_FROM_A) !== 0) fromACount += 1;
    const fromA = fromACount * 2 >= this.count;
    // idle candidates: the silence before the prober's first probe, then each gap after an answered probe
    let length = 0;
    let previous = NONE;
    for (let slot = 0; slot < this.count; slot++) {
      const index = this.order[slot]!;
      if (((state[index]! & PROBE_FROM_A) !== 0) !== fromA) continue;
      const candidate =
        previous === NONE ? idleBefore[index]! : (state[previous]! & PROBE_ANSWERED) !== 0 ? time[index]! - time[previous]! : null;
      if (candidate !== null && candidate >= MIN_TIMER_SECONDS) this.values[length++] = candidate;
      previous = index;
    }
    const idleSeconds = this.median(length);
    const intervalSeconds = this.median(this.keepAtLeast(this.pushGaps(fromA, true, 0), MIN_TIMER_SECONDS));
    return { prober: fromA ? 'a' : 'b', idleSeconds, intervalSeconds, probesBeforeGiveUp: probesBeforeReset };
  }

  /** Appends, from `length`, the gaps between one side's consecutive probes; returns the new length. */
  private pushGaps(fromA: boolean, afterUnansweredOnly: boolean, length: number): number {
    const { time, state } = this.probes;
    let previous = NONE;
    for (let slot = 0; slot < this.count; slot++) {
      const index = this.order[slot]!;
      if (((state[index]! & PROBE_FROM_A) !== 0) !== fromA) continue;
      if (previous !== NONE && !(afterUnansweredOnly && (state[previous]! & PROBE_ANSWERED) !== 0)) {
        this.values[length++] = time[index]! - time[previous]!;
      }
      previous = index;
    }
    return length;
  }

  /** Moves the values of values[0, length) that are at least `floor` to the front; returns how many. */
  private keepAtLeast(length: number, floor: number): number {
    let kept = 0;
    for (let index = 0; index < length; index++) if (this.values[index]! >= floor) this.values[kept++] = this.values[index]!;
    return kept;
  }

  /** The upper median of values[0, length), or null when empty. */
  private median(length: number): number | null {
    if (length === 0) return null;
    return this.sortValues(length)[length >> 1]!;
  }

  /**
   * Sorts values[0, length) in place and returns the scratch array. A stream has a handful of
   * probes: insertion sort without a view or a copy beats TypedArray#sort there (100 k+ streams).
   */
  private sortValues(length: number): Float64Array {
    const values = this.values;
    if (length > INSERTION_SORT_MAX) {
      values.subarray(0, length).sort();
      return values;
    }
    for (let next = 1; next < length; next++) {
      const value = values[next]!;
      let slot = next - 1;
      while (slot >= 0 && values[slot]! > value) {
        values[slot + 1] = values[slot]!;
        slot -= 1;
      }
      values[slot + 1] = value;
    }
    return values;
  }
}
