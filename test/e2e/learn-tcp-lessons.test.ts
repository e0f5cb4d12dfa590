/**
 * The TCP lessons in Chromium through the web mode: the packets they are about show their TCP
 * flags by name ("RST ACK", not the raw 20), the keep-alive lesson's probes outnumber its count,
 * and the vanished-peer lesson names the moments its timeline shows. Saves
 * docs/screenshots/learn-keepalive-probe.png, learn-fin-vs-rst.png and learn-half-open.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LESSONS } from '@shared/lessons';
import { repoRoot, watchPage } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';

/** ms a lesson may take on a busy 2-core machine (the keep-alive one holds 5.5 s, the vanished peer about 8 s) */
const RUN_TIMEOUT_MS = 60_000;

async function runLesson(page: Page, url: string, id: string): Promise<string> {
  const lesson = LESSONS.find((candidate) => candidate.id === id)!;
  await page.goto(`${url}#learn/${id}`);
  const card = page.getByTestId('lesson');
  await card.getByRole('heading', { level: 2, name: lesson.title }).waitFor({ timeout: 15_000 });
  await card.getByRole('radio', { name: lesson.choices.find((choice) => choice.id === lesson.expected)!.label }).check();
  await card.getByRole('button', { name: 'Run the experiment' }).click();
  const result = page.getByTestId('lesson-result');
  await result.waitFor({ timeout: RUN_TIMEOUT_MS });
  return (await result.textContent()) ?? '';
}

const flagCells = (page: Page) => page.getByTestId('lesson-packets').locator('tbody tr td:nth-child(4)').allTextContents();

describe('TCP lessons in Chromium', () => {
  const web = webModeInChromium();

  it('FIN or RST: the RST shows as "RST ACK", and the text says why it carries an ACK flag', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    const text = await runLesson(page, web.serve.url, 'fin-vs-rst');
    expect(await flagCells(page)).toEqual(['RST ACK']);
    expect(text).toContain('Its ACK flag is set');
    expect(text).toContain('3 for the handshake, 4 for the hello and its answer, and the RST');
    await page.getByTestId('lesson-result').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-fin-vs-rst.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  }, 90_000);

  it('What a keep-alive probe is: more probes than the count, each flagged "ACK"', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page);
    const text = await runLesson(page, web.serve.url, 'keepalive-probe');
    const probes = Number(await page.getByTestId('figure-probes').textContent());
    expect(probes).toBeGreaterThan(3);
    const flags = await flagCells(page);
    expect(flags.length).toBeGreaterThan(0);
    for (const cell of flags) expect(cell).toBe('ACK');
    expect(text).toContain('The count (3) is not how many probes are sent');
    await page.getByTestId('lesson-result').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-keepalive-probe.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  }, 90_000);

  it('How long a vanished peer takes to detect: names when the peer vanished and the RST this side sends', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const text = await runLesson(page, web.serve.url, 'half-open-detection');
    if (text.includes('cannot run here')) return void (await page.close());
    expect(text).toMatch(/The peer vanished at [\d,]+ ms on the timeline/);
    expect(text).toContain('it sent an RST of its own');
    await page.getByTestId('lesson-result').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/learn-half-open.png` });
    await page.close();
  }, 90_000);
});
