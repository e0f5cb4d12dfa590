/** The packet list's Time column: since the first packet (Wireshark's default), since the stream began, or date and time. */
import { describe, expect, it } from 'vitest';
import { formatPacketTime, timeColumnChars } from '@renderer/features/capture/format';

/** frame 1 of ndpi__1kxun.pcap, seconds since 1970 */
const FIRST = 1_470_104_373.025824;

describe('formatPacketTime', () => {
  it('counts from the first packet by default, to the µs, as Wireshark does', () => {
    expect(formatPacketTime(0, 'since-first', FIRST, null)).toBe('0.000000');
    expect(formatPacketTime(12.3456789, 'since-first', FIRST, null)).toBe('12.345679');
  });

  it('counts from the stream’s first packet, or says it cannot', () => {
    expect(formatPacketTime(45.5, 'since-stream', FIRST, 40.25)).toBe('5.250000');
    expect(formatPacketTime(45.5, 'since-stream', FIRST, null)).toBe('—');
  });

  it('gives the date and time in UTC with every µs', () => {
    expect(formatPacketTime(0, 'date-time', FIRST, null)).toBe('2016-08-02 02:19:33.025824');
    // the second group of ndpi__1kxun.pcap, 5.8 years later
    expect(formatPacketTime(184_280_863.386183, 'date-time', FIRST, null)).toBe('2022-06-04 23:27:16.412007');
    expect(formatPacketTime(0.999_999_6, 'date-time', 1_000_000_000, null)).toBe('2001-09-09 01:46:41.000000');
    expect(formatPacketTime(1, 'date-time', null, null)).toBe('not known');
  });

  it('sizes the column for the widest figure it can show, so none is cut', () => {
    const years = formatPacketTime(184_280_863.386183, 'since-first', FIRST, null);
    expect(years).toBe('184280863.386183');
    expect(timeColumnChars('since-first', 184_280_863.4)).toBeGreaterThanOrEqual(years.length);
    expect(timeColumnChars('date-time', 0)).toBe('2016-08-02 02:19:33.025824'.length);
    expect(timeColumnChars('since-first', 1)).toBeGreaterThanOrEqual('Time (s)'.length);
  });
});
