/**
 * Input → view change, as pure functions: which key or wheel movement does what.
 * The controller only forwards DOM events here and applies the result, so the
 * bindings are unit-tested without a browser.
 */
import { clampWindow, jumpTo, panBy, zoomAround, type TimeWindow } from './scale';

export type ViewAction =
  | { kind: 'pan'; deltaPx: number }
  | { kind: 'zoom'; factor: number; anchorPx: number }
  | { kind: 'jump'; edge: 'start' | 'end' }
  | { kind: 'fit' }
  | { kind: 'scroll'; deltaPx: number }
  | { kind: 'clear-brush' };

/** One key press zooms by this factor (in) or its inverse (out). */
export const KEY_ZOOM_FACTOR = 1.5;
/** Arrow keys pan by this fraction of the plot width; with Shift, by half of it. */
const KEY_PAN_FRACTION = 0.1;
/** Wheel zoom: factor per pixel of deltaY (so a 100 px notch zooms by ~1.22×). */
const WHEEL_ZOOM_PER_PX = 0.002;
/** ctrl+wheel is how browsers deliver a trackpad pinch: small deltas, so a stronger gain. */
const PINCH_ZOOM_PER_PX = 0.01;
/** deltaMode 1 (lines) and 2 (pages) in pixels. */
const LINE_PX = 16;
const PAGE_PX = 400;

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** The action for a key press on the focused timeline, or null to let the browser have it. */
export function keyToAction(input: KeyInput, plotWidthPx: number, pageHeightPx: number): ViewAction | null {
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  const panPx = plotWidthPx * (input.shiftKey ? 0.5 : KEY_PAN_FRACTION);
  switch (input.key) {
    case 'ArrowLeft':
      return { kind: 'pan', deltaPx: -panPx };
    case 'ArrowRight':
      return { kind: 'pan', deltaPx: panPx };
    case 'ArrowUp':
      return { kind: 'scroll', deltaPx: -22 };
    case 'ArrowDown':
      return { kind: 'scroll', deltaPx: 22 };
    case 'PageUp':
      return { kind: 'scroll', deltaPx: -pageHeightPx };
    case 'PageDown':
      return { kind: 'scroll', deltaPx: pageHeightPx };
    case '+':
    case '=':
      return { kind: 'zoom', factor: KEY_ZOOM_FACTOR, anchorPx: plotWidthPx / 2 };
    case '-':
    case '_':
      return { kind: 'zoom', factor: 1 / KEY_ZOOM_FACTOR, anchorPx: plotWidthPx / 2 };
    case 'Home':
      return { kind: 'jump', edge: 'start' };
    case 'End':
      return { kind: 'jump', edge: 'end' };
    case '0':
      return { kind: 'fit' };
    case 'Escape':
      return { kind: 'clear-brush' };
    default:
      return null;
  }
}

export interface WheelInput {
  deltaX: number;
  deltaY: number;
  /** 0 pixels, 1 lines, 2 pages (WheelEvent.deltaMode) */
  deltaMode: number;
  ctrlKey: boolean;
  shiftKey: boolean;
  /** pointer x within the plot (CSS px) */
  anchorPx: number;
}

/** Wheel over the plot: vertical movement zooms around the pointer (ctrl = pinch), horizontal (or Shift) pans. */
export function wheelToAction(input: WheelInput): ViewAction | null {
  const unit = input.deltaMode === 1 ? LINE_PX : input.deltaMode === 2 ? PAGE_PX : 1;
  const deltaX = input.deltaX * unit;
  const deltaY = input.deltaY * unit;
  if (input.shiftKey && !input.ctrlKey) return deltaY !== 0 || deltaX !== 0 ? { kind: 'pan', deltaPx: deltaX + deltaY } : null;
  if (Math.abs(deltaX) > Math.abs(deltaY)) return { kind: 'pan', deltaPx: deltaX };
  if (deltaY === 0) return null;
  const gain = input.ctrlKey ? PINCH_ZOOM_PER_PX : WHEEL_ZOOM_PER_PX;
  return { kind: 'zoom', factor: Math.exp(-deltaY * gain), anchorPx: input.anchorPx };
}

/** Applies a horizontal action to the window; `scroll` and `clear-brush` leave it unchanged. */
export function applyAction(window: TimeWindow, action: ViewAction, boundsStartUs: number, boundsEndUs: number): TimeWindow {
  switch (action.kind) {
    case 'pan':
      return panBy(window, action.deltaPx, boundsStartUs, boundsEndUs);
    case 'zoom':
      return zoomAround(window, action.factor, action.anchorPx, boundsStartUs, boundsEndUs);
    case 'jump':
      return jumpTo(window, action.edge, boundsStartUs, boundsEndUs);
    case 'fit':
      return clampWindow({ startUs: boundsStartUs, endUs: boundsEndUs, widthPx: window.widthPx }, boundsStartUs, boundsEndUs);
    case 'scroll':
    case 'clear-brush':
      return window;
  }
}

/**
 * The window that shows [startUs, endUs]: unchanged when already in view;
 * otherwise centred on it at the same zoom, or zoomed out just enough to fit it.
 */
export function revealWindow(window: TimeWindow, startUs: number, endUs: number, boundsStartUs: number, boundsEndUs: number): TimeWindow {
  if (startUs >= window.startUs && endUs <= window.endUs) return window;
  const span = Math.max(window.endUs - window.startUs, (endUs - startUs) * 1.2);
  const middle = (startUs + endUs) / 2;
  return clampWindow({ startUs: middle - span / 2, endUs: middle + span / 2, widthPx: window.widthPx }, boundsStartUs, boundsEndUs);
}
