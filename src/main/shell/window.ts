/**
 * The one window, with Electron's secure defaults spelled out (docs/ARCHITECTURE.md,
 * "Security"): isolated, sandboxed, no Node in the page, no navigation away,
 * no new windows, no permissions, no webviews.
 */
import { BrowserWindow, session, shell, type WebPreferences } from 'electron';

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

/** The same policy as the <meta> in index.html, sent as a header too where a header applies. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface WindowTarget {
  /** dev server URL, or null to load the built file */
  devUrl: string | null;
  indexHtml: string;
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
  if (target.devUrl) void win.loadURL(target.devUrl);
  else void win.loadFile(target.indexHtml);
  return win;
}

/** Denies window.open, navigation, webviews and permission prompts; opens https links in the browser. */
export function lockDown(win: BrowserWindow, target: Pick<WindowTarget, 'devUrl'>): void {
  const contents = win.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!target.devUrl || !url.startsWith(target.devUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}
