/**
 * Implements the contract of src/shared/api.ts on top of the engine (lab, capture,
 * correlate, report) — the only door into it. Every front end (Electron IPC, the
 * web-mode socket, the CLI) calls `call(name, params)`, which checks the params with the
 * method's schema and the caller's policy (services/policy.ts), runs the handler,
 * checks the result, and turns failures into `{ ok: false, error: { code, message } }`
 * (messages only; no stacks cross the edge).
 *
 * A scope is one client of the engine — a web page, or the desktop window — with its
 * own jobs, listeners, open captures, session log (what its report holds), events and
 * file grants. When the scope is disposed (the page went away), its jobs are cancelled
 * and its listeners closed. Budgets for jobs and listeners are shared by all scopes.
 */
import { rmdir } from 'node:fs/promises';
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
} from '@shared/api';
import { Budget, createJobRegistry } from './jobs';
import { makeRunFolder } from './private-files';
import { SessionLog } from './session-log';
import { ServiceError, type ServiceContext } from './services/context';
import { FileGrants } from './services/file-grants';
import { createHandlers } from './services/handlers';
import { applyPolicy, type CallPolicy } from './services/policy';

export interface ServiceScope {
  call(name: unknown, params: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** paths this scope may name through handles (uploads, dialog choices) */
  readonly files: FileGrants;
  /** cancels the scope's jobs, closes its listeners, forgets its captures and grants */
  dispose(): Promise<void>;
}

export interface Service extends ServiceScope {
  /** A new client with its own jobs, listeners, captures, session log and events (one web page). */
  openScope(): ServiceScope;
  /** folder for files the engine writes */
  readonly dataDir: string;
}

export interface ServiceLimits {
  /** jobs running at once over all scopes (a lab run, a capture being opened; a compare counts 2) */
  maxJobs: number;
  /** echo servers and proxies listening at once over all scopes */
  maxListeners: number;
}

export const DEFAULT_LIMITS: ServiceLimits = { maxJobs: 8, maxListeners: 32 };

export interface ServiceOptions {
  mode: ServiceContext['mode'];
  /** default: a fresh private folder for this run (private-files.ts) */
  dataDir?: string;
  /** 'granted': file arguments must be handles from a scope's `files` (default in the web mode) */
  paths?: CallPolicy['paths'];
  /** connect to hosts other than loopback (default: yes, except in the web mode) */
  allowRemoteTargets?: boolean;
  /** listen on ports below 1024 (default: no) */
  allowPrivilegedPorts?: boolean;
  limits?: Partial<ServiceLimits>;
}

/** ms a disposed scope waits for its cancelled jobs to end (tcpdump's stop takes up to ~2 s) */
const JOB_WIND_DOWN_MS = 10_000;

type AnyHandler = (params: unknown) => Promise<unknown>;

interface Shared {
  options: ServiceOptions;
  dataDir: string;
  jobs: Budget;
  listeners: Budget;
}

export function createService(options: ServiceOptions): Service {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const ownFolder = options.dataDir === undefined;
  const shared: Shared = {
    options,
    dataDir: options.dataDir ?? makeRunFolder(),
    jobs: new Budget('jobs', limits.maxJobs, 'wait for one to finish or stop one'),
    listeners: new Budget('echo servers and proxies', limits.maxListeners, 'stop one first'),
  };
  const scopes = new Set<ServiceScope>();
  const main = openScope(shared, scopes);
  return {
    ...main,
    files: main.files,
    dataDir: shared.dataDir,
    openScope: () => openScope(shared, scopes),
    async dispose() {
      await Promise.all([...scopes].map((scope) => scope.dispose()));
      // the run's own folder goes when nothing was saved in it (saved captures are the user's)
      if (ownFolder) await rmdir(shared.dataDir).catch(() => undefined);
    },
  };
}

function openScope(shared: Shared, scopes: Set<ServiceScope>): ServiceScope {
  const { options } = shared;
  const listeners = new Set<(event: EngineEvent) => void>();
  const disposers: Array<() => Promise<void> | void> = [];
  const files = new FileGrants();
  const ctx: ServiceContext = {
    mode: options.mode,
    dataDir: shared.dataDir,
    jobs: createJobRegistry(shared.jobs),
    listenerBudget: shared.listeners,
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
    grantOwnFile: (path) => files.grant(path, 'read'),
  };
  const policy: CallPolicy = {
    mode: options.mode,
    paths: options.paths ?? (options.mode === 'web' ? 'granted' : 'any'),
    files,
    allowRemoteTargets: options.allowRemoteTargets ?? options.mode !== 'web',
    allowPrivilegedPorts: options.allowPrivilegedPorts ?? false,
  };
  // lessons run the other methods through `call`, checks and all, as the pages do
  const handlers = createHandlers(ctx, call) as unknown as Record<string, AnyHandler>;
  let disposed: Promise<void> | null = null;

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
    if (disposed) return { ok: false, error: { code: 'closed', message: 'this page has left the engine: reload it' } };
    const parsed = parseParams(name, params);
    if (!parsed.ok) return parsed;
    // the table has a handler for every method (its type says so); params were checked against the same schema
    const handler = handlers[name] as (params: unknown) => Promise<unknown>;
    try {
      const result = checkResult(name, await handler(applyPolicy(name, parsed.value, policy)));
      if (result.ok) ctx.sessions.observe(name, result.value);
      return result;
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  }

  const scope: ServiceScope = {
    call,
    files,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      disposed ??= (async () => {
        scopes.delete(scope);
        ctx.jobs.cancelAll();
        files.revokeAll();
        for (const fn of disposers.splice(0).reverse()) await fn();
        // cancelled runs stop their tcpdump and close their sockets on the way out: wait for that, bounded
        await Promise.race([ctx.jobs.settled(), new Promise((resolve) => setTimeout(resolve, JOB_WIND_DOWN_MS).unref())]);
        listeners.clear();
      })();
      return disposed;
    },
  };
  scopes.add(scope);
  return scope;
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
