/**
 * Runs the capture analysis in a worker_thread (worker.ts, started by capture-worker-start.ts) and
 * rebuilds the result.
 */
import type { Worker } from 'node:worker_threads';
import { startCaptureWorker } from './capture-worker-start';
import { withStreamObjects, type AnalyzeProgress, type CaptureAnalysis } from './analyze';
import { StreamSummaries } from './stream-summaries';
import { EvidenceTable } from './evidence-table';
import { PacketTable } from './packet-table';
import { StartLines } from './start-lines';
import { CaptureFormatError, type CaptureErrorCode } from './read-common';
import type { WorkerMessage, WorkerRequest } from './worker';

export interface WorkerAnalyzeOptions {
  onProgress?: (progress: AnalyzeProgress) => void;
  signal?: AbortSignal;
  chunkBytes?: number;
  /** see AnalyzeOptions.threads */
  threads?: 1 | 2 | 'auto';
  /** for tests only: see AnalyzeOptions.summaryThreadFault */
  summaryThreadFault?: WorkerRequest['summaryThreadFault'];
}

/** What the capture worker is started with for `path`. */
export function workerRequest(path: string, options: WorkerAnalyzeOptions = {}): WorkerRequest {
  return {
    path,
    ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.summaryThreadFault === undefined ? {} : { summaryThreadFault: options.summaryThreadFault }),
  };
}

const FORMAT_ERROR_CODES = new Set<string>(['empty', 'not-a-capture', 'unsupported-version', 'truncated-header', 'corrupt-header']);

/** Same result and errors as analyzeCaptureFile, computed off the calling thread. */
export function analyzeCaptureInWorker(path: string, options: WorkerAnalyzeOptions = {}): Promise<CaptureAnalysis> {
  return analysisFromWorker(startCaptureWorker(workerRequest(path, options)), options);
}

/** The analysis a capture worker started with a WorkerRequest sends back (the bench starts the app's bundled one itself). */
export function analysisFromWorker(
  worker: Worker,
  options: Pick<WorkerAnalyzeOptions, 'onProgress' | 'signal'> = {},
): Promise<CaptureAnalysis> {
  return new Promise<CaptureAnalysis>((resolve, reject) => {
    let settled = false;
    const onAbort = () => worker.postMessage({ kind: 'cancel' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      switch (message.kind) {
        case 'progress':
          options.onProgress?.(message.progress);
          return;
        case 'done': {
          const table = new PacketTable();
          Object.assign(table, message.analysis.table);
          const evidence = Object.assign(new EvidenceTable(), message.analysis.evidence);
          const streamSummaries = Object.assign(new StreamSummaries(), message.analysis.streamSummaries);
          const httpStartLines = StartLines.from(message.analysis.httpStartLines);
          finish(() => resolve(withStreamObjects({ ...message.analysis, table, evidence, streamSummaries, httpStartLines })));
          return;
        }
        case 'failed': {
          const error =
            message.code !== null && FORMAT_ERROR_CODES.has(message.code)
              ? new CaptureFormatError(message.code as CaptureErrorCode, message.message)
              : Object.assign(new Error(message.message), { code: message.code ?? undefined, name: message.name });
          finish(() => reject(options.signal?.aborted === true ? options.signal.reason : error));
          return;
        }
        default: {
          const unreachable: never = message;
          return unreachable;
        }
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`capture worker exited with code ${code}`))));
  });
}
