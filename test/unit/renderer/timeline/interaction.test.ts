import { describe, expect, it } from 'vitest';
import { applyAction, KEY_ZOOM_FACTOR, keyToAction, revealWindow, wheelToAction } from '@renderer/features/timeline/interaction';

const plain = { shiftKey: false, ctrlKey: false, metaKey: false, altKey: false };
const window = { startUs: 1_000, endUs: 2_000, widthPx: 1000 };

describe('keyToAction', () => {
  it('binds arrows, +/-, Home/End, 0 and Escape', () => {
    expect(keyToAction({ ...plain, key: 'ArrowLeft' }, 1000, 300)).toEqual({ kind: 'pan', deltaPx: -100 });
    expect(keyToAction({ ...plain, key: 'ArrowRight', shiftKey: true }, 1000, 300)).toEqual({ kind: 'pan', deltaPx: 500 });
    expect(keyToAction({ ...plain, key: '+' }, 1000, 300)).toEqual({ kind: 'zoom', factor: KEY_ZOOM_FACTOR, anchorPx: 500 });
    expect(keyToAction({ ...plain, key: '-' }, 1000, 300)).toEqual({ kind: 'zoom', factor: 1 / KEY_ZOOM_FACTOR, anchorPx: 500 });
    expect(keyToAction({ ...plain, key: 'Home' }, 1000, 300)).toEqual({ kind: 'jump', edge: 'start' });
    expect(keyToAction({ ...plain, key: 'End' }, 1000, 300)).toEqual({ kind: 'jump', edge: 'end' });
    expect(keyToAction({ ...plain, key: 'Escape' }, 1000, 300)).toEqual({ kind: 'clear-brush' });
    expect(keyToAction({ ...plain, key: 'PageDown' }, 1000, 300)).toEqual({ kind: 'scroll', deltaPx: 300 });
  });

  it('leaves other keys and browser shortcuts alone', () => {
    expect(keyToAction({ ...plain, key: 'a' }, 1000, 300)).toBeNull();
    expect(keyToAction({ ...plain, key: '+', ctrlKey: true }, 1000, 300)).toBeNull();
    expect(keyToAction({ ...plain, key: 'Tab' }, 1000, 300)).toBeNull();
  });
});

describe('wheelToAction', () => {
  const base = { deltaX: 0, deltaY: 0, deltaMode: 0, ctrlKey: false, shiftKey: false, anchorPx: 250 };

  it('zooms in on wheel up and out on wheel down, around the pointer', () => {
    const zoomIn = wheelToAction({ ...base, deltaY: -100 });
    expect(zoomIn?.kind).toBe('zoom');
    if (zoomIn?.kind === 'zoom') {
      expect(zoomIn.factor).toBeGreaterThan(1);
      expect(zoomIn.anchorPx).toBe(250);
    }
    const zoomOut = wheelToAction({ ...base, deltaY: 100 });
    expect(zoomOut?.kind === 'zoom' && zoomOut.factor < 1).toBe(true);
  });

  it('zooms harder per pixel on a pinch (ctrl+wheel) and counts lines as 16 px', () => {
    const pinch = wheelToAction({ ...base, deltaY: -10, ctrlKey: true });
    const wheel = wheelToAction({ ...base, deltaY: -10 });
    const lines = wheelToAction({ ...base, deltaY: -1, deltaMode: 1 });
    expect(pinch?.kind === 'zoom' && wheel?.kind === 'zoom' && pinch.factor > wheel.factor).toBe(true);
    expect(lines?.kind === 'zoom' && lines.factor).toBeCloseTo(Math.exp(16 * 0.002), 9);
  });

  it('pans on horizontal scroll and on shift+wheel', () => {
    expect(wheelToAction({ ...base, deltaX: 40, deltaY: 3 })).toEqual({ kind: 'pan', deltaPx: 40 });
    expect(wheelToAction({ ...base, deltaY: 30, shiftKey: true })).toEqual({ kind: 'pan', deltaPx: 30 });
    expect(wheelToAction(base)).toBeNull();
  });
});

describe('applyAction', () => {
  it('pans, zooms, jumps and fits within the data range', () => {
    expect(applyAction(window, { kind: 'pan', deltaPx: 100 }, 0, 10_000)).toEqual({ startUs: 1_100, endUs: 2_100, widthPx: 1000 });
    expect(applyAction(window, { kind: 'zoom', factor: 2, anchorPx: 0 }, 0, 10_000)).toEqual({
      startUs: 1_000,
      endUs: 1_500,
      widthPx: 1000,
    });
    expect(applyAction(window, { kind: 'jump', edge: 'end' }, 0, 10_000)).toEqual({ startUs: 9_000, endUs: 10_000, widthPx: 1000 });
    expect(applyAction(window, { kind: 'fit' }, 0, 10_000)).toEqual({ startUs: 0, endUs: 10_000, widthPx: 1000 });
    expect(applyAction(window, { kind: 'scroll', deltaPx: 50 }, 0, 10_000)).toBe(window);
  });
});

describe('revealWindow', () => {
  it('leaves a visible item alone, centres a hidden one at the same zoom, and widens for a long one', () => {
    expect(revealWindow(window, 1_200, 1_300, 0, 10_000)).toBe(window);
    expect(revealWindow(window, 5_000, 5_000, 0, 10_000)).toEqual({ startUs: 4_500, endUs: 5_500, widthPx: 1000 });
    expect(revealWindow(window, 3_000, 6_000, 0, 10_000)).toEqual({ startUs: 2_700, endUs: 6_300, widthPx: 1000 });
    expect(revealWindow(window, 9_990, 9_990, 0, 10_000)).toEqual({ startUs: 9_000, endUs: 10_000, widthPx: 1000 });
  });
});
