/**
 * The renderer side of the desktop e2e: the real preload bundle runs in a
 * node:vm context whose only module is `electron` (a renderer stand-in:
 * contextBridge, ipcRenderer, webUtils), and the real renderer
 * (out/renderer/index.html) runs in Chromium, loaded through the main
 * process's app:// protocol handler. What the preload exposes with
 * contextBridge appears in the page as frozen objects whose functions call the
 * preload's functions (page-bridge.ts).
 *
 * Chromium cannot register a privileged `app:` scheme, so the page's origin is
 * APP_ORIGIN_IN_CHROMIUM, mapped one-to-one onto app://keepalive-lab: every
 * request to it goes to the app's own protocol.handle handler, and any request
 * elsewhere is aborted and recorded.
 */
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import type { DesktopMain } from './main-process';
import { BRIDGE_PATH, installPageBridge, IS_FILE, type BridgeTarget } from './page-bridge';

export const APP_ORIGIN = 'app://keepalive-lab';
export const APP_ORIGIN_IN_CHROMIUM = 'https://keepalive-lab.invalid';

export const toChromiumUrl = (appUrl: string) => APP_ORIGIN_IN_CHROMIUM + appUrl.slice(APP_ORIGIN.length);
export const toAppUrl = (chromiumUrl: string) => APP_ORIGIN + chromiumUrl.slice(APP_ORIGIN_IN_CHROMIUM.length);

/** A dropped file as the preload sees it (Chromium's File carries no path here). */
export interface FileStandIn {
  name: string;
  size: number;
  type: string;
  lastModified: number;
}

export interface DesktopRenderer {
  readonly context: BrowserContext;
  readonly page: Page;
  /** what the preload passed to contextBridge.exposeInMainWorld */
  readonly exposed: Map<string, Record<string, unknown>>;
  /** every webUtils.getPathForFile call and its answer */
  readonly pathLookups: Array<{ file: FileStandIn; path: string }>;
  /** every ipcRenderer.invoke the preload made: channel and arguments */
  readonly invocations: Array<{ channel: string; args: unknown[] }>;
  /** requests the page made outside the app's origin (aborted) */
  readonly strayRequests: string[];
  /** the OS path a file dropped under this name and size would have (what getPathForFile answers) */
  registerDroppedFile(file: Pick<FileStandIn, 'name' | 'size'>, path: string): void;
}

interface Listener {
  channel: string;
  listener: (event: unknown, ...args: unknown[]) => void;
}

/** Runs the preload as Electron's sandboxed preload would: CommonJS, `require('electron')` and nothing else. */
function runPreload(path: string, electron: unknown): void {
  const module = { exports: {} };
  const sandboxRequire = (name: string) => {
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name} (a sandboxed preload may require only electron)`);
  };
  const context = vm.createContext({ require: sandboxRequire, module, exports: module.exports, console });
  new vm.Script(readFileSync(path, 'utf8'), { filename: path }).runInContext(context);
}

/** `beforeLoad` runs once the page exists, before the app's page loads (to add watchers). */
export async function openRenderer(
  browser: Browser,
  main: DesktopMain,
  beforeLoad?: (page: Page) => Promise<void>,
): Promise<DesktopRenderer> {
  const load = await main.windowLoaded;
  const exposed = new Map<string, Record<string, unknown>>();
  const listeners: Listener[] = [];
  const pathLookups: DesktopRenderer['pathLookups'] = [];
  const droppedPaths = new Map<string, string>();
  const strayRequests: string[] = [];
  const invocations: DesktopRenderer['invocations'] = [];
  const fileKey = (file: Pick<FileStandIn, 'name' | 'size'>) => `${file.name}\0${file.size}`;

  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      // Electron serialises the arguments (structured clone); so does this JSON round trip, for the values the app sends
      const copied = JSON.parse(JSON.stringify(args)) as unknown[];
      invocations.push({ channel, args: copied });
      try {
        return await main.command('invoke', { channel, args: copied, from: 'top-frame' });
      } catch (error) {
        throw new Error(`Error invoking remote method '${channel}': ${(error as Error).message}`, { cause: error });
      }
    },
    on: (channel: string, listener: Listener['listener']) => {
      listeners.push({ channel, listener });
      return ipcRenderer;
    },
    removeListener: (channel: string, listener: Listener['listener']) => {
      const index = listeners.findIndex((entry) => entry.channel === channel && entry.listener === listener);
      if (index >= 0) listeners.splice(index, 1);
      return ipcRenderer;
    },
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: Record<string, unknown>) => {
        if (exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
        exposed.set(key, api);
      },
    },
    ipcRenderer,
    webUtils: {
      getPathForFile: (file: FileStandIn) => {
        if (!file || typeof file !== 'object' || !(IS_FILE in file))
          throw new TypeError('Error processing argument at index 0, conversion failure');
        // a File the page made (not on disk) has no path: '' as Electron answers
        const path = droppedPaths.get(fileKey(file)) ?? '';
        pathLookups.push({ file, path });
        return path;
      },
    },
  };
  main.onSend((channel, args) => {
    for (const entry of listeners.filter((candidate) => candidate.channel === channel)) entry.listener({ sender: ipcRenderer }, ...args);
  });
  runPreload(String(load.options.webPreferences['preload']), electron);

  const width = Number(load.options['width'] ?? 1280);
  const height = Number(load.options['height'] ?? 820);
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const target: BridgeTarget = { exposed };
  await installPageBridge(page, target);
  await context.route('**/*', async (route: Route) => {
    const url = route.request().url();
    if (!url.startsWith(`${APP_ORIGIN_IN_CHROMIUM}/`)) {
      strayRequests.push(url);
      return route.abort('blockedbyclient');
    }
    if (new URL(url).pathname.startsWith(BRIDGE_PATH)) return route.fallback();
    const response = await main.command<{ status: number; headers: Record<string, string>; body: Uint8Array; error?: string }>(
      'protocol-request',
      { url: toAppUrl(url), method: route.request().method() },
    );
    if (response.error) return route.abort('failed');
    return route.fulfill({ status: response.status, headers: response.headers, body: Buffer.from(response.body) });
  });
  await beforeLoad?.(page);
  await page.goto(toChromiumUrl(load.url));
  return {
    context,
    page,
    exposed,
    pathLookups,
    invocations,
    strayRequests,
    registerDroppedFile: (file, path) => droppedPaths.set(fileKey(file), path),
  };
}
