import { describe, expect, it } from 'vitest';
import { splitTimestamp, unitsPerSecondFromResolution } from '@engine/capture/timestamp';
import { AddressBook } from '@engine/capture/address-book';
import { formatIpv6 } from '@engine/capture/ip-address-text';
import { hex } from './capture-bytes';

function split(units: bigint, unitsPerSecond: number): [number, number] {
  const result = splitTimestamp(Number(units >> 32n), Number(units & 0xffffffffn), unitsPerSecond);
  return [result.seconds, result.nanoseconds];
}

describe('pcapng timestamps', () => {
  it('reads if_tsresol in its decimal and binary forms', () => {
    expect(unitsPerSecondFromResolution(6)).toBe(1e6);
    expect(unitsPerSecondFromResolution(9)).toBe(1e9);
    expect(unitsPerSecondFromResolution(0x80 | 20)).toBe(2 ** 20);
  });

  it('splits 64-bit unit counts exactly, nanoseconds since 1970 included (beyond 2^53)', () => {
    expect(split(1_732_550_400_123_456_789n, 1e9)).toEqual([1_732_550_400, 123_456_789]);
    expect(split(1_732_550_400_999_999n, 1e6)).toEqual([1_732_550_400, 999_999_000]);
    expect(split((1_732_550_400n << 20n) + (1n << 18n), 2 ** 20)).toEqual([1_732_550_400, 250_000_000]);
    expect(split(1_732_550_400_123_456_789_012n, 1e12)).toEqual([1_732_550_400, 123_456_789]);
  });
});

describe('IP address text', () => {
  it('IPv4 dotted quads, one id per value', () => {
    const book = new AddressBook();
    const bytes = hex('c0a80001');
    expect(book.text(book.ipv4(bytes, 0))).toBe('192.168.0.1');
    expect(book.ipv4(bytes, 0)).toBe(book.ipv4(hex('00c0a80001'), 1));
  });

  it('IPv6 in RFC 5952 form with embedded IPv4 as Wireshark prints it', () => {
    const book = new AddressBook();
    const cases: [string, string][] = [
      ['00000000000000000000000000000000', '::'],
      ['00000000000000000000000000000001', '::1'],
      ['fe800000000000000000000000000001', 'fe80::1'],
      ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
      ['2a006020ad0b83800000000000000010', '2a00:6020:ad0b:8380::10'],
      ['20010db8000000000000000000000000', '2001:db8::'],
      ['00000000000000000000ffff7f000001', '::ffff:127.0.0.1'],
      ['2001db80000100010001000100010001', '2001:db80:1:1:1:1:1:1'],
    ];
    for (const [bytes, text] of cases) {
      expect(formatIpv6(hex(bytes), 0)).toBe(text);
      expect(book.text(book.ipv6(hex(bytes), 0))).toBe(text);
    }
  });
});
