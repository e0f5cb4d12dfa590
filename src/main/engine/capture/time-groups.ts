/**
 * Timestamp outliers: packets whose times sit far from the rest, split off by a gap far larger
 * than the time the packets themselves span. Seen in captures merged from different days
 * (`ndpi__1kxun.pcap` holds 1032 packets from 2016 and 691 from 2022) and after a clock jump.
 * A duration or an axis over such a gap is mostly empty, so the summary names the groups and the
 * views fit to where the packets are.
 *
 * A gap counts when it is at least MIN_GAP_S and at least GAP_FACTOR times the longest group's own
 * span. Keep-alive idle gaps stay below it: Linux caps TCP_KEEPIDLE at 32767 s (include/net/tcp.h,
 * MAX_TCP_KEEPIDLE), under MIN_GAP_S.
 */
import { groupedCount, plural } from '@shared/counting';

/** A gap shorter than this never splits a capture, seconds (one day). */
export const MIN_GAP_S = 86_400;
/** A gap must also be this many times the longest group's own span. */
export const GAP_FACTOR = 100;

export interface TimeGroup {
  /** seconds since frame 1's time, of the group's earliest and latest packet */
  startS: number;
  endS: number;
  packets: number;
  /** first and last frame of the group, in file order */
  firstFrame: number;
  lastFrame: number;
}

/**
 * The groups of packets separated by outlying gaps, in time order; an empty list when there is no
 * such gap (the common case costs one pass: no gap can reach MIN_GAP_S in a shorter capture).
 * `times[i]` is frame i + 1's time in seconds since frame 1.
 */
export function timeGroups(times: ArrayLike<number>, range: TimeRangeSeen = rangeOf(times)): TimeGroup[] {
  if (!(range.max - range.min >= MIN_GAP_S)) return [];
  const sorted = Float64Array.from(times).sort();
  const boundaries = outlyingGaps(sorted);
  if (boundaries.length === 0) return [];
  return groupsOf(times, boundaries);
}

/** The start times of the groups after each outlying gap, ascending. */
/** The earliest and latest of a list of times (seconds). */
export interface TimeRangeSeen {
  min: number;
  max: number;
}

/** One pass over `times`: the analysis keeps its own range as it reads, and saves this pass over millions of packets. */
function rangeOf(times: ArrayLike<number>): TimeRangeSeen {
  let min = Infinity;
  let max = -Infinity;
  for (let index = 0; index < times.length; index++) {
    const time = times[index]!;
    if (time < min) min = time;
    if (time > max) max = time;
  }
  return { min, max };
}

function outlyingGaps(sorted: Float64Array): number[] {
  // groups split at every gap of MIN_GAP_S or more; then only the gaps that dwarf the longest group count
  const candidates: number[] = [];
  let groupStart = sorted[0]!;
  let longestSpan = 0;
  for (let index = 1; index < sorted.length; index++) {
    const gap = sorted[index]! - sorted[index - 1]!;
    if (gap < MIN_GAP_S) continue;
    candidates.push(index);
    longestSpan = Math.max(longestSpan, sorted[index - 1]! - groupStart);
    groupStart = sorted[index]!;
  }
  longestSpan = Math.max(longestSpan, sorted[sorted.length - 1]! - groupStart);
  const threshold = Math.max(MIN_GAP_S, GAP_FACTOR * longestSpan);
  return candidates.filter((index) => sorted[index]! - sorted[index - 1]! >= threshold).map((index) => sorted[index]!);
}

function groupsOf(times: ArrayLike<number>, boundaries: readonly number[]): TimeGroup[] {
  const groups: TimeGroup[] = Array.from({ length: boundaries.length + 1 }, () => ({
    startS: Infinity,
    endS: -Infinity,
    packets: 0,
    firstFrame: 0,
    lastFrame: 0,
  }));
  for (let index = 0; index < times.length; index++) {
    const time = times[index]!;
    let group = 0;
    while (group < boundaries.length && time >= boundaries[group]!) group++;
    const entry = groups[group]!;
    entry.startS = Math.min(entry.startS, time);
    entry.endS = Math.max(entry.endS, time);
    entry.packets += 1;
    if (entry.firstFrame === 0) entry.firstFrame = index + 1;
    entry.lastFrame = index + 1;
  }
  return groups;
}

/** The group most packets are in (the earliest on a tie); null for no groups. */
export function mainGroup(groups: readonly TimeGroup[]): TimeGroup | null {
  let best: TimeGroup | null = null;
  for (const group of groups) if (best === null || group.packets > best.packets) best = group;
  return best;
}

/** "5.8 years", "3.2 days", "8 min", "12 s": a span as a person says it. */
export function spanText(seconds: number): string {
  const year = 365.25 * 86_400;
  if (seconds >= year) return `${(seconds / year).toFixed(1)} years`;
  if (seconds >= 86_400) return `${(seconds / 86_400).toFixed(1)} days`;
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds >= 60) return `${Math.round(seconds / 60)} min`;
  return `${Number(seconds.toPrecision(3))} s`;
}

/** The capture hint's sentence for these groups; `startTime` is frame 1's time, seconds since 1970. */
export function timeGroupsMessage(groups: readonly TimeGroup[], startTime: number): string {
  const described = groups.map((group) => {
    const day = new Date((startTime + group.startS) * 1000).toISOString().slice(0, 10);
    const frames =
      group.firstFrame === group.lastFrame
        ? `frame ${groupedCount(group.firstFrame)}`
        : `frames ${groupedCount(group.firstFrame)}–${groupedCount(group.lastFrame)}`;
    return `${frames} (${plural(group.packets, 'packet')} on ${day}, over ${spanText(group.endS - group.startS)})`;
  });
  const widest = groups.slice(1).reduce((gap, group, index) => Math.max(gap, group.startS - groups[index]!.endS), 0);
  const apart = groups.length === 2 ? spanText(widest) : `up to ${spanText(widest)}`;
  return `The timestamps fall in ${groups.length} groups ${apart} apart: ${described.join(', ')}. A capture merged from different times, or a clock that jumped: durations and the timeline show one group at a time.`;
}
