/**
 * A keyboard-navigable grid that keeps only the visible rows in the DOM, for
 * lists of a million packets. Focus stays on the grid; the active row is named by
 * `aria-activedescendant`; ↑/↓, PageUp/PageDown, Home/End move it, Enter selects it.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { isNavigationKey, moveActiveRow, scrollTopFor, visibleRows } from './virtual-rows';

export interface Column {
  key: string;
  title: string;
  /** CSS grid track, e.g. "5rem" or "minmax(8rem, 1fr)" */
  width: string;
  align?: 'start' | 'end';
}

export interface VirtualListProps {
  /** DOM id prefix for rows (aria-activedescendant) */
  id: string;
  ariaLabel: string;
  columns: readonly Column[];
  rowCount: number;
  /** px; fixed so the math stays O(1) */
  rowHeight?: number;
  /** the cells of a row, or null while it loads (a placeholder row keeps the layout still) */
  renderCells(index: number): ReactNode[] | null;
  /** the row chosen by Enter or a click */
  selectedIndex: number | null;
  onSelect(index: number): void;
  /** called with the rendered window so the owner can fetch those rows */
  onRangeChange?(first: number, last: number): void;
  /** a row index to bring into view and make active (e.g. a packet picked on the timeline) */
  revealIndex?: number | null;
  /** extra class per row (e.g. its annotation kind) */
  rowClass?(index: number): string | undefined;
  emptyText: string;
}

const DEFAULT_ROW_HEIGHT_PX = 26;

export function VirtualList(props: VirtualListProps) {
  const { rowCount, onRangeChange, onSelect, revealIndex } = props;
  const rowHeight = props.rowHeight ?? DEFAULT_ROW_HEIGHT_PX;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  const [active, setActive] = useState(-1);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    setViewport(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  const rows = visibleRows(rowCount, rowHeight, scrollTop, viewport);
  useEffect(() => {
    if (rows.last > rows.first) onRangeChange?.(rows.first, rows.last);
  }, [rows.first, rows.last, onRangeChange]);

  // scrolling fires `scroll`, whose handler updates `scrollTop`: no state set here
  const reveal = useCallback(
    (index: number) => {
      const element = scroller.current;
      if (!element) return;
      const top = scrollTopFor(index, rowCount, rowHeight, element.scrollTop, element.clientHeight);
      if (top !== element.scrollTop) element.scrollTop = top;
    },
    [rowCount, rowHeight],
  );

  // a row revealed from outside (a packet picked on the timeline) becomes the active row
  const [revealed, setRevealed] = useState(revealIndex);
  if (revealIndex !== revealed) {
    setRevealed(revealIndex);
    if (revealIndex !== null && revealIndex !== undefined && revealIndex >= 0) setActive(revealIndex);
  }
  useEffect(() => {
    if (revealIndex !== null && revealIndex !== undefined && revealIndex >= 0) reveal(revealIndex);
  }, [revealIndex, reveal]);

  // a shorter list (new filter) must not leave the active row past its end
  const activeRow = active >= rowCount ? rowCount - 1 : active;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (isNavigationKey(event.key)) {
      event.preventDefault();
      const next = moveActiveRow(activeRow, event.key, rowCount, Math.floor(viewport / rowHeight));
      setActive(next);
      if (next >= 0) reveal(next);
    } else if (event.key === 'Enter' && activeRow >= 0) {
      event.preventDefault();
      onSelect(activeRow);
    }
  };

  const template = props.columns.map((column) => column.width).join(' ');
  const body: ReactNode[] = [];
  for (let index = rows.first; index < rows.last; index++) {
    const cells = props.renderCells(index);
    const selected = index === props.selectedIndex;
    const classes = [
      'vlist-row',
      index === activeRow ? 'is-active' : '',
      selected ? 'is-selected' : '',
      cells ? (props.rowClass?.(index) ?? '') : 'is-loading',
    ];
    body.push(
      <div
        key={index}
        id={`${props.id}-row-${index}`}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={selected}
        className={classes.filter(Boolean).join(' ')}
        style={{ gridTemplateColumns: template, height: rowHeight }}
        onClick={() => {
          setActive(index);
          onSelect(index);
        }}
      >
        {(cells ?? props.columns.map(() => '')).map((cell, column) => (
          <div
            role="gridcell"
            key={props.columns[column]?.key ?? column}
            className={props.columns[column]?.align === 'end' ? 'vlist-cell is-end' : 'vlist-cell'}
          >
            {cell}
          </div>
        ))}
      </div>,
    );
  }

  return (
    <div
      className="vlist"
      role="grid"
      aria-label={props.ariaLabel}
      aria-rowcount={rowCount + 1}
      aria-activedescendant={
        activeRow >= 0 && activeRow >= rows.first && activeRow < rows.last ? `${props.id}-row-${activeRow}` : undefined
      }
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid={props.id}
    >
      <div role="row" aria-rowindex={1} className="vlist-header" style={{ gridTemplateColumns: template }}>
        {props.columns.map((column) => (
          <div role="columnheader" key={column.key} className={column.align === 'end' ? 'vlist-cell is-end' : 'vlist-cell'}>
            {column.title}
          </div>
        ))}
      </div>
      <div className="vlist-scroll" ref={scroller} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}>
        {rowCount === 0 ? <p className="vlist-empty muted">{props.emptyText}</p> : null}
        <div className="vlist-content" style={{ height: rows.totalPx }}>
          <div className="vlist-window" style={{ transform: `translateY(${rows.offsetPx}px)` }}>
            {body}
          </div>
        </div>
      </div>
    </div>
  );
}
