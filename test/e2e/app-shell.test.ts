import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';

describe('web mode in Chromium', () => {
  const web = webModeInChromium();

  it('renders the app frame with the info panel filled by a real round trip to the engine', async () => {
    const page = await web.browser.newPage();
    const watch = watchPage(page);
    await page.goto(web.serve.url);
    await expect
      .poll(() => page.getByTestId('info-keepalive').textContent(), { timeout: 15_000 })
      .toMatch(/first probe after|not readable/);
    expect(await page.getByTestId('info-version').textContent()).toMatch(/Keepalive Lab \d+\.\d+\.\d+ \(web mode\)/);
    expect(await page.getByTestId('info-platform').textContent()).toContain(`Node ${process.versions.node}`);
    for (const name of ['Lab', 'Captures', 'Reports']) {
      expect(await page.getByRole('link', { name }).count()).toBe(1);
    }
    await page.getByRole('link', { name: 'Captures' }).click();
    expect(await page.getByRole('link', { name: 'Captures' }).getAttribute('aria-current')).toBe('page');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/app.png` });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.failedRequests).toEqual([]);
    await page.close();
  });

  it('shows a readable refusal, not the app, without the token', async () => {
    const page = await web.browser.newPage();
    const refused = page.waitForResponse((response) => new URL(response.url()).pathname === '/token-required');
    await page.goto(web.serve.origin + '/');
    expect((await refused).status()).toBe(401);
    await page.waitForURL(/\/token-required$/);
    expect(await page.textContent('body')).toContain('token required');
    await page.close();
  });
});
