/**
 * Live capture in Chromium through the web mode: a TCP keepalive experiment with "Capture
 * packets" on. The probes tcpdump sees reach the page (as `wire-seen` marks from the capture)
 * and the timeline's lane while the connection is still held, not only when the run ends;
 * afterwards the capture summary says what was on the wire. No tcpdump is left behind.
 * Saves docs/screenshots/tcp-lab-capture.png.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, repoRoot, startServe, watchPage, type ServeProcess } from './helpers/browser';
import { openTcpLab, waitForRunStatus } from './helpers/lab-page';
import { processTable } from '../integration/helpers/process-table';

/** ms an experiment may take on a busy 2-core machine (it holds 4 s) */
const RUN_TIMEOUT_MS = 30_000;

interface PushedMessage {
  event?: { kind?: string; events?: Array<{ kind?: string; source?: string; mark?: string }> };
}

/** capture probes in one web-socket frame from the engine */
function captureProbes(payload: string | Buffer): number {
  let message: PushedMessage;
  try {
    message = JSON.parse(payload.toString()) as PushedMessage;
  } catch {
    return 0;
  }
  if (message.event?.kind !== 'trace-appended') return 0;
  return (message.event.events ?? []).filter(
    (event) => event.kind === 'wire-seen' && event.source === 'capture' && event.mark === 'keepalive-probe',
  ).length;
}

describe('live capture in Chromium', () => {
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    serve = await startServe();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    const left = (await processTable()).filter(
      (row) => row.args.includes('keepalive-lab-capture') || row.args.includes('--immediate-mode -U -n -w -'),
    );
    expect(left.filter((row) => row.ppid === serve?.child.pid)).toEqual([]);
  });

  it('puts the captured probes on the timeline while a TCP keepalive experiment runs', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    const probeArrivals: number[] = [];
    page.on('websocket', (socket) => {
      socket.on('framereceived', (frame) => {
        const count = captureProbes(frame.payload);
        for (let index = 0; index < count; index++) probeArrivals.push(performance.now());
      });
    });
    await openTcpLab(page, serve.url);
    await page.getByRole('radio', { name: 'TCP keepalive' }).check();
    await page.getByLabel('Idle before the first probe').fill('1');
    await page.getByLabel('Between probes').fill('1');
    await page.getByLabel('Hold the connection idle for').fill('4');
    await page.getByLabel('Capture packets').check();
    // the page notes, as it happens, what the run status said when the timeline first listed a probe
    // (a read of the status after the probe was seen here could come after the run's end on a busy machine)
    await page.evaluate(() => {
      const record = window as unknown as { statusWhenProbeShown: string | null };
      record.statusWhenProbeShown = null;
      new MutationObserver(() => {
        const summary = document.querySelector('[data-testid="lab-timeline"] .visually-hidden')?.textContent ?? '';
        if (record.statusWhenProbeShown !== null || !/[1-9]\d* keep-alive probes?/.test(summary)) return;
        record.statusWhenProbeShown = document.querySelector('[data-testid="run-status"]')?.getAttribute('data-status') ?? 'none';
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    // a captured probe reaches the page, and the timeline's lane, while the experiment still runs
    await expect.poll(() => probeArrivals.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const statusWhenProbeShown = () =>
      page.evaluate(() => (window as unknown as { statusWhenProbeShown: string | null }).statusWhenProbeShown);
    await expect.poll(statusWhenProbeShown, { timeout: 5_000 }).not.toBeNull();
    expect(await statusWhenProbeShown()).toBe('running');
    const timelineSummary = page.getByTestId('lab-timeline').locator('.visually-hidden');

    await waitForRunStatus(page, 'finished', RUN_TIMEOUT_MS);
    const finishedAt = performance.now();
    expect(probeArrivals[0]).toBeLessThan(finishedAt - 1000);
    // idle 1 s, interval 1 s, held 4 s: at least two probes, each answered on loopback
    await expect.poll(() => timelineSummary.textContent(), { timeout: 5_000 }).toMatch(/([2-9]|\d{2,}) keep-alive probes/);
    await expect
      .poll(() => page.getByTestId('capture-summary').textContent(), { timeout: 5_000 })
      .toMatch(/Captured \d+ packets: ([2-9]|\d{2,}) keep-alive probes/);
    await page.getByTestId('capture-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/tcp-lab-capture.png`, fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
