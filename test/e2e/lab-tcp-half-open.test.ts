/**
 * The vanished-peer (half-open) experiment in the app's TCP lab, in Chromium
 * through the web mode: as root it runs and the kernel gives up near the
 * detection time shown under the settings; as an unprivileged user the control
 * stays visible, Run is disabled, and the reason and the fix are on screen.
 * Saves docs/screenshots/tcp-lab-half-open.png and tcp-lab-half-open-unavailable.png.
 */
import { mkdtempSync } from 'node:fs';
import { chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { openTcpLab, tcpStatValue, unlabelledControls, waitForRunStatus } from './helpers/lab-page';
import { webModeInChromium } from './helpers/web-mode';

/** ms the experiment may take on a busy 2-core machine (namespaces, two Node children, 4 s of probes) */
const RUN_TIMEOUT_MS = 45_000;
/** uid/gid of `nobody` on Debian */
const NOBODY = 65534;

async function openVanishedPeer(page: Page, url: string): Promise<void> {
  await openTcpLab(page, url);
  await page.getByRole('radio', { name: 'Vanished peer' }).check();
}

describe('vanished peer in the TCP lab (root)', () => {
  const web = webModeInChromium();

  it('shows when the peer would be noticed, runs, and the kernel gives up with ETIMEDOUT', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await openVanishedPeer(page, web.serve.url);
    expect(await unlabelledControls(page)).toEqual([]);
    // the machine's own defaults, in the side panel, with the same formula
    await expect
      .poll(() => page.getByTestId('info-dead-peer').textContent(), { timeout: 15_000 })
      .toMatch(/noticed after [\d hmins]+ \(\d+ s idle \+ \d+ × \d+ s interval = \d+ s\)/);
    await expect.poll(() => page.getByTestId('dead-peer').textContent()).toContain('would be noticed after 4 s');
    expect(await page.getByTestId('dead-peer').textContent()).toContain('1 s idle + 3 × 1 s interval = 4 s');
    await page.getByLabel('Unanswered probes before giving up').fill('2');
    await expect.poll(() => page.getByTestId('dead-peer').textContent()).toContain('would be noticed after 3 s');
    await page.getByLabel('Unanswered probes before giving up').fill('3');
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await expect.poll(() => run.isEnabled(), { timeout: 10_000 }).toBe(true);
    await run.click();
    await waitForRunStatus(page, 'finished', RUN_TIMEOUT_MS);
    const gaveUp = (await tcpStatValue(page, 'the kernel gave up after')) ?? '';
    expect(gaveUp).toMatch(/^\d+ ms after keepalive was switched on, with ETIMEDOUT \(and an RST from this side\)$/);
    expect(await tcpStatValue(page, 'the peer vanished at')).toMatch(/^\d+ ms on the timeline$/);
    const ms = Number(gaveUp.split(' ')[0]);
    expect(ms).toBeGreaterThan(2500);
    expect(ms).toBeLessThan(7000);
    expect(await tcpStatValue(page, 'a vanished peer noticed after')).toBe('4 s (1 s idle + 3 × 1 s interval)');
    expect(watch.consoleErrors).toEqual([]);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/tcp-lab-half-open.png` });
    await page.close();
  });
});

describe('vanished peer in the TCP lab (unprivileged user)', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'klab-nobody-'));
  chmodSync(home, 0o777);
  const web = webModeInChromium([], { uid: NOBODY, gid: NOBODY, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home } });

  it('keeps the control visible, Run disabled, with the reason and the fix', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    await openVanishedPeer(page, web.serve.url);
    const note = page.getByTestId('half-open-unavailable');
    await expect.poll(() => note.textContent(), { timeout: 10_000 }).toContain('cannot run here');
    expect(await note.textContent()).toMatch(/it needs root \(CAP_NET_ADMIN\).*Fix: start the app as root, or grant it cap_net_admin/);
    expect(await page.getByRole('radio', { name: 'Vanished peer' }).isVisible()).toBe(true);
    const run = page.getByRole('button', { name: 'Run', exact: true });
    expect(await run.isDisabled()).toBe(true);
    expect(await run.getAttribute('aria-describedby')).toBe('half-open-unavailable');
    expect(await page.getByTestId('dead-peer').textContent()).toContain('would be noticed after 4 s');
    expect(watch.consoleErrors).toEqual([]);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/tcp-lab-half-open-unavailable.png` });
    await page.close();
  });
});
