/**
 * IPC wiring: one invoke channel for calls, one for dropped files, one push channel for events.
 * Every message is checked twice: the sender must be our own window's top frame showing the app's
 * own page, and the service checks name and params against the zod schemas of api.ts.
 *
 * Files: the renderer never names a path. A file the user picks in a native dialog, or drops on the
 * window, is registered here with the engine (`service.files.grant`), and the renderer gets an
 * opaque one-time handle for it and the file's name to show; the engine, created with
 * `paths: 'granted'` (start.ts), refuses any other path (docs/SECURITY.md, "The desktop app").
 */
import { basename, isAbsolute } from 'node:path';
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { parseParams, type ApiResult, type ChosenFile, type EngineEvent } from '@shared/api';
import type { Service } from '../engine/service';
import type { FileAccess } from '../engine/services/file-grants';
import type { FileDialogs } from './dialogs';
import { isAppUrl } from './origin';

export const CALL_CHANNEL = 'keepalive-lab:call';
export const EVENT_CHANNEL = 'keepalive-lab:event';
/** The preload's `grantDropped` sends a dropped File's path here, and only that (preload/index.ts). */
export const DROP_CHANNEL = 'keepalive-lab:drop';

export type CallHandler = (event: IpcMainInvokeEvent, name: unknown, params: unknown) => Promise<ApiResult<unknown>>;
export type DropHandler = (event: IpcMainInvokeEvent, path: unknown) => Promise<ApiResult<ChosenFile>>;

export interface CallContext {
  getWindow: () => BrowserWindow | null;
  dialogs: FileDialogs;
  /** the dev server URL under `electron-vite dev`, else null (the page is app://) */
  devUrl: string | null;
}

/**
 * True when the call comes from the app window's top frame and that frame shows
 * the app's own page: another window, a sub-frame, or our window after it was
 * somehow navigated elsewhere are all refused. (senderFrame is null when the
 * frame has gone or navigated since it sent.)
 */
export function isFromAppWindow(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  win: BrowserWindow | null,
  devUrl: string | null,
) {
  const frame = event.senderFrame;
  return !!win && event.sender === win.webContents && !!frame && frame === win.webContents.mainFrame && isAppUrl(frame.url, devUrl);
}

/** Handles one IPC call; exported for tests (they call it with malformed payloads). */
export function createCallHandler(service: Service, context: CallContext): CallHandler {
  return async (event, name, params) => {
    const win = context.getWindow();
    if (!win || !isFromAppWindow(event, win, context.devUrl)) {
      return { ok: false, error: { code: 'forbidden', message: 'calls are accepted from the app window only' } };
    }
    // the dialogs: the user's choice becomes a handle for the one access it was chosen for
    if (name === 'file.chooseOpen') {
      const parsed = parseParams(name, params);
      if (!parsed.ok) return parsed;
      return { ok: true, value: grantChosen(service, await context.dialogs.chooseOpen(win, parsed.value), 'read') };
    }
    if (name === 'file.chooseSave') {
      const parsed = parseParams(name, params);
      if (!parsed.ok) return parsed;
      return { ok: true, value: grantChosen(service, await context.dialogs.chooseSave(win, parsed.value), 'write') };
    }
    return service.call(name, params);
  };
}

/** A handle and the name to show for a path the user chose; both null when the dialog was cancelled. */
function grantChosen(service: Service, path: string | null, access: FileAccess): ChosenFile {
  if (!path) return { path: null, name: null };
  return { path: service.files.grant(path, access), name: basename(path) };
}

/** Longest path the drop channel takes (PATH_MAX on Linux, bytes ~ characters here). */
const MAX_PATH_LENGTH = 4096;

/**
 * Handles the drop channel: a read handle for the path of a File the user dropped (or picked in the
 * page's own file input). Only the preload sends on this channel, and only what
 * `webUtils.getPathForFile` returned for a real File, so the path is one the user gave the window;
 * anything else is refused. Exported for tests (they send raw values).
 */
export function createDropHandler(service: Service, context: Omit<CallContext, 'dialogs'>): DropHandler {
  return async (event, path) => {
    const win = context.getWindow();
    if (!win || !isFromAppWindow(event, win, context.devUrl)) {
      return { ok: false, error: { code: 'forbidden', message: 'files are accepted from the app window only' } };
    }
    // getPathForFile answers '' for a File that is not on disk (made by a page, dragged from another app's memory)
    if (path === '') {
      return {
        ok: false,
        error: {
          code: 'not-on-disk',
          message: 'this file is not on disk: save it to a file first, then drop it or use File > Open capture…',
        },
      };
    }
    if (typeof path !== 'string' || !isAbsolute(path) || path.length > MAX_PATH_LENGTH || path.includes('\0')) {
      return { ok: false, error: { code: 'invalid-params', message: 'a dropped file is sent as the absolute path of a real file' } };
    }
    return { ok: true, value: grantChosen(service, path, 'read') };
  };
}

export function wireIpc(service: Service, context: CallContext): () => void {
  ipcMain.handle(CALL_CHANNEL, createCallHandler(service, context));
  ipcMain.handle(DROP_CHANNEL, createDropHandler(service, context));
  const unsubscribe = service.onEvent((event) => sendEvent(context.getWindow(), event));
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    ipcMain.removeHandler(DROP_CHANNEL);
    unsubscribe();
  };
}

export function sendEvent(win: BrowserWindow | null, event: EngineEvent): void {
  if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
}
