/**
 * A big HTTP lab run in Chromium through the web mode: while 10,000 requests stream
 * in, the status counts them and the page keeps answering; at the end the timeline
 * is drawn (a lane per connection, bars merged per pixel) and the table says it shows
 * the first rows of how many. A 100,000-request run shows progress and stops on Stop.
 * Saves docs/screenshots/http-lab-big-run.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';
import { openHttpLab, waitForRunStatus } from './helpers/lab-page';

/** ms a 10,000-request run may take on a busy 2-core machine (about 5–10 s measured) */
const BIG_RUN_TIMEOUT_MS = 90_000;

const status = (page: Page) => page.getByTestId('run-status');

/** "Running… 1234 of 10000 requests" → 1234; null when not running */
async function doneSoFar(page: Page): Promise<number | null> {
  const text = (await status(page).textContent()) ?? '';
  const match = /Running… (\d+) of (\d+) requests/.exec(text);
  return match ? Number(match[1]) : null;
}

describe('HTTP lab: a big run in Chromium', () => {
  const web = webModeInChromium();

  it('10,000 requests: progress while they stream, a readable timeline and a cut table after', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await openHttpLab(page, web.serve.url);
    await page.getByLabel('Scenario').selectOption('steady-load');
    expect(await page.getByLabel('Start requests').inputValue()).toBe('steady');
    // the page records, as it happens, every status it shows and the status shown when the disclosure
    // opens: what is checked below does not depend on how fast this machine or this test is
    await page.evaluate(() => {
      const seen: string[] = [];
      const record = window as unknown as { statusesSeen: string[]; statusWhenOpened: string | null };
      record.statusesSeen = seen;
      record.statusWhenOpened = null;
      const statusText = () => document.querySelector('[data-testid="run-status"]')?.textContent ?? '';
      new MutationObserver(() => {
        if (statusText() !== seen.at(-1)) seen.push(statusText());
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
      document
        .querySelector('details.form-more')!
        .addEventListener('toggle', () => (record.statusWhenOpened ??= statusText()), { once: true });
    });
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    // the page answers while events stream in: a click during the run opens the disclosure during the run
    await expect.poll(async () => (await doneSoFar(page)) ?? 0, { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
    await page.locator('details.form-more summary').first().click();
    await waitForRunStatus(page, 'finished', BIG_RUN_TIMEOUT_MS);
    const { statusesSeen, statusWhenOpened } = await page.evaluate(() => {
      const record = window as unknown as { statusesSeen: string[]; statusWhenOpened: string | null };
      return { statusesSeen: record.statusesSeen, statusWhenOpened: record.statusWhenOpened };
    });
    expect(statusWhenOpened).toMatch(/^Running… \d+ of 10000 requests/);
    // progress moved: the status showed several counts strictly between 0 and the total
    const counts = statusesSeen
      .map((text) => Number(/Running… (\d+) of/.exec(text)?.[1] ?? NaN))
      .filter((count) => count > 0 && count < 10_000);
    expect(new Set(counts).size).toBeGreaterThan(1);
    expect(await page.getByTestId('counter-connectionsOpened').textContent()).toBe('16');
    expect(await page.getByTestId('rows-hidden').textContent()).toBe(
      'Showing 1,000 of 10,000 requests. Pick a bar on the timeline to see any other one here.',
    );
    expect(await page.getByRole('region', { name: 'Requests of the run' }).locator('tbody tr').count()).toBe(1000);
    const timeline = page.getByTestId('lab-timeline');
    await timeline.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-lab-big-run.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('100,000 requests: the status counts them and Stop ends the run with what it saw', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openHttpLab(page, web.serve.url);
    await page.getByLabel('Scenario').selectOption('steady-load');
    await page.getByLabel('Requests', { exact: true }).fill('100000');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(async () => (await doneSoFar(page)) ?? 0, { timeout: 30_000, interval: 50 }).toBeGreaterThan(2000);
    expect(await status(page).textContent()).toMatch(/of 100000 requests/);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForRunStatus(page, 'stopped', 30_000);
    await page.close();
  });
});
