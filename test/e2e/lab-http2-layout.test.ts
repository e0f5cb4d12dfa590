/**
 * The HTTP/2 lab's page before and after a run, in Chromium through the web mode: the timeline shows
 * the HTTP/2 legend (streams, stream slots, PING, GOAWAY) and offers only the lane orders that mean
 * something for HTTP/2 (no keep-alive probes: its lanes never carry TCP keep-alive probes) from the
 * start, so nothing on the page moves or changes words when the run arrives.
 * Saves docs/screenshots/http2-lab-before-run.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';
import { runToFinish } from './helpers/lab-page';

/** ms a run may take on a busy 2-core machine */
const RUN_TIMEOUT_MS = 30_000;

/** Top and height (CSS px, rounded) of the blocks of the results, and the top of what follows them. */
async function layoutBoxes(page: Page): Promise<number[]> {
  const boxes = await Promise.all(
    [
      page.getByLabel('Counters of the HTTP/2 run'),
      page.getByTestId('lab-timeline'),
      page.getByLabel('Timeline legend'),
      page.getByRole('heading', { name: 'Connections', exact: true }),
    ].map((locator) => locator.boundingBox()),
  );
  return boxes.flatMap((box) => [Math.round(box?.y ?? -1), Math.round(box?.height ?? -1)]);
}

/** What the timeline's legend and lane-order select say. */
async function timelineWords(page: Page): Promise<{ protocol: string | null; legend: string[]; sorts: string[] }> {
  const legend = page.getByLabel('Timeline legend');
  return {
    protocol: await legend.getAttribute('data-protocol'),
    legend: await legend.locator('li').allTextContents(),
    sorts: await page.getByLabel('Sort lanes by').locator('option').allTextContents(),
  };
}

describe('HTTP/2 lab page before and after a run', () => {
  const web = webModeInChromium();

  it('shows its own legend and lane orders from the start; the run moves nothing', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#lab/http2`);
    await expect.poll(() => page.getByTestId('http2-preset').locator('option').count(), { timeout: 15_000 }).toBe(5);
    const before = await timelineWords(page);
    expect(before.protocol).toBe('h2');
    expect(before.legend.join(' · ')).toMatch(/stream/);
    expect(before.legend.join(' · ')).not.toMatch(/reused|pool/);
    expect(before.sorts).toEqual(['start time', 'requests']);
    // the scenario first: its lesson above the results has its own height
    await page.getByTestId('http2-preset').selectOption({ label: 'Server limit: streams wait' });
    const boxesBefore = await layoutBoxes(page);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/http2-lab-before-run.png`, fullPage: true });

    await runToFinish(page, 'Run', RUN_TIMEOUT_MS);
    expect(await timelineWords(page)).toEqual(before);
    // the results' blocks keep their place; the connection table below may grow, the timeline above it does not move
    expect(await layoutBoxes(page)).toEqual(boxesBefore);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
