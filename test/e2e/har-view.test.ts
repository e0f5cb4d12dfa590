/**
 * A browser's HAR in the Captures view, in Chromium through the web mode, as a learner uses it:
 * open the bundled example (uploaded like a picked file), see a lane per connection with new and
 * reused requests, click a request bar and read its timings and why its connection was opened,
 * pick a queued request from the list. Saves the screenshot the README shows.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeUploadedCopies } from '../../bench/timeline';
import { importHarFile } from '@engine/har/import-har';
import { AXIS_HEIGHT_PX, LABEL_WIDTH_PX, ROW_HEIGHT_PX } from '@renderer/features/timeline/lane-layout';
import { launchChromium, repoRoot, startServe, watchPage, type ServeProcess } from './helpers/browser';
import { readingProblems } from './helpers/reading-checks';
import { openHttpLab, runToFinish } from './helpers/lab-page';

const EXAMPLE = resolve(repoRoot, 'examples/browser-page-load.har');
const screenshots = resolve(repoRoot, 'docs/screenshots');

const text = async (page: Page, testId: string): Promise<string> => (await page.getByTestId(testId).textContent()) ?? '';

describe('a HAR file in the Captures view', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let scratch: string;
  const started = Date.now();

  beforeAll(async () => {
    serve = await startServe();
    browser = await launchChromium();
    scratch = join(tmpdir(), `kl-har-view-${process.pid}`);
    await mkdir(scratch, { recursive: true });
    await mkdir(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await rm(scratch, { recursive: true, force: true });
    await removeUploadedCopies(['browser-page-load.har', 'broken.har', 'lab-run.har', 'lab-queued.har'], started);
  });

  it('shows a lane per connection with reuse; a click gives an entry its timings and cause', async () => {
    const expected = await importHarFile(EXAMPLE);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await page.goto(`${serve.url}#captures`);
    await page.getByRole('button', { name: 'Open capture' }).waitFor();
    await page.getByTestId('capture-file-input').setInputFiles(EXAMPLE);
    await page.getByTestId('har-workspace').waitFor({ timeout: 30_000 });

    expect(await text(page, 'har-entries')).toContain('13');
    expect(await text(page, 'har-connections')).toContain(String(expected.connections.length));
    expect(await text(page, 'har-reused')).toContain('7');
    expect(await text(page, 'har-connection-note')).toContain('socket id');

    // the timeline: one lane per connection, each named by its socket id
    const timeline = page.getByTestId('har-timeline');
    const summary = (await timeline.locator('.visually-hidden').textContent()) ?? '';
    for (const connection of expected.connections) expect(summary).toContain(`#${connection.id} h1`);
    await timeline.getByLabel('Group by endpoint').uncheck();
    // a HAR file has no TCP packets: no lane order by keep-alive probes
    expect(await timeline.getByLabel('Sort lanes by').locator('option').allTextContents()).toEqual(['start time', 'requests']);

    // hover along the first lane until a request bar answers, click it: the entry's details follow
    const canvas = timeline.locator('canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const laneY = box.y + AXIS_HEIGHT_PX + ROW_HEIGHT_PX / 2;
    const details = page.getByTestId('har-entry-details');
    let clicked = '';
    for (let x = box.x + LABEL_WIDTH_PX + 2; x < box.x + box.width - 2 && clicked === ''; x += 3) {
      await page.mouse.move(x, laneY);
      const tooltip = timeline.locator('.timeline-tooltip');
      const tip = (await tooltip.count()) === 0 ? '' : ((await tooltip.textContent()) ?? '');
      if (!tip.startsWith('request on a reused connection')) continue;
      await page.mouse.click(x, laneY);
      clicked = tip;
    }
    expect(clicked).toMatch(/#\d+ GET \//);
    const entryNumber = /#(\d+) GET/.exec(clicked)?.[1];
    await expect.poll(() => details.locator('h2').textContent(), { timeout: 10_000 }).toContain(`Entry #${entryNumber}`);
    expect(await text(page, 'har-entry-connection')).toMatch(/reused/);
    expect(await text(page, 'har-entry-timings')).toMatch(/Waiting for the first byte\s*[\d.]+ ms/);

    // a connection opened because the others were busy: the cause names the busy entries
    const opener = expected.connections.find((connection) => connection.cause === 'all-busy')!;
    await page.locator(`#har-row-${opener.openedBy}`).click();
    await expect
      .poll(() => text(page, 'har-entry-cause'))
      .toMatch(
        /all busy: (all \d+ connections to http:\/\/127\.0\.0\.1:\d+ were|the only other connection to http:\/\/127\.0\.0\.1:\d+ was) carrying requests/,
      );
    expect(await text(page, 'har-entry-timings')).toMatch(/TCP connect/);

    // keyboard: down the list to a request that queued for one of the six connections
    const waited = expected.requests.find((request) => request.waitedForPool !== null)!;
    const rows = expected.requests.map((request) => request.index);
    await page.locator(`#har-row-${rows[0]}`).click();
    for (let step = 0; step < rows.indexOf(waited.index); step++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => details.locator('h2').textContent()).toContain(`Entry #${waited.index}`);
    expect(await text(page, 'har-entry-cause')).toMatch(/queued \d+ ms: all 6 connections to http:\/\/127\.0\.0\.1:\d+ were busy/);
    expect(await text(page, 'har-entry-timings')).toMatch(/Queued \(blocked\)/);

    await page.getByTestId('har-workspace').screenshot({ path: join(screenshots, 'har-view.png') });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.failedRequests).toEqual([]);
    await page.close();
  });

  it("exports a Lab run as HAR and opens it again: the lab's connections on the lanes", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await openHttpLab(page, serve.url);
    await page.getByLabel('Requests', { exact: true }).fill('4');
    await runToFinish(page, 'Run', 30_000);
    const download = page.waitForEvent('download');
    await page.getByTestId('export-har').click();
    const saved = join(scratch, 'lab-run.har');
    await (await download).saveAs(saved);
    expect(await text(page, 'export-har-status')).toMatch(/^Downloaded keepalive-lab-run-.*\.har$/);
    const document = JSON.parse(await readFile(saved, 'utf8'));
    expect(document.log.creator.name).toBe('keepalive-lab');
    expect(document.log.entries.map((entry: { connection: string }) => entry.connection)).toEqual(['c1', 'c1', 'c1', 'c1']);

    await page.goto(`${serve.url}#captures`);
    await page.getByTestId('capture-file-input').setInputFiles(saved);
    await page.getByTestId('har-workspace').waitFor({ timeout: 30_000 });
    expect(await text(page, 'har-connections')).toContain('1');
    expect(await text(page, 'har-reused')).toContain('3');
    await page.locator('#har-row-0').click();
    expect(await text(page, 'har-entry-cause')).toMatch(/first: c1 is the first connection to http:\/\/127\.0\.0\.1:\d+/);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('a Lab run with maxSockets 2, exported and opened again, shows as many requests queued as the run, against its own limit', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await openHttpLab(page, serve.url);
    await page.getByLabel('Scenario').selectOption('queued-above-max-sockets');
    await runToFinish(page, 'Run', 30_000);
    const card = (await page.getByRole('article', { name: 'Requests queued above the connection limit (maxSockets)' }).textContent()) ?? '';
    const waited = Number(/Why: (\d+) requests waited because every connection allowed \(maxSockets = 2\) was busy/.exec(card)?.[1]);
    expect(waited).toBeGreaterThanOrEqual(4);

    const download = page.waitForEvent('download');
    await page.getByTestId('export-har').click();
    const saved = join(scratch, 'lab-queued.har');
    await (await download).saveAs(saved);
    await page.goto(`${serve.url}#captures`);
    await page.getByTestId('capture-file-input').setInputFiles(saved);
    await page.getByTestId('har-workspace').waitFor({ timeout: 30_000 });
    expect(await text(page, 'har-queued')).toBe(`Queued${waited}for a free connection (the run's maxSockets: 2)`);

    const expected = await importHarFile(saved);
    const queued = expected.requests.find((request) => request.waitedForPool !== null)!;
    await page.locator(`#har-row-${queued.index}`).click();
    await expect
      .poll(() => text(page, 'har-entry-cause'))
      .toMatch(
        /^queued \d+ ms: both connections to http:\/\/127\.0\.0\.1:\d+ were busy, and it was sent only when c\d finished its previous request \(the run's maxSockets is 2\)\.$/,
      );
    expect(await page.locator(`#har-row-${queued.index}`).textContent()).toMatch(/queued [\d.]+ ms: 2 busy/);
    expect(await readingProblems(page, 'a re-opened lab run with queued requests')).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('a broken HAR is one message in place', async () => {
    const broken = join(scratch, 'broken.har');
    await writeFile(broken, '{"log": {"version": "1.2", "entries": [ {"startedDateTime": ');
    const page = await browser.newPage();
    await page.goto(`${serve.url}#captures`);
    await page.getByTestId('capture-file-input').setInputFiles(broken);
    const error = page.getByTestId('capture-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toMatch(/Cannot open broken\.har:.*not a HAR file: the JSON is broken/);
    expect(await error.textContent()).not.toContain(scratch);
    await page.close();
  });
});
