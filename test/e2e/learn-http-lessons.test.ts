/**
 * The HTTP lessons in Chromium through the web mode, as the learner's walk met them: a run keeps going
 * and keeps its result (and the prediction) while another lesson is open, a cancelled run says so, the
 * stale-race lesson's runs raise no "more connections than needed", the held-open lesson's table names
 * the unread body, the HTTP/2 stream rows count their own streams, the HAR lanes count no probes, and a
 * glossary tip opened by keyboard focus closes on Escape. Saves docs/screenshots/learn-http-*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { GLOSSARY } from '@shared/glossary';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';

/** ms a lesson's runs may take on a busy 2-core machine */
const RUN_TIMEOUT_MS = 45_000;

async function openLesson(page: Page, baseUrl: string, id: string): Promise<void> {
  await page.goto(`${baseUrl}#learn/${id}`);
  await page.getByTestId('lesson').getByRole('heading', { level: 2 }).waitFor({ timeout: 15_000 });
}

/** The screen-reader summary of the `index`th timeline on the page. */
async function timelineSummary(page: Page, index = 0): Promise<string> {
  const summaryId = await page.locator('[aria-roledescription="timeline"]').nth(index).getAttribute('aria-describedby');
  return (await page.locator(`[id="${summaryId}"]`).textContent()) ?? '';
}

describe('HTTP lessons in Chromium', () => {
  const web = webModeInChromium();

  it('keeps a run that finishes while another lesson is open, with its prediction; the stale race raises no surprise', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await openLesson(page, web.serve.url, 'stale-race');
    const lesson = page.getByTestId('lesson');
    await lesson.getByRole('radio', { name: /^It fails with a reset/ }).check();
    await lesson.getByRole('button', { name: 'Run the experiment' }).click();
    await page.getByRole('status').filter({ hasText: 'Running on this machine' }).waitFor();
    // away to another lesson while it runs (about 3 s), then back once it has had time to finish
    await page.getByRole('link', { name: 'Two responses held open' }).click();
    await lesson.getByRole('heading', { level: 2, name: 'Two responses held open' }).waitFor();
    await expect.poll(() => page.getByTestId('learn-count').textContent(), { timeout: RUN_TIMEOUT_MS }).toMatch(/^1 of /);
    await page.getByRole('link', { name: /The stale keep-alive race/ }).click();
    const result = page.getByTestId('lesson-result');
    await result.waitFor({ timeout: 5_000 });
    expect(await lesson.getByRole('radio', { name: /^It fails with a reset/ }).isChecked()).toBe(true);
    expect(await page.getByTestId('lesson-observed').textContent()).toMatch(/^It fails with a reset/);
    const text = (await result.textContent()) ?? '';
    expect(text).not.toContain('More connections than needed');
    expect(text).not.toContain('Raise the client’s idle timeout');
    expect(text).toContain('one per request, as intended');
    expect(await lesson.textContent()).toContain('closes at the moment the request arrives');
    // each run's request table fits its half of the comparison at 1280 px: no column hidden behind a sideways scroll
    const tables = page.locator('.compare-column .table-scroll');
    expect(await tables.count()).toBe(2);
    const overflow = await tables.evaluateAll((elements) => elements.map((element) => element.scrollWidth - element.clientWidth));
    expect(overflow).toEqual([0, 0]);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-http-stale-race.png`, fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });

  it('says a cancelled run was cancelled; the held-open lesson’s table names the unread body', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    // cancelled: the stale-race lesson, whose two runs take about 2 s (the held-open one is over in a blink)
    await openLesson(page, web.serve.url, 'stale-race');
    const lesson = page.getByTestId('lesson');
    await lesson.getByRole('radio', { name: /^It fails with a reset/ }).check();
    const runButton = lesson.getByRole('button', { name: 'Run the experiment' });
    await runButton.click();
    await lesson.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('lesson-cancelled').waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await page.getByTestId('lesson-cancelled').textContent()).toContain('Cancelled');
    expect(await page.getByTestId('lesson-result').count()).toBe(0);
    // the prediction stays, and the lesson can run again
    expect(await lesson.getByRole('radio', { name: /^It fails with a reset/ }).isChecked()).toBe(true);
    expect(await runButton.isEnabled()).toBe(true);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-http-cancelled.png` });

    await page.getByRole('link', { name: 'Two responses held open' }).click();
    await lesson.getByRole('heading', { level: 2, name: 'Two responses held open' }).waitFor();
    await lesson.getByRole('radio', { name: /^2 — / }).check();
    await runButton.click();
    const result = page.getByTestId('lesson-result');
    await result.waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await page.getByTestId('lesson-cancelled').count()).toBe(0);
    const text = (await result.textContent()) ?? '';
    expect(text).toContain("c1 was still holding request 1's unread body");
    expect(text).not.toContain('still being dialled');
    expect(await lesson.textContent()).toContain('“ignore — never read it”');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-http-two-held-open.png`, fullPage: true });

    // the legend's "busy (body unread)" defines itself, and its tip closes on Escape with focus kept
    const legendTerm = page.locator('.timeline-legend li[data-key="body-unread"] .term').first();
    await legendTerm.focus();
    const tip = page.locator('.timeline-legend li[data-key="body-unread"] .term-tip').first();
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toBe(GLOSSARY.bodyUnread.help);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-http-tip-focus.png` });
    await page.keyboard.press('Escape');
    expect(await tip.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('term'))).toBe(true);
    // it shows again once focus comes back
    await page.keyboard.press('Tab');
    await legendTerm.focus();
    expect(await tip.isVisible()).toBe(true);
    const reused = page.locator('.timeline-legend li[data-key="request-reused"] .term-tip').first();
    expect(await reused.textContent()).toBe(GLOSSARY.reusedRequest.help);
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });

  it('HTTP/2 lessons: stream rows count their own streams; too_many_pings counts the requests sent again', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await openLesson(page, web.serve.url, 'one-connection-h2');
    const lesson = page.getByTestId('lesson');
    await lesson.getByRole('radio').first().check();
    await lesson.getByRole('button', { name: 'Run the experiment' }).click();
    await page.getByTestId('lesson-result').waitFor({ timeout: RUN_TIMEOUT_MS });
    // the HTTP/2 run's timeline is the second: each row of streams says how many it holds, not the connection's 20
    const summary = await timelineSummary(page, 1);
    const rows = [...summary.matchAll(/↳ streams? [\d, …]+: (\d+) streams? of c1/g)];
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(20);
    expect(summary).not.toMatch(/↳[^:]*: 20 streams/);
    await page.getByTestId('lesson-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-http-h2-rows.png`, fullPage: true });
    // the rows' visible labels, in Compare's narrow label column: the stream ids, not "streams 1, …"
    await page
      .locator('[aria-roledescription="timeline"]')
      .nth(1)
      .screenshot({ path: `${repoRoot}/docs/screenshots/learn-http-h2-lanes.png` });

    await openLesson(page, web.serve.url, 'too-many-pings');
    await lesson.getByRole('radio', { name: /^Sends GOAWAY/ }).check();
    await lesson.getByRole('button', { name: 'Run the experiment' }).click();
    const result = page.getByTestId('lesson-result');
    await result.waitFor({ timeout: RUN_TIMEOUT_MS });
    const retried = (await page.getByTestId('figure-h2.retried').textContent()) ?? '';
    expect(await result.textContent()).toContain(`(RFC 9113 §6.8): ${retried} in this run`);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-http-too-many-pings.png`, fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });

  it('the HAR lesson’s lanes say nothing of keep-alive probes, and its question counts the 13 requests', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await openLesson(page, web.serve.url, 'what-did-my-browser-reuse');
    const lesson = page.getByTestId('lesson');
    expect(await lesson.textContent()).toContain('13 requests');
    await lesson.getByRole('radio', { name: /^6 — / }).check();
    await lesson.getByRole('button', { name: 'Run the experiment' }).click();
    await page.getByTestId('lesson-result').waitFor({ timeout: RUN_TIMEOUT_MS });
    const summary = await timelineSummary(page);
    expect(summary).toMatch(/^6 connections/);
    expect(summary).not.toContain('keep-alive probe');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-http-har.png`, fullPage: true });
    await context.close();
  });
});
