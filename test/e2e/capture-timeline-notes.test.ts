/**
 * What the capture timeline says of a big capture, in Chromium through the web mode: 3,834 short
 * connections and one idle connection (stream 1100) that sends no request and stays open through
 * 150 keep-alive probes and their ACKs, overlapping about 2,650 others. Its 300 annotated packets
 * are on no lane of the first 1,000 to start, and the page says so (and the Packets list's filter
 * finds them); chosen and with lanes sorted by requests, it is not among the 1,000 drawn of its
 * span, gets a lane of its own pinned on top (in view, though the lanes were scrolled far down),
 * and the sentence counts it; zooming announces only the settled
 * sentence (never "Finding the streams…"), and nothing when it reads the same. The capture is
 * generated here and removed after. Then a public capture in two time groups: its Dup ACKs and
 * the like are named as kinds the timeline does not mark, and from the later group, its probes and
 * retransmissions as in the other time group. Saves the screenshot of the chosen stream's timeline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import type { CaptureStream } from '@shared/api-capture';
import { analysisFlagNames } from '@engine/capture/tcp-flags';
import { annotationKind, primaryFlag } from '@renderer/features/capture/annotation-kinds';
import { markKindOfFlag } from '@renderer/features/capture/capture-timeline';
import { MAX_TIMELINE_LANES } from '@renderer/features/capture/timeline-lanes';
import { AXIS_HEIGHT_PX, ROW_HEIGHT_PX } from '@renderer/features/timeline/lane-layout';
import { writeSyntheticCapture } from '../../bench/make-capture';
import { removeUploadedCopies } from '../../bench/timeline';
import { launchChromium, repoRoot, startServe, watchPage, type ServeProcess } from './helpers/browser';

const FILE_NAME = 'idle-among-many.pcap';
const PACKETS = 30_000;
/** the idle connection: past the first 1,000 to start, and open while about 2,650 others come and go */
const IDLE = { connection: 1100, probes: 150 };

let folder = '';
let file = '';
let streams: readonly CaptureStream[] = [];
let serve: ServeProcess;
let browser: Browser;
const started = Date.now();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kl-timeline-notes-'));
  file = join(folder, FILE_NAME);
  writeSyntheticCapture(file, PACKETS, { shortConnections: true, idleConnection: IDLE });
  streams = (await analyzeCaptureFile(file)).streams;
  [serve, browser] = await Promise.all([startServe(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await rm(folder, { recursive: true, force: true });
  await removeUploadedCopies([FILE_NAME], started);
});

const count = (value: number) => value.toLocaleString('en-US');

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

/** Starts recording what the timeline's live region says: its text after each change from now on, and whether it was ever busy. */
async function recordNote(page: Page): Promise<void> {
  await page.getByTestId('timeline-note').evaluate((note) => {
    const record = { texts: [] as string[], busy: false };
    (window as unknown as { noteRecord: typeof record }).noteRecord = record;
    let last = note.textContent ?? '';
    new MutationObserver(() => {
      if (note.getAttribute('aria-busy') === 'true') record.busy = true;
      const text = note.textContent ?? '';
      if (text !== last) record.texts.push(text);
      last = text;
    }).observe(note, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** The ids of the capture.streams calls the page sent and of those answered. */
function watchStreamCalls(page: Page): { sent: Set<number>; answered: Set<number> } {
  const calls = { sent: new Set<number>(), answered: new Set<number>() };
  const idOf = (payload: string | Buffer, method?: string): number | null => {
    const message = JSON.parse(String(payload)) as { id?: unknown; method?: unknown };
    return typeof message.id === 'number' && (method === undefined || message.method === method) ? message.id : null;
  };
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      const id = idOf(payload, 'capture.streams');
      if (id !== null) calls.sent.add(id);
    });
    socket.on('framereceived', ({ payload }) => {
      const id = idOf(payload);
      if (id !== null && calls.sent.has(id)) calls.answered.add(id);
    });
  });
  return calls;
}

async function recordedNote(page: Page): Promise<{ texts: string[]; busy: boolean }> {
  return page.evaluate(() => (window as unknown as { noteRecord: { texts: string[]; busy: boolean } }).noteRecord);
}

/** Clicks the timeline's buttons (by aria-label) in turn, one animation frame apart (as fast as wheel steps come). */
async function clickSteps(page: Page, names: string[]): Promise<void> {
  await page.getByTestId('capture-timeline').evaluate(async (timeline, labels) => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    for (const label of labels) {
      (timeline.querySelector(`button[aria-label="${label}"]`) as unknown as { click(): void }).click();
      await frame();
    }
  }, names);
}

/** A public capture in two time groups six years apart, with Dup ACKs and other annotations the timeline has no mark for. */
const PUBLIC_CAPTURE = join(repoRoot, '../shared/captures/public/ndpi__1kxun.pcap');

/** The engine's annotated packets of a capture: every one, those of a kind the timeline has no mark for (by first annotation), and the marked ones per time group. */
async function annotatedOf(path: string): Promise<{ total: number; unmarked: Map<string, number>; markedPerGroup: number[] }> {
  const analysis = await analyzeCaptureFile(path);
  const unmarked = new Map<string, number>();
  const markedPerGroup = analysis.timeGroups.map(() => 0);
  let total = 0;
  for (let index = 0; index < analysis.table.length; index++) {
    const flags = analysisFlagNames(analysis.table.analysis[index] ?? 0);
    if (flags.length === 0) continue;
    total++;
    if (flags.some((flag) => markKindOfFlag(flag) !== null)) {
      const group = analysis.timeGroups.findIndex((entry) => index + 1 >= entry.firstFrame && index + 1 <= entry.lastFrame);
      markedPerGroup[group] = (markedPerGroup[group] ?? 0) + 1;
    } else {
      const flag = primaryFlag(flags)!;
      unmarked.set(flag, (unmarked.get(flag) ?? 0) + 1);
    }
  }
  return { total, unmarked, markedPerGroup };
}

describe('the timeline notes of a capture with an idle connection among 3,800 short ones', () => {
  it('says where the annotated packets are, counts the chosen stream’s lane, and announces only settled sentences', async () => {
    const idle = streams[IDLE.connection]!;
    const annotated = idle.keepAlives + idle.keepAliveAcks;
    expect(annotated).toBe(2 * IDLE.probes);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    const streamCalls = watchStreamCalls(page);
    await page.goto(`${serve.url}#captures`);
    await page.getByTestId('capture-file-input').setInputFiles(file);
    await page.getByTestId('capture-summary').waitFor({ timeout: 60_000 });

    // the first 1,000 to start: the idle stream has no lane, so none of its 300 annotated packets is drawn
    const timeline = page.getByTestId('capture-timeline');
    await page.locator(`[data-testid="capture-timeline"][data-lanes="${MAX_TIMELINE_LANES}"][data-marks]`).waitFor({ timeout: 30_000 });
    expect(await lanesOf(page)).toEqual({ drawn: MAX_TIMELINE_LANES, streams: streams.length });
    expect(await timeline.locator('.panel-head').textContent()).toContain(`${annotated} annotated packets`);
    expect(await page.getByTestId('timeline-note').textContent()).toBe(
      `Lanes for 1,000 of the ${count(streams.length)} streams in the capture (the first to start): zoom in to draw the others, or pick one in the Streams list. ` +
        `None of the ${annotated} annotated packets is drawn: they are on streams with no lane here. The Packets list’s filters find them.`,
    );
    // …and they do
    await page
      .getByRole('group', { name: 'Filter packets by annotation' })
      .getByRole('button', { name: 'Keep-alive', exact: true })
      .click();
    await page
      .getByTestId('packet-count')
      .filter({ hasText: `${IDLE.probes} packets match` })
      .waitFor();

    // lanes sorted by probes: the idle stream's lane comes first, with its marks, and the marks sentence goes
    await page.getByLabel('Sort lanes by').selectOption('probes');
    await page.getByTestId('timeline-lanes').filter({ hasText: '(those with the most keep-alive probes and ACKs)' }).waitFor();
    expect((await listedLanes(page))[0]).toBe(IDLE.connection);
    expect(await page.getByTestId('timeline-marks-note').count()).toBe(0);

    // the lanes scrolled far down, as a learner looking through them leaves them
    const scroller = timeline.locator('.timeline-scroller');
    await scroller.evaluate((element) => (element.scrollTop = 10_000));

    // chosen, with lanes sorted by requests: not among the 1,000 of its span with the most, so a lane of its own, pinned on top
    await page.getByRole('tab', { name: /^Streams/ }).click();
    await page.getByTestId('stream-filter-text').fill(`#${IDLE.connection}`);
    await page
      .getByTestId('stream-list')
      .locator('[role="row"][aria-rowindex="2"] [role="gridcell"]')
      .first()
      .filter({ hasText: new RegExp(`^${IDLE.connection}$`) })
      .click();
    await timeline.filter({ hasText: `zoomed to stream ${IDLE.connection}` }).waitFor();
    await page.getByLabel('Sort lanes by').selectOption('requests');
    const note = page.getByTestId('timeline-note');
    await note.filter({ hasText: 'the one you chose' }).waitFor({ timeout: 30_000 });
    const chosen = await lanesOf(page);
    expect(chosen.drawn).toBe(MAX_TIMELINE_LANES + 1);
    // the streams of its span with a request outnumber the lanes, so the 1,000 drawn all have one
    const withRequests = streams.filter(
      (stream) => stream.httpRequests > 0 && stream.firstTime <= idle.lastTime && stream.lastTime >= idle.firstTime,
    ).length;
    expect(withRequests).toBeGreaterThan(MAX_TIMELINE_LANES);
    expect(chosen.streams).toBeGreaterThan(withRequests);
    expect(await note.textContent()).toBe(
      `Lanes for 1,000 of the ${count(chosen.streams)} streams during stream ${IDLE.connection} (those with the most HTTP requests), ` +
        `and for stream ${IDLE.connection}, the one you chose: zoom in to draw the others, or pick one in the Streams list.`,
    );
    // its lane is the first, under its header, in view without scrolling: the lanes went back to the top, and the row
    // under the header's is its lane (hovering the label column names it), for a screen reader first in the summary too
    expect(await scroller.evaluate((element) => element.scrollTop)).toBe(0);
    expect((await listedLanes(page))[0]).toBe(IDLE.connection);
    expect(await timeline.locator('ul.visually-hidden li').nth(1).textContent()).toMatch(
      new RegExp(`^#${IDLE.connection} \\S+ \\(the stream you chose\\): 0 requests, ${IDLE.probes} keep-alive probes$`),
    );
    await timeline.scrollIntoViewIfNeeded();
    const canvasBox = (await timeline.locator('canvas').boundingBox())!;
    await page.mouse.move(canvasBox.x + 40, canvasBox.y + AXIS_HEIGHT_PX + ROW_HEIGHT_PX * 1.5);
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    expect(await tooltip.locator('strong').textContent()).toMatch(new RegExp(`^#${IDLE.connection} `));
    expect(await tooltip.textContent()).toContain('the stream you chose');
    // off the timeline and its buttons, so the screenshot has no tooltip or hovered button
    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: 'hidden' });
    await timeline.screenshot({ path: join(repoRoot, 'docs/screenshots/capture-timeline-chosen-stream.png') });

    // zoomed in four steps: the live region is busy while the zoomed range's lanes come, then says the settled sentence once
    await recordNote(page);
    await clickSteps(page, ['Zoom in', 'Zoom in', 'Zoom in', 'Zoom in']);
    await note.filter({ hasText: /in the zoomed range/ }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="timeline-note"][aria-busy="false"]').waitFor();
    const zoomed = await recordedNote(page);
    expect(zoomed.busy).toBe(true);
    // one settled sentence (a machine slow enough to pause a quarter of a second between steps settles twice)
    expect(zoomed.texts.at(-1)).toBe(await note.textContent());
    expect(zoomed.texts.length).toBeLessThanOrEqual(2);
    for (const text of zoomed.texts) expect(text).toMatch(/^Lanes for .*: zoom (in further|out or pan) .*\.$/);

    // one step in and one back, a frame apart: the same range settles, and the region says nothing new
    await recordNote(page);
    const callsBefore = streamCalls.sent.size;
    await clickSteps(page, ['Zoom in', 'Zoom out']);
    // the view settles, the lanes of its range are asked for again and answered, and the page has drawn them
    await expect
      .poll(() => streamCalls.sent.size > callsBefore && streamCalls.answered.size === streamCalls.sent.size, { timeout: 30_000 })
      .toBe(true);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.locator('[data-testid="timeline-note"][aria-busy="false"]').waitFor();
    expect((await recordedNote(page)).texts).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  }, 180_000);

  it('says which annotated packets of a public capture are of kinds it does not mark, and which are in the other time group', async () => {
    const annotated = await annotatedOf(PUBLIC_CAPTURE);
    const [firstGroupMarked, secondGroupMarked] = annotated.markedPerGroup;
    // every marked packet lies in the first group, the Dup ACKs and the others in both
    expect(annotated.markedPerGroup).toHaveLength(2);
    expect(firstGroupMarked).toBeGreaterThan(50);
    expect(secondGroupMarked).toBe(0);
    const unmarkedCount = [...annotated.unmarked.values()].reduce((sum, count) => sum + count, 0);
    const kinds = [...annotated.unmarked].sort((left, right) => right[1] - left[1]).map(([flag]) => annotationKind(flag).label);
    expect(kinds.length).toBeLessThanOrEqual(4);
    const kindWords = `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await page.goto(`${serve.url}#captures`);
    await page.getByTestId('capture-file-input').setInputFiles(PUBLIC_CAPTURE);
    await page.getByTestId('capture-summary').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="capture-timeline"][data-lanes][data-marks]').waitFor();
    const marksNote = page.getByTestId('timeline-marks-note');
    expect(await page.getByTestId('capture-timeline').locator('.panel-head').textContent()).toContain(
      `${annotated.total} annotated packets`,
    );
    expect(await marksNote.textContent()).toBe(
      `${unmarkedCount} of the ${annotated.total} annotated packets are not drawn: they are annotated ${kindWords}, which the timeline does not mark. The Packets list’s filters find them.`,
    );

    await page.getByTestId('time-group').selectOption('1');
    await marksNote.filter({ hasText: 'in the other time group' }).waitFor();
    expect(await marksNote.textContent()).toBe(
      `None of the ${annotated.total} annotated packets is drawn: ${unmarkedCount} are annotated ${kindWords}, which the timeline does not mark, and ${firstGroupMarked} are in the other time group. The Packets list’s filters find them.`,
    );
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  }, 120_000);
});
