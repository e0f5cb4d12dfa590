/**
 * The HTTP lab over TLS in Chromium through the web mode: the TLS resumption scenario turns the
 * HTTPS switch and session resumption on, the run's timeline legend and lanes show the TLS
 * handshake after the TCP one, and a selected request says what its new connection cost (full
 * handshake for the first, resumed for the next). Saves docs/screenshots/http-tls.png.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { openHttpLab, runToFinish, unlabelledControls } from './helpers/lab-page';
import { webModeInChromium } from './helpers/web-mode';
import { HttpRunConfigSchema } from '@shared/api-http';
import { runHttpLoopWithCapture } from '@engine/correlate/http-capture';

/** ms a 6-request run may take on a busy 2-core machine */
const RUN_TIMEOUT_MS = 30_000;

async function runPreset(page: Page, url: string, preset: string): Promise<void> {
  await openHttpLab(page, url);
  await page.getByLabel('Scenario').selectOption(preset);
  await runToFinish(page, 'Run', RUN_TIMEOUT_MS);
}

describe('the HTTP lab over TLS, in Chromium', () => {
  const web = webModeInChromium();

  it('shows each new connection’s TLS handshake after its TCP connect, full then resumed', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const watch = watchPage(page);
    await runPreset(page, web.serve.url, 'tls-resumption');
    expect(await page.getByLabel('HTTPS (TLS)').isChecked()).toBe(true);
    expect(await page.getByLabel('Resume TLS sessions').isChecked()).toBe(true);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await page.getByTestId('counter-connectionsOpened').textContent()).toBe('6');
    expect(await page.locator('.counters').first().textContent()).toContain('TCP + TLS handshakes paid, 5 TLS resumed');

    const timeline = page.locator('.timeline');
    expect(await timeline.locator('.timeline-legend').textContent()).toContain('TLS handshake');
    // what the run draws is plain; the rest of the key is dimmed in place
    const legendClass = (key: string) => timeline.locator(`.timeline-legend li[data-key="${key}"]`).getAttribute('class');
    expect(await legendClass('tls-handshake')).toBeNull();
    expect(await legendClass('keepalive-probe')).toBe('legend-absent');
    expect(await timeline.locator('.timeline-legend li[data-key="ping"]').count()).toBe(0);

    // the explanation cards, with this run's own figures
    const cost = page.getByRole('article', { name: 'A TLS handshake for every new connection' });
    expect(await cost.textContent()).toMatch(
      /Each of the 6 new connections paid a TCP connect \([\d.]+ ms\) and a TLS 1\.3 handshake \([\d.]+ ms, medians\) before its first request: [\d.]+ ms in all\. Kept alive, 1 handshake would serve all 6 requests\./,
    );
    const resumption = page.getByRole('article', { name: 'Later connections resumed the TLS session' });
    expect(await resumption.textContent()).toMatch(
      /All 5 later handshakes resumed an earlier session and took [\d.]+ ms \(median\) instead of the [\d.]+ ms of a full handshake/,
    );
    expect(await resumption.textContent()).toContain('RFC 8446 §4.6.1');
    await cost.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-tls-explained.png` });

    await page.getByRole('button', { name: 'Show request 1 on the timeline' }).click();
    const note = page.getByTestId('selection-note');
    await expect.poll(() => note.textContent()).toMatch(/TLS 1\.3 handshake: [\d.]+ ms on top of the [\d.]+ ms TCP connect; resumed: no/);
    await page.getByRole('button', { name: 'Show request 2 on the timeline' }).click();
    await expect.poll(() => note.textContent()).toMatch(/Request 2 opened c2 .*TLS 1\.3 handshake: [\d.]+ ms .*resumed: yes/);
    await page.locator('.lab-results').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-tls.png` });

    // resumption off: the same six connections, each a full handshake
    await page.getByLabel('Resume TLS sessions').uncheck();
    await runToFinish(page, 'Run', RUN_TIMEOUT_MS);
    await page.getByRole('button', { name: 'Show request 2 on the timeline' }).click();
    await expect.poll(() => note.textContent()).toMatch(/Request 2 opened c2 .*resumed: no \(a full handshake\)/);
    expect(await page.getByRole('article', { name: 'Every TLS handshake was a full one' }).textContent()).toContain(
      'The client kept no TLS sessions (maxCachedSessions 0)',
    );
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('with capture on, says why no request is matched to frames: the bytes are encrypted, the handshakes read', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const watch = watchPage(page);
    await openHttpLab(page, web.serve.url);
    await page.getByLabel('Scenario').selectOption('tls-resumption');
    await page.getByLabel('Capture packets (tcpdump): shows keep-alive probes').check();
    await runToFinish(page, 'Run', RUN_TIMEOUT_MS);
    const encrypted = page.getByTestId('capture-encrypted');
    expect(await encrypted.textContent()).toContain(
      'Requests not matched to frames: the run’s 6 connections spoke TLS, so their requests and responses travel encrypted',
    );
    expect(await encrypted.textContent()).toContain('The TLS handshakes travel in clear and were read: 6 handshakes, 5 resumed (TLS 1.3).');
    await page.getByTestId('capture-summary').evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http-tls-capture.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('a TLS capture opened on the Captures page says its HTTP requests are encrypted, not missing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kal-tls-e2e-'));
    try {
      const file = path.join(dir, 'https-run.pcap');
      const run = await runHttpLoopWithCapture(HttpRunConfigSchema.parse({ tls: true, requests: 3, body: 'ignore' }), {}, { saveTo: file });
      expect(run.capture?.status).toBe('captured');
      const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
      const watch = watchPage(page);
      await page.goto(`${web.serve.url}#captures`);
      await page.getByRole('button', { name: 'Open capture' }).waitFor();
      await page.getByTestId('capture-file-input').setInputFiles(file);
      const summary = page.getByTestId('capture-summary');
      await expect.poll(() => summary.textContent(), { timeout: 15_000 }).toContain('3 TCP streams carried TLS');
      expect(await page.getByTestId('sum-http').textContent()).toContain('0');
      expect(await summary.textContent()).toContain(
        '3 TCP streams carried TLS: their HTTP requests travel encrypted, so they are not in the HTTP requests count; their handshakes are read in clear',
      );
      await page.screenshot({ path: `${repoRoot}/docs/screenshots/capture-tls-encrypted.png` });
      expect(watch.consoleErrors).toEqual([]);
      await page.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('compares resumption on with off: 5 resumed handshakes vs 0', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const watch = watchPage(page);
    await openHttpLab(page, web.serve.url);
    await page.getByLabel('Scenario').selectOption('tls-resumption');
    await runToFinish(page, 'Compare', 2 * RUN_TIMEOUT_MS);
    expect(await page.getByTestId('compare-differences').textContent()).toContain('TLS handshakes resumed: 5 vs 0');
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
