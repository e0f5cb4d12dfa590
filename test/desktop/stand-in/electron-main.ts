/**
 * A recorded stand-in for the main-process half of `electron`, loaded in place
 * of the real module (hooks.mjs) when the desktop e2e test boots the built main
 * bundle (out/main/index.js) under plain Node. It behaves as Electron's
 * documented API does where the app depends on it (the order rules of `ready`,
 * one handler per IPC channel, a save dialog that returns `filePath`, the last
 * window-open handler wins…), records every call in a journal, and talks to the
 * test over the child-process IPC channel: the test answers dialogs and drives
 * the commands Electron itself would issue (a protocol request, an IPC invoke,
 * a menu click, a navigation).
 *
 * What only a real Electron can show: how contextBridge copies values, the
 * native menu's accelerator handling and role items (Edit, View, Quit's exact
 * shutdown), the real dialogs, the fuse set of a packaged binary, and Chromium's
 * handling of a privileged `app:` scheme (the test maps it onto an https origin).
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StandInAsk, StandInCommand, StandInMessage } from './protocol';

/** One thing the app asked of Electron. */
export interface JournalEntry {
  api: string;
  args: unknown[];
}

const journal: JournalEntry[] = [];

/** A JSON-safe copy for the journal: functions and windows become their names. */
function plain(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (value instanceof BrowserWindow) return `[BrowserWindow ${value.id}]`;
  if (value instanceof WebContents) return `[WebContents ${value.id}]`;
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item, depth + 1)]));
}

function record(api: string, ...args: unknown[]): void {
  journal.push({ api, args: args.map((arg) => plain(arg)) });
}

// ---- the channel to the test -------------------------------------------------------------

const waiting = new Map<number, (value: unknown) => void>();
let nextAskId = 1;

function send(message: StandInMessage): void {
  process.send?.(message);
}

/** Asks the test something only a person would answer (a dialog). */
function ask(question: StandInAsk['question'], payload: unknown): Promise<unknown> {
  const id = nextAskId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    send({ type: 'ask', id, question, payload: plain(payload) });
  });
}

process.on('message', (message: StandInCommand | { type: 'answer'; id: number; value: unknown }) => {
  if (message.type === 'answer') {
    waiting.get(message.id)?.(message.value);
    waiting.delete(message.id);
    return;
  }
  void runCommand(message).then(
    (value) => send({ type: 'result', id: message.id, ok: true, value }),
    (error: Error) => send({ type: 'result', id: message.id, ok: false, error: error.message }),
  );
});

// ---- app -----------------------------------------------------------------------------------

const home = process.env['KL_DESKTOP_HOME'] ?? '/tmp/keepalive-lab-desktop';
/** app.getPath names Electron knows, under the test's home folder */
const PATHS: Record<string, string> = {
  home,
  appData: join(home, '.config'),
  userData: join(home, '.config', 'Keepalive Lab'),
  sessionData: join(home, '.config', 'Keepalive Lab'),
  temp: join(home, 'tmp'),
  documents: join(home, 'Documents'),
  downloads: join(home, 'Downloads'),
  desktop: join(home, 'Desktop'),
  logs: join(home, '.config', 'Keepalive Lab', 'logs'),
};

class App extends EventEmitter {
  ready = false;
  private readonly readyPromise: Promise<void>;
  constructor() {
    super();
    this.readyPromise = new Promise((resolve) => {
      // Electron emits `ready` after the main script's first turn has run
      setTimeout(() => {
        this.ready = true;
        record('app:ready');
        this.emit('ready');
        resolve();
      }, 0);
    });
  }
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock');
    return true;
  }
  whenReady() {
    record('app.whenReady');
    return this.readyPromise;
  }
  isReady() {
    return this.ready;
  }
  getPath(name: string) {
    record('app.getPath', name);
    const path = PATHS[name];
    if (!path) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  getName() {
    return 'Keepalive Lab';
  }
  getVersion() {
    return '0.0.0-stand-in';
  }
  setAboutPanelOptions(options: unknown) {
    record('app.setAboutPanelOptions', options);
  }
  quit() {
    record('app.quit');
    setImmediate(() => {
      this.emit('before-quit', { preventDefault() {} });
      for (const win of BrowserWindow.all) win.close();
      this.emit('will-quit', { preventDefault() {} });
      this.emit('quit');
      send({ type: 'event', name: 'app-quit', payload: null });
    });
  }
}

export const app = new App();

// ---- windows and their contents ------------------------------------------------------------

interface Frame {
  url: string;
  /** null for a top frame */
  parent: Frame | null;
}

type WindowOpenHandler = (details: { url: string; frameName: string; features: string; disposition: string }) => { action: string };

let nextContentsId = 1;

export class WebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame: Frame = { url: '', parent: null };
  windowOpenHandler: WindowOpenHandler | null = null;
  setWindowOpenHandler(handler: WindowOpenHandler) {
    record('webContents.setWindowOpenHandler', this, handler);
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]) {
    send({ type: 'event', name: 'webContents.send', payload: { webContentsId: this.id, channel, args } });
  }
  getURL() {
    return this.mainFrame.url;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  private static nextId = 1;
  readonly id = BrowserWindow.nextId++;
  readonly webContents = new WebContents();
  private destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    if (!app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    record('new BrowserWindow', options);
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string) {
    record('win.loadURL', this, url);
    this.webContents.mainFrame.url = url;
    send({ type: 'event', name: 'window-loaded', payload: { windowId: this.id, url, options: plain(this.options) } });
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  loadFile(path: string) {
    return this.loadURL(pathToFileURL(path).href);
  }
  show() {
    record('win.show', this);
  }
  focus() {
    record('win.focus', this);
  }
  isMinimized() {
    return false;
  }
  restore() {
    record('win.restore', this);
  }
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
  }
}

// ---- IPC -----------------------------------------------------------------------------------

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
const invokeHandlers = new Map<string, InvokeHandler>();

export const ipcMain = {
  handle(channel: string, handler: InvokeHandler) {
    record('ipcMain.handle', channel);
    if (invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    invokeHandlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    record('ipcMain.removeHandler', channel);
    invokeHandlers.delete(channel);
  },
};

// ---- dialogs, menu, shell ------------------------------------------------------------------

/** Electron's dialog functions take (window, options) or (options). */
function dialogArgs(args: unknown[]): [BrowserWindow | null, Record<string, unknown>] {
  return args[0] instanceof BrowserWindow ? [args[0], args[1] as Record<string, unknown>] : [null, args[0] as Record<string, unknown>];
}

export const dialog = {
  async showOpenDialog(...args: unknown[]) {
    const [win, options] = dialogArgs(args);
    record('dialog.showOpenDialog', win, options);
    return (await ask('open-dialog', options)) as { canceled: boolean; filePaths: string[] };
  },
  async showSaveDialog(...args: unknown[]) {
    const [win, options] = dialogArgs(args);
    record('dialog.showSaveDialog', win, options);
    return (await ask('save-dialog', options)) as { canceled: boolean; filePath: string };
  },
  async showMessageBox(...args: unknown[]) {
    const [win, options] = dialogArgs(args);
    record('dialog.showMessageBox', win, options);
    return (await ask('message-box', options)) as { response: number; checkboxChecked: boolean };
  },
  showErrorBox(title: string, content: string) {
    record('dialog.showErrorBox', title, content);
  },
};

interface MenuItemOptions {
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  click?: (item: unknown, win: BrowserWindow | undefined, event: unknown) => void;
  submenu?: MenuItemOptions[];
}

let applicationMenu: { items: MenuItemOptions[] } | null = null;

export const Menu = {
  buildFromTemplate(template: MenuItemOptions[]) {
    record('Menu.buildFromTemplate', template);
    return { items: template };
  },
  setApplicationMenu(menu: { items: MenuItemOptions[] } | null) {
    record('Menu.setApplicationMenu', menu ? '[Menu]' : null);
    applicationMenu = menu;
  },
  getApplicationMenu() {
    return applicationMenu;
  },
};

export const shell = {
  openExternal(url: string) {
    record('shell.openExternal', url);
    return Promise.resolve();
  },
};

// ---- protocol and session ------------------------------------------------------------------

type ProtocolHandler = (request: Request) => Response | Promise<Response>;
const protocolHandlers = new Map<string, ProtocolHandler>();
const privilegedSchemes: unknown[] = [];

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    record('protocol.registerSchemesAsPrivileged', schemes);
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler) {
    record('protocol.handle', scheme);
    if (!app.isReady()) throw new Error('protocol.handle must be called after app is ready');
    if (protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    protocolHandlers.set(scheme, handler);
  },
  unhandle(scheme: string) {
    record('protocol.unhandle', scheme);
    protocolHandlers.delete(scheme);
  },
  isProtocolHandled(scheme: string) {
    return protocolHandlers.has(scheme);
  },
};

type PermissionRequestHandler = (contents: WebContents, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (contents: WebContents | null, permission: string, origin: string, details: unknown) => boolean;
let permissionRequestHandler: PermissionRequestHandler | null = null;
let permissionCheckHandler: PermissionCheckHandler | null = null;
type HeadersListener = (details: { url: string; responseHeaders: Record<string, string[]> }, callback: (r: unknown) => void) => void;
let headersListener: HeadersListener | null = null;

export const session = {
  defaultSession: {
    protocol,
    setPermissionRequestHandler(handler: PermissionRequestHandler | null) {
      record('session.setPermissionRequestHandler', handler);
      permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: PermissionCheckHandler | null) {
      record('session.setPermissionCheckHandler', handler);
      permissionCheckHandler = handler;
    },
    webRequest: {
      onHeadersReceived(listener: HeadersListener) {
        record('session.webRequest.onHeadersReceived', listener);
        headersListener = listener;
      },
    },
  },
};

// ---- the commands the test drives, as Electron would issue them -----------------------------

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
  const handler = protocolHandlers.get(scheme);
  if (!handler) return { status: 0, headers: {}, body: new Uint8Array(), error: 'net::ERR_UNKNOWN_URL_SCHEME' };
  const response = await handler(new Request(url, { method }));
  return { status: response.status, headers: Object.fromEntries(response.headers), body: new Uint8Array(await response.arrayBuffer()) };
}

/** An IPC message as ipcMain would hand it over: from the window's top frame, a sub-frame, or other contents. */
async function invoke(args: { channel: string; args: unknown[]; from: 'top-frame' | 'sub-frame' | 'other-contents'; frameUrl?: string }) {
  const handler = invokeHandlers.get(args.channel);
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

async function runCommand(command: StandInCommand): Promise<unknown> {
  const args = command.args as Record<string, unknown>;
  switch (command.method) {
    case 'journal':
      return journal;
    case 'protocol-request':
      return protocolRequest(String(args['url']), String(args['method'] ?? 'GET'));
    case 'invoke':
      return invoke(args as Parameters<typeof invoke>[0]);
    case 'menu-click': {
      const item = applicationMenu ? findMenuItem(applicationMenu.items, String(args['label'])) : null;
      if (!item) throw new Error(`no menu item "${String(args['label'])}"`);
      record('menu:click', item.label, item.accelerator ?? null);
      if (item.click) item.click(item, firstWindow(), { triggeredByAccelerator: Boolean(args['byAccelerator']) });
      else if (item.role === 'quit') app.quit();
      return { label: item.label ?? null, role: item.role ?? null, accelerator: item.accelerator ?? null };
    }
    case 'menu-template':
      return plain(applicationMenu?.items ?? null);
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
        if (!permissionRequestHandler) return resolve('no handler: Electron grants');
        permissionRequestHandler(firstWindow().webContents, String(args['permission']), resolve, {});
      });
    case 'permission-check':
      return permissionCheckHandler
        ? permissionCheckHandler(firstWindow().webContents, String(args['permission']), String(args['origin']), {})
        : 'no handler: Electron allows';
    case 'response-headers':
      return new Promise((resolve) => {
        if (!headersListener) return resolve(null);
        headersListener({ url: String(args['url']), responseHeaders: {} }, resolve);
      });
    case 'state':
      return { privilegedSchemes, protocols: [...protocolHandlers.keys()], channels: [...invokeHandlers.keys()] };
    default:
      throw new Error(`unknown command ${command.method}`);
  }
}
