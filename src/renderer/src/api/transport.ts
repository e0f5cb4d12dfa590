/**
 * Picks the transport at start: the preload bridge in Electron, the WebSocket in
 * the web mode. Components only ever see the `Api` interface.
 */
import type { Api, ApiResult, ChosenFile, EngineEvent, MethodName } from '@shared/api';
import { createWebSocketApi } from './ws-client';

type Bridge = Record<string, (params: unknown) => Promise<ApiResult<unknown>>> & {
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Electron only: a one-time read handle and the name for a dropped or picked File (never its path) */
  grantDropped?(file: File): Promise<ApiResult<ChosenFile>>;
};

declare global {
  interface Window {
    keepaliveLab?: Bridge;
  }
}

export type Transport = 'electron' | 'web';

export function createBridgeApi(bridge: Bridge): Api {
  return {
    call: (name: MethodName, params: unknown) => {
      const fn = bridge[name];
      if (!fn) return Promise.resolve({ ok: false, error: { code: 'unknown-method', message: `not exposed: ${name}` } });
      return fn(params);
    },
    onEvent: (listener) => bridge.onEvent(listener),
  } as Api;
}

/** Where the web mode keeps the token for this tab (the server's resume script reads the same key). */
const TOKEN_STORAGE_KEY = 'keepalive-lab-token';

/** Where a tab without a usable token goes: a path the server answers with its refusal page (401), as every path outside the app and the token route. */
const TOKEN_REQUIRED_PATH = '/token-required';

/**
 * The web mode's token: taken from the `/t/<token>/` URL that `serve` printed, kept in this tab's
 * sessionStorage and dropped from the address bar, so it is not on screen, in a shared screenshot or
 * in a URL copied from the bar. A reload asks `/`, where the server serves the app again (no secret
 * in it), and the token is found here in sessionStorage.
 */
function takeToken(): string | null {
  const match = /^\/t\/([\w-]+)\//.exec(window.location.pathname);
  if (!match?.[1]) return window.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  window.sessionStorage.setItem(TOKEN_STORAGE_KEY, match[1]);
  window.history.replaceState(window.history.state, '', `/${window.location.hash}`);
  return match[1];
}

export function pickTransport(): { api: Api; transport: Transport; uploadUrl: ((fileName: string) => Promise<string>) | null } {
  if (window.keepaliveLab) return { api: createBridgeApi(window.keepaliveLab), transport: 'electron', uploadUrl: null };
  const token = takeToken() ?? '';
  // no token, or one the engine refuses (serve was restarted): forget it and show the refusal page, which says where the token is
  const refuse = () => {
    window.sessionStorage.removeItem(TOKEN_STORAGE_KEY);
    window.location.replace(TOKEN_REQUIRED_PATH);
  };
  if (token === '') refuse();
  const socket = createWebSocketApi(`${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api`, token, refuse);
  const uploadUrl = async (fileName: string) =>
    `/t/${encodeURIComponent(token)}/upload?page=${encodeURIComponent(await socket.pageId())}&name=${encodeURIComponent(fileName)}`;
  return { api: socket, transport: 'web', uploadUrl };
}
