/**
 * The web-mode transport: the contract over one WebSocket to the `serve` process.
 * Calls carry an id and resolve with the matching reply; pushed events go to listeners.
 */
import type { Api, ApiResult, EngineEvent, MethodName, Params, Result } from '../../../shared/api';

type Pending = (result: ApiResult<unknown>) => void;

export function createWebSocketApi(url: string): Api {
  const listeners = new Set<(event: EngineEvent) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;

  function connect(): Promise<WebSocket> {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => {
        socket = ws;
        resolve(ws);
      });
      ws.addEventListener('message', (message) => {
        const data = JSON.parse(String(message.data)) as { id?: number | null; result?: ApiResult<unknown>; event?: EngineEvent };
        if (data.event) for (const listener of listeners) listener(data.event);
        else if (typeof data.id === 'number' && data.result) {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        }
      });
      const fail = (why: string) => {
        for (const settle of pending.values()) settle({ ok: false, error: { code: 'disconnected', message: why } });
        pending.clear();
        socket = null;
        opened = null;
        reject(new Error(why));
      };
      ws.addEventListener('close', () =>
        fail('the connection to the Keepalive Lab engine closed; is `keepalive-lab serve` still running?'),
      );
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
  };
}
