/**
 * The web-mode transport: the contract over one WebSocket to the `serve` process.
 * The first message is the token (it is in no URL or cookie); the engine answers
 * `{ ready: { page } }` and only then are calls sent. Calls carry an id and resolve
 * with the matching reply; pushed events go to listeners.
 */
import type { Api, ApiResult, EngineEvent, MethodName, Params, Result } from '@shared/api';

type Pending = (result: ApiResult<unknown>) => void;

interface ServerMessage {
  id?: number | null;
  result?: ApiResult<unknown>;
  event?: EngineEvent;
  ready?: { page: string };
}

export interface WebSocketApi extends Api {
  /** this page's id at the engine (its uploads are filed under it); connects if needed */
  pageId(): Promise<string>;
}

/** `onRefused`: the engine closed the socket for its token (1008: wrong or stale), e.g. to send the tab to the refusal page. */
export function createWebSocketApi(url: string, token: string, onRefused?: () => void): WebSocketApi {
  const listeners = new Set<(event: EngineEvent) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let page: string | null = null;
  let opened: Promise<WebSocket> | null = null;

  function connect(): Promise<WebSocket> {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => ws.send(JSON.stringify({ token })));
      ws.addEventListener('message', (message) => {
        const data = JSON.parse(String(message.data)) as ServerMessage;
        if (data.ready) {
          page = data.ready.page;
          socket = ws;
          resolve(ws);
        } else if (data.event) for (const listener of listeners) listener(data.event);
        else if (typeof data.id === 'number' && data.result) {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        }
      });
      const fail = (why: string) => {
        for (const settle of pending.values()) settle({ ok: false, error: { code: 'disconnected', message: why } });
        pending.clear();
        socket = null;
        page = null;
        opened = null;
        reject(new Error(why));
      };
      ws.addEventListener('close', (event) => {
        if (event.code === 1008) onRefused?.();
        fail(
          event.code === 1008
            ? `the engine refused this page (${event.reason || 'no token'}): open the URL printed by \`keepalive-lab serve\``
            : 'the connection to the Keepalive Lab engine closed; is `keepalive-lab serve` still running?',
        );
      });
      ws.addEventListener('error', () => fail('cannot reach the Keepalive Lab engine'));
    });
    return opened;
  }

  return {
    async call<M extends MethodName>(name: M, params: Params<M>): Promise<ApiResult<Result<M>>> {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch (error) {
        return { ok: false, error: { code: 'disconnected', message: (error as Error).message } };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as Pending);
        ws.send(JSON.stringify({ id, method: name, params }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
    async pageId() {
      if (page === null) await connect();
      if (page === null) throw new Error('not connected to the Keepalive Lab engine');
      return page;
    },
  };
}
