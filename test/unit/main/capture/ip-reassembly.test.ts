import { describe, expect, it } from 'vitest';
import { IpReassembler, MAX_PENDING_DATAGRAMS, type Fragment } from '@engine/capture/ip-reassembly';

/** An IPv4 fragment: a 20-byte header (protocol 6) followed by `payload`, at `offset` in the datagram. */
function v4(payload: number[], offset: number, more: boolean, identification = 1, time = 0): Fragment {
  const data = new Uint8Array(20 + payload.length);
  data[0] = 0x45;
  data[9] = 6;
  data.set(payload, 20);
  return {
    ipVersion: 4,
    data,
    headerOffset: 0,
    payloadOffset: 20,
    payloadEnd: data.length,
    fragmentOffset: offset,
    moreFragments: more,
    identification,
    protocol: 6,
    time,
  };
}

const bytes = (count: number, value: number) => Array<number>(count).fill(value);

describe('IpReassembler', () => {
  it('hands on the whole datagram in the fragment that completes it, with the lengths set and the fragment fields cleared', () => {
    const reassembler = new IpReassembler();
    expect(reassembler.add(v4(bytes(8, 1), 0, true), 'a|b')).toBeNull();
    const whole = reassembler.add(v4(bytes(3, 2), 8, false), 'a|b')!;
    expect(whole.length).toBe(20 + 11);
    expect((whole[2]! << 8) | whole[3]!).toBe(31);
    expect(whole[6]).toBe(0);
    expect(whole[7]).toBe(0);
    expect([...whole.subarray(20)]).toEqual([...bytes(8, 1), ...bytes(3, 2)]);
    expect(reassembler.stats).toMatchObject({ completed: 1, abandoned: 0, pendingDatagrams: 0, pendingBytes: 0 });
  });

  it('completes out of order, and keeps the bytes that arrived first where fragments overlap', () => {
    const reassembler = new IpReassembler();
    expect(reassembler.add(v4(bytes(4, 9), 16, false), 'a|b')).toBeNull();
    expect(reassembler.add(v4(bytes(8, 5), 0, true), 'a|b')).toBeNull();
    // fills the gap [8, 16) and overlaps [0, 8) with other data, which must not win
    const whole = reassembler.add(v4(bytes(16, 7), 0, true), 'a|b')!;
    expect([...whole.subarray(20)]).toEqual([...bytes(8, 5), ...bytes(8, 7), ...bytes(4, 9)]);
  });

  it('never completes a datagram with a gap, and gives it up after the timeout', () => {
    const reassembler = new IpReassembler();
    expect(reassembler.add(v4(bytes(8, 1), 0, true, 1, 0), 'a|b')).toBeNull();
    expect(reassembler.add(v4(bytes(8, 1), 16, false, 1, 1), 'a|b')).toBeNull();
    expect(reassembler.stats.pendingDatagrams).toBe(1);
    // a fragment of another datagram two minutes later expires the first
    reassembler.add(v4(bytes(8, 1), 0, true, 2, 120), 'a|b');
    expect(reassembler.stats).toMatchObject({ abandoned: 1, pendingDatagrams: 1, pendingBytes: 8 });
  });

  it('keeps datagrams of different identifications and addresses apart', () => {
    const reassembler = new IpReassembler();
    expect(reassembler.add(v4(bytes(8, 1), 0, true, 1), 'a|b')).toBeNull();
    expect(reassembler.add(v4(bytes(8, 2), 8, false, 2), 'a|b')).toBeNull();
    expect(reassembler.add(v4(bytes(8, 3), 8, false, 1), 'c|d')).toBeNull();
    expect(reassembler.add(v4(bytes(8, 4), 8, false, 1), 'a|b')).not.toBeNull();
  });

  it('refuses an offset past 65,535 bytes and a fragment past a known end', () => {
    const reassembler = new IpReassembler();
    expect(reassembler.add(v4(bytes(8, 1), 65_528 + 8, true), 'a|b')).toBeNull();
    expect(reassembler.stats.pendingDatagrams).toBe(0);
    reassembler.add(v4(bytes(8, 1), 0, false), 'x|y'); // a whole datagram in one "fragment"? offset 0, no MF: complete
    expect(reassembler.add(v4(bytes(8, 1), 8, false, 3), 'p|q')).toBeNull();
    expect(reassembler.add(v4(bytes(8, 1), 16, true, 3), 'p|q')).toBeNull(); // past the end a last fragment set
    expect(reassembler.stats.abandoned).toBe(1);
  });

  it('stays bounded under a flood of first fragments that never finish', () => {
    const reassembler = new IpReassembler();
    for (let id = 0; id < MAX_PENDING_DATAGRAMS * 2; id++) reassembler.add(v4(bytes(64, 1), 0, true, id), 'a|b');
    expect(reassembler.stats.pendingDatagrams).toBe(MAX_PENDING_DATAGRAMS);
    expect(reassembler.stats.abandoned).toBe(MAX_PENDING_DATAGRAMS);
    expect(reassembler.stats.pendingBytes).toBe(MAX_PENDING_DATAGRAMS * 64);
  });

  it("rebuilds an IPv6 datagram behind a plain 40-byte header whose next header is the fragment header's", () => {
    const reassembler = new IpReassembler();
    const fragment = (payload: number[], offset: number, more: boolean): Fragment => {
      const data = new Uint8Array(48 + payload.length);
      data[0] = 0x60;
      data[6] = 44;
      data.set(payload, 48);
      return {
        ...v4([], 0, false),
        ipVersion: 6,
        data,
        headerOffset: 0,
        payloadOffset: 48,
        payloadEnd: data.length,
        fragmentOffset: offset,
        moreFragments: more,
        identification: 77,
      };
    };
    expect(reassembler.add(fragment(bytes(8, 1), 0, true), 'a|b')).toBeNull();
    const whole = reassembler.add(fragment(bytes(2, 2), 8, false), 'a|b')!;
    expect(whole.length).toBe(40 + 10);
    expect(whole[6]).toBe(6);
    expect((whole[4]! << 8) | whole[5]!).toBe(10);
  });
});
