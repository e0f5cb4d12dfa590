/**
 * The Captures view in Chromium through the web mode, as a learner uses it: open a
 * public capture with keep-alives (uploaded like a picked file), find its probes in
 * the packet list and on the timeline, read why one is a probe; bad input is a
 * message in place. Saves the screenshots the README shows.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOSSARY } from '@shared/glossary';
import { writeSyntheticCapture } from '../../bench/make-capture';
import { removeUploadedCopies } from '../../bench/timeline';
import { AXIS_HEIGHT_PX, LABEL_WIDTH_PX, ROW_HEIGHT_PX } from '@renderer/features/timeline/lane-layout';
import { launchChromium, repoRoot, startServe, watchPage, type ServeProcess } from './helpers/browser';

const corpus = resolve(repoRoot, '../shared/captures/public');
const screenshots = resolve(repoRoot, 'docs/screenshots');
/** the learner's capture: HTTP (OCSP) connections with keep-alive probes and their ACKs */
const OCSP = 'ndpi__ocsp.pcapng';

interface Oracle {
  packets: number;
  streamCount: number;
  flags: Record<string, number[]>;
}

async function oracleOf(name: string): Promise<Oracle> {
  return JSON.parse(await readFile(join(corpus, `${name}.tshark.json`), 'utf8')) as Oracle;
}

async function openCapture(page: Page, serve: ServeProcess, file: string): Promise<void> {
  await page.goto(`${serve.url}#captures`);
  await page.getByRole('button', { name: 'Open capture' }).waitFor();
  await page.getByTestId('capture-file-input').setInputFiles(file);
}

/** The browser globals the evaluate callbacks use (this file compiles without the DOM lib). */
interface BrowserGlobals {
  getComputedStyle(element: unknown): { backgroundColor: string };
}

/** What the drop test builds in the page (this file compiles without the DOM lib). */
interface DropGlobals {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
}

/** Scrolls the page so the element's top is at the top of the viewport (a screenshot's framing). */
async function scrollToTop(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).evaluate((element) => (element as unknown as { scrollIntoView(): void }).scrollIntoView());
}

const text = async (page: Page, testId: string): Promise<string> => (await page.getByTestId(testId).textContent()) ?? '';

describe('the Captures view in Chromium', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let scratch: string;
  const started = Date.now();

  beforeAll(async () => {
    serve = await startServe();
    browser = await launchChromium();
    scratch = join(tmpdir(), `kl-capture-view-${process.pid}`);
    await mkdir(scratch, { recursive: true });
    await mkdir(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await rm(scratch, { recursive: true, force: true });
    await removeUploadedCopies(['big.pcap', 'notes.pcap', 'empty.pcapng', 'cut.pcapng', OCSP, 'ndpi__avast.pcap'], started);
  });

  it('finds the keep-alive probes of a public capture in the packet list and on the timeline, and explains one', async () => {
    const oracle = await oracleOf(OCSP);
    const probes = oracle.flags['keep_alive'] ?? [];
    const probeAcks = oracle.flags['keep_alive_ack'] ?? [];
    expect(probes.length).toBeGreaterThan(0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    await openCapture(page, serve, join(corpus, OCSP));
    await page.getByTestId('capture-summary').waitFor({ timeout: 30_000 });

    // the summary says what tshark says
    expect(await text(page, 'sum-packets')).toContain(String(oracle.packets));
    expect(await text(page, 'sum-streams')).toContain(String(oracle.streamCount));
    expect(await text(page, 'sum-keepalives')).toContain(String(probes.length));
    expect(await text(page, 'sum-keepalive-acks')).toContain(String(probeAcks.length));

    // a filter chip's word has the glossary's help on keyboard focus, as its accessible description
    const dupAck = page.getByRole('button', { name: 'Dup ACK', exact: true });
    await dupAck.focus();
    expect(await dupAck.evaluate((chip) => document.getElementById(chip.getAttribute('aria-describedby') ?? '')?.textContent)).toBe(
      GLOSSARY.dupAck.help,
    );
    expect(await page.locator('.chip-term:focus-within > .term-tip').isVisible()).toBe(true);

    // the packet list, filtered to keep-alives: exactly tshark's frames, first one on top
    await page.getByRole('button', { name: 'Keep-alive', exact: true }).click();
    await expect.poll(() => text(page, 'packet-count'), { timeout: 10_000 }).toContain(`${probes.length} packets match`);
    const list = page.getByTestId('packet-list');
    const firstRow = list.locator('[role="row"][aria-rowindex="2"]');
    await expect.poll(() => firstRow.textContent(), { timeout: 10_000 }).toContain(String(probes[0]));
    expect(await firstRow.textContent()).toContain('[TCP Keep-Alive]');
    // only visible rows are in the DOM
    expect(await list.locator('[role="row"]').count()).toBeLessThan(probes.length + 1);

    // keyboard: down to the second probe, Enter selects it; its explanation gives the values compared
    await list.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const details = page.getByTestId('packet-details');
    await expect.poll(() => details.locator('h2').textContent(), { timeout: 10_000 }).toBe(`Frame ${probes[1]}`);
    const explanation = details.locator('[data-testid="explanation"][data-kind="keepalive-probe"]');
    expect(await explanation.count()).toBe(1);
    // the values compared arrive with the packet's details (a busy machine may show the sentence a moment before them)
    await expect
      .poll(async () => (await explanation.textContent()) ?? '', { timeout: 10_000 })
      .toMatch(/sequence number \d+ is one less than the next expected \d+/);
    const why = (await explanation.textContent()) ?? '';
    expect(why).toContain('TCP keep-alive probe');
    // every placeholder of the template got a value (a missing one renders as a lone "?")
    expect(why).not.toMatch(/ \?[ ,.)]/);

    await details.screenshot({ path: join(screenshots, 'explanation.png') });

    // the timeline: busiest lane first, hover along it until a probe mark answers, click it
    const timeline = page.locator('.timeline');
    await timeline.getByLabel('Sort lanes by').selectOption('probes');
    await timeline.getByLabel('Group by endpoint').uncheck();
    expect(await timeline.locator('.visually-hidden').textContent()).toMatch(/\d+ keep-alive probes/);
    const canvas = timeline.locator('canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const laneY = box.y + AXIS_HEIGHT_PX + ROW_HEIGHT_PX / 2;
    let clickedFrame: number | null = null;
    let clickedX = 0;
    for (let x = box.x + LABEL_WIDTH_PX + 2; x < box.x + box.width - 2 && clickedFrame === null; x += 2) {
      await page.mouse.move(x, laneY);
      const tooltip = timeline.locator('[role="tooltip"]:not(.term-tip)'); // the legend's glossary tips are tooltips too;
      if ((await tooltip.count()) === 0 || !((await tooltip.textContent()) ?? '').startsWith('keep-alive probe')) continue;
      await page.mouse.click(x, laneY);
      await expect.poll(() => details.locator('h2').textContent(), { timeout: 10_000 }).toMatch(/^Frame \d+$/);
      clickedFrame = Number(((await details.locator('h2').textContent()) ?? '').replace('Frame ', ''));
      clickedX = x;
    }
    expect(clickedFrame).not.toBeNull();
    expect(probes).toContain(clickedFrame);
    expect(await details.locator('[data-kind="keepalive-probe"]').count()).toBe(1);
    // the list (still filtered to keep-alives) shows the picked probe selected
    expect(await list.locator('[aria-selected="true"]').textContent()).toContain(String(clickedFrame));

    // zoom in around the picked probe (wheel notches over it) and frame the view for the README
    await page.mouse.move(clickedX, laneY);
    for (let notch = 0; notch < 6; notch++) await page.mouse.wheel(0, -240);
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    await scrollToTop(page, 'capture-summary');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screenshots, 'capture-view.png') });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('looks right in the dark theme too', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    await openCapture(page, serve, join(corpus, OCSP));
    await page.getByTestId('capture-summary').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Keep-alive', exact: true }).click();
    const list = page.getByTestId('packet-list');
    await expect
      .poll(() => list.locator('[role="row"][aria-rowindex="2"]').textContent(), { timeout: 10_000 })
      .toContain('[TCP Keep-Alive]');
    await list.locator('[role="row"][aria-rowindex="2"]').click();
    await page.getByTestId('explanation').first().waitFor();
    await scrollToTop(page, 'capture-summary');
    await page.screenshot({ path: join(screenshots, 'capture-view-dark.png') });
    // the theme's dark background (#0f1318), not the light one
    const background = await page
      .locator('body')
      .evaluate((body) => (globalThis as unknown as BrowserGlobals).getComputedStyle(body).backgroundColor);
    expect(background).toBe('rgb(15, 19, 24)');
    await page.close();
  });

  it('opens a dropped capture and lists its streams; choosing one lists only its packets', async () => {
    const name = 'ndpi__avast.pcap';
    const oracle = (await oracleOf(name)) as Oracle & { streams: Array<{ stream: number; packets: number }> };
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    await page.goto(`${serve.url}#captures`);
    const bytes = [...(await readFile(join(corpus, name)))];
    // a drop as the browser delivers it: a DataTransfer holding the file
    const dataTransfer = await page.evaluateHandle(
      ({ fileName, content }) => {
        const browser = globalThis as unknown as DropGlobals;
        const transfer = new browser.DataTransfer();
        transfer.items.add(new browser.File([new Uint8Array(content)], fileName, { type: 'application/vnd.tcpdump.pcap' }));
        return transfer;
      },
      { fileName: name, content: bytes },
    );
    const view = page.locator('.capture-view');
    await view.dispatchEvent('dragover', { dataTransfer });
    await view.dispatchEvent('drop', { dataTransfer });
    await page.getByTestId('capture-summary').waitFor({ timeout: 30_000 });
    expect(await text(page, 'sum-packets')).toContain(String(oracle.packets));

    await page.getByRole('tab', { name: /Streams/ }).click();
    const streams = page.getByTestId('stream-list');
    await streams.locator('[role="row"][aria-rowindex="2"]').waitFor();
    expect(await streams.getAttribute('aria-rowcount')).toBe(String(oracle.streamCount + 1));
    const busiest = [...oracle.streams].sort((a, b) => b.packets - a.packets)[0]!;
    await streams.focus();
    for (let step = 0; step <= busiest.stream; step++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => text(page, 'packet-count'), { timeout: 10_000 }).toContain(`${busiest.packets} packets match`);
    expect(await page.getByRole('button', { name: `Stream ${busiest.stream} ✕` }).count()).toBe(1);
    // with no packet chosen yet, the side panel speaks about the stream
    expect(await page.getByTestId('packet-details').locator('h2').textContent()).toBe(`Stream ${busiest.stream}`);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows the import in bytes and packets with Cancel, and stays usable after cancelling', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    // ~47 MB: long enough to analyse that the progress and Cancel can be seen
    const big = join(scratch, 'big.pcap');
    writeSyntheticCapture(big, 400_000);
    await openCapture(page, serve, big);
    const progress = page.getByTestId('import-progress');
    await expect
      .poll(() => progress.textContent(), { timeout: 30_000 })
      .toMatch(/Analysing big\.pcap: [\d.]+ [KMG]?i?B of [\d.]+ MiB · [\d,]+ packets/);
    expect(await progress.getByRole('progressbar').getAttribute('value')).toMatch(/^\d/);
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('.import-status').textContent(), { timeout: 10_000 }).toBe('Import of big.pcap cancelled.');
    expect(await page.getByTestId('capture-summary').count()).toBe(0);
    // the next file opens normally
    await page.getByTestId('capture-file-input').setInputFiles(join(corpus, OCSP));
    await page.getByTestId('capture-summary').waitFor({ timeout: 30_000 });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('says in place that a file is not a capture, is empty, or is cut short, and stays usable', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    const notCapture = join(scratch, 'notes.pcap');
    await writeFile(notCapture, 'this is a text file, not a capture\n'.repeat(20));
    await openCapture(page, serve, notCapture);
    const error = page.getByTestId('capture-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toMatch(/Cannot open notes\.pcap: .*not a pcap or pcapng/i);
    expect(await page.getByRole('button', { name: 'Open capture' }).isEnabled()).toBe(true);

    const empty = join(scratch, 'empty.pcapng');
    await writeFile(empty, '');
    await page.getByTestId('capture-file-input').setInputFiles(empty);
    await expect.poll(() => error.textContent(), { timeout: 20_000 }).toMatch(/Cannot open empty\.pcapng: .*empty/i);

    // a capture cut mid-record: a warning, and every packet before the cut
    const whole = await readFile(join(corpus, OCSP));
    const truncated = join(scratch, 'cut.pcapng');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    await page.getByTestId('capture-file-input').setInputFiles(truncated);
    await page.getByTestId('capture-summary').waitFor({ timeout: 20_000 });
    expect(await text(page, 'capture-warnings')).toMatch(/truncat|cut short/i);
    const packets = Number((await text(page, 'sum-packets')).replace(/\D/g, ''));
    expect(packets).toBeGreaterThan(0);
    expect(packets).toBeLessThan((await oracleOf(OCSP)).packets);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
