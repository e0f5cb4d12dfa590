/**
 * Exposes exactly the contract of src/shared/api.ts to the page: one named
 * function per method plus `onEvent`, never `ipcRenderer` itself — and
 * `pathForFile`, because a sandboxed page cannot learn a dropped file's path
 * otherwise (Electron removed File.path). Runs sandboxed, so it is built as
 * self-contained CommonJS.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { methodNames, type EngineEvent } from '../shared/api';

const CALL_CHANNEL = 'keepalive-lab:call';
const EVENT_CHANNEL = 'keepalive-lab:event';

const calls = Object.fromEntries(methodNames.map((name) => [name, (params: unknown) => ipcRenderer.invoke(CALL_CHANNEL, name, params)]));

contextBridge.exposeInMainWorld('keepaliveLab', {
  ...calls,
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
  onEvent(listener: (event: EngineEvent) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, payload: EngineEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
});
