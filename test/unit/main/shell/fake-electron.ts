/**
 * A small stand-in for the parts of `electron` the shell uses (the binary cannot
 * run here). It records what the shell asked for so tests can check it.
 */
import { EventEmitter } from 'node:events';

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  mainFrame = { url: 'app://keepalive-lab/index.html' };
  sent: Array<[string, unknown]> = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  loaded: string | null = null;
  constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  loadFile(path: string) {
    this.loaded = path;
    return Promise.resolve();
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  show() {}
}

export const recorded = {
  permissionHandler: null as null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
  permissionCheckHandler: null as null | ((...args: unknown[]) => boolean),
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  headersHandler: null as null | ((d: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void),
  ipcHandlers: new Map<string, (...args: unknown[]) => unknown>(),
  menuTemplate: null as unknown,
  quitCalls: 0,
  singleInstance: true,
};

export function fakeElectron() {
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: () => recorded.singleInstance,
    quit: () => {
      recorded.quitCalls++;
    },
    whenReady: () => new Promise<void>(() => undefined),
    getPath: () => '/tmp/keepalive-lab-test',
    setAboutPanelOptions: () => undefined,
  });
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    shell: { openExternal: () => Promise.resolve() },
    dialog: {
      showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
      showSaveDialog: () => Promise.resolve({ canceled: true }),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof recorded.permissionHandler) => {
          recorded.permissionHandler = handler;
        },
        setPermissionCheckHandler: (handler: typeof recorded.permissionCheckHandler) => {
          recorded.permissionCheckHandler = handler;
        },
        webRequest: {
          onHeadersReceived: (handler: typeof recorded.headersHandler) => {
            recorded.headersHandler = handler;
          },
        },
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => recorded.protocolHandlers.set(scheme, handler),
    },
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => unknown) => recorded.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => recorded.ipcHandlers.delete(channel),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => {
        recorded.menuTemplate = template;
        return template;
      },
      setApplicationMenu: () => undefined,
    },
  };
}
