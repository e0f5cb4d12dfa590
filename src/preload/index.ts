/**
 * Exposes exactly the contract of src/shared/api.ts to the page: one named
 * function per method plus `onEvent`, never `ipcRenderer` itself — and
 * `grantDropped`, because a sandboxed page cannot name a dropped file
 * otherwise (Electron removed File.path). `grantDropped` takes the File itself,
 * looks its path up here and sends it straight to the main process, which
 * answers with a one-time handle: the page gets no path from here and has no way to
 * send one (docs/SECURITY.md, "The desktop app"). Runs sandboxed, so it is
 * built as self-contained CommonJS.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { methodNames, type ApiResult, type ChosenFile, type EngineEvent } from '../shared/api';

const CALL_CHANNEL = 'keepalive-lab:call';
const DROP_CHANNEL = 'keepalive-lab:drop';
const EVENT_CHANNEL = 'keepalive-lab:event';

const calls = Object.fromEntries(methodNames.map((name) => [name, (params: unknown) => ipcRenderer.invoke(CALL_CHANNEL, name, params)]));

contextBridge.exposeInMainWorld('keepaliveLab', {
  ...calls,
  /** A read handle and the name for a File the user dropped or picked; refused for anything that is not a real File. */
  async grantDropped(file: File): Promise<ApiResult<ChosenFile>> {
    let path: string;
    try {
      path = webUtils.getPathForFile(file);
    } catch {
      return { ok: false, error: { code: 'not-a-file', message: 'only a dropped or picked file can be opened this way' } };
    }
    return (await ipcRenderer.invoke(DROP_CHANNEL, path)) as ApiResult<ChosenFile>;
  },
  onEvent(listener: (event: EngineEvent) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, payload: EngineEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
});
