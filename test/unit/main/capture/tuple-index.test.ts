/** TupleIndex (open addressing over Int32 slots) against a Map model, through several rehashes; AddressBook ids. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressBook } from '@engine/capture/address-book';
import { portPair, TupleIndex } from '@engine/capture/tuple-index';

describe('TupleIndex', () => {
  it('finds every tuple’s current stream, replaced or not, across rehashes', () => {
    const index = new TupleIndex();
    const model = new Map<string, number>();
    const pairs: Array<[number, number]> = [
      [0, 1],
      [2, 2],
      [3, 3],
    ];
    let stream = 0;
    // 20 000 tuples (five rehashes from 4096 slots), a third of them reused by a later stream
    for (let step = 0; step < 30_000; step++) {
      const [low, high] = pairs[step % pairs.length]!;
      const ports = step % 3 === 2 ? ((step * 7919) % 20_000) * 65536 + 80 : (step * 65_537 + 0xfffe_0000) | 0;
      index.set(low, high, ports, stream);
      model.set(`${low} ${high} ${ports}`, stream);
      stream += 1;
    }
    for (const [key, value] of model) {
      const [low, high, ports] = key.split(' ').map(Number);
      expect(index.get(low!, high!, ports!)).toBe(value);
    }
    expect(index.get(0, 1, 12345)).toBe(-1);
    expect(index.get(1, 0, pairs.length)).toBe(-1);
  });

  it('agrees with a Map on random operations', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 3 }),
            fc.integer({ min: 0, max: 3 }),
            // few port pairs, so that reads find earlier writes; pairs from a first port ≥ 32768 are negative keys
            fc.constantFrom(portPair(80, 40_000), portPair(40_000, 80), portPair(65_535, 65_535), portPair(0, 1), portPair(32_768, 0)),
            fc.boolean(),
          ),
          { maxLength: 300 },
        ),
        (operations) => {
          const index = new TupleIndex();
          const model = new Map<string, number>();
          operations.forEach(([low, high, ports, write], position) => {
            if (write) {
              index.set(low, high, ports, position);
              model.set(`${low} ${high} ${ports}`, position);
            } else expect(index.get(low, high, ports)).toBe(model.get(`${low} ${high} ${ports}`) ?? -1);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('AddressBook', () => {
  const bytes = (...values: number[]) => Uint8Array.from(values);

  it('gives each address one id, the same id again, and its text', () => {
    const book = new AddressBook();
    const first = book.ipv4(bytes(10, 0, 0, 1), 0);
    const second = book.ipv4(bytes(0, 10, 0, 0, 2), 1);
    expect(second).not.toBe(first);
    expect(book.ipv4(bytes(10, 0, 0, 1), 0)).toBe(first);
    expect(book.text(first)).toBe('10.0.0.1');
    expect(book.text(second)).toBe('10.0.0.2');
  });

  it('keeps IPv4 apart from the IPv4-mapped IPv6 address with the same last word', () => {
    const book = new AddressBook();
    const v4 = book.ipv4(bytes(1, 2, 3, 4), 0);
    const mapped = book.ipv6(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4), 0);
    expect(mapped).not.toBe(v4);
    expect(book.text(mapped)).toBe('::ffff:1.2.3.4');
    expect(book.isIpv6(mapped)).toBe(true);
    expect(book.isIpv6(v4)).toBe(false);
  });

  it('holds 100 000 addresses through its rehashes, each found again', () => {
    const book = new AddressBook();
    const ids: number[] = [];
    const data = new Uint8Array(4);
    const view = new DataView(data.buffer);
    for (let address = 0; address < 100_000; address++) {
      view.setUint32(0, address * 2654435761);
      ids.push(book.ipv4(data, 0));
    }
    expect(new Set(ids).size).toBe(100_000);
    expect(book.count).toBe(100_000);
    view.setUint32(0, 777 * 2654435761);
    expect(book.ipv4(data, 0)).toBe(ids[777]);
  });
});
