/**
 * The scenario "Concurrency above maxSockets: queueing" and its contrast, compared in Chromium through
 * the web mode: the Compare line, each column's totals and run A's explanation card give one count of
 * the requests that waited for a free connection (src/shared/pool-waits.ts), and the contrast without
 * a limit says none waited and shows no such card.
 */
import { describe, expect, it } from 'vitest';
import { watchPage } from './helpers/browser';
import { readingProblems } from './helpers/reading-checks';
import { webModeInChromium } from './helpers/web-mode';
import { openHttpLab, runToFinish } from './helpers/lab-page';

/** ms a run may take on a busy 2-core machine */
const RUN_TIMEOUT_MS = 30_000;

describe('requests that waited for a free connection, in Chromium', () => {
  const web = webModeInChromium();

  it('Compare, the totals and the explanation card give the same count; the contrast says none', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await openHttpLab(page, web.serve.url);
    await page.getByLabel('Scenario').selectOption('queued-above-max-sockets');
    await runToFinish(page, 'Compare', 2 * RUN_TIMEOUT_MS);

    // 12 requests, 6 at a time, maxSockets 2: at least the 4 of the first round that found both connections busy
    const differences = (await page.getByTestId('compare-differences').textContent()) ?? '';
    const line = /requests that waited: (\d+) for a free connection \(both were busy\), longest \d+ ms vs none for a free connection/.exec(
      differences,
    );
    expect(line).not.toBeNull();
    const waited = Number(line![1]);
    expect(waited).toBeGreaterThanOrEqual(4);

    const totals = async (column: 'a' | 'b') => page.getByTestId(`compare-column-${column}`).getByRole('definition').allTextContents();
    expect(await totals('a')).toContainEqual(expect.stringMatching(new RegExp(`^${waited}, the longest \\d+ ms$`)));
    expect(await totals('b')).toContain('none');

    const card = (column: 'a' | 'b') =>
      page
        .getByTestId(`compare-column-${column}`)
        .getByRole('article', { name: 'Requests queued above the connection limit (maxSockets)' });
    expect(await card('a').textContent()).toContain(
      `Why: ${waited} requests waited because every connection allowed (maxSockets = 2) was busy; the longest wait was`,
    );
    expect(await card('b').count()).toBe(0);
    expect(await readingProblems(page, 'compare queued-above-max-sockets with its contrast')).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
