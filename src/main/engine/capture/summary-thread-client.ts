/**
 * Both ends of the stream-summary thread (summary-thread.ts): `SummaryThread` on the analysing
 * thread, `serveSummaries` inside the second one (worker.ts starts it for `role: 'summaries'`).
 */
import type { MessagePort, ResourceLimits, Worker } from 'node:worker_threads';
import { startCaptureWorker } from './capture-worker-start';
import { PacketTable } from './packet-table';
import { StartLines } from './start-lines';
import {
  BatchReader,
  BatchWriter,
  FAILED_COUNT,
  summariesFromMessage,
  type SummaryThreadMessage,
  type SummaryThreadResult,
} from './summary-thread';

/**
 * For tests: the summary thread dies hard when it is handed batch `afterBatches + 1`, as a crash
 * would, without a word to the analysing thread (see AnalyzeOptions.summaryThreadFault).
 */
export interface SummaryThreadFault {
  /** 'exit': `process.exit` inside the thread; 'out-of-memory': it allocates until its heap limit (OUT_OF_MEMORY_FAULT_LIMITS) */
  kind: 'exit' | 'out-of-memory';
  afterBatches: number;
}

/** What the summary thread is started with. */
export interface SummaryWorkerData {
  role: 'summaries';
  /** one Int32: batches summarized so far */
  consumed: SharedArrayBuffer;
  maxStartLines: number;
  fault?: SummaryThreadFault;
}

type SummaryReply = { kind: 'done'; result: SummaryThreadResult } | { kind: 'failed'; message: string };

/** The injected out-of-memory fault's heap, so it reaches the limit in a fraction of a second, MiB. */
const OUT_OF_MEMORY_FAULT_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };
/** The injected exit's code. */
const FAULT_EXIT_CODE = 70;

/** The one error the analysis fails with when its second thread stops before its result. */
function stoppedError(cause: string): Error {
  return new Error(`the analysis thread stopped: ${cause}`);
}

/** What a worker's 'error' event says, in the user's words where Node's are about its internals. */
function errorCause(error: Error): string {
  return (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : error.message;
}

export class SummaryThread {
  readonly writer: BatchWriter;
  private readonly worker: Worker;
  private readonly result: Promise<SummaryThreadResult>;
  /** set when the thread failed: the analysis stops at its next chunk */
  failure: Error | null = null;

  /** `fault`: for tests only (SummaryThreadFault) */
  constructor(maxStartLines: number, fault?: SummaryThreadFault) {
    const consumed = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const data: SummaryWorkerData = { role: 'summaries', consumed, maxStartLines, ...(fault === undefined ? {} : { fault }) };
    this.worker = startCaptureWorker(data, fault?.kind === 'out-of-memory' ? OUT_OF_MEMORY_FAULT_LIMITS : undefined);
    const worker = this.worker;
    this.writer = new BatchWriter((message) => worker.postMessage(message), new Int32Array(consumed));
    this.result = new Promise<SummaryThreadResult>((resolve, reject) => {
      // the analysis's own thread is never blocked long (the writer waits on the event loop), so
      // these events arrive as soon as the thread stops, however it stops
      const fail = (error: Error) => {
        this.failure ??= error;
        this.writer.stop(this.failure);
        reject(this.failure);
      };
      worker.on('message', (reply: SummaryReply) => {
        if (reply.kind === 'done')
          resolve({
            ...reply.result,
            summaries: summariesFromMessage(reply.result.summaries),
            table: Object.assign(new PacketTable(), reply.result.table),
            startLines: StartLines.from(reply.result.startLines),
          });
        else fail(stoppedError(reply.message));
      });
      worker.on('error', (error) => fail(stoppedError(errorCause(error))));
      worker.on('exit', (code) => fail(stoppedError(`it exited with code ${code}`)));
    });
    // a failure before finish() is reported by `failure` and again by finish()
    this.result.catch(() => undefined);
  }

  /** Sends the last batch and the address texts; resolves with the summaries and the packet table. */
  async finish(addresses: string[]): Promise<SummaryThreadResult> {
    try {
      this.writer.flush();
      const message: SummaryThreadMessage = { kind: 'finish', addresses };
      this.worker.postMessage(message);
      return await this.result;
    } finally {
      this.close();
    }
  }

  /** Stops the thread (after finish, on cancel, on a read error). */
  close(): void {
    void this.worker.terminate();
  }
}

/** The distinct ArrayBuffers under the typed arrays among `values` (a buffer may be listed once). */
function transferableBuffers(values: unknown[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const value of values) if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) buffers.add(value.buffer);
  return [...buffers];
}

/** Inside the summary thread: batches in file order into the summarizer, the result out at 'finish'. */
export function serveSummaries(port: MessagePort, data: SummaryWorkerData): void {
  const consumed = new Int32Array(data.consumed);
  const reader = new BatchReader(data.maxStartLines);
  let batches = 0;
  port.on('message', (message: SummaryThreadMessage) => {
    try {
      if (message.kind === 'slot') {
        reader.addSlot(message.index, message.slot);
        return;
      }
      if (message.kind === 'chunk') {
        reader.addChunk(message.index, message.buffer);
        return;
      }
      if (message.kind === 'batch') {
        if (data.fault !== undefined && batches++ === data.fault.afterBatches) dieHard(data.fault.kind);
        reader.read(message.index, message.count, message.chunk, message.startTime, message.rows);
        Atomics.add(consumed, 0, 1);
        Atomics.notify(consumed, 0);
        return;
      }
      const result = reader.finish(message.addresses);
      const reply: SummaryReply = { kind: 'done', result };
      // the columns move to the analysing thread (this one is done with them) instead of being copied
      port.postMessage(
        reply,
        transferableBuffers([
          result.startLines.frames,
          result.startLines.ends,
          ...Object.values(result.table),
          ...Object.values(result.summaries),
        ]),
      );
    } catch (error) {
      Atomics.store(consumed, 0, FAILED_COUNT);
      Atomics.notify(consumed, 0);
      port.postMessage({ kind: 'failed', message: (error as Error).message } satisfies SummaryReply);
    }
  });
}

/** The injected fault (SummaryThreadFault): the thread ends here, as a crash would end it. */
function dieHard(kind: SummaryThreadFault['kind']): never {
  if (kind === 'exit') process.exit(FAULT_EXIT_CODE);
  const kept: number[][] = [];
  for (;;) kept.push(new Array<number>(1 << 16).fill(0.5));
}
