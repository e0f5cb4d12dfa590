/** The TCP streams of a capture: one row each, virtualised; choosing one filters the packets. */
import { useCallback } from 'react';
import type { StreamRow } from './capture-model';
import { formatCount, inferredKeepaliveText } from './format';
import { VirtualList, type Column } from './VirtualList';

const COLUMNS: readonly Column[] = [
  { key: 'stream', title: '#', width: '3rem', align: 'end' },
  { key: 'endpoints', title: 'Endpoints', width: 'minmax(10rem, 1.2fr)' },
  { key: 'packets', title: 'Pkts', width: '3.6rem', align: 'end' },
  { key: 'end', title: 'End', width: '3.5rem' },
  { key: 'requests', title: 'Req.', width: '3rem', align: 'end' },
  { key: 'probes', title: 'KA / ACK', width: '4.8rem', align: 'end' },
  { key: 'keepalive', title: 'Inferred keepalive', width: 'minmax(12rem, 1fr)' },
  { key: 'application', title: 'TLS / HTTP/2', width: 'minmax(7rem, 0.7fr)' },
];

export interface StreamListProps {
  streams: readonly StreamRow[];
  selectedStream: number | null;
  onSelectStream(stream: number | null): void;
}

export function StreamList({ streams, selectedStream, onSelectStream }: StreamListProps) {
  const selectedIndex = selectedStream === null ? null : streams.findIndex((row) => row.stream === selectedStream);
  const renderCells = useCallback(
    (index: number) => {
      const row = streams[index];
      if (!row) return null;
      return [
        row.stream,
        <span className="endpoints" title={`${row.a} ⇄ ${row.b}`}>
          {row.a} ⇄ {row.b}
        </span>,
        formatCount(row.packets),
        <span className={`end-badge end-${row.end}`}>{row.end.toUpperCase()}</span>,
        row.httpRequests || '',
        row.keepAlives || row.keepAliveAcks ? `${row.keepAlives} / ${row.keepAliveAcks}` : '',
        <span className="endpoints" title={inferredKeepaliveText(row)}>
          {inferredKeepaliveText(row, { compact: true })}
        </span>,
        <span className="endpoints" title={row.application}>
          {row.application}
        </span>,
      ];
    },
    [streams],
  );
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
      </div>
      <VirtualList
        id="stream-list"
        ariaLabel="TCP streams"
        columns={COLUMNS}
        rowCount={streams.length}
        renderCells={renderCells}
        selectedIndex={selectedIndex !== null && selectedIndex >= 0 ? selectedIndex : null}
        onSelect={(index) => {
          const row = streams[index];
          if (row) onSelectStream(row.stream === selectedStream ? null : row.stream);
        }}
        emptyText="No TCP streams in this capture."
      />
    </div>
  );
}
