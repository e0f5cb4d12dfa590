/**
 * The desktop-only paths a person takes, on the built app (see desktop-shell.test.ts
 * for how it runs and what only a real Electron shows): a run in the Lab, File >
 * Open capture… and Export report… from every view (each opens exactly one
 * dialog; the stand-in answers or cancels as a person would), a dropped capture
 * (its path from webUtils.getPathForFile, looked up by the preload and sent to the
 * main process, never to the page), reports saved in each format, Quit. Every
 * file reaches the engine as a one-time handle for one access; the bridge
 * refuses a raw path, a used handle, and a handle for the other access.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../e2e/helpers/browser';
import { desktopAppInChromium } from './harness/desktop-app';
import type { DialogKind } from './harness/main-process';

const desktop = desktopAppInChromium();
const SCREENSHOTS = join(repoRoot, 'docs/screenshots');
const CAPTURES = resolve(repoRoot, '../shared/captures/public');
const MENU_CAPTURE = join(CAPTURES, 'ndpi__nest_log_sink.pcap');
const DROPPED_CAPTURE = join(CAPTURES, 'arkime__websocket.pcap');
const VIEWS = ['Lab', 'Captures', 'Reports'] as const;

const HANDLE = /^file-handle:[\w-]+$/;

/** What the preload sent the main process for `method` (the params of each call). */
const callsOf = (method: string) =>
  desktop.renderer.invocations.filter((call) => call.args[0] === method).map((call) => call.args[1] as Record<string, unknown>);

/** Calls a method through the bridge as the page's own code could. */
const fromPage = (method: string, params: unknown) =>
  desktop.page.evaluate(
    ([name, args]) => (window.keepaliveLab as unknown as Record<string, (p: unknown) => Promise<unknown>>)[name as string]!(args),
    [method, params] as const,
  ) as Promise<{ ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } }>;

const dialogCount = (kind: DialogKind) => desktop.main.dialogs.filter((dialog) => dialog.kind === kind).length;
const status = (page: Page) => page.getByTestId('report-status').textContent();

/** Clicks a File menu item and waits until it has opened its dialog and the view has settled. */
async function menuOpensOneDialog(label: string, kind: DialogKind, hash: string): Promise<void> {
  const before = dialogCount(kind);
  await desktop.menu(label);
  await expect.poll(() => dialogCount(kind), { timeout: 15_000 }).toBe(before + 1);
  await desktop.page.waitForFunction((expected) => window.location.hash === expected, hash);
  // a round trip through the page and the engine: a second dialog from the same click would have been asked by now
  await desktop.page.evaluate(() => window.keepaliveLab?.['app.getInfo']?.({}));
  expect(dialogCount(kind), `${label} opened one ${kind}`).toBe(before + 1);
}

describe('desktop app: menus, dialogs, drop, export', () => {
  it('runs an experiment in the Lab', async () => {
    const page = desktop.page;
    // the app opens on Learn: the Lab is one click away in the navigation
    await page.getByRole('link', { name: 'Lab', exact: true }).click();
    await expect.poll(() => page.getByLabel('Scenario').locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    await page.getByLabel('Scenario').selectOption('drained-body');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const rows = page.getByRole('region', { name: 'Requests of the run' }).locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(10);
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-run.png') });
  });

  it('File > Open capture… (Ctrl+O) opens one open dialog from each view; a chosen file opens, Cancel changes nothing', async () => {
    const page = desktop.page;
    desktop.main.answerNext('open-dialog', () => ({ canceled: false, filePaths: [MENU_CAPTURE] }));
    await menuOpensOneDialog('Open capture…', 'open-dialog', '#captures');
    const asked = desktop.main.dialogs.at(-1)!.options;
    expect(asked).toMatchObject({ title: 'Open capture', properties: ['openFile'] });
    expect(asked['filters']).toEqual([{ name: '*.pcap *.pcapng *.cap *.dmp *.har', extensions: ['pcap', 'pcapng', 'cap', 'dmp', 'har'] }]);
    await page.getByTestId('capture-summary').waitFor({ timeout: 30_000 });
    // the engine got a handle, the title names the file the person chose
    expect(callsOf('capture.open')).toEqual([expect.objectContaining({ path: expect.stringMatching(HANDLE) })]);
    expect(JSON.stringify(desktop.renderer.invocations)).not.toContain(MENU_CAPTURE);
    expect(await page.getByTestId('capture-summary').textContent()).toContain('ndpi__nest_log_sink.pcap');
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-capture-by-menu.png') });

    for (const view of VIEWS) {
      await desktop.view(view);
      desktop.main.answerNext('open-dialog', () => ({ canceled: true, filePaths: [] }));
      await menuOpensOneDialog('Open capture…', 'open-dialog', '#captures');
      // the next open dialog starts where the last capture came from
      expect(desktop.main.dialogs.at(-1)!.options['defaultPath']).toBe(CAPTURES);
    }
    // cancelled: no second capture.open (the view itself does not keep the capture across a view switch)
    expect(desktop.renderer.invocations.filter((call) => call.args[0] === 'capture.open')).toHaveLength(1);
  });

  it('opens a dropped capture by a handle for the path webUtils.getPathForFile gives, which the page never sees', async () => {
    const page = desktop.page;
    await desktop.view('Captures');
    const bytes = await readFile(DROPPED_CAPTURE);
    desktop.renderer.registerDroppedFile({ name: 'arkime__websocket.pcap', size: bytes.length }, DROPPED_CAPTURE);
    await page.locator('.capture-view').evaluate((target, base64) => {
      const content = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], 'arkime__websocket.pcap', { type: 'application/vnd.tcpdump.pcap' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    }, bytes.toString('base64'));
    await expect
      .poll(() => desktop.renderer.invocations.filter((call) => call.args[0] === 'capture.open').length, { timeout: 15_000 })
      .toBe(2);
    expect(desktop.renderer.pathLookups.map((lookup) => lookup.path)).toEqual([DROPPED_CAPTURE]);
    // the path goes from the preload to the main process on the drop channel only; the engine gets a handle
    const drops = desktop.renderer.invocations.filter((call) => call.channel === 'keepalive-lab:drop');
    expect(drops.map((call) => call.args)).toEqual([[DROPPED_CAPTURE]]);
    expect(callsOf('capture.open').at(-1)).toMatchObject({ path: expect.stringMatching(HANDLE) });
    expect(JSON.stringify(desktop.renderer.invocations.filter((call) => call.channel !== 'keepalive-lab:drop'))).not.toContain(
      DROPPED_CAPTURE,
    );
    await expect.poll(() => page.getByTestId('capture-summary').textContent(), { timeout: 30_000 }).toContain('arkime__websocket.pcap');
  });

  it('says so when a dropped item is not a file on disk, and opens nothing', async () => {
    const page = desktop.page;
    const opens = callsOf('capture.open').length;
    // a File made in the page has no path: getPathForFile answers '' and the shell grants nothing
    await page.locator('.capture-view').evaluate((target) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(24)], 'made-by-the-page.pcap'));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    });
    await expect
      .poll(() => page.getByTestId('capture-error').textContent(), { timeout: 15_000 })
      .toContain('this file is not on disk: save it to a file first, then drop it or use File > Open capture…');
    expect(callsOf('capture.open')).toHaveLength(opens);
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-drop-not-on-disk.png') });
  });

  it('File > Export report… (Ctrl+E) opens one save dialog from each view, in Documents first, then the folder used last', async () => {
    const page = desktop.page;
    const folder = join(desktop.home, 'Documents');
    // from the Lab: a name typed without an extension gets the chosen format's (HTML, the default)
    await desktop.view('Lab');
    desktop.main.answerNext('save-dialog', () => ({ canceled: false, filePath: join(folder, 'from-the-lab') }));
    await menuOpensOneDialog('Export report…', 'save-dialog', '#reports');
    const first = desktop.main.dialogs.at(-1)!.options;
    expect(first['defaultPath']).toMatch(new RegExp(`^${folder}/keepalive-lab-[\\dT-]+\\.html$`));
    expect(first['filters']).toEqual([{ name: '*.html', extensions: ['html'] }]);
    await expect.poll(() => status(page), { timeout: 15_000 }).toMatch(/^Saved .*from-the-lab\.html \([\d,]+ bytes\)\.$/);
    expect((await readFile(join(folder, 'from-the-lab.html'), 'utf8')).slice(0, 15).toLowerCase()).toBe('<!doctype html>');

    // from Captures: Cancel writes nothing and says nothing
    await desktop.view('Captures');
    desktop.main.answerNext('save-dialog', () => ({ canceled: true, filePath: '' }));
    await menuOpensOneDialog('Export report…', 'save-dialog', '#reports');
    expect(desktop.main.dialogs.at(-1)!.options['defaultPath']).toMatch(new RegExp(`^${folder}/keepalive-lab-`));
    await expect.poll(() => status(page)).toBe('');

    // on Reports: a .md name with HTML chosen writes Markdown, and says that the name won
    desktop.main.answerNext('save-dialog', () => ({ canceled: false, filePath: join(folder, 'notes.md') }));
    await menuOpensOneDialog('Export report…', 'save-dialog', '#reports');
    await expect
      .poll(() => status(page), { timeout: 15_000 })
      .toContain("as Markdown: the name's .md decides the format, not the HTML chosen in the list.");
    expect(await readFile(join(folder, 'notes.md'), 'utf8')).toMatch(/^# /);
    expect((await readdir(folder)).sort()).toEqual(['from-the-lab.html', 'notes.md']);
  });

  it('exports each format under a name without extension, as the format chosen', async () => {
    const page = desktop.page;
    await desktop.view('Reports');
    const folder = join(desktop.home, 'exports');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    for (const [format, check] of [
      ['md', (text: string) => expect(text).toMatch(/^# /)],
      ['json', (text: string) => expect(JSON.parse(text)).toHaveProperty('sessions')],
      ['html', (text: string) => expect(text.slice(0, 15).toLowerCase()).toBe('<!doctype html>')],
    ] as const) {
      await page.getByLabel('Format').selectOption(format);
      desktop.main.answerNext('save-dialog', () => ({ canceled: false, filePath: join(folder, `session-${format}`) }));
      const before = dialogCount('save-dialog');
      await page.getByRole('button', { name: 'Export report' }).click();
      await expect
        .poll(() => status(page), { timeout: 15_000 })
        .toMatch(new RegExp(`session-${format}\\.${format} \\([\\d,]+ bytes\\)\\.$`));
      expect(dialogCount('save-dialog')).toBe(before + 1);
      expect(desktop.main.dialogs.at(-1)!.options['filters']).toEqual([{ name: `*.${format}`, extensions: [format] }]);
      const text = await readFile(join(folder, `session-${format}.${format}`), 'utf8');
      check(text);
      // the report names the files the person chose, never a handle
      expect(text).toContain('websocket.pcap'); // Markdown escapes the underscores before it
      expect(text).not.toContain('file-handle:');
    }
    expect(desktop.main.dialogs.at(-1)!.options['defaultPath']).toMatch(new RegExp(`^${folder}/`));
    // every report reached the engine as a write handle; the message names the file chosen
    expect(callsOf('report.save').every((params) => HANDLE.test(String(params['path'])))).toBe(true);
    expect(await status(page)).toMatch(/^Saved session-html\.html \([\d,]+ bytes\)\.$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-reports-export.png') });
  });

  it('asks before replacing a file that the added extension points at', async () => {
    const page = desktop.page;
    const folder = join(desktop.home, 'exports');
    const target = join(folder, 'session-html.html');
    const before = (await stat(target)).mtimeMs;
    desktop.main.answerNext('save-dialog', () => ({ canceled: false, filePath: join(folder, 'session-html') }));
    desktop.main.answerNext('message-box', () => ({ response: 1, checkboxChecked: false }));
    await page.getByRole('button', { name: 'Export report' }).click();
    await expect.poll(() => dialogCount('message-box'), { timeout: 15_000 }).toBe(1);
    expect(desktop.main.dialogs.at(-1)!.options).toMatchObject({
      message: '“session-html.html” already exists. Replace it?',
      buttons: ['Replace', 'Cancel'],
    });
    await expect.poll(() => status(page)).toBe('');
    expect((await stat(target)).mtimeMs).toBe(before);
  });

  it('takes handles only through the bridge: no raw path, no second use, no use for the other access', async () => {
    const outside = join(desktop.home, 'written-by-a-path.md');
    // the handles the app used to open the two captures (by menu, by drop)
    const spent = callsOf('capture.open').map((params) => String(params['path']));
    expect(spent).toEqual([expect.stringMatching(HANDLE), expect.stringMatching(HANDLE)]);
    // raw paths, for reading and writing
    for (const path of [DROPPED_CAPTURE, '/etc/shadow']) {
      expect(await fromPage('capture.open', { path }), path).toMatchObject({ ok: false, error: { code: 'path-refused' } });
    }
    expect(await fromPage('report.save', { path: outside, force: true })).toMatchObject({ ok: false, error: { code: 'path-refused' } });
    expect(await fromPage('capture.correlate', { capturePath: DROPPED_CAPTURE, sessionPath: '/etc/hostname' })).toMatchObject({
      ok: false,
      error: { code: 'path-refused' },
    });
    // one time: both are spent
    for (const path of spent) {
      expect(await fromPage('capture.open', { path })).toMatchObject({
        ok: false,
        error: { code: 'unknown-file', message: 'that file is no longer available here: choose it again, or drop it on the window again' },
      });
    }
    // an open handle does not write, a save handle does not read; each still works for its own access
    desktop.main.answerNext('open-dialog', () => ({ canceled: false, filePaths: [MENU_CAPTURE] }));
    desktop.main.answerNext('save-dialog', () => ({ canceled: false, filePath: outside }));
    const open = await fromPage('file.chooseOpen', { title: 'Open capture', extensions: ['pcap'] });
    const save = await fromPage('file.chooseSave', { title: 'Export report', suggestedName: 'r.md', extensions: ['md'] });
    expect(open.value).toEqual({ path: expect.stringMatching(HANDLE), name: 'ndpi__nest_log_sink.pcap' });
    expect(save.value).toEqual({ path: expect.stringMatching(HANDLE), name: 'written-by-a-path.md' });
    expect(await fromPage('report.save', { path: open.value!['path'], force: true })).toMatchObject({
      ok: false,
      error: { code: 'unknown-file' },
    });
    expect(await fromPage('capture.open', { path: save.value!['path'] })).toMatchObject({ ok: false, error: { code: 'unknown-file' } });
    await expect(readFile(outside)).rejects.toThrow(/ENOENT/);
    expect(await fromPage('capture.open', { path: open.value!['path'] })).toMatchObject({ ok: true });
    expect(await fromPage('report.save', { path: save.value!['path'], force: true })).toMatchObject({ ok: true });
    expect(await readFile(outside, 'utf8')).toMatch(/^# /);
    // anything but a File through grantDropped: a File the page made has no path, a look-alike object is not a File
    const grant = (made: boolean) =>
      desktop.page.evaluate(
        (real) => window.keepaliveLab!.grantDropped!((real ? new File(['x'], 'a.pcap') : { name: 'a.pcap', size: 1 }) as File),
        made,
      );
    expect(await grant(true)).toMatchObject({ ok: false, error: { code: 'not-on-disk' } });
    expect(await grant(false)).toMatchObject({ ok: false, error: { code: 'not-a-file' } });
  });

  it('logged no console error and no CSP violation on the way, and File > Quit unwires IPC', async () => {
    expect(desktop.consoleErrors).toEqual([]);
    expect(await desktop.cspViolations()).toEqual([]);
    expect(desktop.renderer.strayRequests).toEqual([]);
    const template =
      await desktop.main.command<Array<{ label?: string; submenu?: Array<{ label?: string; accelerator?: string }> }>>('menu-template');
    const file = template.find((item) => item.label === 'File');
    expect(file?.submenu?.filter((item) => item.label).map((item) => [item.label, item.accelerator])).toEqual([
      ['Open capture…', 'CmdOrCtrl+O'],
      ['Export report…', 'CmdOrCtrl+E'],
      ['Quit', 'CmdOrCtrl+Q'],
    ]);
    await desktop.menu('Quit');
    await expect.poll(async () => (await desktop.main.journal()).some((entry) => entry.api === 'ipcMain.removeHandler')).toBe(true);
  });
});
