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
import { ask, onCommand, plain, record, send } from './channel';
import { runCommand } from './commands';

export type { JournalEntry } from './channel';

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
  /** Runs Electron's quit sequence; the process stays until the test stops it, so the journal can be read after Quit. */
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
  journalName() {
    return `[WebContents ${this.id}]`;
  }
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
  journalName() {
    return `[BrowserWindow ${this.id}]`;
  }
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

export type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
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

export interface MenuItemOptions {
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

export type ProtocolHandler = (request: Request) => Response | Promise<Response>;
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

export type PermissionRequestHandler = (
  contents: WebContents,
  permission: string,
  callback: (granted: boolean) => void,
  details: unknown,
) => void;
export type PermissionCheckHandler = (contents: WebContents | null, permission: string, origin: string, details: unknown) => boolean;
let permissionRequestHandler: PermissionRequestHandler | null = null;
let permissionCheckHandler: PermissionCheckHandler | null = null;
export type HeadersListener = (details: { url: string; responseHeaders: Record<string, string[]> }, callback: (r: unknown) => void) => void;
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
// ---- what the commands (commands.ts) reach: the registrations the app made -----------------

export const registered = {
  invokeHandlers,
  protocolHandlers,
  privilegedSchemes,
  applicationMenu: () => applicationMenu,
  permissionRequestHandler: () => permissionRequestHandler,
  permissionCheckHandler: () => permissionCheckHandler,
  headersListener: () => headersListener,
};

onCommand((command) => runCommand(command));
