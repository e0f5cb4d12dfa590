/**
 * How long a pan or zoom step of the capture timeline takes to draw, measured in
 * Chromium on a generated 1 M-packet capture opened through the web mode the way a
 * learner opens one (upload, import, Captures view). Each step is a real key press
 * or wheel notch on the focused canvas; the figure is the timeline's own
 * `(globalThis as PageGlobals).__timelineStats.lastDrawMs` (JavaScript time of the draw call, ms).
 *
 *   node --import tsx bench/timeline.ts        (or through `npm run bench`)
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, startServe } from '../test/e2e/helpers/browser';
import { writeSyntheticCapture } from './make-capture';

export interface TimelineBench {
  packets: number;
  /** ms, median draw time of one step */
  medianMs: number;
  p95Ms: number;
  /** steps that produced a draw (the figures' sample size) */
  steps: number;
}

export interface TimelineBenchOptions {
  packets?: number;
  /** key/wheel steps to try; those the view clamps (no redraw) are not counted */
  steps?: number;
  /** serve a private UI build instead of out/renderer */
  rendererDir?: string;
  log?(line: string): void;
}

/** The page's measurement hook, as `page.evaluate` callbacks see it (this file compiles without the DOM lib). */
interface PageGlobals {
  __timelineStats?: { lastDrawMs: number; draws: number };
}

const DEFAULT_PACKETS = 1_000_000;
const DEFAULT_STEPS = 60;
/** How long one step may take to reach the screen before it counts as "no redraw", ms. */
const STEP_TIMEOUT_MS = 2_000;
/** Import of the generated capture (upload + analysis), ms. */
const IMPORT_TIMEOUT_MS = 240_000;

/** One cycle of steps: zoom in on the middle, pan both ways, wheel in and out, zoom back. */
const CYCLE: ReadonlyArray<{ key: string } | { wheel: number }> = [
  { key: '+' },
  { key: '+' },
  { key: 'ArrowRight' },
  { wheel: -120 },
  { key: 'ArrowLeft' },
  { key: 'ArrowLeft' },
  { wheel: 120 },
  { key: 'ArrowRight' },
  { key: '-' },
  { key: '-' },
];

export async function benchTimeline(options: TimelineBenchOptions = {}): Promise<TimelineBench> {
  const packets = options.packets ?? DEFAULT_PACKETS;
  const stepsWanted = options.steps ?? DEFAULT_STEPS;
  const log = options.log ?? (() => undefined);
  const folder = await mkdtemp(join(tmpdir(), 'kl-bench-timeline-'));
  const file = join(folder, `synthetic-${packets}.pcap`);
  writeSyntheticCapture(file, packets);
  log(`generated ${file}: ${packets} packets, ${(await stat(file)).size} bytes`);
  const rendererDir = options.rendererDir ?? process.env['KEEPALIVE_LAB_RENDERER_DIR'];
  const benchStarted = Date.now();
  const serve = await startServe(rendererDir ? ['--renderer-dir', rendererDir] : []);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${serve.url}#captures`);
    const started = Date.now();
    await page.getByTestId('capture-file-input').setInputFiles(file);
    await page.getByTestId('capture-summary').waitFor({ timeout: IMPORT_TIMEOUT_MS });
    log(`imported in the browser in ${Date.now() - started} ms`);
    // the annotated packets (the timeline's marks) and the lanes load after the summary: measure with them drawn
    const timeline = page.getByTestId('capture-timeline');
    await page.locator('[data-testid="capture-timeline"][data-marks][data-lanes]').waitFor({ timeout: IMPORT_TIMEOUT_MS });
    const lanes = await timeline.getAttribute('data-lanes');
    log(
      `timeline ready after ${Date.now() - started} ms with ${await timeline.getAttribute('data-marks')} annotated packets, ${lanes} lanes`,
    );
    const durations = await measureSteps(page, stepsWanted);
    await page.close();
    return { packets, ...summarize(durations), steps: durations.length };
  } finally {
    await browser.close();
    await serve.stop();
    await rm(folder, { recursive: true, force: true });
    await removeUploadedCopies([`synthetic-${packets}.pcap`], benchStarted);
  }
}

/**
 * The web mode keeps every upload (in its data dir, `<tmp>/keepalive-lab/uploads`); a
 * measurement that uploads 116 MB must not leave it behind. Removes the copies of
 * `fileNames` uploaded since `sinceMs` (epoch ms).
 */
export async function removeUploadedCopies(fileNames: readonly string[], sinceMs: number): Promise<void> {
  const folder = join(tmpdir(), 'keepalive-lab', 'uploads');
  const entries = await readdir(folder).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!fileNames.some((name) => entry.endsWith(`-${name}`))) continue;
    const path = join(folder, entry);
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs >= sinceMs) await rm(path, { force: true });
  }
}

async function measureSteps(page: Page, stepsWanted: number): Promise<number[]> {
  const canvas = page.locator('canvas.timeline-canvas');
  await canvas.waitFor();
  await page.waitForFunction(() => ((globalThis as PageGlobals).__timelineStats?.draws ?? 0) > 0);
  await canvas.scrollIntoViewIfNeeded();
  await canvas.focus();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the timeline canvas is not on screen');
  const durations: number[] = [];
  for (let step = 0; step < stepsWanted; step++) {
    const action = CYCLE[step % CYCLE.length]!;
    const before = await page.evaluate(() => (globalThis as PageGlobals).__timelineStats?.draws ?? 0);
    if ('key' in action) await page.keyboard.press(action.key);
    else {
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      await page.mouse.wheel(0, action.wheel);
    }
    const drew = await page
      .waitForFunction((count) => ((globalThis as PageGlobals).__timelineStats?.draws ?? 0) > count, before, { timeout: STEP_TIMEOUT_MS })
      .then(() => true)
      .catch(() => false);
    if (drew) durations.push(await page.evaluate(() => (globalThis as PageGlobals).__timelineStats?.lastDrawMs ?? Number.NaN));
  }
  return durations;
}

function summarize(durations: number[]): { medianMs: number; p95Ms: number } {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? at(0.5) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
  return { medianMs: round(median), p95Ms: round(at(0.95)) };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchTimeline({ log: (line) => console.log(line) });
  console.log(JSON.stringify(result));
}
