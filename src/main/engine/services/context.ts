/**
 * What every domain's handlers get from the service: a way to push events to the
 * UI and a registry of cancellable jobs. Handlers return plain values or throw
 * `ServiceError` for expected failures (it travels to the UI as `{ code, message }`).
 */
import type { z } from 'zod';
import type { EngineEvent } from '@shared/api';
import type { MethodSpec } from '@shared/api-method';
import type { Budget } from '../jobs';
import type { SessionLog } from '../session-log';

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export interface JobRegistry {
  /** Registers a job under the caller's id; the signal aborts on `job.cancel` or shutdown. */
  start(jobId: string | undefined): { jobId: string; signal: AbortSignal; done: () => void };
  cancel(jobId: string): boolean;
  cancelAll(): void;
  /** resolves when every started job has called `done` (cancelled ones included) */
  settled(): Promise<void>;
}

export interface ServiceContext {
  emit(event: EngineEvent): void;
  jobs: JobRegistry;
  /** echo servers and proxies listening at once, over every scope of the engine */
  listenerBudget: Budget;
  /** what was run and seen in this app session (filled by the service from every result) */
  sessions: SessionLog;
  /** how the engine is being served (for getInfo) */
  mode: 'electron' | 'web' | 'cli';
  /** folder for files the engine writes (saved captures, temp files) */
  dataDir: string;
  /** registers cleanup run when the service is disposed (servers to stop, sockets to close) */
  onDispose(fn: () => Promise<void> | void): void;
  /**
   * A read handle (file-grants.ts) for a file the engine itself wrote in `dataDir`, so a lesson can
   * open it through `call` with the checks a page's call gets: the web mode takes no plain path.
   */
  grantOwnFile?(path: string): string;
}

export type Handlers<T extends Record<string, MethodSpec<z.ZodType, z.ZodType>>> = {
  [K in keyof T]: (params: z.output<T[K]['params']>) => Promise<z.input<T[K]['result']>>;
};
