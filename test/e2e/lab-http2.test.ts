/**
 * The HTTP/2 lab in Chromium through the web mode: the "server limit" scenario runs against the lab's
 * own TLS HTTP/2 server, and the page shows one connection, 15 of 20 requests waiting for a stream,
 * a lane with the streams on the timeline, the connection's TLS row and the explanation with the
 * measured values; the idle GOAWAY scenario shows the GOAWAY and resumed sessions.
 * Saves docs/screenshots/http2-lab*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { runToFinish, unlabelledControls, waitForRunStatus } from './helpers/lab-page';
import { webModeInChromium } from './helpers/web-mode';

/** ms a run may take on a busy 2-core machine */
const RUN_TIMEOUT_MS = 30_000;

async function runScenario(page: Page, title: string): Promise<void> {
  await page.getByTestId('http2-preset').selectOption({ label: title });
  await runToFinish(page, 'Run', RUN_TIMEOUT_MS);
}

/** The timeline's screen-reader summary: a line per lane with what is on it. */
async function timelineSummary(page: Page): Promise<string> {
  const summaryId = await page.locator('[aria-roledescription="timeline"]').getAttribute('aria-describedby');
  return (await page.locator(`[id="${summaryId}"]`).textContent()) ?? '';
}

describe('HTTP/2 lab in Chromium', () => {
  const web = webModeInChromium();

  it('"Server limit: streams wait": one connection, 15 of 20 requests waited, explained with the measured values', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#lab/http2`);
    expect(await page.getByRole('tab', { name: 'HTTP/2 lab' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByTestId('http2-preset').locator('option').count(), { timeout: 15_000 }).toBe(5);
    await runScenario(page, 'Server limit: streams wait');
    expect(await page.getByTestId('http2-counter-connections').textContent()).toBe('1');
    expect(await page.getByTestId('http2-counter-answered').textContent()).toBe('20 of 20');
    expect(await page.getByTestId('http2-counter-waited').textContent()).toBe('15');
    const row = page.getByTestId('http2-connections').locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.first().textContent()).toMatch(/TLS 1\.3, ALPN h2, full handshake/);
    const explanations = (await page.getByTestId('http2-explanations').textContent()) ?? '';
    expect(explanations).toContain('20 requests were answered on c1 alone');
    expect(explanations).toContain('15 of 20 requests waited for a free stream');
    expect(explanations).toContain('SETTINGS_MAX_CONCURRENT_STREAMS 5');
    expect(explanations).not.toMatch(/\{[A-Za-z]+\}|undefined|NaN/);
    // the connection's lane, then a row per stream the server ran at once (20 requests, 5 at a time)
    const summary = await timelineSummary(page);
    expect(summary).toMatch(/^1 connection,.*c1 :\d+ · TLS 1\.3 h2.*↳ streams 1, /s);
    expect(summary.match(/↳ streams/g)).toHaveLength(5);
    expect(await unlabelledControls(page)).toEqual([]);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http2-lab.png`, fullPage: true });

    await runScenario(page, 'Idle GOAWAY and TLS resumption');
    expect(await page.getByTestId('http2-counter-connections').textContent()).toBe('3');
    expect(await page.getByTestId('http2-counter-goaways').textContent()).toBe('2');
    const rows = (await page.getByTestId('http2-connections').locator('tbody tr').allTextContents()).join('\n');
    expect(rows).toContain('NO_ERROR, last stream 1');
    expect(rows).toContain('resumed');
    expect(await timelineSummary(page)).toContain('HTTP/2 GOAWAY');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http2-lab-goaway.png`, fullPage: true });

    await runScenario(page, 'PING too often: ENHANCE_YOUR_CALM');
    expect(await page.getByTestId('http2-counter-goaways').textContent()).not.toBe('0');
    expect(await page.getByTestId('http2-explanations').textContent()).toMatch(/GOAWAY ENHANCE_YOUR_CALM “too_many_pings”/);
    expect(await timelineSummary(page)).toMatch(/\d+ HTTP\/2 PINGs?, 1 HTTP\/2 GOAWAY/);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http2-lab-pings.png`, fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.failedRequests).toEqual([]);
    await page.close();
  });

  it('a live run with undici: the timeline and counters fill while it runs, Stop ends it early', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#lab/http2`);
    await expect.poll(() => page.getByTestId('http2-preset').locator('option').count(), { timeout: 15_000 }).toBe(5);
    await page.getByLabel('HTTP/2 client').selectOption('undici');
    await page.getByLabel('Requests', { exact: true }).fill('100');
    await page.getByLabel('At once', { exact: true }).fill('1');
    await page.getByLabel(/Pause before each request/).fill('100');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    // streamed: requests drawn on the connection's lane while the run still goes
    await expect.poll(() => timelineSummary(page), { timeout: RUN_TIMEOUT_MS }).toMatch(/c1 :\d+ · TLS 1\.3 h2: \d+ requests/);
    expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('running');
    expect(await page.getByTestId('http2-counter-connections').textContent()).toBe('1');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http2-lab-live.png`, fullPage: true });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForRunStatus(page, 'stopped', RUN_TIMEOUT_MS);
    expect(await page.getByTestId('http2-counter-answered').textContent()).toMatch(/^\d+ of 100$/);
    expect(await page.getByTestId('http2-counter-answered').textContent()).not.toBe('100 of 100');
    expect(await page.getByTestId('http2-connections').textContent()).toMatch(/TLS 1\.3, ALPN h2/);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
