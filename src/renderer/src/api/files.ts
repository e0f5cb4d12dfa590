/**
 * Getting a capture file to the engine, which takes handles, never paths the page names: in
 * Electron the shell grants a one-time handle for a dropped or picked File (or the native dialog's
 * choice); in the web mode the browser uploads the bytes to the `serve` process, which stores them
 * for this page and returns a handle.
 */
import type { ApiContextValue } from './api-context';

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** Uploads a file to the web-mode server; resolves with the handle the engine opens it by. */
export function uploadFile(file: File, url: string, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.total || file.size });
    xhr.onload = () => {
      if (xhr.status !== 200) return reject(new Error(xhr.responseText.trim() || `upload failed (${xhr.status})`));
      resolve((JSON.parse(xhr.responseText) as { path: string }).path);
    };
    xhr.onerror = () => reject(new Error('upload failed: the engine did not answer'));
    xhr.onabort = () => reject(new Error('cancelled'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** The handle the engine opens a dropped or picked file by (the `path` of capture.open), uploading it first in the web mode. */
export async function pathForFile(
  ctx: ApiContextValue,
  file: File,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<string> {
  const bridge = window.keepaliveLab;
  if (bridge?.grantDropped) {
    const granted = await bridge.grantDropped(file);
    if (!granted.ok) throw new Error(granted.error.message);
    if (!granted.value.path) throw new Error('cannot read this file: the app was given no handle for it');
    return granted.value.path;
  }
  if (!ctx.uploadUrl) throw new Error('cannot read this file: no path and no upload channel');
  return uploadFile(file, await ctx.uploadUrl(file.name), onProgress, signal);
}

/** Saves text as a download (web mode's "Export report…"). */
export function downloadText(text: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
