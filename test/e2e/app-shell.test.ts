import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, repoRoot, startServe, watchPage, type ServeProcess } from './helpers/browser';

describe('web mode in Chromium', () => {
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    serve = await startServe();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('renders the app frame with the info panel filled by a real round trip to the engine', async () => {
    const page = await browser.newPage();
    const watch = watchPage(page);
    await page.goto(serve.url);
    await expect.poll(() => page.getByTestId('info-keepalive').textContent(), { timeout: 15_000 }).toMatch(/first probe after|not readable/);
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
    const page = await browser.newPage();
    const response = await page.goto(serve.origin + '/');
    expect(response?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('token required');
    await page.close();
  });
});
