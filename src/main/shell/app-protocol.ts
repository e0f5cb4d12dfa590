/**
 * The renderer is served from `app://keepalive-lab/…`, a privileged standard
 * scheme handled here, instead of file://. Electron's security checklist
 * (§18, "Avoid usage of the file protocol") recommends this: a file:// page
 * only works because the GrantFileProtocolExtraPrivileges fuse is on, and the
 * packaged app turns that fuse off (electron-builder.yml). The handler serves
 * files inside the built renderer folder only; any other path is refused
 * before the file system is touched.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { protocol } from 'electron';
import { resolveInside } from '../web/static-files';
import { RENDERER_CSP_HEADER } from './csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'keepalive-lab';
/** Where the window loads the renderer from. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Must run before the app is ready (Electron's rule). `standard` gives the
 * scheme real origins (so 'self' and relative URLs work), `secure` makes the
 * page a secure context, `supportFetchAPI` lets module scripts load.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Answers one app:// request from the files under `root` (the built renderer). */
export async function serveAppRequest(root: string, request: Pick<Request, 'url' | 'method'>): Promise<Response> {
  const url = new URL(request.url);
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return textResponse(404, 'not found');
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'method not allowed');
  const file = resolveInside(root, url.pathname);
  if (!file) return textResponse(400, 'bad path');
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return textResponse(404, 'not found');
  const body = request.method === 'HEAD' ? null : await readFile(file);
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': RENDERER_CSP_HEADER,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  });
}

/** Registers the handler; call once the app is ready. */
export function handleAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(root, request));
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
