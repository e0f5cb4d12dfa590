/**
 * "Why was this connection opened?" in the HTTP lab, in Chromium through the web
 * mode: the request table's why column names the held body, selecting a request
 * says it in a sentence and outlines it on the timeline; undici's second
 * connection is a headline card, and the comparison with one event-loop turn
 * between requests shows 2 vs 1 connections. Saves docs/screenshots/http-why-column.png
 * and http-surprise-undici.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';
import { openHttpLab, runToFinish } from './helpers/lab-page';
import { MIN_LABEL_WIDTH_PX } from '@renderer/features/timeline/draw-timeline';
import { AXIS_HEIGHT_PX, ROW_HEIGHT_PX } from '@renderer/features/timeline/lane-layout';

/** ms a 10-request run may take on a busy 2-core machine */
const RUN_TIMEOUT_MS = 30_000;

async function runPreset(page: Page, preset: string): Promise<void> {
  await page.getByLabel('Scenario').selectOption(preset);
  await runToFinish(page, 'Run', RUN_TIMEOUT_MS);
}

const table = (page: Page) => page.getByRole('region', { name: 'Requests of the run' });

describe('why was this connection opened, in Chromium', () => {
  const web = webModeInChromium();

  it('names the held body in the why column, and a selected request says it in a sentence', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await openHttpLab(page, web.serve.url);
    await runPreset(page, 'ignored-body');
    const rows = table(page).locator('tbody tr');
    expect(await rows.count()).toBe(10);
    expect(await rows.nth(0).locator('.why-column').textContent()).toContain('first');
    const second = await rows.nth(1).locator('.why-column').textContent();
    expect(second).toContain('body not read');
    expect(second).toContain("c1 was still holding request 1's unread body");
    // the expected 10 connections for 10 ignored bodies are no surprise
    expect(await page.getByTestId('surprise').count()).toBe(0);

    // the lane: hovering its label says why it was opened; the screen-reader summary says it too
    const timeline = page.locator('.timeline');
    await timeline.getByLabel('Group by endpoint').uncheck();
    expect(await timeline.locator('.visually-hidden').textContent()).toContain('opened: body not read');
    const canvas = timeline.locator('canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    // the label column is as wide as the longest label, at least MIN_LABEL_WIDTH_PX: its middle is on the label
    await page.mouse.move(box.x + MIN_LABEL_WIDTH_PX / 2, box.y + AXIS_HEIGHT_PX + ROW_HEIGHT_PX * 1.5);
    await expect
      .poll(() => timeline.locator('.timeline-tooltip').textContent())
      .toContain("opened because c1 was still holding request 1's unread body");
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-why-lane.png` });
    await page.mouse.move(0, 0);

    // keyboard: the request number is a button; Enter selects it
    await page.getByRole('button', { name: 'Show request 3 on the timeline' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('selection-note').textContent())
      .toBe("Request 3 opened c3 — body not read: c2 was still holding request 2's unread body (as was c1).");
    expect(await page.getByRole('button', { name: 'Show request 3 on the timeline' }).getAttribute('aria-pressed')).toBe('true');
    await table(page).evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-why-column.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('undici: the second connection is a headline card, and one event-loop turn between requests gives 1', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await openHttpLab(page, web.serve.url);
    await runPreset(page, 'undici-not-yet-free');
    const card = page.getByTestId('surprise');
    expect(await card.textContent()).toContain('More connections than needed: 2 connections for 10 requests where 1 would do.');
    expect(await card.textContent()).toContain('undici: not yet free');
    expect(await card.textContent()).toContain('await new Promise(setImmediate)');
    expect(await page.getByTestId('counter-connectionsOpened').textContent()).toBe('2');
    expect(await table(page).locator('tbody tr').nth(1).locator('.why-column').textContent()).toContain(
      'undici’s pool had not marked it free',
    );
    expect(await page.getByTestId('dead-peer').textContent()).toMatch(/On this run’s client sockets .* noticed after 1 min 10 s/);
    await page.locator('.lab-results').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-surprise-undici.png` });

    await runToFinish(page, 'Compare', 2 * RUN_TIMEOUT_MS);
    expect(await page.getByTestId('compare-differences').textContent()).toContain('connections opened: 2 vs 1');
    expect(await page.getByTestId('compare-a-surprise').textContent()).toContain('undici: not yet free');
    expect(await page.getByTestId('compare-b-surprise').count()).toBe(0);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
