/**
 * The web mode's token in a real browser: it leaves the address bar once the page has loaded, no
 * cookie carries it (a cookie for 127.0.0.1 would reach every local server, on any port), a reload
 * loads the app at `/` directly (no refusal on the way), and a tab without it gets the refusal page.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';

describe('the token in the browser', () => {
  const web = webModeInChromium();

  it('drops the token from the address bar, sets no cookie, and survives a reload', async () => {
    const context = await web.browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#lab/http`);
    await expect
      .poll(() => page.getByTestId('info-keepalive').textContent(), { timeout: 15_000 })
      .toMatch(/first probe after|not readable/);
    expect(page.url()).toBe(`${web.serve.origin}/#lab/http`);
    expect(page.url()).not.toContain(web.serve.token);
    expect(await context.cookies()).toEqual([]);

    // another local server, on another port, sees no token
    const seen: IncomingHttpHeaders[] = [];
    const other = createServer((req, res) => {
      seen.push(req.headers);
      res.end('other local server');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);

    // back to the app, and a reload at the token-less address: the tab's stored token brings it back
    await page.goto(`${web.serve.origin}/#lab/http`);
    // closed only now: the browser may still ask the other server for its icon after the page loaded
    await new Promise<void>((resolve) => other.close(() => resolve()));
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) expect(JSON.stringify(headers)).not.toContain(web.serve.token);
    await expect
      .poll(() => page.getByTestId('info-keepalive').textContent(), { timeout: 15_000 })
      .toMatch(/first probe after|not readable/);
    // a reload asks `/` and gets the app at once: no refusal page, no detour through /t/<token>/
    const documents: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document') documents.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    await page.reload();
    await expect
      .poll(() => page.getByTestId('info-keepalive').textContent(), { timeout: 15_000 })
      .toMatch(/first probe after|not readable/);
    expect(page.url()).toBe(`${web.serve.origin}/#lab/http`);
    expect(documents).toEqual(['200 /']);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.failedRequests).toEqual([]);
    await context.close();
  });

  it('shows a tab without the token the refusal page, and a stale token does not loop', async () => {
    const context = await web.browser.newContext();
    const page = await context.newPage();
    // the app's files load at `/`, find no token and send the tab to the refusal page
    const refused = page.waitForResponse((response) => new URL(response.url()).pathname === '/token-required');
    await page.goto(`${web.serve.origin}/`);
    expect((await refused).status()).toBe(401);
    await page.waitForURL(/\/token-required$/);
    expect(await page.textContent('body')).toContain('Access token required: open the full address that keepalive-lab serve printed');
    // a token from an earlier serve run, left in this tab: the engine closes the socket (1008), the tab forgets it
    await page.evaluate(() => sessionStorage.setItem('keepalive-lab-token', 'stale-token-of-an-earlier-run'));
    await page.goto(`${web.serve.origin}/#lab/http`);
    await page.waitForURL(/\/token-required$/);
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('keepalive-lab-token'))).toBeNull();
    expect(await page.textContent('body')).toContain('token required');
    // and a stale token in the printed address's place is forgotten too, once
    await page.evaluate(() => sessionStorage.setItem('keepalive-lab-token', 'stale-token-of-an-earlier-run'));
    await page.goto(`${web.serve.origin}/t/stale-token-of-an-earlier-run/`);
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('keepalive-lab-token'))).toBeNull();
    expect(await page.textContent('body')).toContain('token required');
    await context.close();
  });
});
