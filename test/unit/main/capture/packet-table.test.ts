/** PacketTable keeps every row through reserve and growth (it copies only the filled rows). */
import { describe, expect, it } from 'vitest';
import { PacketTable } from '@engine/capture/packet-table';

describe('PacketTable', () => {
  it('keeps every row through a reserve and several growths', () => {
    const table = new PacketTable();
    const rows = 20_000;
    for (let row = 0; row < rows; row++) {
      if (row === 5000) table.reserve(6000);
      table.push(row / 1000, row % 7, row & 0xff, row * 3, row & 0xffff);
    }
    expect(table.length).toBe(rows);
    expect(table.time.length).toBeGreaterThanOrEqual(rows);
    for (const row of [0, 4095, 4096, 4999, 5000, 5999, 6000, 9000, rows - 1]) {
      expect([table.time[row], table.stream[row], table.tcpFlags[row], table.payload[row], table.analysis[row]]).toEqual([
        row / 1000,
        row % 7,
        row & 0xff,
        row * 3,
        row & 0xffff,
      ]);
    }
  });

  it('does not shrink on a smaller reserve', () => {
    const table = new PacketTable();
    table.reserve(10_000);
    table.reserve(100);
    expect(table.time.length).toBe(10_000);
  });
});
