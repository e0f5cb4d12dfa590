/**
 * The packets of a capture, virtualised and fetched by page: frame, time,
 * endpoints, TCP flags, length, and the annotations as coloured chips. Filters by
 * annotation kind and by stream.
 */
import { useCallback } from 'react';
import { ANNOTATION_KINDS, annotationKind } from './annotation-kinds';
import type { PacketQuery, PacketListRow } from './capture-model';
import { formatCount, formatRelativeTime } from './format';
import { VirtualList, type Column } from './VirtualList';

const COLUMNS: readonly Column[] = [
  { key: 'frame', title: 'Frame', width: '3.8rem', align: 'end' },
  { key: 'time', title: 'Time (s)', width: '6.2rem', align: 'end' },
  { key: 'stream', title: 'Str.', width: '2.2rem', align: 'end' },
  { key: 'endpoints', title: 'Stream endpoints', width: 'minmax(8rem, 1fr)' },
  { key: 'flags', title: 'TCP flags', width: '5.6rem' },
  { key: 'payload', title: 'Len', width: '2.8rem', align: 'end' },
  { key: 'annotations', title: 'Annotations', width: 'minmax(7.5rem, 0.7fr)' },
];

export interface PacketListProps {
  query: PacketQuery;
  onQueryChange(query: PacketQuery): void;
  /** matching packets in all, null while the first page loads */
  total: number | null;
  row(index: number): PacketListRow | null;
  onRangeChange(first: number, last: number): void;
  selectedIndex: number | null;
  onSelectIndex(index: number): void;
  revealIndex: number | null;
  /** bumped when rows arrive, so the list re-renders */
  version: number;
}

export function PacketList(props: PacketListProps) {
  const { row, version } = props;
  const renderCells = useCallback(
    (index: number) => {
      const packet = row(index);
      if (!packet) return null;
      return [
        packet.frame,
        formatRelativeTime(packet.timeS),
        packet.stream ?? '',
        <span className="endpoints" title={packet.endpoints}>
          {packet.endpoints}
        </span>,
        packet.tcpFlags,
        packet.payload,
        <span className="chips">
          {packet.flags.map((flag) => {
            const kind = annotationKind(flag);
            return (
              <span key={flag} className="chip" style={{ ['--chip' as string]: `var(${kind.colorVar})` }}>
                {kind.label}
              </span>
            );
          })}
        </span>,
      ];
    },
    // `version` changes when a page arrives: the same `row` function then answers more rows
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [row, version],
  );
  const rowClass = useCallback((index: number) => (row(index)?.flags.includes('keep_alive') ? 'is-probe' : undefined), [row]);
  return (
    <div className="capture-packets">
      <PacketFilters query={props.query} onQueryChange={props.onQueryChange} />
      <VirtualList
        id="packet-list"
        ariaLabel="Packets"
        columns={COLUMNS}
        rowCount={props.total ?? 0}
        renderCells={renderCells}
        rowClass={rowClass}
        selectedIndex={props.selectedIndex}
        onSelect={props.onSelectIndex}
        onRangeChange={props.onRangeChange}
        revealIndex={props.revealIndex}
        emptyText={props.total === null ? 'Loading packets…' : 'No packet matches these filters.'}
      />
      <p className="list-foot muted" data-testid="packet-count" aria-live="polite">
        {props.total === null ? 'Loading…' : `${formatCount(props.total)} packets match`} · ↑/↓ PageUp/PageDown to move, Enter to select
      </p>
    </div>
  );
}

/** Filter chips that toggle (aria-pressed), plus the stream filter shown as a removable chip. */
function PacketFilters({ query, onQueryChange }: { query: PacketQuery; onQueryChange(query: PacketQuery): void }) {
  const toggle = (flag: string) => {
    const flags = query.flags.includes(flag) ? query.flags.filter((other) => other !== flag) : [...query.flags, flag];
    onQueryChange({ ...query, flags });
  };
  return (
    <div className="packet-filters" role="group" aria-label="Filter packets by annotation">
      <button
        type="button"
        className="filter-chip"
        aria-pressed={query.flags.length === 0}
        onClick={() => onQueryChange({ ...query, flags: [] })}
      >
        All packets
      </button>
      {ANNOTATION_KINDS.slice(0, 9).map((kind) => (
        <button
          key={kind.flag}
          type="button"
          className="filter-chip"
          aria-pressed={query.flags.includes(kind.flag)}
          style={{ ['--chip' as string]: `var(${kind.colorVar})` }}
          onClick={() => toggle(kind.flag)}
        >
          {kind.label}
        </button>
      ))}
      <select
        aria-label="More annotation filters"
        value=""
        onChange={(event) => {
          if (event.currentTarget.value) toggle(event.currentTarget.value);
        }}
      >
        <option value="">More…</option>
        {ANNOTATION_KINDS.slice(9).map((kind) => (
          <option key={kind.flag} value={kind.flag}>
            {query.flags.includes(kind.flag) ? '✓ ' : ''}
            {kind.label}
          </option>
        ))}
      </select>
      {query.stream !== null ? (
        <button type="button" className="filter-chip" aria-pressed="true" onClick={() => onQueryChange({ ...query, stream: null })}>
          Stream {query.stream} ✕
        </button>
      ) : null}
    </div>
  );
}
