/**
 * The CLI's door into the engine: the same service (src/main/engine/service.ts) and contract
 * (src/shared/api.ts) as the desktop app and the web mode, so a flag reaches the lab through the
 * same schema checks and handlers as a form field. A failed call becomes one CliError line;
 * Ctrl-C cancels the running job through `job.cancel`, as the app's Cancel button does.
 */
import { copyFile, rename, unlink } from 'node:fs/promises';
import type { EngineEvent, MethodName, Params, Result } from '../shared/api';
import type { RunCapture } from '../shared/api-correlate';
import { createService } from '../main/engine/service';
import { CliError, type CliIo } from './io';

export interface CliEngine {
  /** the job id every long call of this command runs under (cancelled on Ctrl-C) */
  readonly jobId: string;
  /** Calls one contract method; resolves with its value or throws a CliError with the engine's message. */
  call<M extends MethodName>(name: M, params: Params<M>): Promise<Result<M>>;
  /** The same, for params built from flags: the engine checks them against the method's schema. */
  callWithFlags<M extends MethodName>(name: M, params: Record<string, unknown>): Promise<Result<M>>;
  /** Listens to the events of this command's job (progress, live stats); returns the unsubscribe. */
  onJobEvent(listener: (event: EngineEvent) => void): () => void;
}

/** Runs `use` with a fresh engine and disposes it afterwards (listeners closed, jobs cancelled). */
export async function withEngine<T>(io: CliIo, use: (engine: CliEngine) => Promise<T>): Promise<T> {
  const service = createService({ mode: 'cli' });
  const jobId = `cli-${process.pid}-${Date.now().toString(36)}`;
  const cancel = (): void => void service.call('job.cancel', { jobId });
  if (io.signal.aborted) cancel();
  else io.signal.addEventListener('abort', cancel, { once: true });
  const engine: CliEngine = {
    jobId,
    async call(name, params) {
      const result = await service.call(name, params);
      if (!result.ok) throw new CliError(result.error.message);
      return result.value as Result<typeof name>;
    },
    callWithFlags(name, params) {
      return engine.call(name, params as Params<typeof name>);
    },
    onJobEvent(listener) {
      return service.onEvent((event) => {
        if ('jobId' in event && event.jobId === jobId) listener(event);
      });
    },
  };
  try {
    return await use(engine);
  } finally {
    io.signal.removeEventListener('abort', cancel);
    await service.dispose();
  }
}

/**
 * Moves the pcap the engine saved in its data folder to the file the user named with
 * `--capture FILE`, and says so in the report. `rename` fails across file systems (EXDEV): copy then.
 */
export async function moveSavedCapture(capture: RunCapture | undefined, to: string | null): Promise<RunCapture | undefined> {
  if (to === null || capture?.status !== 'captured' || capture.file === null) return capture;
  try {
    await rename(capture.file, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(capture.file, to);
    await unlink(capture.file);
  }
  return { ...capture, file: to };
}
