import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';
import { openHttpLab, runToFinish } from './helpers/lab-page';

describe('Reports view in the web mode', () => {
  const web = webModeInChromium();

  it('lists what this page ran and downloads an HTML report with its numbers', async () => {
    const page = await web.browser.newPage({ acceptDownloads: true });
    const watch = watchPage(page);
    // each page load is its own session: the run is made from this page, then its report is opened
    await openHttpLab(page, web.serve.url);
    await page.getByLabel('Scenario').selectOption('drained-body');
    await runToFinish(page, 'Run', 30_000);
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
