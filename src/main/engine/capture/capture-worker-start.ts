/**
 * Starts a thread on the capture worker's script, whatever its role (workerData says which). From
 * source (tsx, vitest) that is `worker.ts` loaded with `--import tsx`; from the electron-vite bundle
 * it is `out/main/capture-worker.js`.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * This code runs from TypeScript source (tsx, vitest: the CLI and the web mode) rather than from the
 * app's bundle: a thread then starts in about 300 ms instead of about 70 ms (both measured on the
 * 2-core bench machine, idle, for the stream-summary thread: start and finish with no work).
 */
export const WORKER_FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * From source, a tiny ES-module bootstrap (a data: URL) registers tsx's loader inside the worker, then imports
 * worker.ts (`execArgv: ['--import', 'tsx']` does not reach worker threads on Node 20).
 */
export function startCaptureWorker(workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const here = import.meta.url;
  if (!WORKER_FROM_SOURCE) {
    // the bundler may have put this code in a shared chunk (out/main/chunks/), one level below the entry
    const beside = new URL('./capture-worker.js', here);
    const script = existsSync(fileURLToPath(beside)) ? beside : new URL('../capture-worker.js', here);
    return new Worker(script, { workerData, resourceLimits });
  }
  const tsxApi = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const entry = new URL('./worker.ts', here).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { workerData, resourceLimits });
}
