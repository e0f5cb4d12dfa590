/**
 * The HTTP lab in Chromium through the web mode: the drained and the ignored-body
 * presets against the embedded server give 1 vs N connections on the page, the
 * compare view says so in words, a refused URL is a readable message in place,
 * and the panel is usable in the dark theme. Saves docs/screenshots/http-lab*.png.
 */
import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';
import { openHttpLab, runToFinish, unlabelledControls, waitForRunStatus } from './helpers/lab-page';

/** ms a single 10-request run may take on a busy 2-core machine */
const RUN_TIMEOUT_MS = 30_000;

async function runPreset(page: Page, preset: string): Promise<void> {
  await page.getByLabel('Scenario').selectOption(preset);
  await runToFinish(page, 'Run', RUN_TIMEOUT_MS);
}

const counter = (page: Page, field: string, prefix = '') => page.getByTestId(`${prefix}counter-${field}`).textContent();

/** Top and height (CSS px, rounded) of the blocks that must not move while a run streams in. */
async function layoutBoxes(page: Page): Promise<number[]> {
  const boxes = await Promise.all(
    [
      page.getByLabel('Counters of the run'),
      page.getByTestId('lab-timeline'),
      page.getByRole('region', { name: 'Requests of the run' }),
    ].map((locator) => locator.boundingBox()),
  );
  return boxes.flatMap((box, index) =>
    index === 2 ? [Math.round(box?.y ?? -1)] : [Math.round(box?.y ?? -1), Math.round(box?.height ?? -1)],
  );
}

/** A loopback port nobody listens on: bind port 0, note it, close. */
function refusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('HTTP lab in Chromium', () => {
  const web = webModeInChromium();

  it('shows 1 connection for drained bodies and 10 for ignored ones, live counters and the per-request table', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    await openHttpLab(page, web.serve.url);
    for (const name of ['Run', 'Stop', 'Compare']) expect(await page.getByRole('button', { name, exact: true }).count()).toBe(1);
    expect(await page.getByRole('tab', { name: 'HTTP lab' }).getAttribute('aria-selected')).toBe('true');
    expect(await unlabelledControls(page)).toEqual([]);
    // focus order: the scenario, then its Run / Stop / Compare (Stop is disabled until a run starts), then the settings
    await page.getByLabel('Scenario').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Run');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Compare');

    // space is reserved: counters, timeline and the table below them keep their place when data arrives
    const boxesBefore = await layoutBoxes(page);
    await runPreset(page, 'drained-body');
    expect(await layoutBoxes(page)).toEqual(boxesBefore);
    expect(await counter(page, 'connectionsOpened')).toBe('1');
    expect(await counter(page, 'handshakesSaved')).toBe('9');
    expect(await counter(page, 'reusePercent')).toBe('90 %');
    expect(await page.getByRole('region', { name: 'Requests of the run' }).locator('tbody tr').count()).toBe(10);
    expect(await page.getByRole('article', { name: 'Connection reused (HTTP keep-alive)' }).count()).toBe(1);

    await runPreset(page, 'ignored-body');
    expect(await counter(page, 'connectionsOpened')).toBe('10');
    expect(await counter(page, 'handshakesSaved')).toBe('0');
    expect(await page.getByRole('article', { name: 'New connection because the body was not read' }).textContent()).toContain(
      '10 connections for 10 requests',
    );
    expect(await page.getByTestId('timer-verdict').textContent()).toContain('server first, after 5 s');
    await page.locator('.lab-controls').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-lab.png` });
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-lab-full.png`, fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('compares drained with ignored side by side and says "connections opened: 1 vs 10"', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    await openHttpLab(page, web.serve.url);
    await page.getByLabel('Scenario').selectOption('drained-body');
    await runToFinish(page, 'Compare', 2 * RUN_TIMEOUT_MS);
    expect(await page.getByTestId('compare-differences').textContent()).toContain('connections opened: 1 vs 10');
    expect(await counter(page, 'connectionsOpened', 'compare-a-')).toBe('1');
    expect(await counter(page, 'connectionsOpened', 'compare-b-')).toBe('10');
    await page.locator('.lab-results').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-lab-compare.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows a refused URL as a readable message in place, and stops a run on Stop, in the dark theme', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.emulateMedia({ colorScheme: 'dark' });
    await openHttpLab(page, web.serve.url);
    const port = await refusedPort();
    await page.getByLabel('Server', { exact: true }).selectOption('url');
    await page.getByLabel('URL', { exact: true }).fill(`http://127.0.0.1:${port}/`);
    await page.getByLabel('Requests', { exact: true }).fill('2');
    await runToFinish(page, 'Run', RUN_TIMEOUT_MS);
    const message = await page.getByTestId('run-error').textContent();
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain(`127.0.0.1:${port}`);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(15, 19, 24)');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-lab-dark.png` });

    // Stop cancels the job: a 6 s run (three requests 3 s apart) ends early with what it saw
    await page.getByLabel('Scenario').selectOption('idle-gaps-tcp-keepalive');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForRunStatus(page, 'running', RUN_TIMEOUT_MS);
    await expect
      .poll(() => page.getByRole('region', { name: 'Requests of the run' }).locator('tbody tr:not(:has(.empty-row))').count(), {
        timeout: RUN_TIMEOUT_MS,
      })
      .toBe(1);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForRunStatus(page, 'stopped', RUN_TIMEOUT_MS);
    expect(await page.getByRole('region', { name: 'Requests of the run' }).locator('tbody tr').count()).toBeLessThan(3);
    await page.close();
  });

  it('captures the idle-gaps run with tcpdump and puts its keep-alive probes on the page', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    await openHttpLab(page, web.serve.url);
    await page.getByLabel('Capture packets (tcpdump): shows keep-alive probes').check();
    // three requests 3 s apart with TCP keepalive after 1 s idle: probes in both gaps
    await runPreset(page, 'idle-gaps-tcp-keepalive');
    expect(await counter(page, 'connectionsOpened')).toBe('1');
    const summary = await page.getByTestId('capture-summary').textContent();
    const probes = Number(/Captured \d+ packets?: (\d+) keep-alive probe/.exec(summary ?? '')?.[1] ?? 0);
    expect(probes, summary ?? '').toBeGreaterThanOrEqual(2);
    expect(summary).toContain('1 connection of the run matched to 1 TCP stream');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-lab-keepalive-capture.png`, fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
