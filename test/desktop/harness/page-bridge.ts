/**
 * contextBridge's part, played between Chromium and the preload's vm context.
 * For each object the preload exposed, the page gets a frozen object of the
 * same function names (top frame only, as Electron without
 * nodeIntegrationInSubFrames). A call crosses synchronously (a synchronous
 * request to BRIDGE_PATH, answered by the route below), so a function that
 * returns a value returns it at once, and one that returns a promise gives the page a promise
 * (settled through a binding). Functions passed in (an event listener) become
 * callbacks into the page; functions returned (an unsubscribe) become calls
 * back; a File crosses as its name, size, type and date.
 *
 * Only a real Electron shows contextBridge's exact copying (prototypes dropped,
 * Errors and Dates, non-cloneable values refused); here values cross as JSON.
 */
import type { Page } from 'playwright-core';
import type { FileStandIn } from './renderer';

export const BRIDGE_PATH = '/__desktop-test-bridge/';

/**
 * Marks what crossed the bridge as a File (a File the page passed): Electron's getPathForFile throws for
 * anything else (https://www.electronjs.org/docs/latest/api/web-utils), so the stand-in does too.
 */
export const IS_FILE = Symbol('a File from the page');

export interface BridgeTarget {
  exposed: Map<string, Record<string, unknown>>;
}

type Encoded = unknown;

interface CallRequest {
  key?: string;
  name?: string;
  /** id of a function the page got back earlier */
  fn?: number;
  args: Encoded[];
}

/** Runs in the page before its scripts (addInitScript); `shape` is exposed key → function names. */
function pageShim(shape: Record<string, string[]>): void {
  if (window !== window.top) return;
  const callbacks = new Map<number, (...args: unknown[]) => void>();
  let nextCallback = 1;
  const global = window as unknown as Record<string, unknown>;
  global['__desktopTestCallback'] = (id: number, args: unknown[]) => callbacks.get(id)?.(...args);

  const encode = (value: unknown): unknown => {
    if (typeof value === 'function') {
      const id = nextCallback++;
      callbacks.set(id, value as (...args: unknown[]) => void);
      return { $callback: id };
    }
    if (value instanceof File) return { $file: { name: value.name, size: value.size, type: value.type, lastModified: value.lastModified } };
    if (Array.isArray(value)) return value.map(encode);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
    return value;
  };
  const decode = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(decode);
    if (value && typeof value === 'object') {
      if ('$function' in value)
        return (...args: unknown[]) => callSync({ fn: (value as { $function: number }).$function, args: args.map(encode) });
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
    }
    return value;
  };
  function callSync(request: unknown): unknown {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/__desktop-test-bridge/call', false);
    xhr.send(JSON.stringify(request));
    const reply = JSON.parse(xhr.responseText) as { value?: unknown; promise?: number; threw?: string };
    if (reply.threw !== undefined) throw new Error(reply.threw);
    if (reply.promise !== undefined) {
      const awaitBinding = global['__desktopTestAwait'] as (id: number) => Promise<{ value?: unknown; rejected?: string }>;
      return awaitBinding(reply.promise).then((settled) => {
        if (settled.rejected !== undefined) throw new Error(settled.rejected);
        return decode(settled.value);
      });
    }
    return decode(reply.value);
  }
  for (const [key, names] of Object.entries(shape)) {
    const api = Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => callSync({ key, name, args: args.map(encode) })]));
    Object.defineProperty(window, key, { value: Object.freeze(api), enumerable: true, configurable: false, writable: false });
  }
}

export async function installPageBridge(page: Page, target: BridgeTarget): Promise<void> {
  const returnedFunctions = new Map<number, (...args: unknown[]) => unknown>();
  const promises = new Map<number, Promise<unknown>>();
  let nextId = 1;

  const decodeArg = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(decodeArg);
    if (value && typeof value === 'object') {
      if ('$callback' in value) {
        const id = (value as { $callback: number }).$callback;
        return (...args: unknown[]) =>
          void page
            .evaluate(
              ([callbackId, callbackArgs]) => {
                const deliver = (window as unknown as Record<string, (id: number, args: unknown[]) => void>)['__desktopTestCallback'];
                deliver?.(callbackId as number, callbackArgs as unknown[]);
              },
              [id, JSON.parse(JSON.stringify(args)) as unknown[]] as const,
            )
            .catch(() => undefined);
      }
      if ('$file' in value) return { ...(value as { $file: FileStandIn }).$file, [IS_FILE]: true } as FileStandIn;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeArg(v)]));
    }
    return value;
  };
  const encodeResult = (value: unknown): unknown => {
    if (typeof value === 'function') {
      const id = nextId++;
      returnedFunctions.set(id, value as (...args: unknown[]) => unknown);
      return { $function: id };
    }
    if (Array.isArray(value)) return value.map(encodeResult);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeResult(v)]));
    return value;
  };

  await page.exposeBinding('__desktopTestAwait', async (_source, id: number) => {
    const promise = promises.get(id);
    promises.delete(id);
    try {
      return { value: encodeResult(await promise) };
    } catch (error) {
      return { rejected: (error as Error).message };
    }
  });

  await page.route(`**${BRIDGE_PATH}call`, async (route) => {
    const request = JSON.parse(route.request().postData() ?? '{}') as CallRequest;
    const fn =
      request.fn !== undefined
        ? returnedFunctions.get(request.fn)
        : (target.exposed.get(request.key ?? '')?.[request.name ?? ''] as unknown);
    let reply: { value?: unknown; promise?: number; threw?: string };
    if (typeof fn !== 'function') reply = { threw: `not a function: ${request.key}.${request.name}` };
    else {
      try {
        const result = (fn as (...args: unknown[]) => unknown)(...request.args.map(decodeArg));
        // a thenable, not `instanceof Promise`: an async function of the preload returns its vm context's Promise
        if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
          const id = nextId++;
          promises.set(id, Promise.resolve(result));
          reply = { promise: id };
        } else reply = { value: encodeResult(result) };
      } catch (error) {
        reply = { threw: (error as Error).message };
      }
    }
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(reply) });
  });

  const shape = Object.fromEntries(
    [...target.exposed].map(([key, api]) => [key, Object.keys(api).filter((name) => typeof api[name] === 'function')]),
  );
  await page.addInitScript(pageShim, shape);
}
