import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fakeElectron, recorded } from './fake-electron';

vi.mock('electron', () => fakeElectron());

const { createMainWindow, CSP, SECURE_WEB_PREFERENCES } = await import('../../../../src/main/shell/window');
const { createCallHandler, wireIpc, CALL_CHANNEL, EVENT_CHANNEL } = await import('../../../../src/main/shell/ipc');
const { createFileDialogs } = await import('../../../../src/main/shell/dialogs');
const { RENDERER_CSP, CSP_PLACEHOLDER } = await import('../../../../src/main/shell/csp');
const { buildMenuTemplate } = await import('../../../../src/main/shell/menu');
const { startApp } = await import('../../../../src/main/shell/start');
const { createService } = await import('@engine/service');

type Handler = ReturnType<typeof createCallHandler>;

describe('the Electron window', () => {
  beforeEach(() => {
    FakeBrowserWindow.created.length = 0;
  });

  it('is created isolated, sandboxed, without Node, with web security and our preload', () => {
    const win = createMainWindow({ devUrl: null, preload: '/app/preload/index.cjs' }) as unknown as FakeBrowserWindow;
    const prefs = win.options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload/index.cjs',
    });
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
    // the built renderer comes from the app:// protocol, never file:// (app-protocol.ts)
    expect(win.loaded).toBe('app://keepalive-lab/index.html');
  });

  it('denies window.open and navigation away, webviews and permission requests', () => {
    const win = createMainWindow({ devUrl: null, preload: '/p.cjs' }) as unknown as FakeBrowserWindow;
    expect(win.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(win.webContents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    const navigation = { preventDefault: vi.fn() };
    win.webContents.emit('will-navigate', navigation, 'https://evil.example/');
    expect(navigation.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    win.webContents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const granted = vi.fn();
    recorded.permissionHandler?.(null, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(recorded.permissionCheckHandler?.(null, 'clipboard-read', 'app://keepalive-lab', {})).toBe(false);
  });

  it('allows navigation within the app only, comparing parsed origins', () => {
    const built = createMainWindow({ devUrl: null, preload: '/p.cjs' }) as unknown as FakeBrowserWindow;
    const dev = createMainWindow({ devUrl: 'http://localhost:5173', preload: '/p.cjs' }) as unknown as FakeBrowserWindow;
    expect(dev.loaded).toBe('http://localhost:5173');
    const prevented = (win: FakeBrowserWindow, url: string) => {
      const navigation = { preventDefault: vi.fn() };
      win.webContents.emit('will-navigate', navigation, url);
      return navigation.preventDefault.mock.calls.length > 0;
    };
    expect(prevented(built, 'app://keepalive-lab/index.html')).toBe(false);
    expect(prevented(built, 'app://other/index.html')).toBe(true);
    expect(prevented(built, 'file:///app/index.html')).toBe(true);
    expect(prevented(dev, 'http://localhost:5173/index.html')).toBe(false);
    // a prefix match would let these through
    expect(prevented(dev, 'http://localhost:5173@evil.example/')).toBe(true);
    expect(prevented(dev, 'http://localhost:51730/')).toBe(true);
    expect(prevented(dev, 'http://localhost:5173.evil.example/')).toBe(true);
    expect(prevented(dev, 'not a url')).toBe(true);
  });

  it('sends a strict Content-Security-Policy header', () => {
    createMainWindow({ devUrl: null, preload: '/p.cjs' });
    let headers: unknown;
    recorded.headersHandler?.({ responseHeaders: {} }, (result) => (headers = result));
    expect(headers).toEqual({ responseHeaders: { 'Content-Security-Policy': [CSP] } });
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toContain('unsafe');
  });

  it('has one policy: the <meta> of index.html is filled from the same constant as the header, without ws:', () => {
    const html = readFileSync(join(import.meta.dirname, '../../../../src/renderer/index.html'), 'utf8');
    expect(html).toContain(`content="${CSP_PLACEHOLDER}"`);
    expect(CSP).toBe(`${RENDERER_CSP}; frame-ancestors 'none'`);
    expect(RENDERER_CSP).not.toMatch(/ws:|wss:|frame-ancestors/);
  });
});

describe('IPC wiring', () => {
  function setup() {
    const service = createService({ mode: 'electron', dataDir: '/tmp/kl-shell-test' });
    const win = createMainWindow({ devUrl: null, preload: '/p.cjs' }) as unknown as FakeBrowserWindow;
    const handler: Handler = createCallHandler(service, {
      getWindow: () => win as never,
      dialogs: createFileDialogs(() => null),
      devUrl: null,
    });
    const ownEvent = { sender: win.webContents, senderFrame: win.webContents.mainFrame } as never;
    return { service, win, handler, ownEvent };
  }

  it('answers a valid call from the app window', async () => {
    const { handler, ownEvent, service } = setup();
    const result = await handler(ownEvent, 'app.getInfo', {});
    expect(result).toMatchObject({ ok: true, value: { appName: 'Keepalive Lab', mode: 'electron' } });
    await service.dispose();
  });

  it('rejects invalid payloads with a clear error', async () => {
    const { handler, ownEvent, service } = setup();
    expect(await handler(ownEvent, 'app.getInfo', { extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-params', message: expect.stringContaining('app.getInfo') },
    });
    expect(await handler(ownEvent, 'job.cancel', { jobId: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-params', message: expect.stringContaining('jobId') },
    });
    expect(await handler(ownEvent, 'no.such', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await handler(ownEvent, { toString: 1 }, {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await handler(ownEvent, 'file.chooseSave', { title: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    await service.dispose();
  });

  it('refuses calls from anything but the app window top frame', async () => {
    const { handler, win, service } = setup();
    const fromSubframe = { sender: win.webContents, senderFrame: { url: 'https://evil.example' } } as never;
    expect(await handler(fromSubframe, 'app.getInfo', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const fromOther = { sender: {}, senderFrame: {} } as never;
    expect(await handler(fromOther, 'app.getInfo', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // the top frame itself, once it shows another page (the frame object is the same, its URL is not)
    win.webContents.mainFrame.url = 'https://evil.example/';
    const navigatedAway = { sender: win.webContents, senderFrame: win.webContents.mainFrame } as never;
    expect(await handler(navigatedAway, 'app.getInfo', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Electron gives a null senderFrame when the frame has gone since it sent
    const gone = { sender: win.webContents, senderFrame: null } as never;
    expect(await handler(gone, 'app.getInfo', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await service.dispose();
  });

  it('registers one call channel and forwards engine events to the window', async () => {
    const { service, win } = setup();
    const unwire = wireIpc(service, { getWindow: () => win as never, dialogs: createFileDialogs(() => null), devUrl: null });
    expect(recorded.ipcHandlers.has(CALL_CHANNEL)).toBe(true);
    await service.call('job.cancel', { jobId: 'nothing-running' });
    unwire();
    expect(recorded.ipcHandlers.has(CALL_CHANNEL)).toBe(false);
    expect(EVENT_CHANNEL).toMatch(/event/);
    await service.dispose();
  });
});

describe('menu and lifecycle', () => {
  it('has File > Open capture…, Export report…, Quit, which send menu events', () => {
    const sent: unknown[] = [];
    const template = buildMenuTemplate((event) => sent.push(event), false);
    const file = template.find((item) => item.label === 'File');
    const labels = (file?.submenu as Array<{ label?: string; click?: () => void }>).map((item) => item.label).filter(Boolean);
    expect(labels).toEqual(['Open capture…', 'Export report…', 'Quit']);
    (file?.submenu as Array<{ label?: string; click?: () => void }>)[0]?.click?.();
    expect(sent).toEqual([{ kind: 'menu-invoked', command: 'open-capture' }]);
  });

  it('registers app:// as a privileged scheme before the app is ready', () => {
    const before = recorded.privilegedSchemes.length;
    startApp('/app/out/main');
    expect(recorded.privilegedSchemes.slice(before)).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('quits when another instance already runs (single-instance lock)', () => {
    recorded.singleInstance = false;
    const before = recorded.quitCalls;
    startApp('/app/out/main');
    expect(recorded.quitCalls).toBe(before + 1);
    recorded.singleInstance = true;
  });
});
