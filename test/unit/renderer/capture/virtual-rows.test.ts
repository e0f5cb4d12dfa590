import { describe, expect, it } from 'vitest';
import { OVERSCAN_ROWS, moveActiveRow, scrollTopFor, visibleRows } from '@renderer/features/capture/virtual-rows';

describe('visibleRows', () => {
  it('renders only the rows in view plus the overscan, whatever the list length', () => {
    const rows = visibleRows(400_000, 26, 26 * 1000, 260);
    expect(rows.first).toBe(1000 - OVERSCAN_ROWS);
    expect(rows.last - rows.first).toBeLessThanOrEqual(10 + 1 + 2 * OVERSCAN_ROWS);
    expect(rows.offsetPx).toBe(rows.first * 26);
  });

  it('caps the content height for very long lists and still reaches the last row', () => {
    const rowCount = 3_000_000;
    const capped = visibleRows(rowCount, 26, 0, 520, 15_000_000);
    expect(capped.totalPx).toBe(15_000_000);
    const bottom = visibleRows(rowCount, 26, 15_000_000, 520, 15_000_000);
    expect(bottom.last).toBe(rowCount);
    // the rendered window sits inside the scroll content
    expect(bottom.offsetPx).toBeLessThanOrEqual(15_000_000);
  });

  it('renders nothing for an empty list or a hidden viewport', () => {
    expect(visibleRows(0, 26, 0, 500)).toMatchObject({ first: 0, last: 0 });
    expect(visibleRows(10, 26, 0, 0)).toMatchObject({ first: 0, last: 0 });
  });

  it('clamps a scroll position past the end (a filter made the list shorter)', () => {
    const rows = visibleRows(20, 26, 99_999, 260);
    expect(rows.last).toBe(20);
    expect(rows.first).toBeGreaterThanOrEqual(0);
  });
});

describe('scrollTopFor', () => {
  it('keeps the scroll when the row is visible and scrolls minimally otherwise', () => {
    expect(scrollTopFor(3, 100, 20, 0, 200)).toBe(0);
    expect(scrollTopFor(15, 100, 20, 0, 200)).toBe(16 * 20 - 200);
    expect(scrollTopFor(2, 100, 20, 500, 200)).toBe(40);
  });

  it('maps a row of a capped list proportionally and never past the end', () => {
    const top = scrollTopFor(2_999_999, 3_000_000, 26, 0, 520, 15_000_000);
    expect(top).toBe(15_000_000 - 520);
    const window = visibleRows(3_000_000, 26, top, 520, 15_000_000);
    expect(window.last).toBe(3_000_000);
  });
});

describe('moveActiveRow', () => {
  it('moves by one, by a page, to the ends, and stays inside the list', () => {
    expect(moveActiveRow(-1, 'ArrowDown', 10, 5)).toBe(0);
    expect(moveActiveRow(0, 'ArrowUp', 10, 5)).toBe(0);
    expect(moveActiveRow(4, 'PageDown', 10, 5)).toBe(8);
    expect(moveActiveRow(8, 'PageDown', 10, 5)).toBe(9);
    expect(moveActiveRow(8, 'PageUp', 10, 5)).toBe(4);
    expect(moveActiveRow(5, 'Home', 10, 5)).toBe(0);
    expect(moveActiveRow(5, 'End', 10, 5)).toBe(9);
    expect(moveActiveRow(3, 'ArrowDown', 0, 5)).toBe(-1);
  });
});
