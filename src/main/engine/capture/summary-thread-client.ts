/**
 * Both ends of the stream-summary thread (summary-thread.ts): `SummaryThread` on the analysing
 * thread, `serveSummaries` inside the second one (worker.ts starts it for `role: 'summaries'`).
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { startCaptureWorker } from './capture-worker-start';
import { PacketTable } from './packet-table';
import { StartLines } from './start-lines';
import { BatchReader, BatchWriter, summariesFromMessage, type SummaryThreadMessage, type SummaryThreadResult } from './summary-thread';

/** What the summary thread is started with. */
export interface SummaryWorkerData {
  role: 'summaries';
  /** one Int32: batches summarized so far */
  consumed: SharedArrayBuffer;
  maxStartLines: number;
}

type SummaryReply = { kind: 'done'; result: SummaryThreadResult } | { kind: 'failed'; message: string };

/** Past every batch the analysing thread may send, so a failed summary thread never keeps it waiting. */
const FAILED_COUNT = 1 << 30;

export class SummaryThread {
  readonly writer: BatchWriter;
  private readonly worker: Worker;
  private readonly result: Promise<SummaryThreadResult>;
  /** set when the thread failed: the analysis stops at its next chunk */
  failure: Error | null = null;

  constructor(maxStartLines: number) {
    const consumed = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const data: SummaryWorkerData = { role: 'summaries', consumed, maxStartLines };
    this.worker = startCaptureWorker(data);
    const worker = this.worker;
    this.writer = new BatchWriter((message) => worker.postMessage(message), new Int32Array(consumed));
    this.result = new Promise<SummaryThreadResult>((resolve, reject) => {
      const fail = (error: Error) => {
        this.failure ??= error;
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
        else fail(new Error(`the stream-summary thread failed: ${reply.message}`));
      });
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`the stream-summary thread exited with code ${code}`)));
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
