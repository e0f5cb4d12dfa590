/**
 * The TCP keepalive experiment stopped half-way, in Chromium through the web mode at 1280 × 800:
 * the kernel-timers table reads the kernel again (the closed sockets leave it instead of staying
 * "ESTAB keepalive"), the status does not speak of requests, every column of the table is in view,
 * and the probes counted are an idle time apart (each answered probe restarts the idle time).
 * Saves docs/screenshots/tcp-lab-stopped.png. The echo server stopped after one real exchange counts
 * it, and the pool's summary is the pool the run left (tcp-lab-echo-stopped.png, tcp-lab-pool.png).
 */
import { describe, expect, it } from 'vitest';
import { MuxClient } from '@engine/lab/mux-client';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';

describe('TCP keepalive stopped in Chromium', () => {
  const web = webModeInChromium();

  it('clears the kernel timers of the closed connection, says what Stop covers and keeps every column in view', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#lab/tcp`);
    await expect.poll(() => page.getByRole('tab', { name: 'TCP lab' }).getAttribute('aria-selected'), { timeout: 15_000 }).toBe('true');
    await page.getByRole('radio', { name: 'TCP keepalive' }).check();
    await page.getByLabel('Idle before the first probe').fill('2');
    await page.getByLabel('Between probes').fill('1');
    await page.getByLabel('Hold the connection idle for').fill('60');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const table = page.getByTestId('kernel-timers');
    await expect.poll(() => table.locator('tr.timer-keepalive').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // two probes (about 2 and 4 s after the exchange), then Stop
    const liveProbes = () =>
      page
        .getByTestId('tcp-stats')
        .locator('.stats-row', { has: page.locator('dt', { hasText: /^probes seen/ }) })
        .locator('dd')
        .textContent();
    await expect.poll(liveProbes, { timeout: 20_000 }).toMatch(/^[2-9]/);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 20_000 }).toBe('stopped');
    expect(await page.getByTestId('run-status').textContent()).toBe('Stopped: the figures cover what happened before Stop.');
    // read again after the run: no socket of the run is still shown with a live keepalive timer
    await expect.poll(() => table.locator('tr.timer-keepalive').count(), { timeout: 5_000 }).toBe(0);
    expect(await table.locator('td', { hasText: /^ESTAB$/ }).count()).toBe(0);
    // every column in view: the table fits its scrolling region
    const region = page.getByRole('region', { name: 'Kernel timers' });
    const fits = await region.evaluate((element) => element.scrollWidth <= element.clientWidth + 1);
    expect(fits).toBe(true);
    const summaryProbes = await page
      .getByTestId('tcp-stats')
      .locator('.stats-row', { has: page.locator('dt', { hasText: /^probes seen$/ }) })
      .locator('dd')
      .textContent();
    const times = [...(summaryProbes ?? '').matchAll(/(\d+\.\d) s/g)].map((match) => Number(match[1]));
    expect(times.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1.8);
    await page.locator('.lab-panel .run-status').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/tcp-lab-stopped.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  }, 90_000);

  it('the echo server, stopped after one exchange, counts it; the pool summary is the pool at the end of the run', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#lab/tcp`);
    await expect.poll(() => page.getByRole('tab', { name: 'TCP lab' }).getAttribute('aria-selected'), { timeout: 15_000 }).toBe('true');
    await page.getByRole('radio', { name: 'Echo server' }).check();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const listener = page.getByTestId('tcp-listener');
    await expect.poll(() => listener.textContent(), { timeout: 10_000 }).toMatch(/listening on 127\.0\.0\.1:\d+/);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec((await listener.textContent()) ?? '')?.[1]);
    const client = await MuxClient.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
    await client.send('hello');
    await client.close('fin');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => listener.textContent(), { timeout: 10_000 }).toContain('It accepted 1 connection and answered 1 of 1 request.');
    await page.locator('.lab-panel').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/tcp-lab-echo-stopped.png` });

    await page.getByRole('radio', { name: 'Connection pool' }).check();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('finished');
    const stat = (label: string) =>
      page
        .getByTestId('tcp-stats')
        .locator('.stats-row', { has: page.locator('dt', { hasText: label }) })
        .locator('dd')
        .textContent();
    expect(await stat('pool: connections open at the end')).toBe(await stat('connections opened'));
    await page.getByTestId('tcp-stats').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/tcp-lab-pool.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  }, 90_000);
});
