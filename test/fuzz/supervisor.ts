/**
 * Runs the fuzz set in a worker thread with a heap limit and a heartbeat: a case that runs longer
 * than HANG_MS is a hang, a worker that dies of its heap limit is a memory blow-up; either way the
 * worker is terminated and the case that was running is reported as a failure (its description
 * is in shared memory, see worker-entry.ts).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CASE_BUDGET_MS, type FuzzOptions, type FuzzReport, type FuzzTarget } from './harness';
import { HEADER_INTS, type WorkerInput } from './shared-slot';

/** A case still running after this is a hang, ms (issue 9: > 5 s for a small input). */
export const HANG_MS = CASE_BUDGET_MS;
/** Old-generation heap the fuzz worker may use, MiB: inputs are ≤ 64 KiB, so more is a blow-up. */
export const WORKER_HEAP_MB = 768;
/** Room for a case description (a FuzzCase, or base64 of ≤ 64 KiB), bytes. */
const DESCRIPTION_BYTES = 1024 * 1024;
const POLL_MS = 250;

const TARGETS: readonly FuzzTarget[] = ['sweep', 'mutation', 'random', 'http1', 'fragments'];

/** The target named by a case description's first word (harness.ts writes `<target> <input>`). */
function targetOf(description: string): FuzzTarget {
  const first = description.split(' ', 1)[0];
  return TARGETS.find((target) => target === first) ?? 'mutation';
}

function startWorker(input: WorkerInput, heapMb: number): Worker {
  const here = import.meta.url;
  const tsxApi = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const entry = new URL('./worker-entry.ts', here).href;
  // tsx's loader must be registered inside the worker (execArgv does not reach worker threads on Node 20)
  const bootstrap = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
    workerData: input,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
}

/** Runs the fuzz set off-thread; resolves with its report (hangs and blow-ups become failures). `heapMb`: the worker's heap limit, MiB. */
export function runFuzzSupervised(options: Omit<FuzzOptions, 'onCase'>, heapMb = WORKER_HEAP_MB): Promise<FuzzReport> {
  const shared = new SharedArrayBuffer(HEADER_INTS * 4 + DESCRIPTION_BYTES);
  const counters = new Int32Array(shared, 0, HEADER_INTS);
  const text = new Uint8Array(shared, HEADER_INTS * 4);
  const started = Date.now();
  const currentCase = (): string => new TextDecoder().decode(text.slice(0, Atomics.load(counters, 1)));
  const worker = startWorker({ options, shared }, heapMb);

  return new Promise((resolve, reject) => {
    let lastCount = -1;
    let lastChange = Date.now();
    let settled = false;
    const failedReport = (message: string): FuzzReport => ({
      cases: Atomics.load(counters, 0),
      byTarget: { sweep: 0, mutation: 0, random: 0, http1: 0, fragments: 0 },
      failures: [{ target: targetOf(currentCase()), message, input: currentCase(), seed: options.seed }],
      slowestCaseMs: Date.now() - lastChange,
      peakRssBytes: process.memoryUsage.rss(),
      elapsedMs: Date.now() - started,
    });
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      action();
      void worker.terminate();
    };
    const watch = setInterval(() => {
      const count = Atomics.load(counters, 0);
      if (count !== lastCount) {
        lastCount = count;
        lastChange = Date.now();
        return;
      }
      if (count > 0 && Date.now() - lastChange > HANG_MS) {
        finish(() => resolve(failedReport(`hang: case ${count} still running after ${HANG_MS} ms`)));
      }
    }, POLL_MS);
    worker.once('message', (report: FuzzReport) => finish(() => resolve(report)));
    worker.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
        finish(() => resolve(failedReport(`memory blow-up: the worker exceeded its ${heapMb} MiB heap`)));
      else finish(() => reject(error));
    });
    worker.once('exit', (code) => finish(() => reject(new Error(`fuzz worker exited with code ${code} before reporting`))));
  });
}
