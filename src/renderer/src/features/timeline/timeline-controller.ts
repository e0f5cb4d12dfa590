/**
 * The timeline's imperative half: owns the canvas, the view state (time window,
 * vertical scroll, brush, drag) and the DOM event listeners, and redraws at most
 * once per animation frame. React never re-renders on a pan or zoom step; it only
 * hears about hover, selection and brush through callbacks.
 */
import { FALLBACK_PALETTE, readPalette, type Palette } from './draw-style';
import { drawTimeline, labelColumnWidth, type Scene } from './draw-timeline';
import { hitTest, type Hit } from './hit-test';
import { applyAction, keyToAction, revealWindow, wheelToAction, type ViewAction } from './interaction';
import { AXIS_HEIGHT_PX, LABEL_WIDTH_MAX_FRACTION, LABEL_WIDTH_PX, ROW_HEIGHT_PX, maxScrollTop, type Row } from './lane-layout';
import { clampWindow, timeOfX, type TimeWindow } from './scale';
import { emptyTimeline, type TimelineModel } from './timeline-model';

export interface TimelineStats {
  /** ms spent in the last draw call (JavaScript side) */
  lastDrawMs: number;
  draws: number;
}

declare global {
  interface Window {
    /** measurement hook for the e2e timing test; harmless in production */
    __timelineStats?: TimelineStats;
  }
}

export interface TimeRange {
  /** µs */
  fromUs: number;
  toUs: number;
}

/** The time window the plot shows. */
export interface TimelineView extends TimeRange {
  /** the window shows all the data (not zoomed in) */
  fitted: boolean;
}

export interface ControllerCallbacks {
  hover(hit: Hit | null, x: number, y: number): void;
  select(hit: Hit): void;
  brush(range: TimeRange | null): void;
  /** the window or the data changed (at most once per frame: after each pan or zoom step) */
  view?(view: TimelineView): void;
}

/** A press that moves less than this is a click, not a drag (CSS px). */
const CLICK_SLOP_PX = 3;
/** Room left and right of the data, as a fraction of its span, so marks at the very edges stay visible. */
const EDGE_PADDING = 0.01;

/** The range the view may show: the data plus a little padding (µs). */
function boundsOf(model: TimelineModel): { startUs: number; endUs: number } {
  const padUs = (model.endUs - model.startUs) * EDGE_PADDING;
  return { startUs: model.startUs - padUs, endUs: model.endUs + padUs };
}

type Gesture = { kind: 'pan'; lastX: number; travelled: number } | { kind: 'brush'; fromUs: number } | null;

export class TimelineController {
  private model: TimelineModel = emptyTimeline();
  private rows: readonly Row[] = [];
  // fitted to the (empty) data, so the first real data is shown whole
  private window: TimeWindow = { ...boundsOf(this.model), widthPx: 1 };
  private widthPx = 1;
  private heightPx = 1;
  /** CSS px of the label column, sized to the labels (see `fitLabelColumn`) */
  private labelWidth = LABEL_WIDTH_PX;
  private brush: TimeRange | null = null;
  private selected: Scene['selected'] = null;
  private gesture: Gesture = null;
  private frame = 0;
  private palette: Palette = FALLBACK_PALETTE;
  private paletteStale = true;
  private readonly cleanups: (() => void)[] = [];
  /** the window and data bounds last reported to `callbacks.view` */
  private reportedView = '';

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly scroller: HTMLElement,
    private readonly callbacks: ControllerCallbacks,
  ) {
    this.listen(canvas, 'wheel', (event) => this.onWheel(event as WheelEvent), { passive: false });
    this.listen(canvas, 'pointerdown', (event) => this.onPointerDown(event as PointerEvent));
    this.listen(canvas, 'pointermove', (event) => this.onPointerMove(event as PointerEvent));
    this.listen(canvas, 'pointerup', (event) => this.onPointerUp(event as PointerEvent));
    this.listen(canvas, 'pointerleave', () => this.callbacks.hover(null, 0, 0));
    this.listen(canvas, 'keydown', (event) => this.onKeyDown(event as KeyboardEvent));
    this.listen(scroller, 'scroll', () => this.requestDraw());
    // theme switches (class or data attribute on <html>, or the OS scheme) change the CSS variables
    const themeObserver = new MutationObserver(() => this.invalidatePalette());
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'data-theme', 'style'] });
    this.cleanups.push(() => themeObserver.disconnect());
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const onScheme = (): void => this.invalidatePalette();
    scheme.addEventListener('change', onScheme);
    this.cleanups.push(() => scheme.removeEventListener('change', onScheme));
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  /** New data. A view showing everything keeps showing everything (live runs grow); a zoomed view stays put. */
  setData(model: TimelineModel, rows: readonly Row[]): void {
    const previous = boundsOf(this.model);
    const wasFitted = this.window.startUs <= previous.startUs && this.window.endUs >= previous.endUs;
    this.model = model;
    this.rows = rows;
    this.fitLabelColumn();
    const bounds = boundsOf(model);
    const next = wasFitted ? { ...bounds, widthPx: this.window.widthPx } : this.window;
    this.window = clampWindow(next, bounds.startUs, bounds.endUs);
    this.requestDraw();
  }

  /** Sizes the label column to the labels (measured in the canvas font), within a share of the width; the plot gets the rest. */
  private fitLabelColumn(): void {
    const context = this.canvas.getContext('2d', { alpha: false });
    const maxWidth = Math.max(1, Math.min(LABEL_WIDTH_PX, Math.floor(this.widthPx * LABEL_WIDTH_MAX_FRACTION)));
    this.labelWidth = context ? labelColumnWidth(context, this.rows, maxWidth) : LABEL_WIDTH_PX;
    this.window = { ...this.window, widthPx: Math.max(1, this.widthPx - this.labelWidth) };
  }

  /** Outlines the selected item and brings it into view (time and lane) when it is not. */
  setSelected(selected: Scene['selected'], reveal: boolean, rowIndex: number | null): void {
    this.selected = selected;
    if (selected && reveal) {
      const bounds = boundsOf(this.model);
      this.window = revealWindow(this.window, selected.startUs, selected.endUs, bounds.startUs, bounds.endUs);
    }
    if (reveal && rowIndex !== null) this.revealRow(rowIndex);
    this.requestDraw();
  }

  /** Scrolls the lanes so that row `rowIndex` is in view, when it is not (a third of the way down). */
  revealRow(rowIndex: number): void {
    const top = rowIndex * ROW_HEIGHT_PX;
    const visibleHeight = this.heightPx - AXIS_HEIGHT_PX;
    if (top < this.scroller.scrollTop || top + ROW_HEIGHT_PX > this.scroller.scrollTop + visibleHeight) {
      this.scroller.scrollTop = Math.max(0, top - visibleHeight / 3);
      this.requestDraw();
    }
  }

  setSize(widthPx: number, heightPx: number): void {
    this.widthPx = Math.max(1, Math.floor(widthPx));
    this.heightPx = Math.max(1, Math.floor(heightPx));
    const ratio = devicePixelRatio || 1;
    this.canvas.width = Math.round(this.widthPx * ratio);
    this.canvas.height = Math.round(this.heightPx * ratio);
    this.canvas.style.width = `${this.widthPx}px`;
    this.canvas.style.height = `${this.heightPx}px`;
    this.fitLabelColumn();
    const bounds = boundsOf(this.model);
    this.window = clampWindow(this.window, bounds.startUs, bounds.endUs);
    this.requestDraw();
  }

  /** Applies a view action from a button or a key. */
  apply(action: ViewAction): void {
    if (action.kind === 'scroll') {
      this.scroller.scrollTop = Math.min(
        maxScrollTop(this.rows.length, this.heightPx),
        Math.max(0, this.scroller.scrollTop + action.deltaPx),
      );
    } else if (action.kind === 'clear-brush') {
      if (this.brush) {
        this.brush = null;
        this.callbacks.brush(null);
      }
    } else {
      const bounds = boundsOf(this.model);
      this.window = applyAction(this.window, action, bounds.startUs, bounds.endUs);
    }
    this.requestDraw();
  }

  get plotWidthPx(): number {
    return this.window.widthPx;
  }

  requestDraw(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.draw());
  }

  private invalidatePalette(): void {
    this.paletteStale = true;
    this.requestDraw();
  }

  private draw(): void {
    this.frame = 0;
    // opaque: every frame paints its background, so the compositor can skip blending
    const context = this.canvas.getContext('2d', { alpha: false });
    if (!context) return;
    if (this.paletteStale) {
      const style = getComputedStyle(this.canvas);
      this.palette = readPalette((name) => style.getPropertyValue(name));
      this.paletteStale = false;
    }
    const started = performance.now();
    const drawn = drawTimeline(context, {
      rows: this.rows,
      window: this.window,
      originUs: this.model.startUs,
      scrollTopPx: this.scroller.scrollTop,
      widthPx: this.widthPx,
      heightPx: this.heightPx,
      devicePixelRatio: devicePixelRatio || 1,
      palette: this.palette,
      brush: this.brush,
      selected: this.selected,
      labelWidthPx: this.labelWidth,
    });
    const stats = (window.__timelineStats ??= { lastDrawMs: 0, draws: 0 });
    stats.lastDrawMs = performance.now() - started;
    stats.draws++;
    // what the canvas could not show whole, readable by a layout check (the e2e walk) as the DOM's scrollWidth is for text
    this.canvas.dataset['shortenedLabels'] = String(drawn.shortenedLabels);
    this.reportView();
  }

  private reportView(): void {
    const bounds = boundsOf(this.model);
    const key = `${this.window.startUs} ${this.window.endUs} ${bounds.startUs} ${bounds.endUs}`;
    if (key === this.reportedView) return;
    this.reportedView = key;
    const fitted = this.window.startUs <= bounds.startUs && this.window.endUs >= bounds.endUs;
    this.callbacks.view?.({ fromUs: this.window.startUs, toUs: this.window.endUs, fitted });
  }

  private listen(target: EventTarget, type: string, handler: (event: Event) => void, options?: AddEventListenerOptions): void {
    target.addEventListener(type, handler, options);
    this.cleanups.push(() => target.removeEventListener(type, handler, options));
  }

  private hitViewport() {
    return { rows: this.rows, window: this.window, scrollTopPx: this.scroller.scrollTop, labelWidthPx: this.labelWidth };
  }

  private localPoint(event: MouseEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  private onWheel(event: WheelEvent): void {
    const { x } = this.localPoint(event);
    // over the label column the wheel scrolls the lanes natively
    if (x < this.labelWidth && !event.ctrlKey) return;
    const action = wheelToAction({
      deltaX: event.deltaX,
      deltaY: event.deltaY,
      deltaMode: event.deltaMode,
      ctrlKey: event.ctrlKey,
      shiftKey: event.shiftKey,
      anchorPx: Math.max(0, x - this.labelWidth),
    });
    if (!action) return;
    event.preventDefault();
    this.apply(action);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const action = keyToAction(event, this.window.widthPx, this.heightPx);
    if (!action) return;
    event.preventDefault();
    this.apply(action);
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    const { x } = this.localPoint(event);
    if (x < this.labelWidth) return;
    this.canvas.setPointerCapture(event.pointerId);
    this.gesture = event.shiftKey
      ? { kind: 'brush', fromUs: timeOfX(this.window, x - this.labelWidth) }
      : { kind: 'pan', lastX: x, travelled: 0 };
  }

  private onPointerMove(event: PointerEvent): void {
    const { x, y } = this.localPoint(event);
    const gesture = this.gesture;
    if (gesture?.kind === 'pan') {
      const delta = x - gesture.lastX;
      gesture.lastX = x;
      gesture.travelled += Math.abs(delta);
      if (gesture.travelled >= CLICK_SLOP_PX) this.apply({ kind: 'pan', deltaPx: -delta });
      return;
    }
    if (gesture?.kind === 'brush') {
      this.brush = { fromUs: gesture.fromUs, toUs: timeOfX(this.window, Math.max(0, x - this.labelWidth)) };
      this.requestDraw();
      return;
    }
    this.callbacks.hover(hitTest(this.hitViewport(), x, y), x, y);
  }

  private onPointerUp(event: PointerEvent): void {
    const gesture = this.gesture;
    this.gesture = null;
    if (this.canvas.hasPointerCapture(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    const { x, y } = this.localPoint(event);
    if (gesture?.kind === 'brush') {
      const toUs = timeOfX(this.window, Math.max(0, x - this.labelWidth));
      const range = { fromUs: Math.min(gesture.fromUs, toUs), toUs: Math.max(gesture.fromUs, toUs) };
      // a shift-click without movement clears instead of selecting an empty range
      this.brush = range.toUs - range.fromUs > 0 ? range : null;
      this.callbacks.brush(this.brush);
      this.requestDraw();
      return;
    }
    if (gesture?.kind === 'pan' && gesture.travelled < CLICK_SLOP_PX) {
      const hit = hitTest(this.hitViewport(), x, y);
      if (hit) this.callbacks.select(hit);
    }
  }
}
