/** The Captures page's example captures in Chromium: one click opens one, analysed by the engine by id. */
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';

describe('example captures in Chromium', () => {
  const web = webModeInChromium();

  it('opens the idle keep-alive example with one click and shows its probes', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#captures`);
    await page.getByRole('button', { name: 'An idle connection with keep-alive probes' }).waitFor();
    expect(await page.locator('.capture-empty').textContent()).not.toContain('`');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/capture-examples.png` });
    await page.getByRole('button', { name: 'An idle connection with keep-alive probes' }).click();
    await expect.poll(() => page.locator('.capture-view').textContent(), { timeout: 15_000 }).toContain('idle-keepalive-probes.pcap');
    await expect.poll(() => page.locator('.capture-view').textContent(), { timeout: 15_000 }).toMatch(/keep-alive/i);
    // nothing on the page names the folder the app is installed in
    expect(await page.locator('.capture-view').textContent()).not.toContain('examples/captures');
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('opens the example HAR with one click: a lane per connection of the page load', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${web.serve.url}#captures`);
    await page.getByRole('list', { name: 'Example HAR files' }).getByRole('button').first().click();
    await page.getByTestId('har-workspace').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('har-workspace').textContent()).toContain('browser-page-load.har');
    expect(await page.getByTestId('har-connections').locator('dd').textContent()).toMatch(/^6\D/);
    await page.close();
  });

  it('opens an example from a lesson link (#captures/example/ID)', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${web.serve.url}#captures/example/rst-close`);
    await expect.poll(() => page.locator('.capture-view').textContent(), { timeout: 15_000 }).toContain('rst-close.pcap');
    expect(await page.getByRole('link', { name: 'Captures' }).getAttribute('aria-current')).toBe('page');
    await page.close();
  });
});
