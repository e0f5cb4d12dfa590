import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';

describe('Reports view in the web mode', () => {
  const web = webModeInChromium();

  it('lists what this page ran and downloads an HTML report with its numbers', async () => {
    const page = await web.browser.newPage({ acceptDownloads: true });
    const watch = watchPage(page);
    // each page load is its own session: the run is made from this page, then its report is opened
    await page.goto(`${web.serve.url}#lab/http`);
    await expect.poll(() => page.getByLabel('Scenario').locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    await page.getByLabel('Scenario').selectOption('drained-body');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('finished');
    await page.getByRole('link', { name: 'Reports' }).click();
    await expect
      .poll(() => page.getByTestId('report-contents').textContent(), { timeout: 15_000 })
      .toContain('10 requests, 1 connection, 9 reused');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export report' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.html$/);
    const html = await readFile((await download.path())!, 'utf8');
    expect(html).toContain('10 requests, 1 connection, 9 reused');
    expect(html).not.toMatch(/<script/i);
    await expect.poll(() => page.getByTestId('report-status').textContent()).toMatch(/Downloaded/);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/reports-view.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
