/**
 * The text of a timeline frame: the label column (lane and group names, fitted
 * to the column by measuring, never cut silently) and the time axis (a tick
 * label that would run past the right edge is left out). Split from
 * draw-timeline.ts, which draws the marks and spans.
 */
import type { Painter, Scene } from './draw-timeline';
import { AXIS_HEIGHT_PX, LABEL_WIDTH_PX, ROW_HEIGHT_PX, rowTop, type Row } from './lane-layout';
import type { axisTicks } from './scale';

/** CSS px kept free right of a label, so it never touches the plot. */
const LABEL_GAP_PX = 6;
/** CSS px between a tick and its label. */
const TICK_LABEL_OFFSET_PX = 3;

const compactCount = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 0 });

/** "1,000" up to 9,999, then "12K", "120K", "1M": a label column has about 22 characters. */
function laneCountText(count: number): string {
  return count < 10_000 ? count.toLocaleString('en-US') : compactCount.format(count);
}

type GroupRow = Extract<Row, { kind: 'group' }>;

/** A header's name: a pinned lane's reason starts with a capital ("The stream you chose"). */
function groupText(row: GroupRow): string {
  return row.pinned ? row.label.charAt(0).toUpperCase() + row.label.slice(1) : row.label;
}

/** " (1,000)" after an endpoint's header; none after a pinned lane's, which says why it is there instead. */
function groupCount(row: GroupRow): string {
  return row.pinned ? '' : ` (${laneCountText(row.laneCount)})`;
}

/**
 * `text` whole when it fits `maxWidthPx` at the painter's current font, else its
 * longest prefix that fits with “…” (found by binary search on the length).
 */
export function fitText(painter: Pick<Painter, 'measureText'>, text: string, maxWidthPx: number): string {
  if (painter.measureText(text).width <= maxWidthPx) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (painter.measureText(`${text.slice(0, middle)}…`).width <= maxWidthPx) low = middle;
    else high = middle - 1;
  }
  return `${text.slice(0, low)}…`;
}

/** CSS px the label column needs at the least, even for short labels ("c1 :35196"). */
export const MIN_LABEL_WIDTH_PX = 96;
/** Labels measured to size the column; more lanes than this are not all measured (they are scrolled to, and fitted when drawn). */
const MEASURED_LABELS = 2_000;

/**
 * The label column's width for these rows: the widest label (and group count)
 * plus its indent, between MIN_LABEL_WIDTH_PX and `maxWidthPx` — so a lab lane
 * list leaves the plot its room and a capture's "#10 192.168.115.8:49621" shows whole.
 */
export function labelColumnWidth(painter: Pick<Painter, 'measureText' | 'font'>, rows: readonly Row[], maxWidthPx: number): number {
  let widest = 0;
  for (const row of rows.slice(0, MEASURED_LABELS)) {
    painter.font = row.kind === 'group' ? '600 12px system-ui, sans-serif' : '12px system-ui, sans-serif';
    const text = row.kind === 'group' ? groupText(row) + groupCount(row) : row.lane.label;
    widest = Math.max(widest, (row.kind === 'group' ? 6 : 14) + painter.measureText(text).width);
  }
  return Math.round(Math.max(MIN_LABEL_WIDTH_PX, Math.min(maxWidthPx, widest + LABEL_GAP_PX + 2)));
}

/** Draws the label column; returns how many labels had to be shortened. */
export function drawLabels(painter: Painter, scene: Scene, first: number, last: number): number {
  let shortened = 0;
  const labelWidth = scene.labelWidthPx ?? LABEL_WIDTH_PX;
  painter.fillStyle = scene.palette.bg;
  painter.fillRect(0, AXIS_HEIGHT_PX, labelWidth, scene.heightPx - AXIS_HEIGHT_PX);
  painter.textBaseline = 'middle';
  painter.textAlign = 'left';
  for (let rowIndex = first; rowIndex <= last; rowIndex++) {
    const row = scene.rows[rowIndex];
    if (!row) continue;
    const middle = rowTop(rowIndex, scene.scrollTopPx) + ROW_HEIGHT_PX / 2;
    if (middle < AXIS_HEIGHT_PX) continue;
    // a group keeps its lane count and shortens its name instead ("127.0.0.1:8080 (120K)")
    const count = row.kind === 'group' ? groupCount(row) : '';
    const label = row.kind === 'group' ? groupText(row) : row.lane.label;
    painter.font = row.kind === 'group' ? '600 12px system-ui, sans-serif' : '12px system-ui, sans-serif';
    painter.fillStyle = row.kind === 'group' ? scene.palette.fg : scene.palette.muted;
    const indent = row.kind === 'group' ? 6 : 14;
    const room = labelWidth - LABEL_GAP_PX - indent - painter.measureText(count).width;
    let fitted = fitText(painter, label, room);
    const shortLabel = row.kind === 'lane' ? row.lane.shortLabel : undefined;
    if (fitted !== label && shortLabel) fitted = fitText(painter, shortLabel, room);
    if (fitted !== label && fitted !== shortLabel) shortened++;
    painter.fillText(fitted + count, indent, middle);
  }
  painter.fillStyle = scene.palette.grid;
  painter.fillRect(labelWidth - 1, 0, 1, scene.heightPx);
  return shortened;
}

/** Draws the time axis; a label that would run past the right edge is left out (its tick stays). Returns how many were left out. */
export function drawAxis(painter: Painter, scene: Scene, ticks: ReturnType<typeof axisTicks>): number {
  let dropped = 0;
  const labelWidth = scene.labelWidthPx ?? LABEL_WIDTH_PX;
  painter.fillStyle = scene.palette.bg;
  painter.fillRect(0, 0, scene.widthPx, AXIS_HEIGHT_PX);
  painter.fillStyle = scene.palette.grid;
  painter.fillRect(0, AXIS_HEIGHT_PX - 1, scene.widthPx, 1);
  painter.font = '11px system-ui, sans-serif';
  painter.textBaseline = 'middle';
  painter.textAlign = 'left';
  painter.fillStyle = scene.palette.muted;
  for (const tick of ticks) {
    const x = labelWidth + tick.x;
    if (x < labelWidth || x > scene.widthPx - 4) continue;
    painter.fillRect(x, AXIS_HEIGHT_PX - 6, 1, 6);
    if (x + TICK_LABEL_OFFSET_PX + painter.measureText(tick.label).width > scene.widthPx - 2) {
      dropped++;
      continue;
    }
    painter.fillText(tick.label, x + TICK_LABEL_OFFSET_PX, AXIS_HEIGHT_PX / 2 - 2);
  }
  return dropped;
}
