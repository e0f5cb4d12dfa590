/**
 * The packets of a capture, virtualised and fetched by page, as Wireshark lists them: frame,
 * time (since the first packet by default; since the stream began, or date and time, by a
 * switch), stream, and the Info column ("[TCP Keep-Alive] 54154 → 80 [ACK] Seq=…",
 * "GET /ocsp HTTP/1.1"), its bracketed analysis words in the annotation's colour, and a badge on the packets that
 * begin an HTTP request or response. Filters by annotation kind and by stream.
 */
import { TermTip } from '../glossary/Term';
import type { TermId } from '@shared/glossary';
import { useCallback, useId, useMemo, useState } from 'react';
import { ANNOTATION_KINDS, annotationKind } from './annotation-kinds';
import type { PacketQuery, PacketListRow } from './capture-model';
import { formatCount, formatPacketTime, TIME_MODES, timeColumnChars, type TimeMode } from './format';
import { VirtualList, type Column } from './VirtualList';

/** The columns for a time mode; the Time column is as wide as the widest figure it can show (monospace digits are about 0.6 em). */
function columnsFor(mode: TimeMode, maxTimeS: number): Column[] {
  const header = TIME_MODES.find((entry) => entry.mode === mode)?.header ?? 'Time';
  return [
    { key: 'frame', title: 'Frame', width: '4.2rem', align: 'end' },
    { key: 'time', title: header, width: `calc(${timeColumnChars(mode, maxTimeS)} * 0.62em + 1.2rem)`, align: 'end' },
    { key: 'stream', title: 'Str.', width: '2.6rem', align: 'end' },
    { key: 'info', title: 'Info', width: 'minmax(16rem, 1fr)' },
  ];
}

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
  /** frame 1's seconds since 1970 (for date and time); null when unknown */
  firstTimeS: number | null;
  /** the latest packet time, seconds since frame 1 (sizes the Time column) */
  maxTimeS: number;
  /** a stream's first packet, seconds since frame 1; null for an unknown stream */
  streamStartS(stream: number): number | null;
}

export function PacketList(props: PacketListProps) {
  const { row, version, firstTimeS, streamStartS } = props;
  const [timeMode, setTimeMode] = useState<TimeMode>('since-first');
  const columns = useMemo(() => columnsFor(timeMode, props.maxTimeS), [timeMode, props.maxTimeS]);
  const renderCells = useCallback(
    (index: number) => {
      const packet = row(index);
      if (!packet) return null;
      const streamStart = packet.stream === null ? null : streamStartS(packet.stream);
      return [
        packet.frame,
        <span className="packet-time">{formatPacketTime(packet.timeS, timeMode, firstTimeS, streamStart)}</span>,
        packet.stream ?? '',
        // the ports are in the Info text; the addresses, on hover and in the packet's details
        <span
          className="packet-info"
          title={`${packet.http === 'request' ? 'HTTP →' : packet.http === 'response' ? 'HTTP ←' : ''}${infoText(packet)}\n${packet.endpoints}`}
        >
          {packet.http ? (
            <span
              className={`http-badge http-${packet.http}`}
              title={`An HTTP ${packet.http}: its start line and headers are complete with this packet`}
            >
              {packet.http === 'request' ? 'HTTP →' : 'HTTP ←'}
            </span>
          ) : null}
          <InfoText packet={packet} />
        </span>,
      ];
    },
    // `version` changes when a page arrives: the same `row` function then answers more rows
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [row, version, timeMode, firstTimeS, streamStartS],
  );
  const rowClass = useCallback((index: number) => (row(index)?.flags.includes('keep_alive') ? 'is-probe' : undefined), [row]);
  return (
    <div className="capture-packets">
      <PacketFilters query={props.query} onQueryChange={props.onQueryChange} />
      <label className="time-mode">
        Time column{' '}
        <select value={timeMode} onChange={(event) => setTimeMode(event.currentTarget.value as TimeMode)} data-testid="time-mode">
          {TIME_MODES.map((entry) => (
            <option key={entry.mode} value={entry.mode}>
              {entry.label}
            </option>
          ))}
        </select>
      </label>
      <VirtualList
        id="packet-list"
        ariaLabel="Packets"
        columns={columns}
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

/** Wireshark-style Info, or the header flags and length when the engine gave none. */
function infoText(packet: PacketListRow): string {
  return packet.info || `${packet.tcpFlags} · ${packet.payload} bytes`;
}

const BRACKETED_PREFIX = /^((?:\[[^\]]*\] ?)+)(.*)$/;

/** The Info text, its leading "[TCP Keep-Alive]"-style words in the colour of the packet's first annotation. */
function InfoText({ packet }: { packet: PacketListRow }) {
  const text = infoText(packet);
  const match = BRACKETED_PREFIX.exec(text);
  const flag = packet.flags[0];
  if (!match || flag === undefined) return <>{text}</>;
  return (
    <>
      <span className="info-analysis" style={{ ['--chip' as string]: `var(${annotationKind(flag).colorVar})` }}>
        {match[1]}
      </span>
      {match[2]}
    </>
  );
}

/** The glossary's word for an annotation a filter chip names, when it has one. */
const CHIP_TERMS: Readonly<Record<string, TermId>> = {
  keep_alive: 'keepAliveProbe',
  keep_alive_ack: 'keepAliveAck',
  zero_window_probe: 'zeroWindowProbe',
  zero_window_probe_ack: 'zeroWindowProbe',
  zero_window: 'zeroWindow',
  retransmission: 'retransmission',
  duplicate_ack: 'dupAck',
};

/** One filter chip, with the glossary's one line of help on hover and on keyboard focus. */
function FilterChip({ kind, pressed, onToggle }: { kind: (typeof ANNOTATION_KINDS)[number]; pressed: boolean; onToggle(): void }) {
  const tipId = useId();
  const term = CHIP_TERMS[kind.flag];
  return (
    <span className={term ? 'term-wrap chip-term' : undefined}>
      <button
        type="button"
        className="filter-chip"
        aria-pressed={pressed}
        aria-describedby={term ? tipId : undefined}
        style={{ ['--chip' as string]: `var(${kind.colorVar})` }}
        onClick={onToggle}
      >
        {kind.label}
      </button>
      {term ? <TermTip id={tipId} term={term} /> : null}
    </span>
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
        <FilterChip key={kind.flag} kind={kind} pressed={query.flags.includes(kind.flag)} onToggle={() => toggle(kind.flag)} />
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
