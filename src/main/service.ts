/**
 * Implements the contract of src/shared/api.ts on top of the engine (lab, capture,
 * correlate, report) — the only door into it. Every front end (Electron IPC, the
 * web-mode socket, the CLI) calls `service.call(name, params)`, which checks the params with
 * the method's schema, runs the handler, checks the result, and turns failures into
 * `{ ok: false, error: { code, message } }` (messages only; no stacks cross the edge).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  isMethodName,
  methods,
  parseParams,
  describeZodError,
  type ApiResult,
  type EngineEvent,
  type MethodName,
  type Result,
} from '../shared/api';
import { createJobRegistry } from './jobs';
import { SessionLog } from './session-log';
import { ServiceError, type ServiceContext } from './services/context';
import { createHandlers } from './services/handlers';

export interface Service {
  call(name: unknown, params: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  dispose(): Promise<void>;
  /** folder for files the engine writes */
  readonly dataDir: string;
}

export interface ServiceOptions {
  mode: ServiceContext['mode'];
  dataDir?: string;
}

export function createService(options: ServiceOptions): Service {
  const listeners = new Set<(event: EngineEvent) => void>();
  const disposers: Array<() => Promise<void> | void> = [];
  const ctx: ServiceContext = {
    mode: options.mode,
    dataDir: options.dataDir ?? join(tmpdir(), 'keepalive-lab'),
    jobs: createJobRegistry(),
    sessions: new SessionLog(),
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // one broken listener must not stop the others
        }
      }
    },
    onDispose(fn) {
      disposers.push(fn);
    },
  };

  const handlers = createHandlers(ctx);

  async function call(name: unknown, params: unknown): Promise<ApiResult<unknown>> {
    if (!isMethodName(name)) {
      return {
        ok: false,
        error: {
          code: 'unknown-method',
          message: `unknown method: ${typeof name === 'string' ? name.slice(0, 80) : `(a ${typeof name}, not a method name)`}`,
        },
      };
    }
    const parsed = parseParams(name, params);
    if (!parsed.ok) return parsed;
    // the table has a handler for every method (its type says so); params were checked against the same schema
    const handler = handlers[name] as (params: unknown) => Promise<unknown>;
    try {
      const result = checkResult(name, await handler(parsed.value));
      if (result.ok) ctx.sessions.observe(name, result.value);
      return result;
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  }

  return {
    dataDir: ctx.dataDir,
    call,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      ctx.jobs.cancelAll();
      for (const fn of disposers.splice(0).reverse()) await fn();
      listeners.clear();
    },
  };
}

function checkResult<M extends MethodName>(name: M, value: unknown): ApiResult<Result<M>> {
  const parsed = (methods[name].result as z.ZodType).safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data as Result<M> };
  return { ok: false, error: { code: 'invalid-result', message: `${name} produced an invalid result: ${describeZodError(parsed.error)}` } };
}

function toApiError(error: unknown): { code: string; message: string } {
  if (error instanceof ServiceError) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { code: typeof code === 'string' ? code : 'internal', message: error.message };
  }
  return { code: 'internal', message: String(error) };
}
