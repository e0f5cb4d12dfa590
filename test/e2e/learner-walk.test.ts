/**
 * The app walked as a new learner reads it, in Chromium through the web mode:
 * every view, a run of every HTTP scenario and TCP experiment, a comparison of
 * two runs (scenario and contrast, then two custom runs), a form mistake, and
 * the public captures ndpi__ocsp.pcapng and ndpi__1kxun.pcap — at 1280×800,
 * again at 1920×1080 and in the dark theme. Each screen fails the walk on a
 * leftover placeholder, text cut by its box, a cut select or timeline label
 * (helpers/reading-checks.ts), and on console errors.
 * Saves docs/screenshots/walk-*.png.
 */
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { HTTP_PRESETS } from '@engine/lab/http-scenarios';
import { TCP_EXPERIMENTS } from '@renderer/features/lab/tcp-form-model';
import { removeUploadedCopies } from '../../bench/timeline';
import { repoRoot, watchPage } from './helpers/browser';
import { readingProblems } from './helpers/reading-checks';
import { webModeInChromium } from './helpers/web-mode';
import { openHttpLab } from './helpers/lab-page';

const corpus = resolve(repoRoot, '../shared/captures/public');
const screenshots = resolve(repoRoot, 'docs/screenshots');
const CAPTURES = ['ndpi__ocsp.pcapng', 'ndpi__1kxun.pcap'];
/** ms a run may take on a busy 2-core machine (the longest scenario idles 2 × 3 s) */
const RUN_TIMEOUT_MS = 30_000;

interface Walker {
  page: Page;
  /** every problem seen so far, "where: what" */
  problems: string[];
  consoleErrors: string[];
  check(where: string): Promise<void>;
}

async function walker(browser: Browser, size: { width: number; height: number }, theme: 'light' | 'dark'): Promise<Walker> {
  const page = await browser.newPage({ viewport: size, colorScheme: theme });
  const watch = watchPage(page);
  const problems: string[] = [];
  const label = `${size.width}×${size.height} ${theme}`;
  return {
    page,
    problems,
    consoleErrors: watch.consoleErrors,
    async check(where) {
      // let a frame pass: the timeline draws on the next animation frame
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      problems.push(...(await readingProblems(page, `${label} ${where}`)));
    },
  };
}

const status = (page: Page) => page.getByTestId('run-status').first().getAttribute('data-status');

async function waitFinished(page: Page): Promise<void> {
  await expect.poll(() => status(page), { timeout: RUN_TIMEOUT_MS }).toMatch(/finished|failed/);
}

/** Opens the HTTP lab with its two "More … options" sections open, so their fields are read too. */
async function openHttpLabWithEveryOption(page: Page): Promise<void> {
  await openHttpLab(page, page.url().split('#')[0]!);
  for (const details of await page.locator('details.form-more').all())
    await details.evaluate((element) => element.setAttribute('open', ''));
}

async function runScenario(page: Page, name: string): Promise<void> {
  await page.getByLabel('Scenario').selectOption(name);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitFinished(page);
}

async function openCapture(page: Page, file: string): Promise<void> {
  await page.goto(`${page.url().split('#')[0]}#captures`);
  await page.getByRole('button', { name: 'Open capture' }).waitFor();
  await page.getByTestId('capture-file-input').setInputFiles(join(corpus, file));
  await expect.poll(() => page.getByTestId('capture-summary').textContent(), { timeout: 30_000 }).toContain(file);
}

/** Another view of the same page (a hash change): a new page load would be a new client with its own report. */
async function goToView(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => {
    window.location.hash = target;
  }, hash);
}

describe('a learner’s walk through every view', () => {
  const web = webModeInChromium();
  const started = Date.now();

  it('reads true, whole, filled-in text everywhere at 1280×800', async () => {
    const walk = await walker(web.browser, { width: 1280, height: 800 }, 'light');
    const { page } = walk;
    await page.goto(web.serve.url);
    await openHttpLabWithEveryOption(page);
    await walk.check('HTTP lab, before any run');

    for (const preset of HTTP_PRESETS) {
      await runScenario(page, preset.name);
      await walk.check(`HTTP lab, scenario ${preset.name}`);
    }
    // the scenario text shows option names as code, never raw backticks
    await page.getByLabel('Scenario').selectOption('keepalive-off');
    expect(await page.getByTestId('preset-lesson').textContent()).not.toContain('`');
    expect(await page.getByTestId('preset-lesson').locator('code').count()).toBeGreaterThan(0);

    // an ignored body: its connections are busy (body unread), never "idle"
    await runScenario(page, 'ignored-body');
    const canvas = page.locator('canvas.timeline-canvas').first();
    await canvas.scrollIntoViewIfNeeded();
    // the first lane's row (axis 24 px, the endpoint's group row 22 px): its unread body. Measured on
    // every try and looked for along the lane: the page may still grow above the timeline after the
    // run, and how far along the axis the span reaches depends on the run's timing (a busy machine).
    const hoverFirstLane = async (): Promise<string> => {
      let text = '';
      for (const along of [0.8, 0.6, 0.4, 0.9, 0.7, 0.5, 0.3]) {
        const box = (await canvas.boundingBox())!;
        const x = box.x + box.width * along;
        const y = box.y + 24 + 22 + 11;
        await page.mouse.move(x - 1, y);
        await page.mouse.move(x, y);
        text =
          (await page
            .getByRole('tooltip')
            .textContent({ timeout: 500 })
            .catch(() => '')) ?? '';
        if (text.includes('body unread')) return text;
      }
      return text;
    };
    await expect.poll(hoverFirstLane, { timeout: 15_000 }).toContain('busy (body unread)');
    expect(await page.getByRole('tooltip').textContent()).not.toContain('idle');
    // the axis ends where the lanes do (the lab closing the connections, plus the timeline's 1 % edge room), not at the
    // run's closing notes logged later (17 % of the axis past the last close before): at 93 % of the canvas (about 91 % of
    // the plot, right of the lane labels) the first lane still holds its unread body. Not nearer the edge: on a loaded
    // machine the sockets' close events, which end the lanes, can come some milliseconds apart.
    const hoverLaneEnd = async (): Promise<string> => {
      const box = (await canvas.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.93 - 1, box.y + 24 + 22 + 11);
      await page.mouse.move(box.x + box.width * 0.93, box.y + 24 + 22 + 11);
      return (
        (await page
          .getByRole('tooltip')
          .textContent({ timeout: 500 })
          .catch(() => '')) ?? ''
      );
    };
    await expect.poll(hoverLaneEnd, { timeout: 15_000 }).toContain('busy (body unread)');
    await page.mouse.move(0, 0);
    await page.locator('.lab-results').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'walk-http-ignored-body.png'), fullPage: true });
    // the retried race: the card and the table agree that no request completed on a kept connection
    await runScenario(page, 'stale-race-retry');
    expect(await page.getByTestId('counter-reusePercent').textContent()).toBe('0 %');
    expect(await page.getByRole('region', { name: 'Requests of the run' }).textContent()).toContain('failed on reuse');

    // compare: a scenario beside its contrast, then on one shared scale
    await page.getByLabel('Scenario').selectOption('drained-body');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await waitFinished(page);
    await expect.poll(() => page.getByTestId('compare-differences').textContent(), { timeout: RUN_TIMEOUT_MS }).toContain('1 vs 10');
    await walk.check('compare, own scales');
    await page.getByLabel('One shared scale').check();
    await walk.check('compare, shared scale');
    // both runs' explanations and requests side by side
    for (const side of ['a', 'b']) {
      const column = page.getByTestId(`compare-column-${side}`);
      expect(await column.locator('.explanation').count()).toBeGreaterThan(0);
      expect(await column.locator('tbody tr').count()).toBe(10);
    }
    await page.getByTestId('compare-differences').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshots, 'walk-http-compare.png'), fullPage: true });

    // custom settings compare too: change one, Compare runs it beside the previous run
    await page.getByLabel('Requests', { exact: true }).fill('4');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect
      .poll(() => page.getByLabel('Run B', { exact: true }).locator('option:checked').textContent(), { timeout: RUN_TIMEOUT_MS })
      .toContain('Custom settings');
    await walk.check('compare, custom settings');

    // a mistake in the form is said in plain words
    await page.getByLabel('Requests', { exact: true }).fill('0');
    await expect.poll(() => page.getByTestId('form-problems').textContent()).toContain('Requests: at least 1');
    expect(await page.getByTestId('form-problems').textContent()).not.toMatch(/expected|>=|Too small/);
    await walk.check('HTTP lab, form mistake');

    // the TCP lab: every experiment (servers start, then stop)
    await goToView(page, '#lab/tcp');
    for (const experiment of TCP_EXPERIMENTS) {
      await page.getByRole('radio', { name: experiment.title }).check();
      if (experiment.name === 'keepalive') await page.getByLabel('Hold the connection idle for').fill('3');
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      if (experiment.name === 'echo' || experiment.name === 'proxy') {
        await expect.poll(() => page.getByTestId('tcp-listener').textContent(), { timeout: 10_000 }).toContain('listening on');
        await walk.check(`TCP lab, ${experiment.name} running`);
        await page.getByRole('button', { name: 'Stop', exact: true }).click();
        await expect.poll(() => page.getByTestId('tcp-listener').textContent(), { timeout: 10_000 }).toContain('Stopped');
      } else {
        await waitFinished(page);
      }
      await walk.check(`TCP lab, ${experiment.name}`);
    }
    await page.getByLabel('Between probes', { exact: true }).fill('0');
    await expect.poll(() => page.locator('.lab-panel > .error-box').textContent()).toContain('Between probes: at least 1 s');
    await walk.check('TCP lab, form mistake');

    for (const file of CAPTURES) {
      await openCapture(page, file);
      await walk.check(`Captures, ${file}`);
      // a keep-alive probe's explanation, as a learner opens it: filter, select the first, read why
      await page.getByRole('button', { name: 'Keep-alive', exact: true }).click();
      const list = page.getByTestId('packet-list');
      await expect.poll(() => list.locator('[role="row"][aria-rowindex="2"]').textContent(), { timeout: 10_000 }).toMatch(/Keep-Alive/i);
      await list.focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByTestId('packet-details').locator('[data-testid="explanation"]').first().waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('packet-details').textContent()).not.toContain('http.Agent');
      await walk.check(`Captures, ${file}, a keep-alive probe explained`);
      if (file === CAPTURES[0]) await page.screenshot({ path: join(screenshots, 'walk-capture-probe.png'), fullPage: true });
      await page.getByRole('tab', { name: /Streams/ }).click();
      await walk.check(`Captures, ${file}, streams`);
    }
    await goToView(page, '#reports');
    await page.getByTestId('report-contents').waitFor();
    await walk.check('Reports');

    expect(walk.problems).toEqual([]);
    expect(walk.consoleErrors).toEqual([]);
    await page.close();
  });

  for (const [size, theme] of [
    [{ width: 1920, height: 1080 }, 'light'],
    [{ width: 1280, height: 800 }, 'dark'],
  ] as const) {
    it(`reads the same at ${size.width}×${size.height}, ${theme}`, async () => {
      const walk = await walker(web.browser, size, theme);
      const { page } = walk;
      await page.goto(web.serve.url);
      await openHttpLabWithEveryOption(page);
      await walk.check('HTTP lab, before any run');
      await runScenario(page, 'queued-above-max-sockets');
      await walk.check('HTTP lab, queued-above-max-sockets');
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await waitFinished(page);
      await expect.poll(() => page.getByTestId('compare-differences').textContent(), { timeout: RUN_TIMEOUT_MS }).toContain(' vs ');
      await walk.check('compare');
      if (theme === 'dark') await page.screenshot({ path: join(screenshots, 'walk-http-compare-dark.png'), fullPage: true });
      await goToView(page, '#lab/tcp');
      await page.getByRole('radio', { name: 'Connection pool' }).check();
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await waitFinished(page);
      await walk.check('TCP lab, pool');
      await openCapture(page, CAPTURES[0]!);
      await walk.check(`Captures, ${CAPTURES[0]}`);
      await goToView(page, '#reports');
      await page.getByTestId('report-contents').waitFor();
      await walk.check('Reports');
      expect(walk.problems).toEqual([]);
      expect(walk.consoleErrors).toEqual([]);
      await page.close();
    });
  }

  it('the checks themselves catch a placeholder, cut text, an ellipsized figure and a cut select', async () => {
    const page = await web.browser.newPage({ viewport: { width: 800, height: 600 } });
    await page.setContent(`
      <p>Its sequence number ‹seq› is one less than {nextExpected}; window ?</p>
      <div style="width:60px;overflow:hidden;white-space:nowrap">a sentence much wider than its box</div>
      <div title="51189 h 8 min" style="width:40px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis">51189 h 8 min</div>
      <div title="192.168.1.227:49813 ⇄ 109.70.240.130:80" style="width:60px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis">192.168.1.227:49813 ⇄ 109.70.240.130:80</div>
      <select style="width:80px"><option>close with FIN as the next request arrives</option></select>
      <span class="visually-hidden" style="position:absolute;width:1px;overflow:hidden;white-space:nowrap">read by screen readers</span>
      <p>Does each one open a TCP connection, or reuse one?</p>`);
    const problems = await readingProblems(page, 'self-test');
    expect(problems.filter((problem) => problem.includes('placeholder'))).toHaveLength(3);
    expect(problems.some((problem) => problem.includes('a sentence much wider'))).toBe(true);
    expect(problems.some((problem) => problem.includes('51189 h 8 min'))).toBe(true);
    expect(problems.some((problem) => problem.includes('cuts its choice'))).toBe(true);
    // meant to ellipsize (the title has it whole, not a figure), hidden on purpose, a real question mark: not problems
    expect(problems.filter((problem) => problem.includes('192.168.1.227'))).toEqual([]);
    expect(problems.filter((problem) => problem.includes('screen readers') || problem.includes('reuse one'))).toEqual([]);
    expect(problems).toHaveLength(6);
    await page.close();
  });

  it('cleans up the uploaded copies of the captures', async () => {
    await removeUploadedCopies(CAPTURES, started);
  });
});
