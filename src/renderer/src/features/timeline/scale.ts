/**
 * The horizontal scale: which µs range the plot shows, zoom around a point, pan,
 * clamping to the data, and axis ticks in units a person reads (µs … hours).
 * Pure functions on a small value type, so every interaction is unit-tested.
 */

/** The visible time range mapped onto `widthPx` pixels of plot. */
export interface TimeWindow {
  /** µs at x = 0 */
  startUs: number;
  /** µs at x = widthPx */
  endUs: number;
  /** plot width in CSS pixels */
  widthPx: number;
}

/** A view never gets narrower than this (µs): timestamps are µs at best. */
export const MIN_SPAN_US = 1;

export function usPerPixel(window: TimeWindow): number {
  return (window.endUs - window.startUs) / Math.max(1, window.widthPx);
}

export function xOfTime(window: TimeWindow, t: number): number {
  return ((t - window.startUs) / (window.endUs - window.startUs)) * window.widthPx;
}

export function timeOfX(window: TimeWindow, x: number): number {
  return window.startUs + (x / Math.max(1, window.widthPx)) * (window.endUs - window.startUs);
}

/**
 * Keeps the window inside [boundsStart, boundsEnd] and at least MIN_SPAN_US wide;
 * a window wider than the data shows all of it.
 */
export function clampWindow(window: TimeWindow, boundsStartUs: number, boundsEndUs: number): TimeWindow {
  const dataSpan = Math.max(MIN_SPAN_US, boundsEndUs - boundsStartUs);
  const span = Math.min(dataSpan, Math.max(MIN_SPAN_US, window.endUs - window.startUs));
  let startUs = window.startUs;
  if (startUs < boundsStartUs) startUs = boundsStartUs;
  if (startUs + span > boundsStartUs + dataSpan) startUs = boundsStartUs + dataSpan - span;
  return { startUs, endUs: startUs + span, widthPx: window.widthPx };
}

/**
 * Zooms by `factor` (> 1 zooms in) keeping the time under `anchorX` (px) where it is,
 * then clamps.
 */
export function zoomAround(window: TimeWindow, factor: number, anchorX: number, boundsStartUs: number, boundsEndUs: number): TimeWindow {
  const anchorUs = timeOfX(window, anchorX);
  const span = Math.max(MIN_SPAN_US, (window.endUs - window.startUs) / factor);
  const fraction = anchorX / Math.max(1, window.widthPx);
  const startUs = anchorUs - fraction * span;
  return clampWindow({ startUs, endUs: startUs + span, widthPx: window.widthPx }, boundsStartUs, boundsEndUs);
}

/** Moves the view by `deltaX` pixels (positive = later times come into view), then clamps. */
export function panBy(window: TimeWindow, deltaX: number, boundsStartUs: number, boundsEndUs: number): TimeWindow {
  const shiftUs = deltaX * usPerPixel(window);
  return clampWindow(
    { startUs: window.startUs + shiftUs, endUs: window.endUs + shiftUs, widthPx: window.widthPx },
    boundsStartUs,
    boundsEndUs,
  );
}

/** Moves the view to start (or end) at the data's edge, keeping the zoom. */
export function jumpTo(window: TimeWindow, edge: 'start' | 'end', boundsStartUs: number, boundsEndUs: number): TimeWindow {
  const span = window.endUs - window.startUs;
  const startUs = edge === 'start' ? boundsStartUs : boundsEndUs - span;
  return clampWindow({ startUs, endUs: startUs + span, widthPx: window.widthPx }, boundsStartUs, boundsEndUs);
}

export interface Tick {
  /** µs */
  t: number;
  /** px from the plot's left edge */
  x: number;
  label: string;
}

const US_PER_MS = 1_000;
const US_PER_S = 1_000_000;
const US_PER_MIN = 60 * US_PER_S;
const US_PER_H = 60 * US_PER_MIN;

/**
 * Candidate tick steps (µs): 1-2-5 decades below a minute, then clock-friendly
 * steps (1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12, 24 h), then 1-2-5 days·10ⁿ.
 */
function niceSteps(): number[] {
  const steps: number[] = [];
  for (let decade = 1; decade < US_PER_MIN; decade *= 10) steps.push(decade, 2 * decade, 5 * decade);
  steps.push(10 * US_PER_S, 15 * US_PER_S, 30 * US_PER_S);
  for (const minutes of [1, 2, 5, 10, 15, 30]) steps.push(minutes * US_PER_MIN);
  for (const hours of [1, 2, 3, 6, 12, 24]) steps.push(hours * US_PER_H);
  return steps.filter((step, index, all) => all.indexOf(step) === index).sort((a, b) => a - b);
}
const NICE_STEPS = niceSteps();

/** The smallest nice step ≥ `rawStepUs`. */
export function niceStep(rawStepUs: number): number {
  for (const step of NICE_STEPS) if (step >= rawStepUs) return step;
  // beyond a day: 1-2-5 multiples of days
  const days = rawStepUs / (24 * US_PER_H);
  const magnitude = 10 ** Math.floor(Math.log10(days));
  const multiple = [1, 2, 5, 10].find((candidate) => candidate * magnitude >= days) ?? 10;
  return multiple * magnitude * 24 * US_PER_H;
}

/** Ticks at least `minSpacingPx` apart, labelled relative to `originUs` in the step's unit. */
export function axisTicks(window: TimeWindow, originUs: number, minSpacingPx = 80): Tick[] {
  const step = niceStep(Math.max(MIN_SPAN_US, usPerPixel(window) * minSpacingPx));
  const first = Math.ceil((window.startUs - originUs) / step) * step + originUs;
  const ticks: Tick[] = [];
  // bounded: the step is at least minSpacingPx wide, so at most width/minSpacing + 2 ticks
  const maxTicks = Math.ceil(window.widthPx / Math.max(1, minSpacingPx)) + 2;
  for (let index = 0; index < maxTicks; index++) {
    const t = first + index * step;
    if (t > window.endUs) break;
    ticks.push({ t, x: xOfTime(window, t), label: formatTick(t - originUs, step) });
  }
  return ticks;
}

function decimalsFor(step: number, unit: number): number {
  const inUnit = step / unit;
  return inUnit >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(inUnit) - 1e-9));
}

/**
 * A tick label. The unit follows the larger of the value and the step, the
 * decimals follow the step: "40 µs", "1.4 ms", "2.5 s", past a minute clock time
 * "25:26.8", and for steps of minutes or more "1 h 30 min".
 */
export function formatTick(offsetUs: number, stepUs: number): string {
  const sign = offsetUs < 0 ? '−' : '';
  const value = Math.abs(offsetUs);
  if (stepUs >= US_PER_MIN) {
    const hours = Math.floor(value / US_PER_H);
    const minutes = Math.round((value % US_PER_H) / US_PER_MIN);
    if (hours === 0) return `${sign}${minutes} min`;
    return `${sign}${minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`}`;
  }
  const magnitude = Math.max(value, stepUs);
  if (magnitude < US_PER_MS) return `${sign}${Math.round(value)} µs`;
  if (magnitude < US_PER_S) return `${sign}${(value / US_PER_MS).toFixed(decimalsFor(stepUs, US_PER_MS))} ms`;
  if (magnitude < US_PER_MIN) return `${sign}${(value / US_PER_S).toFixed(decimalsFor(stepUs, US_PER_S))} s`;
  return `${sign}${clockTime(value, decimalsFor(stepUs, US_PER_S))}`;
}

/** "m:ss" or "h:mm:ss", with `decimals` digits of the second. */
function clockTime(valueUs: number, decimals: number): string {
  const hours = Math.floor(valueUs / US_PER_H);
  const minutes = Math.floor((valueUs % US_PER_H) / US_PER_MIN);
  const secondsText = ((valueUs % US_PER_MIN) / US_PER_S).toFixed(decimals);
  const seconds = secondsText.padStart(decimals > 0 ? decimals + 3 : 2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** A precise time for tooltips: µs precision, in the largest fitting unit. */
export function formatTime(offsetUs: number): string {
  const sign = offsetUs < 0 ? '−' : '';
  const value = Math.abs(offsetUs);
  if (value < US_PER_MS) return `${sign}${value.toFixed(0)} µs`;
  if (value < US_PER_S) return `${sign}${(value / US_PER_MS).toFixed(3)} ms`;
  if (value < US_PER_MIN) return `${sign}${(value / US_PER_S).toFixed(6)} s`;
  return `${sign}${clockTime(value, 6)}`;
}
