/**
 * Compare across protocols in Chromium through the web mode: an HTTP/1.1 run over TLS (20 requests,
 * 10 at a time, at most 6 connections) in the HTTP lab, then the HTTP/2 lab's "Many requests, one
 * connection", then Compare: the differences say each side in its own words (6 connections vs 1,
 * 6 TCP + 6 TLS handshakes vs 1 + 1, requests one at a time vs 20 streams 10 at once, pool waits vs
 * no wait for a stream slot), each column shows its own counters, timeline, totals, requests and
 * explanations, and the HTTP/2 column never speaks of reuse or a pool; two HTTP/2 runs compare by
 * streams at once and waits for a stream slot. Saves docs/screenshots/compare-http{1,2}-http2.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { openHttpLab, unlabelledControls, waitForRunStatus } from './helpers/lab-page';
import { readingProblems } from './helpers/reading-checks';
import { webModeInChromium } from './helpers/web-mode';
import { http1OnlyWordsIn } from '../helpers/http1-only-words';

/** ms a run may take on a busy 2-core machine */
const RUN_TIMEOUT_MS = 30_000;

async function finished(page: Page): Promise<void> {
  await waitForRunStatus(page, 'finished', RUN_TIMEOUT_MS);
}

/**
 * The HTTP lab: HTTP/1.1 over TLS, 20 requests, 10 at a time, http.Agent maxSockets 6 (a browser's per-host limit).
 * Returns the count its explanation card gives of the requests that waited for a free connection.
 */
async function runHttp1OverTls(page: Page, url: string): Promise<number> {
  await openHttpLab(page, url);
  await page.getByLabel('Scenario').selectOption('queued-above-max-sockets');
  await page.getByLabel('HTTPS (TLS)').check();
  await page.getByLabel('Requests', { exact: true }).fill('20');
  await page.getByLabel('Concurrency', { exact: true }).fill('10');
  await page.getByText('More http.Agent options').click();
  await page.getByLabel('maxSockets', { exact: true }).fill('6');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await finished(page);
  expect(await page.getByTestId('counter-connectionsOpened').textContent()).toBe('6');
  const card = page.getByRole('article', { name: 'Requests queued above the connection limit (maxSockets)' });
  const why = /Why: (\d+) requests waited because every connection allowed \(maxSockets = 6\) was busy; the longest wait was \d+ ms\./.exec(
    (await card.textContent()) ?? '',
  );
  expect(why).not.toBeNull();
  return Number(why![1]);
}

describe('Compare an HTTP/1.1 run with an HTTP/2 run, in Chromium', () => {
  const web = webModeInChromium();

  it('says 6 connections vs 1, handshakes paid, one at a time vs 20 streams, each side in its own words', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const watch = watchPage(page);
    const cardWaited = await runHttp1OverTls(page, web.serve.url);

    await page.getByRole('tab', { name: 'HTTP/2 lab' }).click();
    await expect.poll(() => page.getByTestId('http2-preset').locator('option').count(), { timeout: 15_000 }).toBe(5);
    await page.getByTestId('http2-preset').selectOption({ label: 'Many requests, one connection' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await finished(page);
    expect(await page.getByTestId('http2-counter-connections').textContent()).toBe('1');

    // the HTTP lab's run was kept across the tab switch: two runs to compare, the last two shown
    await page.getByRole('button', { name: 'Compare two runs (2 runs so far)' }).click();
    // run A's settings were changed from its scenario: "Custom settings"
    expect(await page.getByLabel('Run A', { exact: true }).locator('option:checked').textContent()).toBe('Run 1 · Custom settings');
    expect(await page.getByLabel('Run B', { exact: true }).locator('option:checked').textContent()).toBe(
      'Run 2 · HTTP/2 · Many requests, one connection',
    );
    const differences = (await page.getByTestId('compare-differences').textContent()) ?? '';
    expect(differences).toContain('protocol: HTTP/1.1 over TLS vs HTTP/2 over TLS (h2)');
    expect(differences).toContain('connections opened: 6 vs 1');
    expect(differences).toContain('handshakes paid: 6 TCP + 6 TLS vs 1 TCP + 1 TLS');
    expect(differences).toMatch(/requests on one connection: up to \d+, one at a time vs up to 20 streams, 10 at once/);
    // the same count as run A's explanation card said
    expect(differences).toMatch(
      new RegExp(
        `requests that waited: ${cardWaited} for a free connection \\(all 6 were busy\\), longest \\d+ ms vs none for a stream slot`,
      ),
    );
    expect(differences).not.toMatch(/\{[A-Za-z.]+\}|undefined|NaN/);

    // each column in its own protocol's parts and words
    const columnA = page.getByTestId('compare-column-a');
    const columnB = page.getByTestId('compare-column-b');
    expect(await page.getByTestId('compare-a-counter-connectionsOpened').textContent()).toBe('6');
    expect(await page.getByTestId('compare-b-counter-connections').textContent()).toBe('1');
    expect(await page.getByTestId('compare-b-counter-answered').textContent()).toBe('20 of 20');
    expect(await columnA.locator('.counter-differs').count()).toBeGreaterThan(0);
    expect(await columnB.locator('.counter-differs').count()).toBeGreaterThan(0);
    expect(await columnA.getByRole('columnheader', { name: 'new / reused' }).count()).toBe(1);
    expect(await columnB.getByRole('columnheader', { name: 'Stream' }).count()).toBe(1);
    expect(await columnB.locator('tbody tr').count()).toBe(20);
    const totalsA = await columnA.getByRole('definition').allTextContents();
    expect(totalsA).toContainEqual(expect.stringMatching(new RegExp(`^${cardWaited}, the longest \\d+ ms$`)));
    const totalsB = (await columnB.getByRole('definition').allTextContents()).join(' | ');
    expect(totalsB).toContain('up to 20 streams, 10 at once');
    expect(await page.getByTestId('compare-b-explanations').textContent()).toContain('Many requests, one connection');
    const legends = page.getByRole('list', { name: 'Timeline legend' });
    expect(await legends.nth(0).getAttribute('data-protocol')).toBe('http1');
    expect(await legends.nth(1).getAttribute('data-protocol')).toBe('h2');
    // lanes sort by keep-alive probes only where they can carry some: the HTTP/1.1 run's (its packets may be captured), not the HTTP/2 run's
    const sortsOf = (column: typeof columnA) => column.getByLabel('Sort lanes by').locator('option').allTextContents();
    expect(await sortsOf(columnA)).toEqual(['start time', 'requests', 'keep-alive probes']);
    expect(await sortsOf(columnB)).toEqual(['start time', 'requests']);
    // every word of the column, its timeline's controls included
    const columnBText = (await columnB.textContent()) ?? '';
    expect(http1OnlyWordsIn(columnBText)).toEqual([]);
    expect(columnBText).not.toMatch(/\{[A-Za-z.]+\}|undefined|NaN/);

    await page.getByLabel('One shared scale').check();
    await expect.poll(() => page.locator('.compare-scale-note').textContent()).toMatch(/^Both timelines on one scale/);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await readingProblems(page, 'compare HTTP/1.1 with HTTP/2')).toEqual([]);
    await page.locator('.compare').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/compare-http1-http2.png`, fullPage: true });

    // the HTTP lab's Compare lists the HTTP/2 run too
    await page.getByRole('tab', { name: 'HTTP lab' }).click();
    await page.getByRole('button', { name: 'Compare two runs (2 runs so far)' }).click();
    expect(await page.getByTestId('compare-differences').textContent()).toContain('connections opened: 6 vs 1');

    // run A sorted by probes, then switched to the HTTP/2 run: that order is gone, the lanes sort by start time
    const sortA = columnA.getByLabel('Sort lanes by');
    await sortA.selectOption({ label: 'keep-alive probes' });
    await page.getByLabel('Run A', { exact: true }).selectOption({ label: 'Run 2 · HTTP/2 · Many requests, one connection' });
    await expect.poll(() => sortsOf(columnA)).toEqual(['start time', 'requests']);
    expect(await sortA.inputValue()).toBe('start');
    expect(await legends.nth(0).getAttribute('data-protocol')).toBe('h2');
    // for good: back on the HTTP/1.1 run, the order stays start time until the learner picks another
    await page.getByLabel('Run A', { exact: true }).selectOption({ label: 'Run 1 · Custom settings' });
    await expect.poll(() => sortsOf(columnA)).toEqual(['start time', 'requests', 'keep-alive probes']);
    expect(await sortA.inputValue()).toBe('start');
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.failedRequests).toEqual([]);
    await page.close();
  });

  it('two HTTP/2 runs: most streams at once 10 vs 5, 0 vs 15 waited for a stream slot, no HTTP/1 word in either column', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#lab/http2`);
    await expect.poll(() => page.getByTestId('http2-preset').locator('option').count(), { timeout: 15_000 }).toBe(5);
    for (const scenario of ['Many requests, one connection', 'Server limit: streams wait']) {
      await page.getByTestId('http2-preset').selectOption({ label: scenario });
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await finished(page);
    }
    await page.getByRole('button', { name: 'Compare two runs (2 runs so far)' }).click();
    const differences = (await page.getByTestId('compare-differences').textContent()) ?? '';
    expect(differences).toContain('most streams at once: 10 vs 5');
    expect(differences).toContain('waited for a stream slot: 0 vs 15');
    expect(differences).not.toContain('connections opened');
    expect(await page.getByTestId('compare-b-counter-waited').textContent()).toBe('15');
    expect(await page.getByTestId('compare-b-counter-waited').locator('xpath=..').getAttribute('class')).toContain('counter-differs');
    for (const side of ['a', 'b']) {
      const text = (await page.getByTestId(`compare-column-${side}`).textContent()) ?? '';
      expect(http1OnlyWordsIn(`${differences}\n${text}`), side).toEqual([]);
    }
    expect(await readingProblems(page, 'compare two HTTP/2 runs')).toEqual([]);
    await page.locator('.compare').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/compare-http2-http2.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
