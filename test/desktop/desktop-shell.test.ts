/**
 * The desktop app as Electron would run it: the built main bundle booted with a
 * recorded stand-in for `electron`, the real preload in an isolated context,
 * the real renderer in Chromium loaded through the app's own app:// handler.
 * This file: start-up, the window and its lock-down, the protocol, the IPC
 * guard. (Menus, dialogs, drop and export: desktop-menus.test.ts.)
 *
 * Only a real Electron shows: contextBridge's exact copying of values, the
 * native accelerators and role menu items, Chromium's privileged `app:` scheme
 * (mapped here onto an https origin), and the fuse set of a packaged binary
 * (test/unit/packaging.test.ts checks the fuse wire electron-builder makes).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSP_PLACEHOLDER, RENDERER_CSP, RENDERER_CSP_HEADER } from '../../src/main/shell/csp';
import { methodNames } from '@shared/api';
import { repoRoot } from '../e2e/helpers/browser';
import { desktopAppInChromium } from './harness/desktop-app';

const desktop = desktopAppInChromium();
const SCREENSHOTS = join(repoRoot, 'docs/screenshots');

describe('desktop app: start-up and lock-down', () => {
  it('starts as Electron requires: scheme before ready, protocol and window after, a call channel and a drop channel', async () => {
    const journal = (await desktop.main.journal()).map((entry) => entry.api);
    const at = (api: string) => journal.indexOf(api);
    expect(at('protocol.registerSchemesAsPrivileged')).toBeGreaterThanOrEqual(0);
    expect(at('protocol.registerSchemesAsPrivileged')).toBeLessThan(at('app:ready'));
    expect(at('protocol.handle')).toBeGreaterThan(at('app:ready'));
    expect(at('new BrowserWindow')).toBeGreaterThan(at('protocol.handle'));
    expect(journal.filter((api) => api === 'new BrowserWindow')).toHaveLength(1);
    expect(journal).not.toContain('dialog.showOpenDialog');
    const state = await desktop.main.command<{ privilegedSchemes: unknown[]; protocols: string[]; channels: string[] }>('state');
    expect(state).toEqual({
      privilegedSchemes: [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
      protocols: ['app'],
      channels: ['keepalive-lab:call', 'keepalive-lab:drop'],
    });
  });

  it('opens one secure window on app://, with the built preload', async () => {
    const load = await desktop.main.windowLoaded;
    expect(load.url).toBe('app://keepalive-lab/index.html');
    expect(load.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      preload: join(repoRoot, 'out/preload/index.cjs'),
    });
    expect(existsSync(String(load.options.webPreferences['preload']))).toBe(true);
    // the preload exposes the contract, one function per method, plus onEvent and grantDropped — never ipcRenderer, never a path
    const bridge = desktop.renderer.exposed.get('keepaliveLab');
    expect([...desktop.renderer.exposed.keys()]).toEqual(['keepaliveLab']);
    expect(Object.keys(bridge ?? {}).sort()).toEqual([...methodNames, 'onEvent', 'grantDropped'].sort());
  });

  it('shows the app with the engine answering through the bridge', async () => {
    const info = desktop.page.getByRole('complementary', { name: 'Environment' });
    await expect.poll(() => info.textContent(), { timeout: 15_000 }).toContain('Keepalive Lab 0.1.0 (desktop)');
    expect(await desktop.page.evaluate(() => Object.isFrozen(window.keepaliveLab))).toBe(true);
    expect(desktop.renderer.invocations.some((call) => call.args[0] === 'app.getInfo')).toBe(true);
    await desktop.page.screenshot({ path: join(SCREENSHOTS, 'desktop-start.png') });
  });

  it('serves the renderer from app:// only, with one CSP in <meta> and header and no ws:', async () => {
    const entry = await desktop.main.command<{ status: number; headers: Record<string, string>; body: Uint8Array }>('protocol-request', {
      url: 'app://keepalive-lab/index.html',
      method: 'GET',
    });
    expect(entry.status).toBe(200);
    expect(entry.headers['content-security-policy']).toBe(RENDERER_CSP_HEADER);
    const html = Buffer.from(entry.body).toString('utf8');
    expect(html).toContain(`content="${RENDERER_CSP}"`);
    expect(html).not.toContain(CSP_PLACEHOLDER);
    expect(RENDERER_CSP).not.toMatch(/ws:/);
    for (const path of ['/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json']) {
      const outside = await desktop.main.command<{ status: number }>('protocol-request', { url: `app://keepalive-lab${path}` });
      expect([400, 404], path).toContain(outside.status);
    }
    // dev-server responses get the same header from the session
    expect(await desktop.main.command('response-headers', { url: 'http://localhost:5173/' })).toEqual({
      responseHeaders: { 'Content-Security-Policy': [RENDERER_CSP_HEADER] },
    });
  });

  it('accepts IPC from its own top frame only: not another sender, not a sub-frame', async () => {
    const call = (from: string, frameUrl?: string) =>
      desktop.main.command<{ ok: boolean; error?: { code: string } }>('invoke', {
        channel: 'keepalive-lab:call',
        args: ['app.getInfo', {}],
        from,
        frameUrl,
      });
    expect(await call('top-frame')).toMatchObject({ ok: true });
    expect(await call('other-contents', 'app://keepalive-lab/index.html')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('sub-frame', 'app://keepalive-lab/index.html')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('sub-frame', 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses navigation away, new windows, webviews and every permission', async () => {
    const navigate = (url: string) => desktop.main.command<{ prevented: boolean }>('will-navigate', { url });
    expect(await navigate('app://keepalive-lab/index.html')).toEqual({ prevented: false });
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'http://localhost:5173@evil.example/']) {
      expect(await navigate(url), url).toEqual({ prevented: true });
    }
    expect(await desktop.main.command('window-open', { url: 'https://www.rfc-editor.org/rfc/rfc9112' })).toEqual({ action: 'deny' });
    expect(await desktop.main.command('window-open', { url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    const opened = (await desktop.main.journal()).filter((entry) => entry.api === 'shell.openExternal').map((entry) => entry.args[0]);
    expect(opened).toEqual(['https://www.rfc-editor.org/rfc/rfc9112']);
    expect(await desktop.main.command('will-attach-webview')).toEqual({ prevented: true });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      expect(await desktop.main.command('permission-request', { permission }), permission).toBe(false);
      expect(await desktop.main.command('permission-check', { permission, origin: 'app://keepalive-lab' }), permission).toBe(false);
    }
  });

  it('logged no console error, no CSP violation, and asked for nothing outside the app', async () => {
    expect(desktop.consoleErrors).toEqual([]);
    expect(await desktop.cspViolations()).toEqual([]);
    expect(desktop.renderer.strayRequests).toEqual([]);
  });
});
