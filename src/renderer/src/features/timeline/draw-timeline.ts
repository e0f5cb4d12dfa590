/**
 * Draws one frame of the timeline onto a 2D canvas context. Cost per frame is
 * bounded by what is visible, never by the data size:
 *   - only the rows intersecting the view (`visibleRows`),
 *   - per span kind per lane, at most one rectangle per pixel column (sub-pixel
 *     spans are skipped by binary search to the next column),
 *   - per lane, individual mark ticks when at most 2 per pixel column are in view,
 *     else level-of-detail bins at ≤ 2 bins per pixel column.
 * Rectangles are batched into one path per colour (one `fill` each).
 *
 * Pure TypeScript against the small `Painter` interface (a subset of
 * CanvasRenderingContext2D), so it runs and is measured in Node tests too.
 */
import { LIFELINE_BAND, MARK_STYLE, spanBand, spanColor, type Palette, type PaletteName } from './draw-style';
import { laneIndex, lowerBound, upperBound, type LaneIndex } from './lane-index';
import { AXIS_HEIGHT_PX, LABEL_WIDTH_PX, ROW_HEIGHT_PX, rowTop, visibleRows, type Row } from './lane-layout';
import { pickLevel } from './lod-bins';
import { drawAxis, drawLabels } from './draw-labels';
import { axisTicks, timeOfX, usPerPixel, xOfTime, type TimeWindow } from './scale';
import { MARK_KINDS, SPAN_KINDS, type SpanKind } from './timeline-model';

/** What the drawing needs of a CanvasRenderingContext2D. */
export interface Painter {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textBaseline: string;
  textAlign: string;
  globalAlpha: number;
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  clearRect(x: number, y: number, width: number, height: number): void;
  fillRect(x: number, y: number, width: number, height: number): void;
  strokeRect(x: number, y: number, width: number, height: number): void;
  beginPath(): void;
  rect(x: number, y: number, width: number, height: number): void;
  fill(): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  save(): void;
  restore(): void;
  clip(): void;
}

export interface Scene {
  rows: readonly Row[];
  /** the plot's time window; `widthPx` excludes the label column */
  window: TimeWindow;
  /** µs shown as 0 on the axis */
  originUs: number;
  scrollTopPx: number;
  /** canvas size in CSS px */
  widthPx: number;
  heightPx: number;
  devicePixelRatio: number;
  palette: Palette;
  brush: { fromUs: number; toUs: number } | null;
  /** outline drawn around the selected item */
  selected: { laneId: string; startUs: number; endUs: number } | null;
  /** CSS px of the label column (`labelColumnWidth`); default LABEL_WIDTH_PX */
  labelWidthPx?: number;
}

export interface DrawStats {
  lanes: number;
  rectangles: number;
  /** lanes drawn from level-of-detail bins this frame */
  binnedLanes: number;
  /** lane or group labels that did not fit the label column and were shortened with “…” (the lane's tooltip has it whole) */
  shortenedLabels: number;
  /** axis tick labels left out because they would have run past the plot's right edge */
  droppedTickLabels: number;
}

/** Individual marks are drawn while at most this many per pixel column are in view. */
const MAX_MARKS_PER_COLUMN = 2;

/** Rectangles collected per colour, then filled in one path each. */
class RectBatch {
  private readonly byColor = new Map<PaletteName, number[]>();
  count = 0;

  /** `plotLeftPx`: where the plot starts (the label column's width); `add` takes x relative to the plot */
  constructor(private readonly plotLeftPx: number) {}

  add(color: PaletteName, x: number, y: number, width: number, height: number): void {
    let list = this.byColor.get(color);
    if (!list) this.byColor.set(color, (list = []));
    list.push(this.plotLeftPx + x, y, width, height);
    this.count++;
  }

  flush(painter: Painter, palette: Palette): void {
    for (const [color, list] of this.byColor) {
      painter.beginPath();
      for (let index = 0; index < list.length; index += 4)
        painter.rect(list[index] ?? 0, list[index + 1] ?? 0, list[index + 2] ?? 0, list[index + 3] ?? 0);
      painter.fillStyle = palette[color];
      painter.fill();
    }
    this.byColor.clear();
  }
}

export function drawTimeline(painter: Painter, scene: Scene): DrawStats {
  const { palette, window } = scene;
  const ratio = scene.devicePixelRatio;
  painter.setTransform(ratio, 0, 0, ratio, 0, 0);
  painter.fillStyle = palette.bg;
  painter.fillRect(0, 0, scene.widthPx, scene.heightPx);

  const stats: DrawStats = { lanes: 0, rectangles: 0, binnedLanes: 0, shortenedLabels: 0, droppedTickLabels: 0 };
  const labelWidth = scene.labelWidthPx ?? LABEL_WIDTH_PX;
  const batch = new RectBatch(labelWidth);
  const { first, last } = visibleRows(scene.rows.length, scene.scrollTopPx, scene.heightPx);
  // no lanes, no time: an empty timeline has no axis figures to show ("0 µs … 1" would be a made-up range)
  const ticks = scene.rows.length === 0 ? [] : axisTicks(window, scene.originUs);
  drawHighlightBands(painter, scene, first, last);

  painter.save();
  painter.beginPath();
  painter.rect(labelWidth, AXIS_HEIGHT_PX, window.widthPx, scene.heightPx - AXIS_HEIGHT_PX);
  painter.clip();
  for (const tick of ticks) batch.add('grid', tick.x, AXIS_HEIGHT_PX, 1, scene.heightPx - AXIS_HEIGHT_PX);
  for (let rowIndex = first; rowIndex <= last; rowIndex++) {
    const row = scene.rows[rowIndex];
    if (!row) continue;
    const top = rowTop(rowIndex, scene.scrollTopPx);
    if (row.kind === 'group') {
      batch.add('grid', 0, top + ROW_HEIGHT_PX - 1, window.widthPx, 1);
      continue;
    }
    stats.lanes++;
    const index = laneIndex(row.lane);
    drawLife(batch, index, window, top);
    for (const kind of SPAN_KINDS) drawSpans(batch, index, kind, window, top);
    if (drawMarks(batch, index, window, top)) stats.binnedLanes++;
  }
  stats.rectangles = batch.count;
  batch.flush(painter, palette);
  drawOverlays(painter, scene);
  painter.restore();

  stats.shortenedLabels = drawLabels(painter, scene, first, last);
  stats.droppedTickLabels = drawAxis(painter, scene, ticks);
  return stats;
}

/** Opacity of a highlighted lane's band: a tint that keeps the bars and ticks on it readable. */
const HIGHLIGHT_ALPHA = 0.16;

/** A tinted band under each highlighted lane, label column included, below the axis. */
function drawHighlightBands(painter: Painter, scene: Scene, first: number, last: number): void {
  painter.save();
  painter.beginPath();
  painter.rect(0, AXIS_HEIGHT_PX, scene.widthPx, scene.heightPx - AXIS_HEIGHT_PX);
  painter.clip();
  painter.globalAlpha = HIGHLIGHT_ALPHA;
  painter.fillStyle = scene.palette.new;
  for (let rowIndex = first; rowIndex <= last; rowIndex++) {
    const row = scene.rows[rowIndex];
    if (row?.kind === 'lane' && row.lane.highlighted)
      painter.fillRect(0, rowTop(rowIndex, scene.scrollTopPx), scene.widthPx, ROW_HEIGHT_PX);
  }
  painter.globalAlpha = 1;
  painter.restore();
}

/** The connection's life as a thin line from open to close (or to the view's end while open). */
function drawLife(batch: RectBatch, index: LaneIndex, window: TimeWindow, top: number): void {
  const { life } = index.lane;
  const from = Math.max(-1, xOfTime(window, life.startUs));
  const to = Math.min(window.widthPx + 1, xOfTime(window, life.endUs ?? window.endUs));
  if (to < 0 || from > window.widthPx) return;
  batch.add('grid', from, top + LIFELINE_BAND.top, Math.max(1, to - from), LIFELINE_BAND.height);
}

/**
 * Spans of one kind: from the first that may reach the view (prefix-max of ends),
 * one rectangle each; a span narrower than a pixel jumps to the first span that
 * starts in the next pixel column, so a lane costs O(width · log spans).
 */
function drawSpans(batch: RectBatch, index: LaneIndex, kind: SpanKind, window: TimeWindow, top: number): void {
  const column = index.spans[kind];
  if (column.spans.length === 0) return;
  const band = spanBand(kind);
  const maxSteps = 4 * Math.ceil(window.widthPx) + 8;
  let position = lowerBound(column.maxEnd, window.startUs);
  for (let step = 0; step < maxSteps && position < column.spans.length; step++) {
    const startUs = column.start[position] ?? 0;
    if (startUs > window.endUs) break;
    const span = column.spans[position];
    const endUs = column.end[position] ?? startUs;
    const from = xOfTime(window, startUs);
    const to = xOfTime(window, endUs);
    if (span && to >= 0) {
      const left = Math.max(-1, from);
      const right = Math.min(window.widthPx + 1, to);
      batch.add(spanColor(span), left, top + band.top, Math.max(1, right - left), band.height);
    }
    if (to - from < 1) {
      const nextColumnUs = timeOfX(window, Math.floor(from) + 1);
      position = Math.max(position + 1, lowerBound(column.start, nextColumnUs));
    } else {
      position++;
    }
  }
}

/** Mark ticks, or bins when too dense; returns true when bins were drawn. */
function drawMarks(batch: RectBatch, index: LaneIndex, window: TimeWindow, top: number): boolean {
  const times = index.marks.t;
  const padUs = 4 * usPerPixel(window);
  const from = lowerBound(times, window.startUs - padUs);
  const to = upperBound(times, window.endUs + padUs);
  const hasColumns = times.length > 0;
  if (hasColumns && to - from <= MAX_MARKS_PER_COLUMN * window.widthPx) {
    for (let position = from; position < to; position++) {
      const kind = MARK_KINDS[index.marks.kind[position] ?? 255];
      if (!kind) continue;
      const style = MARK_STYLE[kind];
      const x = xOfTime(window, times[position] ?? 0) - style.width / 2;
      batch.add(style.color, x, top + style.band.top, style.width, style.band.height);
    }
    return false;
  }
  if (!hasColumns && !index.lane.bins) return false;
  const level = pickLevel(index.bins(), usPerPixel(window));
  if (!level) return false;
  const firstBin = Math.max(0, Math.floor((window.startUs - level.startUs) / level.binUs));
  for (const kind of MARK_KINDS) {
    const counts = level.counts[kind];
    if (!counts) continue;
    const style = MARK_STYLE[kind];
    const lastBin = Math.min(counts.length - 1, Math.ceil((window.endUs - level.startUs) / level.binUs));
    for (let bin = firstBin; bin <= lastBin; bin++) {
      if ((counts[bin] ?? 0) === 0) continue;
      const binStartUs = level.startUs + bin * level.binUs;
      const left = xOfTime(window, binStartUs);
      const width = Math.max(style.width, xOfTime(window, binStartUs + level.binUs) - left);
      batch.add(style.color, left, top + style.band.top, width, style.band.height);
    }
  }
  return true;
}

function drawOverlays(painter: Painter, scene: Scene): void {
  const { window } = scene;
  const labelWidth = scene.labelWidthPx ?? LABEL_WIDTH_PX;
  if (scene.brush) {
    const from = xOfTime(window, Math.min(scene.brush.fromUs, scene.brush.toUs));
    const to = xOfTime(window, Math.max(scene.brush.fromUs, scene.brush.toUs));
    painter.globalAlpha = 0.18;
    painter.fillStyle = scene.palette.accent;
    painter.fillRect(labelWidth + from, AXIS_HEIGHT_PX, Math.max(1, to - from), scene.heightPx - AXIS_HEIGHT_PX);
    painter.globalAlpha = 1;
  }
  const selected = scene.selected;
  if (selected) {
    const rowIndex = scene.rows.findIndex((row) => row.kind === 'lane' && row.lane.id === selected.laneId);
    if (rowIndex >= 0) {
      const top = rowTop(rowIndex, scene.scrollTopPx);
      const from = xOfTime(window, selected.startUs);
      const to = xOfTime(window, selected.endUs);
      painter.strokeStyle = scene.palette.fg;
      painter.lineWidth = 2;
      painter.strokeRect(labelWidth + from - 3, top + 1, Math.max(6, to - from + 6), ROW_HEIGHT_PX - 2);
    }
  }
}

export { labelColumnWidth, MIN_LABEL_WIDTH_PX } from './draw-labels';
