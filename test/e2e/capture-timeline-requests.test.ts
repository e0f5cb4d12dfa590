/**
 * The capture timeline teaches connection reuse, in Chromium through the web mode: on a public HTTP
 * capture (zeek__bro.org.pcap: 13 connections, 31 requests, every connection seen from its SYN),
 * each lane draws its requests — the first on a connection in the lab's "new connection" colour,
 * the later ones in its "reused" colour — and its FINs, as many as tshark counts per stream; the
 * legend's request and FIN entries are no longer dimmed (RST stays dimmed: the capture has none);
 * hovering a bar says which request it is; clicking it selects the request's packet. Then a capture
 * of thousands of short connections, each with requests. Saves both screenshots.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_ROLE } from '@renderer/features/capture/lane-events';
import { AXIS_HEIGHT_PX, ROW_HEIGHT_PX } from '@renderer/features/timeline/lane-layout';
import { writeSyntheticCapture } from '../../bench/make-capture';
import { removeUploadedCopies } from '../../bench/timeline';
import { launchChromium, repoRoot, startServe, watchPage, type ServeProcess } from './helpers/browser';

const corpus = resolve(repoRoot, '../shared/captures/public');
const screenshots = resolve(repoRoot, 'docs/screenshots');
const HTTP_CAPTURE = 'zeek__bro.org.pcap';
const MANY = 'many-reused-connections.pcap';

let serve: ServeProcess;
let browser: Browser;
let folder = '';
const started = Date.now();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kl-timeline-requests-'));
  [serve, browser] = await Promise.all([startServe(), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await rm(folder, { recursive: true, force: true });
  await removeUploadedCopies([HTTP_CAPTURE, MANY], started);
});

async function open(page: Page, file: string): Promise<void> {
  await page.goto(`${serve.url}#captures`);
  await page.getByRole('button', { name: 'Open capture' }).waitFor();
  await page.getByTestId('capture-file-input').setInputFiles(file);
  await page.getByTestId('capture-summary').waitFor({ timeout: 60_000 });
  await page.getByTestId('capture-timeline').and(page.locator('[data-lanes]')).waitFor({ timeout: 60_000 });
}

/** tshark's `http.request` frames per stream. */
function tsharkRequests(file: string): Map<number, number> {
  const out = execFileSync('tshark', ['-n', '-r', file, '-Y', 'http.request && tcp', '-T', 'fields', '-e', 'tcp.stream'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString();
  const counts = new Map<number, number>();
  for (const stream of out.split('\n').filter(Boolean)) counts.set(Number(stream), (counts.get(Number(stream)) ?? 0) + 1);
  return counts;
}

/** The screen-reader summary's line for each lane, by stream number. */
async function laneLines(page: Page): Promise<Map<number, string>> {
  const items = await page.locator('.capture-timeline ul.visually-hidden li').allTextContents();
  return new Map(
    items.flatMap((item) => {
      const match = /^#(\d+) /.exec(item);
      return match ? [[Number(match[1]), item] as [number, string]] : [];
    }),
  );
}

const legendAbsent = (page: Page, key: string) =>
  page.locator(`.capture-timeline .timeline-legend li[data-key="${key}"]`).evaluate((item) => item.classList.contains('legend-absent'));

describe('the capture timeline’s requests, new and reused', () => {
  it('draws each stream’s requests and FINs as tshark counts them, in the lab’s words and colours', { timeout: 120_000 }, async () => {
    const file = join(corpus, HTTP_CAPTURE);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await open(page, file);
    const timeline = page.locator('.capture-timeline .timeline');

    // the legend: requests new and reused and FIN drawn; no RST in this capture, so that one stays dimmed
    for (const key of ['request-new', 'request-reused', 'fin']) expect(await legendAbsent(page, key), key).toBe(false);
    expect(await legendAbsent(page, 'rst')).toBe(true);

    // each lane's summary: as many requests as tshark's http.request frames, the first opened the connection, the others reused it
    const lines = await laneLines(page);
    const expected = tsharkRequests(file);
    expect(expected.size).toBe(8);
    for (const [stream, requests] of expected) {
      const line = lines.get(stream) ?? '';
      expect(line, `stream ${stream}`).toContain(`${requests} request${requests === 1 ? '' : 's'}`);
      expect(line).toContain(`request 1 ${REQUEST_ROLE.opened}`);
      if (requests > 2) expect(line).toContain(`requests 2–${requests} reused it`);
      if (requests === 2) expect(line).toContain('request 2 reused it');
    }
    expect(lines.get(0)).toMatch(/FIN from [\d.]+:\d+/);

    // hover along the busiest lane: request 1 says it opened the connection, a later one that it reused it
    await timeline.getByLabel('Sort lanes by').selectOption('requests');
    await timeline.getByLabel('Group by endpoint').uncheck();
    const canvas = timeline.locator('canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const laneY = box.y + AXIS_HEIGHT_PX + ROW_HEIGHT_PX / 2;
    const tooltip = timeline.locator('[role="tooltip"]:not(.term-tip)');
    const seen = new Map<string, number>();
    // from the canvas's left edge: the label column is as wide as the labels need (LABEL_WIDTH_PX at most)
    for (let x = box.x + 1; x < box.x + box.width - 2 && seen.size < 2; x += 1) {
      await page.mouse.move(x, laneY);
      const words = (await tooltip.count()) > 0 ? ((await tooltip.textContent()) ?? '') : '';
      if (words.includes(`request 1 on stream 0 — ${REQUEST_ROLE.opened}`) && words.startsWith('request on a new connection'))
        seen.set('new', x);
      else if (/request \d on stream 0 — reused the connection/.test(words) && words.startsWith('request on a reused connection'))
        seen.set('reused', x);
    }
    expect([...seen.keys()].sort()).toEqual(['new', 'reused']);

    // clicking request 1's bar selects its packet: the GET whose header block it completes
    await page.mouse.click(seen.get('new')!, laneY);
    const details = page.getByTestId('packet-details');
    await expect.poll(() => details.locator('h2').textContent(), { timeout: 10_000 }).toMatch(/^Frame \d+$/);
    const frame = Number(((await details.locator('h2').textContent()) ?? '').replace('Frame ', ''));
    const first = execFileSync('tshark', ['-n', '-r', file, '-Y', 'tcp.stream==0 && http.request', '-T', 'fields', '-e', 'frame.number'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .split('\n')[0];
    expect(frame).toBe(Number(first));

    // the screenshot shows request 1's words on hover
    await page.mouse.move(seen.get('new')!, laneY);
    await tooltip.waitFor();
    await page.getByTestId('capture-timeline').scrollIntoViewIfNeeded();
    await page.getByTestId('capture-timeline').screenshot({ path: join(screenshots, 'capture-timeline-requests.png') });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('draws new and reused requests on a capture of more connections than lanes', { timeout: 180_000 }, async () => {
    const file = join(folder, MANY);
    // about 1,900 connections of 2 to 6 requests each, a tenth ended by RST
    writeSyntheticCapture(file, 40_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await open(page, file);
    const timeline = page.getByTestId('capture-timeline');
    const streams = Number(await timeline.getAttribute('data-lane-streams'));
    expect(Number(await timeline.getAttribute('data-lanes'))).toBeLessThan(streams);
    for (const key of ['request-new', 'request-reused', 'fin', 'rst']) expect(await legendAbsent(page, key), key).toBe(false);
    const lines = [...(await laneLines(page)).values()];
    expect(lines.length).toBeGreaterThan(50);
    // every lane listed says what its first request did, which reused the connection, and how it ended
    for (const line of lines) {
      const requests = Number(/: (\d+) requests/.exec(line)?.[1]);
      expect(requests, line).toBeGreaterThanOrEqual(2);
      const reused = requests === 2 ? 'request 2 reused it' : `requests 2–${requests} reused it`;
      expect(line).toContain(`request 1 ${REQUEST_ROLE.opened}, ${reused}; `);
      expect(line).toMatch(/(FIN|RST) from 127\.0\.0\.1:\d+/);
    }
    await timeline.scrollIntoViewIfNeeded();
    await timeline.screenshot({ path: join(screenshots, 'capture-timeline-many-requests.png') });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
