/**
 * The web mode: the built renderer and the same contract over a WebSocket, on 127.0.0.1 only.
 * A random token is needed for everything that acts: the printed URL is `/t/<token>/`; the page then
 * drops the token from the address bar and keeps it in its tab's sessionStorage, uploads go to
 * `/t/<token>/upload`, and the socket's first message carries it. The app's own files (no secret)
 * are also served at `/`, so a reload of the page, whose address is then `/`, loads it directly. No cookie: a cookie for 127.0.0.1 would go to every local server on every port.
 * `Host` and `Origin` must name this server (no DNS rebinding, no cross-site page driving the engine).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rmdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Service } from '../engine/service';
import { attachPageSocket, DEFAULT_PAGE_LIMITS, type Page, type PageLimits } from './page-socket';
import { refusalPage, RESUME_SCRIPT, RESUME_SCRIPT_PATH } from './refusal-page';
import { serveStatic } from './static-files';
import { DEFAULT_UPLOAD_LIMITS, UploadStore, type UploadLimits } from './uploads';

/** Largest WebSocket message, bytes: method params are small; files go through the upload route. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** The one file of the app served without the token (public, and fetched after the page left /t/<token>/). */
const FAVICON_PATH = '/favicon.svg';

/**
 * The app's own files, served without the token too: once loaded, the page's address is `/` (the
 * token left the address bar), so a reload asks `/` and must get the app, which then takes the token
 * from its tab's sessionStorage. They hold no secret (the same code as in the repository); the token
 * guards what acts: the socket and uploads.
 */
function isPublicAppPath(pathname: string): boolean {
  return pathname === '/' || pathname === FAVICON_PATH || /^\/assets\/[\w.-]+$/.test(pathname);
}

export interface WebLimits extends UploadLimits, PageLimits {
  /** sockets open at once (pages, and sockets that have not sent the token yet) */
  maxSockets: number;
}

export const DEFAULT_WEB_LIMITS: WebLimits = { ...DEFAULT_UPLOAD_LIMITS, ...DEFAULT_PAGE_LIMITS, maxSockets: 16 };

export interface WebServerOptions {
  service: Service;
  /** folder with the built renderer (out/renderer) */
  rendererDir: string;
  /** folder for uploaded captures (made private, 0700, if missing) */
  uploadDir: string;
  port?: number;
  token?: string;
  limits?: Partial<WebLimits>;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  /** the pages connected now, by id */
  readonly pages: ReadonlyMap<string, Page>;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const limits = { ...DEFAULT_WEB_LIMITS, ...options.limits };
  const uploads = new UploadStore(options.uploadDir, limits);
  const pages = new Map<string, Page>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const tokenPrefix = `/t/${token}/`;
  let port = 0;

  const isOurHost = (host: string | undefined): boolean => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  const isOurOrigin = (origin: string | undefined): boolean =>
    origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;

  /** Why a request is refused before its path is looked at, or null. */
  function hostRefusal(req: IncomingMessage, needOrigin: boolean): { status: number; message: string } | null {
    if (!isOurHost(req.headers.host)) return { status: 421, message: 'wrong Host: the web mode answers on 127.0.0.1 only' };
    const origin = req.headers.origin;
    if (origin !== undefined ? !isOurOrigin(origin) : needOrigin) return { status: 403, message: 'foreign Origin refused' };
    return null;
  }

  const server = createServer((req, res) => {
    const refused = hostRefusal(req, false);
    if (refused) return sendText(res, refused.status, refused.message);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === RESUME_SCRIPT_PATH && req.method === 'GET') return sendScript(res, RESUME_SCRIPT);
    // a reload at `/` (and the browser's icon requests) get the app's own files; the page brings the token
    if (isPublicAppPath(url.pathname) && (req.method === 'GET' || req.method === 'HEAD')) {
      return void serveStatic(options.rendererDir, url.pathname, req, res, { port }).catch(() => res.destroy());
    }
    // the prefix is compared in constant time: it is the secret
    const rest = sameSecret(url.pathname.slice(0, tokenPrefix.length), tokenPrefix) ? url.pathname.slice(tokenPrefix.length - 1) : null;
    if (rest === null) {
      if (req.method === 'GET' || req.method === 'HEAD') return sendHtml(res, 401, refusalPage(port));
      return sendText(res, 401, 'token required: open the URL printed by `keepalive-lab serve`');
    }
    if (req.method === 'POST' && rest === '/upload') {
      const page = pages.get(url.searchParams.get('page') ?? '');
      if (!page) return sendText(res, 409, 'upload refused: this page is not connected to the engine (reload it)');
      void uploads.receive(req, res, page, url.searchParams.get('name') ?? 'capture', (status, text) => sendText(res, status, text));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    void serveStatic(options.rendererDir, rest, req, res, { port }).catch(() => res.destroy());
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    const refused = hostRefusal(req, true);
    const notFound = new URL(req.url ?? '/', 'http://x').pathname !== '/api';
    const full = wss.clients.size >= limits.maxSockets;
    if (refused || notFound || full) {
      const [status, message] = refused
        ? [refused.status, refused.message]
        : notFound
          ? [404, 'not found']
          : [503, `${limits.maxSockets} pages are connected already: close one`];
      socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) =>
      attachPageSocket(ws, {
        service: options.service,
        limits,
        isToken: (given) => typeof given === 'string' && sameSecret(given, token),
        opened: (page) => pages.set(page.id, page),
        closed: async (page) => {
          pages.delete(page.id);
          await uploads.removeAll(page);
        },
      }),
    );
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${tokenPrefix}`,
    port,
    token,
    server,
    pages,
    async close() {
      const leaving = [...pages.values()];
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // each page's scope is disposed and its uploads deleted as its socket closes; wait for all
      await Promise.all(leaving.map((page) => page.scope.dispose().then(() => uploads.removeAll(page))));
      // empty now; the engine's run folder can then go too when nothing was saved in it
      await rmdir(options.uploadDir).catch(() => undefined);
    },
  };
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  res.end(`${text}\n`);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ...SECURITY_HEADERS,
  });
  res.end(html);
}

function sendScript(res: ServerResponse, script: string): void {
  res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', ...SECURITY_HEADERS });
  res.end(script);
}
