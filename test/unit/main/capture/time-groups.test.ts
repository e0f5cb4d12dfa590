/** Timestamp outliers: groups of packets split by a gap far outside the time the packets span. */
import { describe, expect, it } from 'vitest';
import { GAP_FACTOR, MIN_GAP_S, mainGroup, spanText, timeGroups, timeGroupsMessage } from '@engine/capture/time-groups';

const YEAR_S = 365.25 * 86_400;

/** `count` packets `stepS` apart from `fromS` */
function run(fromS: number, count: number, stepS: number): number[] {
  return Array.from({ length: count }, (_, index) => fromS + index * stepS);
}

describe('timeGroups', () => {
  it('finds none in an ordinary capture, nor across keep-alive idle gaps', () => {
    expect(timeGroups(run(0, 1000, 0.01))).toEqual([]);
    // Linux's longest keepalive idle (32767 s) between bursts
    expect(timeGroups([...run(0, 10, 0.1), ...run(32_767, 10, 0.1), ...run(65_534, 10, 0.1)])).toEqual([]);
    // a week of sparse traffic: 2-hour bursts a day apart are one capture, not outliers
    const week = Array.from({ length: 7 }, (_, day) => run(day * 86_400, 50, 144)).flat();
    expect(timeGroups(week)).toEqual([]);
    expect(timeGroups([])).toEqual([]);
  });

  it('splits off one packet stamped years before the rest (frame 1 with a clock not yet set)', () => {
    const times = [0, ...run(5.8 * YEAR_S, 500, 0.5)];
    const groups = timeGroups(times);
    expect(groups.map((group) => [group.firstFrame, group.lastFrame, group.packets])).toEqual([
      [1, 1, 1],
      [2, 501, 500],
    ]);
    expect(mainGroup(groups)?.firstFrame).toBe(2);
    expect((groups[1]?.endS ?? 0) - (groups[1]?.startS ?? 0)).toBeCloseTo(249.5, 6);
  });

  it('splits two captures merged from different years, and a jump forward and back in file order', () => {
    const merged = timeGroups([...run(0, 1032, 0.3), ...run(184_280_767, 691, 0.9)]);
    expect(merged.map((group) => group.packets)).toEqual([1032, 691]);
    expect(mainGroup(merged)?.packets).toBe(1032);
    // frames 3 and 4 stamped a year ahead, then back: their group keeps file order's first and last frame
    const jump = timeGroups([0, 1, YEAR_S, YEAR_S + 1, 2, 3]);
    expect(jump.map((group) => [group.firstFrame, group.lastFrame, group.packets])).toEqual([
      [1, 6, 4],
      [3, 4, 2],
    ]);
  });

  it('needs the gap to dwarf the longest group: GAP_FACTOR × its span and at least MIN_GAP_S', () => {
    const spanS = MIN_GAP_S / 10;
    const justBelow = [...run(0, 11, spanS / 10), spanS + GAP_FACTOR * spanS - 1];
    expect(timeGroups(justBelow)).toEqual([]);
    const justAbove = [...run(0, 11, spanS / 10), spanS + GAP_FACTOR * spanS + 1];
    expect(timeGroups(justAbove).map((group) => group.packets)).toEqual([11, 1]);
  });

  it('says what it found in plain words, with dates', () => {
    const groups = timeGroups([...run(0, 1032, 0.3), ...run(184_280_767, 691, 0.9)]);
    const message = timeGroupsMessage(groups, 1_470_104_373);
    expect(message).toContain('2 groups 5.8 years apart');
    expect(message).toContain('frames 1–1,032 (1,032 packets on 2016-08-02, over 5 min)');
    expect(message).toContain('frames 1,033–1,723 (691 packets on 2022-06-04, over 10 min)');
    expect(spanText(12.345)).toBe('12.3 s');
    expect(spanText(3 * 86_400)).toBe('3.0 days');
  });
});
