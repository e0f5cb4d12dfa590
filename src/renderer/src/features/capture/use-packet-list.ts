/**
 * The packet list's data: the query (annotation kinds, stream), a page cache per
 * query, fetching the pages the list shows, and the selected packet.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CaptureClient } from './capture-client';
import type { PacketQuery, PacketListRow } from './capture-model';
import { PAGE_ROWS, PacketPageCache, queryKey } from './packet-pages';

export interface PacketListData {
  query: PacketQuery;
  setQuery(query: PacketQuery): void;
  total: number | null;
  row(index: number): PacketListRow | null;
  onRangeChange(first: number, last: number): void;
  version: number;
  selected: { index: number; packet: PacketListRow } | null;
  /** the selected packet with the reasons for its annotations (fetched on selection) */
  detail: PacketListRow | null;
  selectIndex(index: number): void;
  /** select a frame (from the timeline): finds its index under the current query, clearing the filters if it is hidden */
  selectFrame(frame: number): Promise<void>;
  revealIndex: number | null;
  error: string | null;
}

export function usePacketList(client: CaptureClient, captureId: string): PacketListData {
  const [query, setQueryState] = useState<PacketQuery>({ flags: [], stream: null });
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<{ index: number; packet: PacketListRow } | null>(null);
  const [revealIndex, setRevealIndex] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [detail, setDetail] = useState<PacketListRow | null>(null);
  const key = queryKey(query);
  const cache = useMemo(() => new PacketPageCache(key), [key]);
  const pendingSelect = useRef<number | null>(null);

  const fetchPages = useCallback(
    (pages: number[]) => {
      for (const page of pages) {
        void client.packets(captureId, query, page * PAGE_ROWS, PAGE_ROWS).then((result) => {
          if (!result.ok) {
            cache.forget(page);
            setError(result.error.message);
            return;
          }
          cache.store(result.value);
          setVersion((value) => value + 1);
          const wanted = pendingSelect.current;
          if (wanted !== null) {
            const packet = cache.row(wanted);
            if (packet) {
              pendingSelect.current = null;
              setSelected({ index: wanted, packet });
            }
          }
        });
      }
    },
    [cache, client, captureId, query],
  );

  // the first page of a new query gives the total
  useEffect(() => {
    fetchPages(cache.takeMissing(0, PAGE_ROWS));
  }, [cache, fetchPages]);

  const onRangeChange = useCallback((first: number, last: number) => fetchPages(cache.takeMissing(first, last)), [cache, fetchPages]);
  const row = useCallback((index: number) => cache.row(index), [cache]);

  const selectIndex = useCallback(
    (index: number) => {
      const packet = cache.row(index);
      if (packet) setSelected({ index, packet });
    },
    [cache],
  );

  const setQuery = useCallback((next: PacketQuery) => {
    setQueryState(next);
    setSelected(null);
    setRevealIndex(null);
  }, []);

  const selectFrame = useCallback(
    async (frame: number) => {
      let found = await client.indexOfFrame(captureId, query, frame);
      let activeQuery = query;
      if (found.ok && found.value < 0) {
        // hidden by the filters: show every packet so the picked one can be selected
        activeQuery = { flags: [], stream: null };
        found = await client.indexOfFrame(captureId, activeQuery, frame);
        if (found.ok) setQueryState(activeQuery);
      }
      if (!found.ok) return setError(found.error.message);
      if (found.value < 0) return;
      pendingSelect.current = found.value;
      setRevealIndex(found.value);
      if (activeQuery === query) {
        const packet = cache.row(found.value);
        if (packet) {
          pendingSelect.current = null;
          setSelected({ index: found.value, packet });
        } else fetchPages(cache.takeMissing(found.value, found.value + 1));
      }
    },
    [cache, captureId, client, fetchPages, query],
  );

  // the list rows may lack the reasons (filtered rows come from the compact index): fetch the packet itself
  const selectedFrame = selected?.packet.frame ?? null;
  useEffect(() => {
    if (selectedFrame === null) return;
    let live = true;
    void client.packet(captureId, selectedFrame).then((result) => {
      if (!live) return;
      if (result.ok) setDetail(result.value);
      else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, captureId, selectedFrame]);
  const shownDetail = detail && detail.frame === selectedFrame ? detail : (selected?.packet ?? null);

  return {
    query,
    setQuery,
    total: cache.total,
    row,
    onRangeChange,
    version,
    selected,
    detail: shownDetail,
    selectIndex,
    selectFrame,
    revealIndex,
    error,
  };
}
