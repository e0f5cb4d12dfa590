/**
 * The commands the test drives, issued as Electron itself would: a request to
 * a custom scheme, an IPC message from a frame, a click on a menu item, a
 * navigation, a window.open, a webview, a permission request or check.
 */
import { journal, plain, record } from './channel';
import { app, BrowserWindow, registered, WebContents, type MenuItemOptions } from './electron-main';
import type { StandInCommand } from './protocol';

function findMenuItem(items: MenuItemOptions[], label: string): MenuItemOptions | null {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu ? findMenuItem(item.submenu, label) : null;
    if (inner) return inner;
  }
  return null;
}

/** Where a request to a custom scheme ends: its handler's Response (what Chromium would load). */
async function protocolRequest(url: string, method: string) {
  const scheme = new URL(url).protocol.replace(/:$/, '');
  const handler = registered.protocolHandlers.get(scheme);
  if (!handler) return { status: 0, headers: {}, body: new Uint8Array(), error: 'net::ERR_UNKNOWN_URL_SCHEME' };
  const response = await handler(new Request(url, { method }));
  return { status: response.status, headers: Object.fromEntries(response.headers), body: new Uint8Array(await response.arrayBuffer()) };
}

/** An IPC message as ipcMain would hand it over: from the window's top frame, a sub-frame, or other contents. */
async function invoke(args: { channel: string; args: unknown[]; from: 'top-frame' | 'sub-frame' | 'other-contents'; frameUrl?: string }) {
  const handler = registered.invokeHandlers.get(args.channel);
  if (!handler) throw new Error(`No handler registered for '${args.channel}'`);
  const win = BrowserWindow.all.find((candidate) => !candidate.isDestroyed());
  if (!win) throw new Error('no window');
  const other = new WebContents();
  other.mainFrame.url = args.frameUrl ?? win.webContents.mainFrame.url;
  const sender = args.from === 'other-contents' ? other : win.webContents;
  const senderFrame =
    args.from === 'top-frame'
      ? win.webContents.mainFrame
      : args.from === 'sub-frame'
        ? { url: args.frameUrl ?? win.webContents.mainFrame.url, parent: win.webContents.mainFrame }
        : other.mainFrame;
  return handler({ sender, senderFrame, processId: 1, frameId: 1 }, ...args.args);
}

function firstWindow(): BrowserWindow {
  const win = BrowserWindow.all[0];
  if (!win) throw new Error('no window');
  return win;
}

export async function runCommand(command: StandInCommand): Promise<unknown> {
  const args = command.args as Record<string, unknown>;
  switch (command.method) {
    case 'journal':
      return journal;
    case 'protocol-request':
      return protocolRequest(String(args['url']), String(args['method'] ?? 'GET'));
    case 'invoke':
      return invoke(args as Parameters<typeof invoke>[0]);
    case 'menu-click': {
      const menu = registered.applicationMenu();
      const item = menu ? findMenuItem(menu.items, String(args['label'])) : null;
      if (!item) throw new Error(`no menu item "${String(args['label'])}"`);
      record('menu:click', item.label, item.accelerator ?? null);
      if (item.click) item.click(item, firstWindow(), { triggeredByAccelerator: Boolean(args['byAccelerator']) });
      else if (item.role === 'quit') app.quit();
      return { label: item.label ?? null, role: item.role ?? null, accelerator: item.accelerator ?? null };
    }
    case 'menu-template':
      return plain(registered.applicationMenu()?.items ?? null);
    case 'will-navigate': {
      let prevented = false;
      firstWindow().webContents.emit('will-navigate', { preventDefault: () => (prevented = true), url: args['url'] }, args['url']);
      return { prevented };
    }
    case 'window-open':
      return firstWindow().webContents.windowOpenHandler?.({
        url: String(args['url']),
        frameName: '',
        features: '',
        disposition: 'foreground-tab',
      });
    case 'will-attach-webview': {
      let prevented = false;
      firstWindow().webContents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
      return { prevented };
    }
    case 'permission-request':
      return new Promise((resolve) => {
        const handler = registered.permissionRequestHandler();
        if (!handler) return resolve('no handler: Electron grants');
        handler(firstWindow().webContents, String(args['permission']), resolve, {});
      });
    case 'permission-check':
      return (
        registered.permissionCheckHandler()?.(firstWindow().webContents, String(args['permission']), String(args['origin']), {}) ??
        'no handler: Electron allows'
      );
    case 'response-headers':
      return new Promise((resolve) => {
        const listener = registered.headersListener();
        if (!listener) return resolve(null);
        listener({ url: String(args['url']), responseHeaders: {} }, resolve);
      });
    case 'state':
      return {
        privilegedSchemes: registered.privilegedSchemes,
        protocols: [...registered.protocolHandlers.keys()],
        channels: [...registered.invokeHandlers.keys()],
      };
    default:
      throw new Error(`unknown command ${command.method}`);
  }
}
