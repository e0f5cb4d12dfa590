import { describe, expect, it } from 'vitest';
import { writeJson } from '../../../src/cli/json-out';

function written(value: unknown): { text: string; pieces: string[] } {
  const pieces: string[] = [];
  writeJson(value, (text) => pieces.push(text));
  return { text: pieces.join(''), pieces };
}

describe('writeJson: --json in pieces, the same text as JSON.stringify', () => {
  it('writes what JSON.stringify(value, null, 2) writes, for every kind of value', () => {
    const samples: unknown[] = [
      null,
      0,
      -1.5e-7,
      'text with "quotes", \n newlines and ünïcode ✓',
      true,
      [],
      {},
      [[], {}, [[1]], { a: [] }],
      { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('s')], d: new Date(0), e: { toJSON: () => 'mine' } },
      { nested: { deeper: { deepest: [1, 'two', { three: 3 }] } }, NaN: Number.NaN, inf: Infinity },
    ];
    for (const sample of samples) expect(written(sample).text).toBe(`${JSON.stringify(sample, null, 2)}\n`);
  });

  it('writes a big document in many pieces of bounded size, never as one string', () => {
    const requests = Array.from({ length: 20_000 }, (_, index) => ({ index, status: 200, ms: { total: index / 7 }, reused: index > 0 }));
    const { text, pieces } = written({ requests });
    expect(text).toBe(`${JSON.stringify({ requests }, null, 2)}\n`);
    expect(pieces.length).toBeGreaterThan(20);
    // a piece is gathered up to 64 Ki characters, then one value more at most
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(128 * 1024);
  });
});
