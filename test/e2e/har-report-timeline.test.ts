/**
 * The timeline of a HAR report, laid out by Chromium: no lane label runs into the plot where the
 * bars are (the labels of inferred connections, "inferred-3 h1 s3-us-west-2.amazonaws.com
 * (inferred)", ran 130 px into it), at 1280 px wide and on a narrow window, where the timeline
 * scrolls sideways instead of shrinking its text. Saves the report timeline's screenshots.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHarFile } from '@engine/har/import-har';
import { renderHtml } from '@engine/report/render-html';
import { createReportBundle } from '@shared/report-model';
import { launchChromium, repoRoot } from './helpers/browser';

const HARS = resolve(repoRoot, '../shared/hars');
const FILES = ['mitmproxy__firefox.har', 'pagexray__ferguson.har', 'harviewer__issue-61_ie11.fiddler.har'];
const APP = {
  appVersion: 'test',
  platform: 'linux/x64',
  nodeVersion: '20',
  keepaliveDefaults: { timeS: 7200, intervalS: 75, probes: 9, source: 'test' },
};
/** x where the plot starts in the SVG's own units (render-timeline-svg.ts LABEL_WIDTH) */
const PLOT_LEFT = 200;

describe('the HAR report timeline in Chromium', () => {
  let browser: Browser;
  let scratch: string;
  beforeAll(async () => {
    browser = await launchChromium();
    scratch = await mkdtemp(join(tmpdir(), 'har-report-timeline-'));
    await mkdir(resolve(repoRoot, 'docs/screenshots'), { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  for (const width of [1280, 480]) {
    it(`labels stay left of the bars at ${width} px`, async () => {
      for (const file of FILES) {
        const har = await importHarFile(join(HARS, file));
        const html = renderHtml(createReportBundle({ app: APP, sessions: [har.session] }));
        const path = join(scratch, `${file}.html`);
        await writeFile(path, html);
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(`file://${path}`);
        const svg = page.locator('svg.timeline').first();
        // every label's right edge, in the SVG's units, as Chromium laid out the text
        const rights = await svg.evaluate((element) =>
          [...element.querySelectorAll('g.lane text.label')].map((text) => {
            const box = (text as SVGTextElement).getBBox();
            return box.x + box.width;
          }),
        );
        expect(rights.length, file).toBeGreaterThan(0);
        for (const right of rights) expect(right, file).toBeLessThan(PLOT_LEFT - 2);
        // not shrunk below its own size: the labels keep their 11 px (the frame scrolls instead)
        const shown = await svg.evaluate((element) => element.getBoundingClientRect().width);
        expect(shown, file).toBeGreaterThanOrEqual(Math.min(800, width - 48));
        if (file === 'mitmproxy__firefox.har' && width === 1280)
          await svg.screenshot({ path: resolve(repoRoot, 'docs/screenshots/har-report-timeline.png') });
        await page.close();
      }
    });
  }
});
