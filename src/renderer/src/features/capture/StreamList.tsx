/**
 * The TCP streams of a capture: one row each, virtualised and paged (the engine sorts and filters,
 * the list asks for the rows it shows); choosing one filters the packets.
 */
import { useCallback, useEffect, useState } from 'react';
import type { StreamFilter, StreamSort } from '@shared/api-capture';
import { formatCount, inferredKeepaliveText } from './format';
import type { StreamListData, StreamQuery } from './use-stream-list';
import { VirtualList, type Column } from './VirtualList';

const COLUMNS: readonly Column[] = [
  { key: 'stream', title: '#', width: '3.6rem', align: 'end' },
  // "127.0.0.1:51952 ⇄ 127.0.0.1:41655" whole at the list's usual width; the cell's title holds any longer pair
  { key: 'endpoints', title: 'Endpoints', width: 'minmax(15.5rem, 2fr)' },
  { key: 'packets', title: 'Pkts', width: '3.6rem', align: 'end' },
  { key: 'end', title: 'End', width: '3.5rem' },
  { key: 'requests', title: 'Req.', width: '3rem', align: 'end' },
  { key: 'probes', title: 'KA / ACK', width: '4.4rem', align: 'end' },
  // the two headers whole at the list's usual width (about 820 px beside the packet panel)
  { key: 'keepalive', title: 'Inferred keepalive', width: 'minmax(9rem, 1fr)' },
  { key: 'application', title: 'TLS / HTTP/2', width: 'minmax(6.2rem, 0.6fr)' },
];

const SORTS: ReadonlyArray<{ value: string; label: string; sort: StreamSort }> = [
  { value: 'stream', label: 'Stream number', sort: { key: 'stream', direction: 'ascending' } },
  { value: 'start', label: 'First packet', sort: { key: 'start', direction: 'ascending' } },
  { value: 'packets', label: 'Most packets', sort: { key: 'packets', direction: 'descending' } },
  { value: 'requests', label: 'Most HTTP requests', sort: { key: 'requests', direction: 'descending' } },
  { value: 'probes', label: 'Most keep-alive probes', sort: { key: 'probes', direction: 'descending' } },
];

const ENDS: ReadonlyArray<{ value: '' | NonNullable<StreamFilter['end']>; label: string }> = [
  { value: '', label: 'Any end' },
  { value: 'fin', label: 'Closed with FIN' },
  { value: 'rst', label: 'Reset (RST)' },
  { value: 'open', label: 'Still open' },
];

export interface StreamListProps {
  list: StreamListData;
  /** every stream of the capture (the total when nothing is filtered out) */
  streamCount: number;
  selectedStream: number | null;
  onSelectStream(stream: number | null): void;
}

export function StreamList({ list, streamCount, selectedStream, onSelectStream }: StreamListProps) {
  const { row, version } = list;
  const selectedIndex = selectedStream === null ? -1 : list.indexOfStream(selectedStream);
  const renderCells = useCallback(
    (index: number) => {
      const stream = row(index);
      if (!stream) return null;
      return [
        stream.stream,
        <span className="endpoints" title={`${stream.a} ⇄ ${stream.b}`}>
          {stream.a} ⇄ {stream.b}
        </span>,
        formatCount(stream.packets),
        <span className={`end-badge end-${stream.end}`}>{stream.end.toUpperCase()}</span>,
        stream.httpRequests || '',
        stream.keepAlives || stream.keepAliveAcks ? `${stream.keepAlives} / ${stream.keepAliveAcks}` : '',
        <span className="endpoints" title={inferredKeepaliveText(stream)}>
          {inferredKeepaliveText(stream, { compact: true })}
        </span>,
        <span className="endpoints" title={stream.application}>
          {stream.application}
        </span>,
      ];
    },
    // `version` changes when rows arrive: the cells are drawn again
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [row, version],
  );
  const filtered = list.total !== null && list.total !== streamCount;
  return (
    <div className="capture-streams">
      <div className="panel-head">
        {selectedStream !== null ? (
          <button type="button" onClick={() => onSelectStream(null)}>
            Show all streams
          </button>
        ) : (
          <span className="muted">Enter or click a stream to list only its packets</span>
        )}
        <span className="muted" aria-live="polite" data-testid="stream-list-count">
          {list.total === null
            ? 'loading the streams…'
            : filtered
              ? `${formatCount(list.total)} of ${formatCount(streamCount)} streams match`
              : ''}
        </span>
      </div>
      <StreamControls query={list.query} onQueryChange={list.setQuery} />
      {list.error ? (
        <div role="alert" className="error-box">
          {list.error}
        </div>
      ) : null}
      <VirtualList
        id="stream-list"
        ariaLabel="TCP streams"
        columns={COLUMNS}
        rowCount={list.total ?? 0}
        renderCells={renderCells}
        selectedIndex={selectedIndex >= 0 ? selectedIndex : null}
        onRangeChange={list.onRangeChange}
        onSelect={(index) => {
          const stream = row(index);
          if (stream) onSelectStream(stream.stream === selectedStream ? null : stream.stream);
        }}
        emptyText={
          list.total === null ? 'Loading the streams…' : filtered ? 'No stream matches these filters.' : 'No TCP streams in this capture.'
        }
      />
    </div>
  );
}

/** Sort and filters; the text is sent once typing pauses (each change asks the engine for a new first page). */
function StreamControls({ query, onQueryChange }: { query: StreamQuery; onQueryChange(query: StreamQuery): void }) {
  const [text, setText] = useState(query.filter.text ?? '');
  useEffect(() => {
    if (text === (query.filter.text ?? '')) return;
    // 250 ms: a pause in typing, so each keystroke does not re-sort 120,000 streams
    const timer = setTimeout(() => onQueryChange({ ...query, filter: { ...query.filter, text: text || undefined } }), 250);
    return () => clearTimeout(timer);
  }, [text, query, onQueryChange]);
  const sortValue = SORTS.find((entry) => entry.sort.key === query.sort.key)?.value ?? 'stream';
  const setFilter = (filter: StreamFilter) => onQueryChange({ ...query, filter: { ...query.filter, ...filter } });
  return (
    <div className="packet-filters stream-controls" role="group" aria-label="Sort and filter streams">
      <label>
        Sort by{' '}
        <select
          value={sortValue}
          data-testid="stream-sort"
          onChange={(event) => {
            const entry = SORTS.find((candidate) => candidate.value === event.currentTarget.value);
            if (entry) onQueryChange({ ...query, sort: entry.sort });
          }}
        >
          {SORTS.map((entry) => (
            <option key={entry.value} value={entry.value}>
              {entry.label}
            </option>
          ))}
        </select>
      </label>
      <input
        type="search"
        aria-label="Stream number or endpoint"
        placeholder="Stream # or address"
        size={20}
        data-testid="stream-filter-text"
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
      />
      <select
        aria-label="How the stream ended"
        data-testid="stream-filter-end"
        value={query.filter.end ?? ''}
        onChange={(event) => setFilter({ end: (event.currentTarget.value || undefined) as StreamFilter['end'] })}
      >
        {ENDS.map((entry) => (
          <option key={entry.value} value={entry.value}>
            {entry.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="filter-chip"
        aria-pressed={query.filter.withRequests === true}
        title="Only streams with at least one whole HTTP request"
        onClick={() => setFilter({ withRequests: query.filter.withRequests ? undefined : true })}
      >
        With requests
      </button>
      <button
        type="button"
        className="filter-chip"
        aria-pressed={query.filter.withProbes === true}
        title="Only streams with keep-alive probes or their ACKs"
        onClick={() => setFilter({ withProbes: query.filter.withProbes ? undefined : true })}
      >
        With probes
      </button>
    </div>
  );
}
