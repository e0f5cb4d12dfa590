import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fakeElectron, recorded } from './fake-electron';

vi.mock('electron', () => fakeElectron());

const { createMainWindow, CSP, SECURE_WEB_PREFERENCES } = await import('../../../../src/main/shell/window');
const { createCallHandler, wireIpc, CALL_CHANNEL, EVENT_CHANNEL } = await import('../../../../src/main/shell/ipc');
const { buildMenuTemplate } = await import('../../../../src/main/shell/menu');
const { startApp } = await import('../../../../src/main/shell/start');
const { createService } = await import('../../../../src/main/service');

type Handler = ReturnType<typeof createCallHandler>;

describe('the Electron window', () => {
  beforeEach(() => {
    FakeBrowserWindow.created.length = 0;
  });

  it('is created isolated, sandboxed, without Node, with web security and our preload', () => {
    const win = createMainWindow({
      devUrl: null,
      indexHtml: '/app/index.html',
      preload: '/app/preload/index.cjs',
    }) as unknown as FakeBrowserWindow;
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
    expect(win.loaded).toBe('/app/index.html');
  });

  it('denies window.open and navigation away, webviews and permission requests', () => {
    const win = createMainWindow({ devUrl: null, indexHtml: '/app/index.html', preload: '/p.cjs' }) as unknown as FakeBrowserWindow;
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
  });

  it('sends a strict Content-Security-Policy header', () => {
    createMainWindow({ devUrl: null, indexHtml: '/i.html', preload: '/p.cjs' });
    let headers: unknown;
    recorded.headersHandler?.({ responseHeaders: {} }, (result) => (headers = result));
    expect(headers).toEqual({ responseHeaders: { 'Content-Security-Policy': [CSP] } });
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toContain('unsafe');
  });
});

describe('IPC wiring', () => {
  function setup() {
    const service = createService({ mode: 'electron', dataDir: '/tmp/kl-shell-test' });
    const win = createMainWindow({ devUrl: null, indexHtml: '/i.html', preload: '/p.cjs' }) as unknown as FakeBrowserWindow;
    const handler: Handler = createCallHandler(service, () => win as never);
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
    await service.dispose();
  });

  it('registers one call channel and forwards engine events to the window', async () => {
    const { service, win } = setup();
    const unwire = wireIpc(service, () => win as never);
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

  it('quits when another instance already runs (single-instance lock)', () => {
    recorded.singleInstance = false;
    const before = recorded.quitCalls;
    startApp('/app/out/main');
    expect(recorded.quitCalls).toBe(before + 1);
    recorded.singleInstance = true;
  });
});
