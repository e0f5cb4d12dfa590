/**
 * One web page's WebSocket to the engine. The page proves it holds the token in its first message
 * (`{ "token": "…" }`; the token is in no URL, header or cookie), then gets its own service scope:
 * its jobs, listeners, captures, uploads and report, all ended when the socket closes. Every
 * frame fault (too big, invalid UTF-8, a bad fragment) closes this socket alone; a page that does
 * not read what it is sent is cut off before the engine's memory grows for it.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Service, ServiceScope } from '../engine/service';
import { handleSocketMessage } from './socket-protocol';
import type { UploadOwner } from './uploads';

export interface PageLimits {
  /** bytes queued for a page that is not reading before its socket is closed */
  maxBufferedBytes: number;
  /** ms a new socket has to send the token */
  authTimeoutMs: number;
}

export const DEFAULT_PAGE_LIMITS: PageLimits = { maxBufferedBytes: 64 * 1024 * 1024, authTimeoutMs: 10_000 };

/** WebSocket close codes (RFC 6455 §7.4.1; 4000–4999 are the application's own). */
export const CLOSE_POLICY = 1008;

export interface Page extends UploadOwner {
  readonly id: string;
  readonly socket: WebSocket;
}

export interface PageHooks {
  service: Service;
  limits: PageLimits;
  /** true when the text is the server's token (compared in constant time) */
  isToken(given: unknown): boolean;
  opened(page: Page): void;
  /** the page has gone: its scope is disposed already */
  closed(page: Page): Promise<void>;
}

/** Wires one accepted socket; nothing it receives can throw out of here. */
export function attachPageSocket(ws: WebSocket, hooks: PageHooks): void {
  let page: (Page & { open: boolean }) | null = null;
  // without this listener a frame fault (close 1007, 1009, 1002) is an uncaught exception in ws
  ws.on('error', () => undefined);
  const authTimer = setTimeout(() => ws.close(CLOSE_POLICY, 'token required'), hooks.limits.authTimeoutMs);

  const send = (text: string): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount + text.length > hooks.limits.maxBufferedBytes) {
      // the page is not reading: its close frame could not get through the queue either
      ws.terminate();
      return;
    }
    ws.send(text);
  };

  ws.on('message', (data, isBinary) => {
    if (isBinary) return send(JSON.stringify({ id: null, result: badMessage('binary messages are not part of the protocol') }));
    const text = data.toString();
    if (page === null) {
      clearTimeout(authTimer);
      if (!hooks.isToken(readToken(text))) return ws.close(CLOSE_POLICY, 'wrong token: open the URL printed by keepalive-lab serve');
      page = openPage(ws, hooks.service.openScope(), send);
      hooks.opened(page);
      return;
    }
    void handleSocketMessage(page.scope, text, send);
  });

  ws.on('close', () => {
    clearTimeout(authTimer);
    const gone = page;
    if (gone === null) return;
    gone.open = false;
    void gone.scope.dispose().then(() => hooks.closed(gone));
  });
}

function openPage(ws: WebSocket, scope: ServiceScope, send: (text: string) => void): Page & { open: boolean } {
  const page = { id: randomBytes(18).toString('base64url'), socket: ws, scope, open: true, uploads: new Map<string, number>() };
  scope.onEvent((event) => send(JSON.stringify({ event })));
  send(JSON.stringify({ ready: { page: page.id } }));
  return page;
}

function readToken(text: string): unknown {
  try {
    return (JSON.parse(text) as { token?: unknown } | null)?.token;
  } catch {
    return undefined;
  }
}

function badMessage(message: string) {
  return { ok: false as const, error: { code: 'bad-message', message } };
}
