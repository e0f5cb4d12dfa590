/**
 * The capture timeline's lanes for a big capture in two time groups, in Chromium through the web
 * mode: 1,500 streams, then 800 more two days later (as in a merged capture). Each group draws the
 * lanes of its own streams (before, the later group drew none: the page held only streams
 * 0–999); the busier group draws 1,000 of its 1,500 and says so; zoomed in, the lanes are those of
 * the zoomed range, asked once the view is still (a burst of zoom steps is not a burst of
 * requests); sorted by requests, the 1,000 with the most are drawn. The capture is generated here and removed after. Saves the screenshot of the view.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import type { CaptureStream } from '@shared/api-capture';
import { MAX_TIMELINE_LANES } from '@renderer/features/capture/timeline-lanes';
import { writeSyntheticCapture } from '../../bench/make-capture';
import { removeUploadedCopies } from '../../bench/timeline';
import { launchChromium, repoRoot, startServe, watchPage, type ServeProcess } from './helpers/browser';

const FILE_NAME = 'two-groups.pcap';
/** streams of the first group; the second group's streams are numbered from here */
const FIRST_GROUP_STREAMS = 1500;
/** about 7.8 packets a short connection: 2,300 streams, the last few cut short by the end of the file */
const PACKETS = 18_000;
const TWO_DAYS_S = 2 * 86_400;

let folder = '';
let file = '';
let streams: readonly CaptureStream[] = [];
let serve: ServeProcess;
let browser: Browser;
const started = Date.now();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kl-two-groups-'));
  file = join(folder, FILE_NAME);
  writeSyntheticCapture(file, PACKETS, {
    shortConnections: true,
    secondGroup: { fromConnection: FIRST_GROUP_STREAMS, afterSeconds: TWO_DAYS_S },
  });
  streams = (await analyzeCaptureFile(file)).streams;
  [serve, browser] = await Promise.all([startServe(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await rm(folder, { recursive: true, force: true });
  await removeUploadedCopies([FILE_NAME], started);
});

/** The lanes drawn and the streams of the range they were asked for, once the engine has answered. */
async function lanesOf(page: Page): Promise<{ drawn: number; streams: number }> {
  const timeline = page.getByTestId('capture-timeline');
  await timeline.and(page.locator('[data-lanes]')).waitFor();
  return { drawn: Number(await timeline.getAttribute('data-lanes')), streams: Number(await timeline.getAttribute('data-lane-streams')) };
}

/** The stream numbers of the lanes the screen-reader summary lists (the first 100, in the timeline's order). */
async function listedLanes(page: Page): Promise<number[]> {
  const items = await page.locator('.capture-timeline ul.visually-hidden li').allTextContents();
  return items.flatMap((item) => {
    const match = /^#(\d+) /.exec(item);
    return match ? [Number(match[1])] : [];
  });
}

async function waitForLanes(page: Page, drawn: number): Promise<void> {
  await page.locator(`[data-testid="capture-timeline"][data-lanes="${drawn}"]`).waitFor({ timeout: 30_000 });
}

describe('the timeline of a capture in two time groups with 2,300 streams', () => {
  it('draws the lanes of the chosen group, says how many of how many, and of the zoomed range', async () => {
    const secondGroup = streams.filter((stream) => stream.stream >= FIRST_GROUP_STREAMS);
    expect(streams.length - secondGroup.length).toBe(FIRST_GROUP_STREAMS);
    expect(secondGroup.length).toBeGreaterThan(500);
    const count = (value: number) => value.toLocaleString('en-US');

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    let streamRequests = 0;
    page.on('websocket', (socket) =>
      socket.on('framesent', (frame) => void (String(frame.payload).includes('"capture.streams"') && streamRequests++)),
    );
    await page.goto(`${serve.url}#captures`);
    await page.getByTestId('capture-file-input').setInputFiles(file);
    await page.getByTestId('capture-summary').waitFor({ timeout: 60_000 });

    // the busier group first: 1,000 of its 1,500 streams, those that start first
    const picker = page.getByTestId('time-group');
    await picker.waitFor();
    await waitForLanes(page, MAX_TIMELINE_LANES);
    expect(await lanesOf(page)).toEqual({ drawn: MAX_TIMELINE_LANES, streams: FIRST_GROUP_STREAMS });
    expect(await page.getByTestId('timeline-lanes').textContent()).toBe(
      `Lanes for 1,000 of the ${count(FIRST_GROUP_STREAMS)} streams in this time group (the first to start): zoom in to draw the others, or pick one in the Streams list.`,
    );
    expect((await listedLanes(page)).slice(0, 3)).toEqual([0, 1, 2]);
    await page.getByTestId('capture-timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(repoRoot, 'docs/screenshots/capture-timeline-groups.png'), fullPage: true });

    // the later group: its own streams, every one (none of them is among streams 0–999)
    await picker.selectOption('1');
    await waitForLanes(page, secondGroup.length);
    expect(await lanesOf(page)).toEqual({ drawn: secondGroup.length, streams: secondGroup.length });
    expect(await page.getByTestId('timeline-lanes').count()).toBe(0);
    const listed = await listedLanes(page);
    expect(listed.length).toBeGreaterThan(50);
    expect(listed.every((stream) => stream >= FIRST_GROUP_STREAMS)).toBe(true);
    expect(listed[0]).toBe(FIRST_GROUP_STREAMS);

    // back to the busier group and zoomed in four steps at the centre, one frame apart: one request once still
    await picker.selectOption('0');
    await waitForLanes(page, MAX_TIMELINE_LANES);
    const before = streamRequests;
    await page.getByRole('button', { name: 'Zoom in' }).evaluate(async (button) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      for (let step = 0; step < 4; step++) {
        (button as unknown as { click(): void }).click();
        await frame();
      }
    });
    const note = page.getByTestId('timeline-lanes');
    await note.filter({ hasText: /^Lanes for the [\d,]+ streams in the zoomed range/ }).waitFor({ timeout: 30_000 });
    const zoomed = await lanesOf(page);
    expect(zoomed.drawn).toBe(zoomed.streams);
    expect(zoomed.drawn).toBeLessThan(MAX_TIMELINE_LANES);
    expect(await note.textContent()).toBe(
      `Lanes for the ${count(zoomed.drawn)} streams in the zoomed range, of ${count(FIRST_GROUP_STREAMS)} in this time group: zoom out or pan for the others.`,
    );
    // the centre of the group: neither its first streams nor its last
    const zoomedLanes = await listedLanes(page);
    expect(zoomedLanes[0]).toBeGreaterThan(100);
    expect(zoomedLanes.every((stream) => stream < FIRST_GROUP_STREAMS)).toBe(true);
    expect(streamRequests - before).toBeLessThanOrEqual(2);
    await page.getByTestId('capture-timeline').screenshot({ path: join(repoRoot, 'docs/screenshots/capture-timeline-zoomed-lanes.png') });

    // Fit: the group's own lanes again
    await page.getByRole('button', { name: 'Fit' }).click();
    await waitForLanes(page, MAX_TIMELINE_LANES);
    await note.filter({ hasText: /^Lanes for 1,000 of the/ }).waitFor();

    // lanes sorted by requests: the 1,000 with the most requests are drawn, not the first 1,000 to start
    await page.getByLabel('Sort lanes by').selectOption('requests');
    await note.filter({ hasText: '(those with the most HTTP requests)' }).waitFor();
    const byRequests = streams
      .filter((stream) => stream.stream < FIRST_GROUP_STREAMS)
      .sort((left, right) => right.httpRequests - left.httpRequests || left.stream - right.stream);
    expect(byRequests[0]!.httpRequests).toBeGreaterThan(byRequests[MAX_TIMELINE_LANES]!.httpRequests);
    const listedByRequests = await listedLanes(page);
    expect(listedByRequests).toEqual(byRequests.slice(0, listedByRequests.length).map((stream) => stream.stream));
    expect(await lanesOf(page)).toEqual({ drawn: MAX_TIMELINE_LANES, streams: FIRST_GROUP_STREAMS });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  }, 180_000);
});
