/**
 * "Export this comparison" in Chromium through the web mode: the HTTP lab's "Keep-alive off" run
 * beside its contrast (Compare), then the pair exported as HTML and as Markdown. Each file starts
 * with the differences the Compare view shows above its columns, word for word, then the two runs.
 * Saves docs/screenshots/compare-export.png (the view) and compare-export-report.png (the HTML).
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { readingProblems } from './helpers/reading-checks';
import { webModeInChromium } from './helpers/web-mode';

/** ms a compare (two runs of 10 requests) may take on a busy 2-core machine */
const COMPARE_TIMEOUT_MS = 30_000;

/** Exports the pair in `format` and returns the downloaded text and file name. */
async function exportAs(page: Page, format: 'HTML' | 'Markdown'): Promise<{ text: string; name: string }> {
  await page.getByLabel('Export this comparison as').selectOption({ label: format });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export comparison' }).click()]);
  await expect.poll(() => page.getByTestId('compare-export-status').textContent()).toMatch(/^Downloaded keepalive-lab-compare-/);
  return { text: await readFile((await download.path())!, 'utf8'), name: download.suggestedFilename() };
}

describe('Export this comparison, in Chromium', () => {
  const web = webModeInChromium();

  it('the HTML and Markdown files say the differences the Compare view shows, before the two runs', async () => {
    const page = await web.browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#lab/http`);
    await expect.poll(() => page.getByLabel('Scenario').locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    await page.getByLabel('Scenario').selectOption('keepalive-off');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const list = page.locator('.compare-difference-list li');
    await expect.poll(() => list.count(), { timeout: COMPARE_TIMEOUT_MS }).toBeGreaterThan(0);
    const shown = await list.allTextContents();
    expect(shown).toEqual(expect.arrayContaining(['connections opened: 10 vs 1', 'handshakes saved: 0 vs 9']));
    await page.getByRole('button', { name: 'Export comparison' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/compare-export.png` });

    const html = await exportAs(page, 'HTML');
    expect(html.name).toMatch(/^keepalive-lab-compare-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.html$/);
    const exported = /<ul class="differences">(.*?)<\/ul>/s.exec(html.text)?.[1] ?? '';
    expect([...exported.matchAll(/<li>(.*?)<\/li>/g)].map((match) => match[1])).toEqual(shown);
    expect(html.text).toMatch(/<a href="#session-0">Run 1 · Keep-alive off<\/a>/);
    expect(html.text).toMatch(/<a href="#session-1">Run 2 · Keep-alive on<\/a>/);
    expect(html.text.indexOf('What differs, A vs B')).toBeLessThan(html.text.indexOf('id="session-0"'));

    const markdown = await exportAs(page, 'Markdown');
    expect(markdown.name).toMatch(/\.md$/);
    expect(markdown.text).toContain(`**Differences:**\n\n${shown.map((sentence) => `- ${sentence}`).join('\n')}\n`);
    expect(watch.consoleErrors).toEqual([]);
    expect(await readingProblems(page, 'compare view with export')).toEqual([]);

    // the exported file as a learner opens it
    const report = await web.browser.newPage({ viewport: { width: 1100, height: 1000 } });
    await report.setContent(html.text);
    await report.screenshot({ path: `${repoRoot}/docs/screenshots/compare-export-report.png` });
    await report.close();
    await page.close();
  });
});
