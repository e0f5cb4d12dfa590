import { describe, expect, it } from 'vitest';
import type { PacketListRow } from '@renderer/features/capture/capture-model';
import { MAX_PAGES, PAGE_ROWS, PacketPageCache, queryKey } from '@renderer/features/capture/packet-pages';

const row = (frame: number): PacketListRow => ({
  frame,
  timeS: frame / 1000,
  stream: 0,
  endpoints: '10.0.0.1:1 ⇄ 10.0.0.2:80',
  tcpFlags: 'ACK',
  payload: 0,
  info: `1 → 80 [ACK] Seq=${frame} Ack=1 Win=512 Len=0`,
  http: null,
  flags: [],
  reasons: [],
  nearMiss: null,
});
const page = (number: number, total: number) => ({
  total,
  offset: number * PAGE_ROWS,
  rows: Array.from({ length: Math.min(PAGE_ROWS, total - number * PAGE_ROWS) }, (_, index) => row(number * PAGE_ROWS + index + 1)),
});

describe('PacketPageCache', () => {
  it('asks each missing page once and serves rows once stored', () => {
    const cache = new PacketPageCache(queryKey({ flags: [], stream: null }));
    expect(cache.takeMissing(150, 260)).toEqual([0, 1]);
    expect(cache.takeMissing(150, 260)).toEqual([]);
    expect(cache.row(150)).toBeNull();
    cache.store(page(0, 1000));
    expect(cache.total).toBe(1000);
    expect(cache.row(150)?.frame).toBe(151);
    expect(cache.indexOfFrame(7)).toBe(6);
    cache.forget(1);
    expect(cache.takeMissing(250, 260)).toEqual([1]);
  });

  it('keeps at most MAX_PAGES pages, dropping the least recently used', () => {
    const total = PAGE_ROWS * (MAX_PAGES + 5);
    const cache = new PacketPageCache('k');
    for (let number = 0; number < MAX_PAGES + 5; number++) cache.store(page(number, total));
    expect(cache.row(0)).toBeNull();
    expect(cache.row(total - 1)?.frame).toBe(total);
  });

  it('names a query independently of the order of its flags', () => {
    expect(queryKey({ flags: ['keep_alive_ack', 'keep_alive'], stream: 3 })).toBe(
      queryKey({ flags: ['keep_alive', 'keep_alive_ack'], stream: 3 }),
    );
    expect(queryKey({ flags: [], stream: null })).not.toBe(queryKey({ flags: [], stream: 0 }));
  });
});
