/**
 * The two HTTP/2 lessons in Chromium through the web mode, with the keyboard alone: "one connection
 * for everything" shows 6 HTTP/1.1 connections against 1 HTTP/2 connection carrying 20 streams; "GOAWAY
 * too_many_pings" shows the PING interval against the server's minimum, the GOAWAY's error code and last
 * stream id, and the connections it ended highlighted. The HTTP/2 timeline's legend speaks of streams
 * and stream slots, not a pool. Saves docs/screenshots/learn-h2-*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';
import { tabTo } from './helpers/keyboard';
import { runToFinish } from './helpers/lab-page';
import { http1OnlyWordsIn } from '../helpers/http1-only-words';
import { findLesson } from '@shared/lessons';

/** ms a lesson's runs may take on a busy 2-core machine */
const RUN_TIMEOUT_MS = 45_000;

/** Opens a lesson, picks its expected choice and runs it, all from the keyboard; resolves when the result shows. */
async function runWithKeyboard(page: Page, url: string, lessonId: string): Promise<void> {
  const lesson = findLesson(lessonId)!;
  await page.goto(`${url}#learn/${lessonId}`);
  await page.getByTestId('lesson').getByRole('heading', { level: 2, name: lesson.title }).waitFor({ timeout: 15_000 });
  await tabTo(page, '.lesson-choices input[type=radio]');
  await page.keyboard.press('Space');
  for (let step = 0; step < lesson.choices.findIndex((choice) => choice.id === lesson.expected); step++)
    await page.keyboard.press('ArrowDown');
  await tabTo(page, '.lesson-actions button.primary');
  await page.keyboard.press('Enter');
  await page.getByTestId('lesson-result').waitFor({ timeout: RUN_TIMEOUT_MS });
}

describe('HTTP/2 lessons in Chromium', () => {
  const web = webModeInChromium();

  it('one connection for everything: 6 HTTP/1.1 connections, 1 HTTP/2 connection with 20 streams', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await runWithKeyboard(page, web.serve.url, 'one-connection-h2');
    const result = page.getByTestId('lesson-result');
    expect(await page.getByTestId('lesson-observed').textContent()).toBe('1 — every request is its own stream on it');
    expect(await result.getByRole('heading', { level: 3 }).first().textContent()).toContain('Your prediction held');
    expect(await page.getByTestId('figure-h1.connectionsOpened').textContent()).toBe('6');
    expect(await page.getByTestId('figure-h2.connectionsOpened').textContent()).toBe('1');
    expect(await page.getByTestId('figure-h2.streamsOnFirstConnection').textContent()).toBe('20');
    const lanes = page.getByTestId('lesson-lanes');
    expect(await lanes.nth(0).locator('li').count()).toBe(6);
    expect(await lanes.nth(1).locator('[data-highlighted="true"]').count()).toBe(1);
    expect(await lanes.nth(1).textContent()).toMatch(/20 streams, up to \d+ at once · TLS 1\.3/);
    // the two runs in the Lab's Compare view: each side in its own protocol's words
    const differences = (await page.getByTestId('compare-differences').textContent()) ?? '';
    expect(differences).toContain('connections opened: 6 vs 1');
    expect(differences).toContain('handshakes paid: 6 TCP + 6 TLS vs 1 TCP + 1 TLS');
    expect(differences).toMatch(/vs up to 20 streams, \d+ at once/);
    expect(await page.getByTestId('compare-b-counter-connections').textContent()).toBe('1');
    // the HTTP/2 column (its timeline's lane-sort choices aside, a control of the timeline itself) speaks HTTP/2 only
    const columnB = await page.getByTestId('compare-column-b').evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('select').forEach((select) => select.remove());
      return copy.textContent ?? '';
    });
    expect(http1OnlyWordsIn(columnB)).toEqual([]);
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('Over HTTP/2 the same 20 requests rode 1 connection');
    expect(text).not.toMatch(/unknown|\{/);
    // the HTTP/2 timeline's legend: streams and stream slots; the HTTP/1.1 one keeps its pool
    const legends = page.getByRole('list', { name: 'Timeline legend' });
    expect(await legends.nth(0).getAttribute('data-protocol')).toBe('http1');
    expect(await legends.nth(1).getAttribute('data-protocol')).toBe('h2');
    const h2Legend = (await legends.nth(1).textContent()) ?? '';
    expect(h2Legend).toContain('waiting for a stream slot');
    expect(h2Legend).toContain('stream on the connection already open');
    expect(h2Legend).not.toMatch(/pool|reused|keep-alive probe/);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-h2-one-connection.png`, fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.failedRequests).toEqual([]);
    await context.close();
  });

  it('GOAWAY too_many_pings: the PING interval against the server’s minimum, error code 11 and the last stream id', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await runWithKeyboard(page, web.serve.url, 'too-many-pings');
    const result = page.getByTestId('lesson-result');
    expect(await page.getByTestId('lesson-observed').textContent()).toBe(
      'Sends GOAWAY ENHANCE_YOUR_CALM “too_many_pings” and ends the connection',
    );
    expect(await page.getByTestId('figure-h2.pingIntervalMs').textContent()).toMatch(/^40\s*ms$/);
    expect(await page.getByTestId('figure-h2.serverMinPingIntervalMs').textContent()).toMatch(/^500\s*ms$/);
    expect(await page.getByTestId('figure-h2.goawayErrorCode').textContent()).toBe('11');
    expect(Number(await page.getByTestId('figure-h2.goawayLastStreamId').textContent())).toBeGreaterThanOrEqual(1);
    const lanes = page.getByTestId('lesson-lanes');
    const highlighted = lanes.locator('[data-highlighted="true"]');
    expect(await highlighted.count()).toBeGreaterThanOrEqual(1);
    expect(await highlighted.first().textContent()).toMatch(/ended by GOAWAY ENHANCE_YOUR_CALM “too_many_pings”, last stream \d+/);
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('GOAWAY with error code 11, ENHANCE_YOUR_CALM (RFC 9113 §7)');
    expect(text).toContain('gRPC proposal A8');
    expect(text).not.toMatch(/unknown|\{/);
    await result.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-h2-too-many-pings.png`, fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.failedRequests).toEqual([]);
    await context.close();
  });

  it('the HTTP/2 lab’s timeline: a wait on the connection’s lane is “waiting for a stream slot” in its tooltip and the legend', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#lab/http2`);
    await expect.poll(() => page.getByTestId('http2-preset').locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    await page.getByTestId('http2-preset').selectOption({ label: 'Server limit: streams wait' });
    await runToFinish(page, 'Run', RUN_TIMEOUT_MS);
    const legend = page.getByRole('list', { name: 'Timeline legend' });
    expect(await legend.getAttribute('data-protocol')).toBe('h2');
    expect(await legend.textContent()).not.toMatch(/pool|reused|keep-alive probe/);
    // sweep the pointer over the top of the drawing (the connection's lane holds the waits) until a wait's tooltip shows
    const canvas = page.locator('canvas[aria-roledescription="timeline"]').first();
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const tooltip = page.getByRole('tooltip');
    let found = '';
    for (let y = box.y + 4; y < box.y + 80 && !found; y += 4) {
      for (let x = box.x + box.width * 0.3; x < box.x + box.width * 0.7 && !found; x += box.width * 0.05) {
        await page.mouse.move(x, y);
        const text = (await tooltip.count()) > 0 ? ((await tooltip.textContent()) ?? '') : '';
        if (text.startsWith('waiting for a stream slot')) found = text;
      }
    }
    expect(found).toContain('waiting for a stream slot (the server’s stream limit reached)');
    expect(found).toContain('not for a connection');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http2-timeline-stream-slot.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
