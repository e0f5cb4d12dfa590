/**
 * The analysis on two threads when its second thread dies hard part-way (summary-thread-client.ts,
 * SummaryThreadFault): `process.exit` inside it, or its heap running out. Neither says a word to the
 * first thread, which then was blocked in `Atomics.wait` for room in the ring and received the
 * thread's 'exit' event only after its 120 s stall bound. Now it fails within seconds with one error,
 * and no thread is left behind: called here, and in the capture worker the app runs it in.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { analyzeCaptureInWorker } from '@engine/capture/analyze-in-worker';
import { writeSyntheticCapture } from '../../bench/make-capture';

/** About 31 batches of 8,192 segments: the first thread fills the ring's 16 and waits for room when the second dies. */
const PACKETS = 250_000;
/** The second thread dies when handed its third batch. */
const AFTER_BATCHES = 2;
/**
 * How soon the failure must come, ms: far under the 120 s the first thread used to wait, and far over
 * the second or so it takes on an idle machine (most of it the thread's start from TypeScript source).
 */
const NOTICED_WITHIN_MS = 20_000;
/** How long the dead thread may take to leave the process's thread list, ms. */
const THREAD_GONE_WITHIN_MS = 10_000;

/** This process's OS threads (a worker thread is one of them while it lives). */
function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

/** Resolves once `done()` holds, checked every 20 ms; rejects after `withinMs`. */
async function until(done: () => boolean, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the analysis when its second thread dies hard', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'kl-two-threads-fault-'));
  const file = path.join(scratch, 'synthetic.pcap');
  writeSyntheticCapture(file, PACKETS);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each([
    ['exit', 'the analysis thread stopped: it exited with code 70'],
    ['out-of-memory', 'the analysis thread stopped: it ran out of memory'],
  ] as const)('fails within seconds with one error when the thread dies by %s', { timeout: 60_000 }, async (kind, message) => {
    const threadsBefore = threadCount();
    const started = performance.now();
    const failure = await analyzeCaptureFile(file, { threads: 2, summaryThreadFault: { kind, afterBatches: AFTER_BATCHES } }).then(
      () => null,
      (error: Error) => error,
    );
    const elapsedMs = performance.now() - started;
    expect(failure?.message).toBe(message);
    expect(elapsedMs).toBeLessThan(NOTICED_WITHIN_MS);
    await until(() => threadCount() <= threadsBefore, THREAD_GONE_WITHIN_MS, 'the dead thread left the process');
  });

  it('fails the same way in the capture worker the app runs it in (the second thread nested in it)', { timeout: 60_000 }, async () => {
    const threadsBefore = threadCount();
    const started = performance.now();
    const failure = await analyzeCaptureInWorker(file, {
      threads: 2,
      summaryThreadFault: { kind: 'exit', afterBatches: AFTER_BATCHES },
    }).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).toBe('the analysis thread stopped: it exited with code 70');
    expect(performance.now() - started).toBeLessThan(NOTICED_WITHIN_MS);
    await until(() => threadCount() <= threadsBefore, THREAD_GONE_WITHIN_MS, 'both threads left the process');
  });

  it('gives the whole analysis with the same thread alive (the fault is what stopped it)', { timeout: 60_000 }, async () => {
    const analysis = await analyzeCaptureFile(file, { threads: 2 });
    expect(analysis.tcpSegments).toBe(PACKETS);
  });
});
