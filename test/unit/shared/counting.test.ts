import { describe, expect, it } from 'vitest';
import { groupedCount, percentOf, plural, pluralWord } from '../../../src/shared/counting';

describe('percentOf: a share never reads as all or none unless it is', () => {
  it('keeps 99.84 % off 100 and 0.2 % off 0', () => {
    expect(percentOf(624, 625)).toBe(99.8); // 99.84 %
    expect(percentOf(1, 500)).toBe(0.2);
    expect(percentOf(99_999, 100_000)).toBe(99.99); // 99.999 %: two decimals are the most
    expect(percentOf(1, 1_000_000)).toBe(0.01);
  });
  it('rounds to whole numbers away from the ends, and says 100 and 0 only when exact', () => {
    expect(percentOf(9, 10)).toBe(90);
    expect(percentOf(2, 3)).toBe(67);
    expect(percentOf(10, 10)).toBe(100);
    expect(percentOf(0, 10)).toBe(0);
    expect(percentOf(1, 0)).toBeNull();
  });
});

describe('plural', () => {
  it('says 1 connection and 2 connections', () => {
    expect(plural(1, 'connection')).toBe('1 connection');
    expect(plural(2, 'connection')).toBe('2 connections');
    expect(plural(0, 'stream')).toBe('0 streams');
    expect(plural(12_000, 'packet')).toBe('12,000 packets');
    expect(pluralWord(1, 'was', 'were')).toBe('was');
    expect(pluralWord(3, 'was', 'were')).toBe('were');
  });
  it('groups thousands as toLocaleString("en-US") does, without the locale data', () => {
    for (const count of [0, 7, 999, 1_000, 12_345, 999_999, 1_000_000, 3_040_000, -1_234_567, Number.MAX_SAFE_INTEGER, 0.5, 1234.5, 1e21])
      expect(groupedCount(count)).toBe(count.toLocaleString('en-US'));
  });
});

describe('the lab’s Reuse counter', () => {
  it('reads 99.8 % when 624 of 625 requests reused, not 100 %', async () => {
    const { countersFromStats, formatPercent } = await import('../../../src/renderer/src/features/lab/http-counters');
    const counters = countersFromStats({ done: 625, total: 625, reused: 624, connectionsOpened: 1 });
    expect(formatPercent(counters.reusePercent)).toBe('99.8 %');
    expect(formatPercent(countersFromStats({ done: 625, reused: 625 }).reusePercent)).toBe('100 %');
  });
});
