import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { repoRoot, watchPage, type ServeProcess } from './helpers/browser';
import { webModeInChromium } from './helpers/web-mode';

/** Calls the engine of a running `serve` the way the page does, over its socket. */
function callEngine(
  serve: ServeProcess,
  method: string,
  params: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${serve.origin.replace('http', 'ws')}/api?token=${serve.token}`, { headers: { Origin: serve.origin } });
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, params })));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.id !== 1) return;
      ws.close();
      resolve(message.result);
    });
  });
}

describe('Reports view in the web mode', () => {
  const web = webModeInChromium();

  it('lists what was run and downloads an HTML report with its numbers', async () => {
    const run = await callEngine(web.serve, 'http.run', { config: { requests: 10 } });
    expect(run.ok, run.error?.message).toBe(true);
    const page = await web.browser.newPage({ acceptDownloads: true });
    const watch = watchPage(page);
    await page.goto(`${web.serve.url}#reports`);
    await expect
      .poll(() => page.getByTestId('report-contents').textContent(), { timeout: 15_000 })
      .toContain('10 requests, 1 connection, 9 reused');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export report' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.html$/);
    const html = await readFile((await download.path())!, 'utf8');
    expect(html).toContain('10 requests, 1 connection, 9 reused');
    expect(html).not.toMatch(/<script/i);
    await expect.poll(() => page.getByTestId('report-status').textContent()).toMatch(/Downloaded/);
    await page.screenshot({ path: `${repoRoot}/docs/screenshots/reports-view.png` });
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
