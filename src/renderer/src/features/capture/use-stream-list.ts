/**
 * The stream list's data: its sort and filter (applied by the engine), and the rows of the pages
 * around the visible window, at most `MAX_PAGES` of them: a 120,000-stream capture costs the page
 * a few thousand row objects, not 120,000.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { StreamFilter, StreamSort } from '@shared/api-capture';
import type { CaptureClient } from './capture-client';
import type { StreamRow } from './capture-model';
import { MAX_PAGES, PAGE_ROWS } from './packet-pages';

export interface StreamQuery {
  sort: StreamSort;
  filter: StreamFilter;
}

export const DEFAULT_STREAM_QUERY: StreamQuery = { sort: { key: 'stream', direction: 'ascending' }, filter: {} };

export interface StreamListData {
  query: StreamQuery;
  setQuery(query: StreamQuery): void;
  /** streams matching the filter; null until the first page arrives */
  total: number | null;
  row(index: number): StreamRow | null;
  onRangeChange(first: number, last: number): void;
  /** changes when rows arrive (the list re-renders its cells) */
  version: number;
  error: string | null;
  /** the position of a stream among the loaded rows, or -1 */
  indexOfStream(stream: number): number;
}

/** The pages of one query (another query's rows are in another order). */
class StreamPages {
  constructor(readonly query: StreamQuery) {}
  readonly pages = new Map<number, StreamRow[]>();
  readonly requested = new Set<number>();
  total: number | null = null;
}

export function useStreamList(client: CaptureClient, captureId: string): StreamListData {
  const [query, setQuery] = useState<StreamQuery>(DEFAULT_STREAM_QUERY);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const pages = useMemo(() => new StreamPages(query), [query]);

  const fetchRange = useCallback(
    (first: number, last: number) => {
      const lastPage = Math.floor(Math.max(first, last - 1) / PAGE_ROWS);
      for (let page = Math.floor(first / PAGE_ROWS); page <= lastPage; page++) {
        if (pages.pages.has(page) || pages.requested.has(page)) continue;
        pages.requested.add(page);
        void client.streamWindow(captureId, pages.query, page * PAGE_ROWS, PAGE_ROWS).then((result) => {
          pages.requested.delete(page);
          if (!result.ok) {
            setError(result.error.message);
            return;
          }
          pages.total = result.value.total;
          pages.pages.set(page, result.value.rows);
          while (pages.pages.size > MAX_PAGES) {
            const oldest = pages.pages.keys().next().value;
            if (oldest === undefined) break;
            pages.pages.delete(oldest);
          }
          setError(null);
          setVersion((value) => value + 1);
        });
      }
    },
    [client, captureId, pages],
  );

  // the first page of a new query gives the total
  useEffect(() => fetchRange(0, PAGE_ROWS), [fetchRange]);

  const row = useCallback(
    (index: number) => {
      const page = Math.floor(index / PAGE_ROWS);
      const rows = pages.pages.get(page);
      if (!rows) return null;
      // refresh recency: Map iteration order is insertion order
      pages.pages.delete(page);
      pages.pages.set(page, rows);
      return rows[index - page * PAGE_ROWS] ?? null;
    },
    [pages],
  );

  const indexOfStream = useCallback(
    (stream: number) => {
      for (const [page, rows] of pages.pages) {
        const at = rows.findIndex((candidate) => candidate.stream === stream);
        if (at >= 0) return page * PAGE_ROWS + at;
      }
      return -1;
    },
    [pages],
  );

  return { query, setQuery, total: pages.total, row, onRangeChange: fetchRange, version, error, indexOfStream };
}
