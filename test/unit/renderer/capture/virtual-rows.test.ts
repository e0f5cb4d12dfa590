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

describe('a list longer than the browser can scroll (scaled)', () => {
  // 3.9 M rows of 24 px in a viewport of 12.4 rows: the walk found the last row 2 px into view
  const rowCount = 3_900_000;
  const rowPx = 24;
  const viewportPx = 298;
  /** where row `row` is drawn relative to the viewport's top, for a scroll position */
  const rowTopInViewport = (row: number, scrollTopPx: number) => {
    const window = visibleRows(rowCount, rowPx, scrollTopPx, viewportPx);
    expect(row).toBeGreaterThanOrEqual(window.first);
    expect(row).toBeLessThan(window.last);
    return window.offsetPx + (row - window.first) * rowPx - Math.min(scrollTopPx, window.totalPx - viewportPx);
  };

  it('scrolled to the end, shows the last row whole at the bottom', () => {
    const end = visibleRows(rowCount, rowPx, 15_000_000, viewportPx).totalPx - viewportPx;
    expect(rowTopInViewport(rowCount - 1, end)).toBeCloseTo(viewportPx - rowPx, 6);
    expect(rowTopInViewport(0, 0)).toBe(0);
  });

  it('a keyboard move to any row shows it whole, from the top, the middle or the end', () => {
    const end = visibleRows(rowCount, rowPx, 15_000_000, viewportPx).totalPx - viewportPx;
    for (const from of [0, 7_500_000, end])
      for (const row of [0, 1, 12, 13, 1_234_567, 1_950_000, 3_899_987, rowCount - 2, rowCount - 1]) {
        const top = scrollTopFor(row, rowCount, rowPx, from, viewportPx);
        expect(Number.isInteger(top) || top === end, `row ${row} from ${from}`).toBe(true);
        const at = rowTopInViewport(row, top);
        expect(at, `row ${row} from ${from}`).toBeGreaterThanOrEqual(-1e-6);
        expect(at + rowPx, `row ${row} from ${from}`).toBeLessThanOrEqual(viewportPx + 1e-6);
      }
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
