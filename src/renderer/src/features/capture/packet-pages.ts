/**
 * Packet rows fetched lazily by page for the virtualised list: only the pages
 * around the visible window are asked for, and at most `MAX_PAGES` are kept, so a
 * 3 M-packet capture costs a few hundred row objects in the renderer, not millions.
 */
import type { PacketPage, PacketQuery, PacketListRow } from './capture-model';

/** Rows per request: one request covers a few screens. */
export const PAGE_ROWS = 200;
/** Pages kept; the least recently used goes first (≈ 10 k rows). */
export const MAX_PAGES = 50;

export function queryKey(query: PacketQuery): string {
  return `${[...query.flags].sort().join(',')}|${query.stream ?? '*'}`;
}

export class PacketPageCache {
  private readonly pages = new Map<number, PacketListRow[]>();
  private readonly requested = new Set<number>();
  /** matching rows in all; null until the first page arrives */
  total: number | null = null;

  constructor(readonly key: string) {}

  /** The row at an index among the matching rows, or null while its page is missing. */
  row(index: number): PacketListRow | null {
    const page = Math.floor(index / PAGE_ROWS);
    const rows = this.pages.get(page);
    if (!rows) return null;
    // refresh recency: Map iteration order is insertion order
    this.pages.delete(page);
    this.pages.set(page, rows);
    return rows[index - page * PAGE_ROWS] ?? null;
  }

  /** Page numbers covering rows [first, last) not yet stored nor asked for; marks them asked. */
  takeMissing(first: number, last: number): number[] {
    const missing: number[] = [];
    const lastPage = Math.floor(Math.max(first, last - 1) / PAGE_ROWS);
    for (let page = Math.floor(first / PAGE_ROWS); page <= lastPage; page++) {
      if (this.pages.has(page) || this.requested.has(page)) continue;
      this.requested.add(page);
      missing.push(page);
    }
    return missing;
  }

  store(page: PacketPage): void {
    this.total = page.total;
    const number = Math.floor(page.offset / PAGE_ROWS);
    this.requested.delete(number);
    this.pages.set(number, page.rows);
    while (this.pages.size > MAX_PAGES) {
      const oldest = this.pages.keys().next().value;
      if (oldest === undefined) break;
      this.pages.delete(oldest);
    }
  }

  /** A failed request may be asked again. */
  forget(page: number): void {
    this.requested.delete(page);
  }

  /** The index of a frame among the loaded rows, or -1 (for revealing a packet picked on the timeline). */
  indexOfFrame(frame: number): number {
    for (const [page, rows] of this.pages) {
      const at = rows.findIndex((row) => row.frame === frame);
      if (at >= 0) return page * PAGE_ROWS + at;
    }
    return -1;
  }
}
