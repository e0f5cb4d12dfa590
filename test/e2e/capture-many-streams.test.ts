/**
 * A capture with 120,000 streams in the web mode: it opens with the stream count in the summary,
 * the stream list pages to its last stream, and sorting and filtering (done by the engine) show
 * what the engine's own analysis of the file says; the timeline says why none of its annotated
 * packets is drawn. The capture is generated here (short connections, about 0.94 M packets) and
 * removed after. Saves the stream list's and the timeline's screenshots.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { streamWindow } from '@engine/capture/stream-window';
import { analysisFlagNames } from '@engine/capture/tcp-flags';
import { formatDuration } from '@renderer/features/capture/format';
import type { CaptureStream } from '@shared/api-capture';
import { STREAM_PAGING_PACKETS } from '../../bench/stream-paging';
import { writeSyntheticCapture } from '../../bench/make-capture';
import { removeUploadedCopies } from '../../bench/timeline';
import { launchChromium, repoRoot, startServe, watchPage, type ServeProcess } from './helpers/browser';

const FILE_NAME = 'many-streams.pcap';
let folder = '';
let file = '';
let streams: readonly CaptureStream[] = [];
/** the engine's annotated packets, by their annotations ("reused_ports": port numbers wrap after 28,000 connections) */
const annotated = new Map<string, number>();
let serve: ServeProcess;
let browser: Browser;
const started = Date.now();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kl-many-streams-'));
  file = join(folder, FILE_NAME);
  writeSyntheticCapture(file, STREAM_PAGING_PACKETS, { shortConnections: true });
  const analysis = await analyzeCaptureFile(file);
  streams = analysis.streams;
  for (let index = 0; index < analysis.table.length; index++) {
    const bits = analysis.table.analysis[index] ?? 0;
    const names = analysisFlagNames(bits).join('+');
    if (bits !== 0) annotated.set(names, (annotated.get(names) ?? 0) + 1);
  }
  [serve, browser] = await Promise.all([startServe(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await rm(folder, { recursive: true, force: true });
  await removeUploadedCopies([FILE_NAME], started);
});

/** The stream numbers and packet counts of the rows on screen, top to bottom. */
async function shownRows(list: Locator): Promise<Array<{ stream: number; packets: number }>> {
  const rows = await list
    .locator('[role="row"][aria-rowindex]:not([aria-rowindex="1"])')
    .evaluateAll((elements) =>
      elements.map((element) => Array.from(element.querySelectorAll('[role="gridcell"]'), (cell) => cell.textContent ?? '')),
    );
  return rows
    .filter((cells) => cells.length > 2)
    .map((cells) => ({ stream: Number(cells[0]), packets: Number(cells[2]?.replace(/,/g, '')) }));
}

async function firstRowIs(list: Locator, stream: number): Promise<void> {
  await list
    .locator('[role="row"][aria-rowindex="2"] [role="gridcell"]')
    .first()
    .filter({ hasText: new RegExp(`^${stream}$`) })
    .waitFor();
}

const count = (value: number) => value.toLocaleString('en-US');

describe('a capture with 120,000 streams', () => {
  it('opens with its stream count, pages to the last stream, sorts and filters as the engine does', async () => {
    expect(streams.length).toBeGreaterThanOrEqual(120_000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await page.goto(`${serve.url}#captures`);
    await page.getByTestId('capture-file-input').setInputFiles(file);
    await page.getByTestId('capture-summary').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('sum-streams').textContent()).toContain(streams.length.toLocaleString('en-US'));
    // the HTTP count is a sum over every stream, though the page holds only the first 1,000
    const requests = streams.reduce((sum, row) => sum + row.httpRequests, 0);
    expect(requests).toBeGreaterThan(50_000);
    expect(await page.getByTestId('sum-http').textContent()).toContain(requests.toLocaleString('en-US'));
    // its annotated packets are SYNs of reused ports, which the timeline does not mark: the page says so, not just their count
    const reused = annotated.get('reused_ports') ?? 0;
    expect([...annotated.keys()]).toEqual(['reused_ports']);
    await page.getByTestId('timeline-marks-note').waitFor();
    // the first 1,000 to start all end in the first third of a second of 35: the sentence says where to look
    const firstThousandEndS = Math.max(...streams.slice(0, 1000).map((stream) => stream.lastTime)) - streams[0]!.firstTime;
    expect(await page.getByTestId('timeline-lanes').textContent()).toBe(
      `Lanes for 1,000 of the ${count(streams.length)} streams in the capture (the first to start, all in its first ${formatDuration(firstThousandEndS)}): zoom in to draw the others, or pick one in the Streams list.`,
    );
    expect(await page.getByTestId('capture-timeline').locator('.panel-head').textContent()).toContain(`${count(reused)} annotated packets`);
    expect(await page.getByTestId('timeline-marks-note').textContent()).toBe(
      `None of the ${count(reused)} annotated packets is drawn: they are annotated Ports reused, which the timeline does not mark. The Packets list’s filters find them.`,
    );
    await page.getByTestId('capture-timeline').screenshot({ path: join(repoRoot, 'docs/screenshots/capture-many-streams-timeline.png') });
    await page.getByRole('tab', { name: `Streams (${streams.length.toLocaleString('en-US')})` }).click();
    const list = page.getByTestId('stream-list');
    await firstRowIs(list, 0);
    expect(await list.getAttribute('aria-rowcount')).toBe(String(streams.length + 1));

    // End: the list asks for the last window and shows the last stream
    await list.focus();
    await page.keyboard.press('End');
    const last = streams.at(-1)!;
    await list
      .locator(`[role="row"][aria-rowindex="${streams.length + 1}"] [role="gridcell"]`)
      .first()
      .filter({ hasText: String(last.stream) })
      .waitFor();
    expect((await shownRows(list)).at(-1)).toEqual({ stream: last.stream, packets: last.packets });
    await page.screenshot({ path: join(repoRoot, 'docs/screenshots/capture-many-streams.png'), fullPage: true });

    // sorted by packets (most first) and filtered to resets: the engine's own order and count
    await page.getByTestId('stream-sort').selectOption('packets');
    await page.getByTestId('stream-filter-end').selectOption('rst');
    const expected = streamWindow(streams, {
      offset: 0,
      limit: 10,
      sort: { key: 'packets', direction: 'descending' },
      filter: { end: 'rst' },
    });
    await page
      .getByTestId('stream-list-count')
      .filter({ hasText: `${expected.total.toLocaleString('en-US')} of` })
      .waitFor();
    await firstRowIs(list, expected.streams[0]!.stream);
    const shown = (await shownRows(list)).slice(0, 10);
    expect(shown).toEqual(expected.streams.map((row) => ({ stream: row.stream, packets: row.packets })));

    // a stream number typed in the filter: that stream (and the streams whose endpoints contain it)
    await page.getByTestId('stream-filter-end').selectOption('');
    await page.getByTestId('stream-filter-text').fill(`#${last.stream}`);
    await page
      .getByTestId('stream-list-count')
      .filter({ hasText: `1 of ${streams.length.toLocaleString('en-US')}` })
      .waitFor();
    expect(await shownRows(list)).toEqual([{ stream: last.stream, packets: last.packets }]);

    // choosing it lists its packets (their rows name its endpoints) and zooms the timeline to it
    await list.locator('[role="row"][aria-rowindex="2"]').click();
    await page.getByRole('button', { name: `Stream ${last.stream} ✕` }).waitFor();
    await page
      .getByTestId('capture-timeline')
      .filter({ hasText: `zoomed to stream ${last.stream}` })
      .waitFor();
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  }, 180_000);
});
