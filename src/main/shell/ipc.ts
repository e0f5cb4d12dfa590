/**
 * IPC wiring: one invoke channel for calls, one push channel for events.
 * Every call is checked twice: the sender must be our own window's top frame,
 * and the service checks name and params against the zod schemas of api.ts.
 */
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { isMethodName, parseParams, type ApiResult, type EngineEvent } from '../../shared/api';
import type { Service } from '../service';

export const CALL_CHANNEL = 'keepalive-lab:call';
export const EVENT_CHANNEL = 'keepalive-lab:event';

export type CallHandler = (event: IpcMainInvokeEvent, name: unknown, params: unknown) => Promise<ApiResult<unknown>>;

/** Handles one IPC call; exported for tests (they call it with malformed payloads). */
export function createCallHandler(service: Service, getWindow: () => BrowserWindow | null): CallHandler {
  return async (event, name, params) => {
    const win = getWindow();
    if (!win || event.sender !== win.webContents || event.senderFrame !== win.webContents.mainFrame) {
      return { ok: false, error: { code: 'forbidden', message: 'calls are accepted from the app window only' } };
    }
    if (name === 'file.chooseOpen' || name === 'file.chooseSave') return chooseFile(win, name, params);
    return service.call(name, params);
  };
}

async function chooseFile(win: BrowserWindow, name: 'file.chooseOpen' | 'file.chooseSave', params: unknown): Promise<ApiResult<unknown>> {
  if (!isMethodName(name)) throw new Error('unreachable');
  const parsed = parseParams(name, params);
  if (!parsed.ok) return parsed;
  const filters = [{ name: 'Files', extensions: parsed.value.extensions.length ? parsed.value.extensions : ['*'] }];
  if (name === 'file.chooseOpen') {
    const result = await dialog.showOpenDialog(win, { title: parsed.value.title, filters, properties: ['openFile'] });
    return { ok: true, value: { path: result.canceled ? null : (result.filePaths[0] ?? null) } };
  }
  const suggestedName = 'suggestedName' in parsed.value ? parsed.value.suggestedName : undefined;
  const result = await dialog.showSaveDialog(win, { title: parsed.value.title, defaultPath: suggestedName, filters });
  return { ok: true, value: { path: result.canceled ? null : (result.filePath ?? null) } };
}

export function wireIpc(service: Service, getWindow: () => BrowserWindow | null): () => void {
  ipcMain.handle(CALL_CHANNEL, createCallHandler(service, getWindow));
  const unsubscribe = service.onEvent((event) => sendEvent(getWindow(), event));
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    unsubscribe();
  };
}

export function sendEvent(win: BrowserWindow | null, event: EngineEvent): void {
  if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
}
