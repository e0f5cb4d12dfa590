/**
 * The Learn page in Chromium through the web mode, as a new learner meets it: a fresh profile lands
 * on Learn; the body-drain lesson is completed with the keyboard alone (prediction, run, 1 vs 10
 * connections, the highlighted lanes); progress survives a reload; the HAR lesson shows the page load's
 * connections and opens its HAR on the Captures page. Saves docs/screenshots/learn-*.png.
 */
import { describe, expect, it } from 'vitest';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';
import { tabTo } from './helpers/keyboard';
import { LESSONS } from '@shared/lessons';

/** ms the lesson's two 10-request runs may take on a busy 2-core machine */
const RUN_TIMEOUT_MS = 45_000;

describe('Learn in Chromium', () => {
  const web = webModeInChromium();

  it('lands a fresh profile on Learn, runs the body-drain lesson from the keyboard, and remembers it', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(web.serve.url);
    await expect.poll(() => page.getByTestId('learn-count').textContent(), { timeout: 15_000 }).toBe(`0 of ${LESSONS.length} lessons done`);
    expect(await page.getByRole('link', { name: 'Learn' }).getAttribute('aria-current')).toBe('page');
    const lesson = page.getByTestId('lesson');
    expect(await lesson.getByRole('heading', { level: 2 }).textContent()).toBe('Why an unread body costs a connection');
    const run = lesson.getByRole('button', { name: 'Run the experiment' });
    expect(await run.isDisabled()).toBe(true);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-start.png` });

    // keyboard only: into the radio group, pick the third choice, on to the button, Enter
    await tabTo(page, '.lesson-choices input[type=radio]');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await lesson.getByRole('radio', { name: '10 — one per request' }).isChecked()).toBe(true);
    await tabTo(page, '.lesson-actions button.primary');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-lesson-before.png` });
    await page.keyboard.press('Enter');

    const result = page.getByTestId('lesson-result');
    await result.waitFor({ timeout: RUN_TIMEOUT_MS });
    // focus follows the result, so the keyboard user is where the answer is
    expect(await page.evaluate(() => document.activeElement?.classList.contains('lesson-verdict'))).toBe(true);
    expect(await page.getByTestId('lesson-prediction').textContent()).toBe('10 — one per request');
    expect(await page.getByTestId('lesson-observed').textContent()).toBe('10 — one per request');
    expect(await page.getByTestId('figure-a.connectionsOpened').textContent()).toBe('1');
    expect(await page.getByTestId('figure-b.connectionsOpened').textContent()).toBe('10');
    expect(await result.getByRole('heading', { level: 3 }).first().textContent()).toContain('Your prediction held');
    // the ten connections of the ignored-body run are the highlighted lanes
    const lanes = page.getByTestId('lesson-lanes');
    expect(await lanes.locator('[data-highlighted="true"]').count()).toBe(10);
    expect(await result.textContent()).toMatch(/10 requests used 1 connection and 9 of them reused it/);
    expect(await page.getByTestId('compare-a-counter-connectionsOpened').textContent()).toBe('1');
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-lesson-after.png`, fullPage: true });

    await page.reload();
    await expect.poll(() => page.getByTestId('learn-count').textContent(), { timeout: 15_000 }).toBe(`1 of ${LESSONS.length} lessons done`);
    expect(await page.getByRole('link', { name: /Why an unread body costs a connection \(done\)/ }).count()).toBe(1);
    expect(await page.getByTestId('lesson').textContent()).toContain('Done before: you predicted “10 — one per request”');
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.failedRequests).toEqual([]);
    await context.close();
  });

  it('completes every lesson with the keyboard alone, each with its result, explanation and "try changing"', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    for (const lesson of LESSONS) {
      await page.goto(`${web.serve.url}#learn/${lesson.id}`);
      await page.getByTestId('lesson').getByRole('heading', { level: 2, name: lesson.title }).waitFor({ timeout: 15_000 });
      await tabTo(page, '.lesson-choices input[type=radio]');
      await page.keyboard.press('Space');
      // arrow down to the expected choice: the radio group moves and checks as it goes
      for (let step = 0; step < lesson.choices.findIndex((choice) => choice.id === lesson.expected); step++)
        await page.keyboard.press('ArrowDown');
      await tabTo(page, '.lesson-actions button.primary');
      await page.keyboard.press('Enter');
      const result = page.getByTestId('lesson-result');
      await result.waitFor({ timeout: RUN_TIMEOUT_MS });
      const text = (await result.textContent()) ?? '';
      expect(text, lesson.id).toContain('Try changing:');
      if (!text.includes('cannot run here')) {
        expect(await page.getByTestId('lesson-prediction').textContent(), lesson.id).toBe(
          lesson.choices.find((choice) => choice.id === lesson.expected)!.label,
        );
        expect(text, lesson.id).not.toContain('unknown');
      }
    }
    await page.goto(`${web.serve.url}#learn`);
    await expect
      .poll(() => page.getByTestId('learn-count').textContent(), { timeout: 15_000 })
      .toBe(`${LESSONS.length} of ${LESSONS.length} lessons done`);
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });

  it('runs the HAR lesson: six connections, the four reused ones highlighted, their causes, and the HAR opens on Captures', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#learn/what-did-my-browser-reuse`);
    const lesson = page.getByTestId('lesson');
    await lesson.getByRole('radio', { name: /^6 — / }).check();
    await lesson.getByRole('button', { name: 'Run the experiment' }).click();
    const result = page.getByTestId('lesson-result');
    await result.waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await page.getByTestId('lesson-observed').textContent()).toBe('6 — the per-host limit; the rest wait and reuse');
    expect(await page.getByTestId('figure-connections').textContent()).toBe('6');
    expect(await page.getByTestId('figure-reused').textContent()).toBe('7');
    const lanes = page.getByTestId('lesson-lanes');
    expect(await lanes.locator('li').count()).toBe(6);
    expect(await lanes.locator('[data-highlighted="true"]').count()).toBe(4);
    expect(await lanes.textContent()).toContain('3 requests, opened for #2: all busy, 1 queued for it');
    expect(await page.getByTestId('lesson-causes').textContent()).toContain('an HTTP/1.1 connection carries one request at a time');
    await result.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-har-lesson.png`, fullPage: true });

    await result.getByRole('link', { name: 'Open this HAR on the Captures page' }).click();
    const workspace = page.getByTestId('har-workspace');
    await workspace.waitFor({ timeout: 15_000 });
    expect(await workspace.getByRole('heading', { level: 2 }).first().textContent()).toContain('browser-page-load.har');
    expect(await page.getByTestId('har-connections').locator('dd').textContent()).toMatch(/^6\D/);
    expect(await page.getByTestId('har-reused').locator('dd').textContent()).toMatch(/^7\D/);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.failedRequests).toEqual([]);
    await context.close();
  });

  it('cancels a running lesson: back to the prediction, nothing recorded', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${web.serve.url}#learn/keepalive-probe`);
    const lesson = page.getByTestId('lesson');
    await lesson.getByRole('radio', { name: /About 5/ }).check();
    await lesson.getByRole('button', { name: 'Run the experiment' }).click();
    await lesson.getByRole('status').waitFor({ timeout: 5_000 });
    await lesson.getByRole('button', { name: 'Cancel' }).click();
    // the experiment holds its connection 5.5 s; cancelled, the panel is back well before
    await lesson.getByRole('button', { name: 'Run the experiment' }).waitFor({ timeout: 3_000 });
    expect(await page.getByTestId('lesson-result').count()).toBe(0);
    expect(await page.getByTestId('learn-count').textContent()).toBe(`0 of ${LESSONS.length} lessons done`);
    await context.close();
  });

  it('says why the half-open lesson cannot run where it cannot, or shows the measured give-up where it can', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${web.serve.url}#learn/half-open-detection`);
    const lesson = page.getByTestId('lesson');
    await lesson.getByRole('radio', { name: /After about 4 s/ }).check();
    await lesson.getByRole('button', { name: 'Run the experiment' }).click();
    const result = page.getByTestId('lesson-result');
    await result.waitFor({ timeout: RUN_TIMEOUT_MS });
    const text = (await result.textContent()) ?? '';
    if (process.getuid?.() === 0) {
      expect(Number((await page.getByTestId('figure-gaveUpAfterMs').textContent())?.replace(/\D/g, ''))).toBeGreaterThan(3000);
    } else {
      expect(text).toContain('How to enable it');
    }
    await context.close();
  });
});
