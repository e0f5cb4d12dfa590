/**
 * The web mode: the built renderer and the same contract over a WebSocket, on
 * 127.0.0.1 only. A random token (in the printed URL) is required for the page,
 * its assets (through a SameSite=Strict cookie set when the page is opened with
 * the token), the socket and uploads; `Host` and `Origin` must name this server
 * (no DNS rebinding, no cross-site page driving the engine).
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Service } from '../service';
import { serveStatic } from './static-files';
import { handleSocketMessage } from './socket-protocol';

/** Largest capture a browser may upload, bytes (a 3 M-packet capture is ~300 MB). */
const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
/** Largest WebSocket message, bytes: method params are small; files go through /upload. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const COOKIE = 'keepalive_lab_token';

export interface WebServerOptions {
  service: Service;
  /** folder with the built renderer (out/renderer) */
  rendererDir: string;
  /** folder for uploaded captures */
  uploadDir: string;
  port?: number;
  token?: string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  /** uploaded captures of this server's life, deleted when it closes */
  const uploads = new Set<string>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = 0;

  const isOurHost = (host: string | undefined): boolean => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  const isOurOrigin = (origin: string | undefined): boolean =>
    origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  const hasToken = (req: IncomingMessage): boolean => {
    const url = new URL(req.url ?? '/', 'http://x');
    return sameSecret(url.searchParams.get('token'), token) || sameSecret(readCookie(req, COOKIE), token);
  };

  /** Why a request is refused, or null when it may go on. */
  function refusal(req: IncomingMessage, needOrigin: boolean): { status: number; message: string } | null {
    if (!isOurHost(req.headers.host)) return { status: 421, message: 'wrong Host: the web mode answers on 127.0.0.1 only' };
    const origin = req.headers.origin;
    if (origin !== undefined ? !isOurOrigin(origin) : needOrigin) return { status: 403, message: 'foreign Origin refused' };
    if (!hasToken(req)) return { status: 401, message: 'token required: open the URL printed by `keepalive-lab serve`' };
    return null;
  }

  const server = createServer((req, res) => {
    const refused = refusal(req, false);
    if (refused) return sendText(res, refused.status, refused.message);
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/upload') {
      void receiveUpload(req, res, options.uploadDir, url.searchParams.get('name') ?? 'capture', uploads);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    if (url.searchParams.has('token')) {
      res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    void serveStatic(options.rendererDir, url.pathname, req, res, { port });
  });

  server.on('upgrade', (req, socket, head) => {
    const refused = refusal(req, true);
    if (refused || new URL(req.url ?? '/', 'http://x').pathname !== '/api') {
      socket.end(`HTTP/1.1 ${refused?.status ?? 404} ${refused?.message ?? 'not found'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.send(JSON.stringify({ id: null, result: badMessage('binary messages are not part of the protocol') }));
        void handleSocketMessage(options.service, data.toString(), (reply) => ws.readyState === ws.OPEN && ws.send(reply));
      });
    });
  });

  const unsubscribe = options.service.onEvent((event) => {
    const text = JSON.stringify({ event });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...uploads].map((path) => unlink(path).catch(() => undefined)));
    },
  };
}

function badMessage(message: string) {
  return { ok: false as const, error: { code: 'bad-message', message } };
}

function sameSecret(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(`${text}\n`);
}

/** Streams an uploaded capture to a temp file; the browser then opens it by the returned path. */
async function receiveUpload(
  req: IncomingMessage,
  res: ServerResponse,
  uploadDir: string,
  name: string,
  uploads: Set<string>,
): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES)
    return sendText(res, 413, `capture too large (max ${MAX_UPLOAD_BYTES} bytes)`);
  await mkdir(uploadDir, { recursive: true });
  const safeName = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'capture';
  const path = join(uploadDir, `${randomUUID()}-${safeName}`);
  let received = 0;
  uploads.add(path);
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_UPLOAD_BYTES) req.destroy(new Error('upload too large'));
  });
  try {
    await pipeline(req, createWriteStream(path, { flags: 'wx' }));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ path, bytes: received, name: safeName }));
  } catch (error) {
    uploads.delete(path);
    await unlink(path).catch(() => undefined);
    if (!res.headersSent) sendText(res, 400, `upload failed: ${(error as Error).message}`);
  }
}
