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
 * Browsers cap an element's height (Chromium about 16.7 M px); at 24 px a row that is ~700 k rows.
 * Past `maxScrollPx` the scroll content is scaled down, and a scroll position stands for the same
 * fraction of the list's natural (unscaled) scroll range: scrolled to the end, the last row's
 * bottom meets the viewport's bottom exactly, whatever part of a row the viewport holds.
 */
class ScrollScale {
  readonly naturalPx: number;
  readonly totalPx: number;
  /** how far the scroll position and the natural position can move, px */
  readonly scrollablePx: number;
  readonly naturalScrollablePx: number;

  constructor(rowCount: number, rowHeightPx: number, viewportPx: number, maxScrollPx: number) {
    this.naturalPx = rowCount * rowHeightPx;
    this.totalPx = Math.min(this.naturalPx, maxScrollPx);
    this.scrollablePx = Math.max(0, this.totalPx - viewportPx);
    this.naturalScrollablePx = Math.max(0, this.naturalPx - viewportPx);
  }

  get scaled(): boolean {
    return this.naturalPx !== this.totalPx;
  }

  /** the natural position a scroll position stands for */
  toNatural(scrollTopPx: number): number {
    const top = Math.min(Math.max(0, scrollTopPx), this.scrollablePx);
    return this.scaled && this.scrollablePx > 0 ? (top / this.scrollablePx) * this.naturalScrollablePx : top;
  }

  /** the scroll position that stands for a natural position */
  fromNatural(naturalPx: number): number {
    const natural = Math.min(Math.max(0, naturalPx), this.naturalScrollablePx);
    return this.scaled && this.naturalScrollablePx > 0 ? (natural / this.naturalScrollablePx) * this.scrollablePx : natural;
  }
}

/** The rows to render for a viewport (see ScrollScale for lists too long for the browser). */
export function visibleRows(
  rowCount: number,
  rowHeightPx: number,
  scrollTopPx: number,
  viewportPx: number,
  maxScrollPx = 15_000_000,
): RowWindow {
  const scale = new ScrollScale(rowCount, rowHeightPx, viewportPx, maxScrollPx);
  const totalPx = scale.totalPx;
  if (rowCount === 0 || viewportPx <= 0) return { first: 0, last: 0, offsetPx: 0, totalPx };
  const clampedTop = Math.min(Math.max(0, scrollTopPx), scale.scrollablePx);
  const naturalTop = scale.toNatural(clampedTop);
  const firstVisible = Math.min(rowCount - 1, Math.floor(naturalTop / rowHeightPx));
  const visibleCount = Math.ceil(viewportPx / rowHeightPx) + 1;
  const first = Math.max(0, firstVisible - OVERSCAN_ROWS);
  const last = Math.min(rowCount, firstVisible + visibleCount + OVERSCAN_ROWS);
  // row `first` sits where the natural layout puts it relative to the viewport's top
  const offsetPx = clampedTop + (first * rowHeightPx - naturalTop);
  return { first, last, offsetPx, totalPx };
}

/** The scrollTop that shows `row` whole (keeping it if already visible), for keyboard moves. */
export function scrollTopFor(
  row: number,
  rowCount: number,
  rowHeightPx: number,
  scrollTopPx: number,
  viewportPx: number,
  maxScrollPx = 15_000_000,
): number {
  const scale = new ScrollScale(rowCount, rowHeightPx, viewportPx, maxScrollPx);
  const naturalTop = scale.toNatural(scrollTopPx);
  const rowTop = row * rowHeightPx;
  const rowBottom = rowTop + rowHeightPx;
  // a scaled position may be rounded to whole px by the browser: round toward showing the row whole
  if (rowTop < naturalTop) return Math.floor(scale.fromNatural(rowTop));
  if (rowBottom > naturalTop + viewportPx) return Math.min(scale.scrollablePx, Math.ceil(scale.fromNatural(rowBottom - viewportPx)));
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
