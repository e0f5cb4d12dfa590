/**
 * The connection timeline: a lane per connection, time left to right, drawn on one
 * canvas (see draw-timeline.ts) with DOM for the controls, the tooltip, the legend
 * and a visually-hidden summary for screen readers. Pan/zoom state lives in the
 * controller, outside React, so a wheel step costs one canvas frame and no render.
 */
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { describeHit, findSelected, laneSummary } from './describe';
import type { Hit } from './hit-test';
import { KEY_ZOOM_FACTOR, type ViewAction } from './interaction';
import { contentHeight, laneSorts, layoutRows, type LaneSort } from './lane-layout';
import { formatTime } from './scale';
import { groupedCount, plural } from '@shared/counting';
import { TimelineController, type TimeRange, type TimelineView } from './timeline-controller';
import { TimelineLegend } from './TimelineLegend';
import { drawnLegendKeys } from './legend-drawn';
import type { Mark, Span, TimelineModel } from './timeline-model';
import './timeline.css';

export interface TimelineProps {
  model: TimelineModel;
  /** CSS px of the plot area including the axis; default 320 */
  height?: number;
  /**
   * CSS px: when set, the plot grows from `height` up to this to show every lane
   * without scrolling (a 10-connection run shows its 10 lanes); beyond it the lanes scroll
   */
  maxHeight?: number;
  /** a click on a mark or a span */
  onSelect?(item: Mark | Span): void;
  /** a shift-drag over the plot selects a time range (µs); Escape or a shift-click clears it (null) */
  onBrush?(range: TimeRange | null): void;
  /** the time window shown (µs) changed: after a pan or zoom step, at most once per frame */
  onViewChange?(view: TimelineView): void;
  /** the person chose another lane order (a caller drawing some of many lanes can pick them by it) */
  onSortChange?(sort: LaneSort): void;
  /** id of the span or mark to outline */
  selectedId?: string | null;
  /** accessible name of the canvas, e.g. "Connections of run 3" */
  ariaLabel: string;
  /**
   * The protocol the lanes are for, when the caller knows it before any data (a lab page, a compared
   * run): its legend shows from the start, so nothing changes when the lanes arrive. Absent: HTTP/2
   * when every lane is an HTTP/2 connection, else HTTP/1.
   */
  protocol?: 'http1' | 'http2';
  /**
   * The lanes can carry TCP keep-alive probes (a capture, a TCP experiment, an HTTP/1 run with its
   * packets captured): only then is "keep-alive probes" offered as a lane order. Default: not for
   * HTTP/2 (its trace has no TCP marks), else yes; a HAR file has none either (pass false).
   */
  probes?: boolean;
}

/** The tooltip's max-width (CSS px, see timeline.css): near the right edge it opens to the left. */
const TOOLTIP_WIDTH_PX = 332;
/** Lanes listed in the screen-reader summary; the rest are counted. */
const SUMMARY_LANES = 100;
const SORT_LABEL: Record<LaneSort, string> = { start: 'start time', requests: 'requests', probes: 'keep-alive probes' };

interface HoverState {
  hit: Hit;
  /** tooltip position in the wrapper (CSS px) */
  x: number;
  y: number;
}

export function Timeline({
  model,
  height = 320,
  maxHeight,
  onSelect,
  onBrush,
  onViewChange,
  onSortChange,
  selectedId,
  ariaLabel,
  protocol,
  probes = protocol !== 'http2',
}: TimelineProps): ReactElement {
  const [sort, setSort] = useState<LaneSort>('start');
  // the orders offered depend on the props only, never on the data: the select does not change when a run arrives
  const sorts = laneSorts(probes);
  // an order no longer offered (a compared column switched to an HTTP/2 run) falls back to start time, for good
  // (React's way to adjust state to a prop: during the render, which React then repeats before drawing)
  if (!sorts.includes(sort)) setSort('start');
  const [grouped, setGrouped] = useState(true);
  const [hover, setHover] = useState<HoverState | null>(null);
  const [brush, setBrush] = useState<TimeRange | null>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const controllerRef = useRef<TimelineController | null>(null);
  // latest callbacks, read by the controller without re-creating it
  const handlersRef = useRef({ onSelect, onBrush, onViewChange });
  const summaryId = useId();
  const layout = useMemo(() => layoutRows(model, sort, grouped), [model, sort, grouped]);
  const http2 = useMemo(
    () => (protocol ? protocol === 'http2' : model.lanes.length > 0 && model.lanes.every((lane) => lane.http2 === true)),
    [model, protocol],
  );
  const drawn = useMemo(() => drawnLegendKeys(model), [model]);
  const plotHeight = maxHeight === undefined ? height : Math.min(maxHeight, Math.max(height, contentHeight(layout.rows.length)));

  useLayoutEffect(() => {
    handlersRef.current = { onSelect, onBrush, onViewChange };
  });

  // a caller drawing some of many lanes by the order (the capture view) hears of every change, the fallback too
  const reportedSortRef = useRef<LaneSort>('start');
  useEffect(() => {
    if (reportedSortRef.current === sort) return;
    reportedSortRef.current = sort;
    onSortChange?.(sort);
  }, [sort, onSortChange]);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const scroller = scrollerRef.current;
    if (!canvas || !scroller) return;
    const controller = new TimelineController(canvas, scroller, {
      // canvas coordinates → the wrapper's (the tooltip is positioned in it); near the right edge it opens to the left
      hover: (hit, x, y) => {
        const left = x > scroller.clientWidth - TOOLTIP_WIDTH_PX ? x - TOOLTIP_WIDTH_PX : x + 12;
        setHover(
          hit ? { hit, x: left + scroller.offsetLeft + scroller.clientLeft, y: y + 12 + scroller.offsetTop + scroller.clientTop } : null,
        );
      },
      select: (hit) => {
        if (hit.kind === 'mark') handlersRef.current.onSelect?.(hit.mark);
        else if (hit.kind === 'span') handlersRef.current.onSelect?.(hit.span);
      },
      brush: (range) => {
        setBrush(range);
        handlersRef.current.onBrush?.(range);
      },
      view: (view) => handlersRef.current.onViewChange?.(view),
    });
    controllerRef.current = controller;
    const resize = new ResizeObserver(() => controller.setSize(scroller.clientWidth, scroller.clientHeight));
    resize.observe(scroller);
    controller.setSize(scroller.clientWidth, scroller.clientHeight);
    return () => {
      resize.disconnect();
      controller.destroy();
      controllerRef.current = null;
    };
  }, []);

  useLayoutEffect(() => {
    controllerRef.current?.setData(model, layout.rows);
  }, [model, layout]);

  // a selection is brought into view once, when it is first found; new data for it must not move the view
  const revealedRef = useRef<string | null>(null);
  useEffect(() => {
    const found = selectedId ? findSelected(model, selectedId) : null;
    const reveal = found !== null && revealedRef.current !== selectedId;
    if (reveal) revealedRef.current = selectedId ?? null;
    const outline = found ? { laneId: found.laneId, startUs: found.startUs, endUs: found.endUs } : null;
    controllerRef.current?.setSelected(outline, reveal, found ? (layout.rowOfLane.get(found.laneId) ?? null) : null);
  }, [model, layout, selectedId]);

  // a lane newly pinned on top (a stream chosen while the lanes were scrolled down) is brought into view once, with its header
  const pinnedRef = useRef<string | null>(null);
  useEffect(() => {
    const first = layout.rows[1];
    const pinnedId = layout.rows[0]?.kind === 'group' && layout.rows[0].pinned && first?.kind === 'lane' ? first.lane.id : null;
    if (pinnedId !== null && pinnedId !== pinnedRef.current) controllerRef.current?.revealRow(0);
    pinnedRef.current = pinnedId;
  }, [layout]);

  const apply = (action: ViewAction): void => controllerRef.current?.apply(action);
  const centre = (): number => (controllerRef.current?.plotWidthPx ?? 0) / 2;
  const description = hover ? describeHit(hover.hit, model.startUs, probes) : null;
  // rebuilt with the data, not on every hover
  const summary = useMemo(() => {
    const laneRows = layout.rows.flatMap((row) => (row.kind === 'lane' ? [row.lane] : []));
    // rows of HTTP/2 streams belong to their connection's lane: not counted as connections
    const connections = laneRows.filter((lane) => lane.streamsOf === undefined).length;
    return (
      <ul id={summaryId} className="visually-hidden">
        <li>{`${plural(connections, 'connection')}, from ${formatTime(0)} to ${formatTime(model.endUs - model.startUs)}`}</li>
        {laneRows.slice(0, SUMMARY_LANES).map((lane) => (
          <li key={lane.id}>{`${lane.label}${lane.pinned ? ` (${lane.pinned})` : ''}: ${laneSummary(lane, true, probes)}`}</li>
        ))}
        {laneRows.length > SUMMARY_LANES ? (
          <li>{`and ${groupedCount(laneRows.length - SUMMARY_LANES)} more ${connections === laneRows.length ? 'connections' : 'rows'}`}</li>
        ) : null}
      </ul>
    );
  }, [layout, model, summaryId, probes]);

  return (
    <div className="timeline">
      <div className="timeline-toolbar">
        <label>
          Sort lanes by{' '}
          <select value={sort} onChange={(event) => setSort(event.target.value as LaneSort)}>
            {sorts.map((key) => (
              <option key={key} value={key}>
                {SORT_LABEL[key]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={grouped} onChange={(event) => setGrouped(event.target.checked)} /> Group by endpoint
        </label>
        <span className="timeline-zoom">
          <button type="button" aria-label="Zoom in" onClick={() => apply({ kind: 'zoom', factor: KEY_ZOOM_FACTOR, anchorPx: centre() })}>
            +
          </button>
          <button
            type="button"
            aria-label="Zoom out"
            onClick={() => apply({ kind: 'zoom', factor: 1 / KEY_ZOOM_FACTOR, anchorPx: centre() })}
          >
            −
          </button>
          <button type="button" onClick={() => apply({ kind: 'fit' })}>
            Fit
          </button>
        </span>
        <span className="timeline-brush" aria-live="polite">
          {brush ? (
            <>
              Selected {formatTime(brush.fromUs - model.startUs)} – {formatTime(brush.toUs - model.startUs)}{' '}
              <button type="button" onClick={() => apply({ kind: 'clear-brush' })}>
                Clear range
              </button>
            </>
          ) : (
            <span className="timeline-hint">Drag to pan · wheel to zoom · Shift-drag to select a range</span>
          )}
        </span>
      </div>
      <div className="timeline-scroller" ref={scrollerRef} style={{ height: plotHeight }}>
        <canvas
          ref={canvasRef}
          className="timeline-canvas"
          tabIndex={0}
          aria-label={ariaLabel}
          aria-describedby={summaryId}
          aria-roledescription="timeline"
          aria-keyshortcuts="ArrowLeft ArrowRight + - Home End Escape"
        />
        <div style={{ height: Math.max(0, contentHeight(layout.rows.length) - plotHeight) }} />
      </div>
      {hover && description ? (
        <div className="timeline-tooltip" role="tooltip" style={{ left: hover.x, top: hover.y }}>
          <strong>{description.title}</strong>
          {description.lines.map((line, index) => (
            <div key={index}>{line}</div>
          ))}
        </div>
      ) : null}
      <TimelineLegend http2={http2} drawn={drawn} />
      {summary}
    </div>
  );
}
