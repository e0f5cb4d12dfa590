/**
 * IPC wiring: one invoke channel for calls, one push channel for events.
 * Every call is checked twice: the sender must be our own window's top frame
 * showing the app's own page, and the service checks name and params against
 * the zod schemas of api.ts.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { parseParams, type ApiResult, type EngineEvent } from '../../shared/api';
import type { Service } from '../service';
import type { FileDialogs } from './dialogs';
import { isAppUrl } from './origin';

export const CALL_CHANNEL = 'keepalive-lab:call';
export const EVENT_CHANNEL = 'keepalive-lab:event';

export type CallHandler = (event: IpcMainInvokeEvent, name: unknown, params: unknown) => Promise<ApiResult<unknown>>;

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
    // The two places the desktop app learns a path the user chose. The renderer gets the path itself
    // and passes it to capture.open / report.save; an engine that takes granted handles only would
    // register it here and hand back a handle instead.
    if (name === 'file.chooseOpen') {
      const parsed = parseParams(name, params);
      if (!parsed.ok) return parsed;
      return { ok: true, value: { path: await context.dialogs.chooseOpen(win, parsed.value) } };
    }
    if (name === 'file.chooseSave') {
      const parsed = parseParams(name, params);
      if (!parsed.ok) return parsed;
      return { ok: true, value: { path: await context.dialogs.chooseSave(win, parsed.value) } };
    }
    return service.call(name, params);
  };
}

export function wireIpc(service: Service, context: CallContext): () => void {
  ipcMain.handle(CALL_CHANNEL, createCallHandler(service, context));
  const unsubscribe = service.onEvent((event) => sendEvent(context.getWindow(), event));
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    unsubscribe();
  };
}

export function sendEvent(win: BrowserWindow | null, event: EngineEvent): void {
  if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
}
