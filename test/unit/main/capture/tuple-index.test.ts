/** TupleIndex (open addressing over Int32 slots) against a Map model, through several rehashes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TupleIndex } from '../../../../src/main/capture/tuple-index';

describe('TupleIndex', () => {
  it('finds every tuple’s current stream, replaced or not, across rehashes', () => {
    const index = new TupleIndex();
    const model = new Map<string, number>();
    const pairs = [index.pairId('10.0.0.1', '10.0.0.2'), index.pairId('::1', '::1'), index.pairId('127.0.0.1', '127.0.0.1')];
    let stream = 0;
    // 20 000 tuples (five rehashes from 4096 slots), a third of them reused by a later stream
    for (let step = 0; step < 30_000; step++) {
      const pair = pairs[step % pairs.length]!;
      const ports = step % 3 === 2 ? ((step * 7919) % 20_000) * 65536 + 80 : (step * 65_537 + 0xfffe_0000) >>> 0;
      index.set(pair, ports, stream);
      model.set(`${pair} ${ports}`, stream);
      stream += 1;
    }
    for (const [key, value] of model) {
      const [pair, ports] = key.split(' ').map(Number);
      expect(index.get(pair!, ports!)).toBe(value);
    }
    expect(index.get(pairs[0]!, 12345)).toBe(-1);
  });

  it('gives each address pair one id, and the same id again', () => {
    const index = new TupleIndex();
    const first = index.pairId('10.0.0.1', '10.0.0.2');
    expect(index.pairId('10.0.0.1', '10.0.0.3')).not.toBe(first);
    expect(index.pairId('10.0.0.1', '10.0.0.2')).toBe(first);
  });

  it('agrees with a Map on random operations', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffffffff }), fc.boolean()), { maxLength: 300 }), (operations) => {
        const index = new TupleIndex();
        const model = new Map<string, number>();
        operations.forEach(([pair, ports, write], position) => {
          if (write) {
            index.set(pair, ports, position);
            model.set(`${pair} ${ports}`, position);
          } else expect(index.get(pair, ports)).toBe(model.get(`${pair} ${ports}`) ?? -1);
        });
      }),
      { numRuns: 200 },
    );
  });
});
