/**
 * Picks the transport at start: the preload bridge in Electron, the WebSocket in
 * the web mode. Components only ever see the `Api` interface.
 */
import type { Api, ApiResult, EngineEvent, MethodName } from '../../../shared/api';
import { createWebSocketApi } from './ws-client';

type Bridge = Record<string, (params: unknown) => Promise<ApiResult<unknown>>> & {
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Electron only: the file-system path of a dropped File (webUtils.getPathForFile) */
  pathForFile?(file: File): string;
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

export function pickTransport(): { api: Api; transport: Transport; token: string | null } {
  if (window.keepaliveLab) return { api: createBridgeApi(window.keepaliveLab), transport: 'electron', token: null };
  const token = new URLSearchParams(window.location.search).get('token');
  const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api?token=${encodeURIComponent(token ?? '')}`;
  return { api: createWebSocketApi(wsUrl), transport: 'web', token };
}
