/**
 * Virtualised list math: which rows of a long list (a million packets) are in
 * the DOM, and where the keyboard moves the active row. Pure, so it is tested
 * without a DOM; `VirtualList.tsx` only applies it.
 */

export interface RowWindow {
  /** first row index rendered (inclusive) */
  first: number;
  /** last row index rendered (exclusive) */
  last: number;
  /** px from the top of the scroll content to row `first` */
  offsetPx: number;
  /** px: the height of the whole list as if every row were there */
  totalPx: number;
}

/** Rows drawn above and below the viewport so a fast scroll does not show blanks. */
export const OVERSCAN_ROWS = 6;

/**
 * The rows to render for a viewport. Browsers cap an element's height (Chromium
 * about 16.7 M px); at 24 px a row that is ~700 k rows, so `maxScrollPx` scales
 * the content down for longer lists and maps the scroll position back to a row.
 */
export function visibleRows(
  rowCount: number,
  rowHeightPx: number,
  scrollTopPx: number,
  viewportPx: number,
  maxScrollPx = 15_000_000,
): RowWindow {
  const naturalPx = rowCount * rowHeightPx;
  const totalPx = Math.min(naturalPx, maxScrollPx);
  if (rowCount === 0 || viewportPx <= 0) return { first: 0, last: 0, offsetPx: 0, totalPx };
  const scrollablePx = Math.max(1, totalPx - viewportPx);
  const clampedTop = Math.min(Math.max(0, scrollTopPx), scrollablePx);
  // fraction of the list scrolled, applied to the natural (unscaled) row positions
  const firstVisible =
    naturalPx === totalPx
      ? Math.floor(clampedTop / rowHeightPx)
      : Math.floor((clampedTop / scrollablePx) * Math.max(0, rowCount - viewportPx / rowHeightPx));
  const visibleCount = Math.ceil(viewportPx / rowHeightPx) + 1;
  const first = Math.max(0, firstVisible - OVERSCAN_ROWS);
  const last = Math.min(rowCount, firstVisible + visibleCount + OVERSCAN_ROWS);
  const offsetPx = naturalPx === totalPx ? first * rowHeightPx : clampedTop - (firstVisible - first) * rowHeightPx;
  return { first, last, offsetPx, totalPx };
}

/** The scrollTop that shows `row` (keeping it if already visible), for keyboard moves. */
export function scrollTopFor(
  row: number,
  rowCount: number,
  rowHeightPx: number,
  scrollTopPx: number,
  viewportPx: number,
  maxScrollPx = 15_000_000,
): number {
  const naturalPx = rowCount * rowHeightPx;
  const totalPx = Math.min(naturalPx, maxScrollPx);
  const scrollablePx = Math.max(0, totalPx - viewportPx);
  if (naturalPx !== totalPx) {
    // scaled list: place the row proportionally (the rendered window follows from the same fraction)
    const rowsScrollable = Math.max(1, rowCount - viewportPx / rowHeightPx);
    return Math.min(scrollablePx, Math.max(0, (Math.min(row, rowsScrollable) / rowsScrollable) * scrollablePx));
  }
  const rowTop = row * rowHeightPx;
  const rowBottom = rowTop + rowHeightPx;
  if (rowTop < scrollTopPx) return rowTop;
  if (rowBottom > scrollTopPx + viewportPx) return Math.min(scrollablePx, rowBottom - viewportPx);
  return scrollTopPx;
}

export type NavigationKey = 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End';

export function isNavigationKey(key: string): key is NavigationKey {
  return key === 'ArrowUp' || key === 'ArrowDown' || key === 'PageUp' || key === 'PageDown' || key === 'Home' || key === 'End';
}

/** Where the active row goes on a key; -1 (nothing active yet) starts at the top. */
export function moveActiveRow(active: number, key: NavigationKey, rowCount: number, pageRows: number): number {
  if (rowCount === 0) return -1;
  const page = Math.max(1, pageRows - 1);
  const from = active < 0 ? -1 : Math.min(active, rowCount - 1);
  let next: number;
  switch (key) {
    case 'ArrowUp':
      next = from - 1;
      break;
    case 'ArrowDown':
      next = from + 1;
      break;
    case 'PageUp':
      next = from - page;
      break;
    case 'PageDown':
      next = from + page;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = rowCount - 1;
      break;
    default: {
      const never: never = key;
      return never;
    }
  }
  return Math.min(rowCount - 1, Math.max(0, next));
}
