/**
 * The capture worker's entry (a worker_thread): runs `analyzeCaptureFile` off the main thread so
 * a multi-GB capture never blocks the UI or the IPC loop. Built as its own entry
 * (`out/main/capture-worker.js`, see electron.vite.config.ts); run from source through tsx.
 *
 * Messages: parent → worker `{ kind: 'cancel' }`; worker → parent `WorkerMessage`.
 * The same script is the analysis's second thread (`role: 'summaries'`, summary-thread-client.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeCaptureFile, type AnalyzeProgress, type CaptureAnalysis } from './analyze';
import type { PacketTable } from './packet-table';
import { CaptureFormatError } from './read-common';
import { serveSummaries, type SummaryThreadFault, type SummaryWorkerData } from './summary-thread-client';

export interface WorkerRequest {
  path: string;
  chunkBytes?: number;
  /** see AnalyzeOptions.threads (default 'auto') */
  threads?: 1 | 2 | 'auto';
  /** for tests only: see AnalyzeOptions.summaryThreadFault */
  summaryThreadFault?: SummaryThreadFault;
}

/**
 * The analysis without its class instances and without the stream objects (rebuilt lazily on the
 * other side): the columns (rows beyond `length` unused) travel as transferred buffers.
 */
export type TransferableAnalysis = Omit<CaptureAnalysis, 'table' | 'streams'> & {
  table: Pick<
    PacketTable,
    'length' | 'time' | 'stream' | 'tcpFlags' | 'payload' | 'analysis' | 'relativeSeq' | 'relativeAck' | 'window' | 'marks'
  >;
};

export type WorkerMessage =
  | { kind: 'progress'; progress: AnalyzeProgress }
  | { kind: 'done'; analysis: TransferableAnalysis }
  | { kind: 'failed'; name: string; code: string | null; message: string };

/** Progress messages at most this often, ms: enough for a progress bar, cheap to post. */
const PROGRESS_INTERVAL_MS = 100;

async function run(request: WorkerRequest): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const controller = new AbortController();
  port.on('message', (message: { kind?: string }) => {
    if (message.kind === 'cancel') controller.abort(new Error('cancelled'));
  });
  let lastProgress = 0;
  try {
    const analysis = await analyzeCaptureFile(request.path, {
      signal: controller.signal,
      chunkBytes: request.chunkBytes,
      threads: request.threads,
      summaryThreadFault: request.summaryThreadFault,
      onProgress: (progress) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
        lastProgress = now;
        port.postMessage({ kind: 'progress', progress } satisfies WorkerMessage);
      },
    });
    // transfer the columns as they are, not sliced to length: a copy would add tens of MB at the
    // very end of a big analysis, and the unwritten tail of a reserved column is never paged in
    const table = analysis.table;
    const columns = {
      length: table.length,
      time: table.time,
      stream: table.stream,
      tcpFlags: table.tcpFlags,
      payload: table.payload,
      analysis: table.analysis,
      relativeSeq: table.relativeSeq,
      relativeAck: table.relativeAck,
      window: table.window,
      marks: table.marks,
    };
    const { streams: _objects, ...rest } = Object.getOwnPropertyDescriptors(analysis);
    const plain = Object.defineProperties({}, rest) as Omit<CaptureAnalysis, 'streams'>;
    const message: WorkerMessage = { kind: 'done', analysis: { ...plain, table: columns } };
    port.postMessage(message, transferList(analysis));
  } catch (error) {
    const code = error instanceof CaptureFormatError ? error.code : ((error as NodeJS.ErrnoException).code ?? null);
    port.postMessage({ kind: 'failed', name: (error as Error).name, code, message: (error as Error).message } satisfies WorkerMessage);
  } finally {
    port.close();
  }
}

/** Every typed column's buffer once (a buffer may be listed only once). */
function transferList(analysis: CaptureAnalysis): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const holder of [analysis.table, analysis.evidence, analysis.streamSummaries, analysis.httpStartLines] as object[]) {
    for (const value of Object.values(holder)) {
      if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) buffers.add(value.buffer);
    }
  }
  return [...buffers];
}

if (parentPort !== null && typeof workerData === 'object' && workerData !== null) {
  if ('path' in workerData) void run(workerData as WorkerRequest);
  else if ((workerData as { role?: string }).role === 'summaries') serveSummaries(parentPort, workerData as SummaryWorkerData);
}
