/**
 * The one window, with Electron's secure defaults spelled out (docs/ARCHITECTURE.md,
 * "Security"): isolated, sandboxed, no Node in the page, no navigation away,
 * no new windows, no permissions, no webviews.
 */
import { BrowserWindow, session, shell, type WebPreferences } from 'electron';
import { APP_ENTRY_URL } from './app-protocol';
import { RENDERER_CSP_HEADER } from './csp';
import { isAppUrl } from './origin';

export const SECURE_WEB_PREFERENCES: Readonly<WebPreferences> = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  spellcheck: false,
  // middle-click (auxclick) on a link must not open anything, even before the window-open handler
  disableBlinkFeatures: 'Auxclick',
});

/** The same policy as the <meta> in index.html (csp.ts), sent as a header too. */
export const CSP = RENDERER_CSP_HEADER;

export interface WindowTarget {
  /** dev server URL, or null to load the built renderer from app:// (app-protocol.ts) */
  devUrl: string | null;
  preload: string;
}

export function createMainWindow(target: WindowTarget): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Keepalive Lab',
    backgroundColor: '#101418',
    webPreferences: {
      ...SECURE_WEB_PREFERENCES,
      // repeated as literals so static scanners (scripts/electronegativity.mjs) can see them through the spread
      contextIsolation: true,
      sandbox: true,
      disableBlinkFeatures: 'Auxclick',
      preload: target.preload,
    },
  });
  lockDown(win, target);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(target.devUrl ?? APP_ENTRY_URL);
  return win;
}

/** Denies window.open, navigation away, webviews, permission prompts and checks; opens https links in the browser. */
export function lockDown(win: BrowserWindow, target: Pick<WindowTarget, 'devUrl'>): void {
  const contents = win.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, target.devUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  // checks (navigator.permissions.query, clipboard reads, …) are answered "no" too, without a prompt
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}
