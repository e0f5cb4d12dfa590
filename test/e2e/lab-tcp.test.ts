/**
 * The TCP lab in Chromium through the web mode: the multiplexing client serves
 * every request over one connection; the keepalive experiment fills the kernel
 * timers table once a second with the keepalive timer of its own socket; the echo
 * server starts and stops. Saves docs/screenshots/tcp-lab.png.
 */
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';
import { openTcpLab, runToFinish, tcpStatValue, unlabelledControls, waitForRunStatus } from './helpers/lab-page';

/** ms an experiment may take on a busy 2-core machine (the keepalive one holds 4 s) */
const RUN_TIMEOUT_MS = 30_000;

describe('TCP lab in Chromium', () => {
  const web = webModeInChromium();

  it('runs the multiplexing client: every request over one connection', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    await openTcpLab(page, web.serve.url);
    for (const name of ['Echo server', 'Multiplexing client', 'Connection pool', 'Proxy', 'TCP keepalive']) {
      await page.getByRole('radio', { name }).check();
      expect(await unlabelledControls(page), name).toEqual([]);
    }
    await page.getByRole('radio', { name: 'Multiplexing client' }).check();
    await page.getByLabel('Requests', { exact: true }).fill('100');
    await runToFinish(page, 'Run', RUN_TIMEOUT_MS);
    expect(await tcpStatValue(page, 'answered')).toBe('100');
    expect(await tcpStatValue(page, 'connections opened')).toBe('1');
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows the keepalive timer of its own socket in the kernel timers table while the experiment runs', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    await openTcpLab(page, web.serve.url);
    await page.getByRole('radio', { name: 'TCP keepalive' }).check();
    await page.getByLabel('Idle before the first probe').fill('1');
    await page.getByLabel('Between probes').fill('1');
    await page.getByLabel('Hold the connection idle for').fill('4');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const table = page.getByTestId('kernel-timers');
    await expect.poll(() => table.locator('tr.timer-keepalive').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // the row can appear a frame before its first reading fills "next in"
    await expect.poll(() => table.locator('tr.timer-keepalive td').nth(3).textContent(), { timeout: 5_000 }).toMatch(/^\d+\.\d s$/);
    await waitForRunStatus(page, 'finished', RUN_TIMEOUT_MS);
    expect(await tcpStatValue(page, 'closed with')).toBe('FIN');
    expect(await tcpStatValue(page, 'idle before the first probe')).toMatch(/^1 s \(set by the lab\)$/);
    // idle 1 s, interval 1 s, held 4 s: probes about 1, 2 and 3 s after the exchange (idle = interval here)
    expect(await tcpStatValue(page, 'probes seen')).toMatch(/^[2-9]|^\d{2}/);
    await page.locator('.lab-panel').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/tcp-lab.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('starts and stops the echo server, in the dark theme', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.emulateMedia({ colorScheme: 'dark' });
    await openTcpLab(page, web.serve.url);
    await page.getByRole('radio', { name: 'Echo server' }).check();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('tcp-listener').textContent(), { timeout: 10_000 })
      .toMatch(/Echo server listening on 127\.0\.0\.1:\d+/);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/tcp-lab-dark.png` });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('tcp-listener').textContent(), { timeout: 10_000 })
      .toMatch(/Stopped the echo server on 127\.0\.0\.1:\d+/);
    await page.close();
  });
});
