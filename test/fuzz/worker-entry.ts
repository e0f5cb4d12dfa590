/**
 * Runs the fuzz set inside a worker thread. Before each case it writes the case's description into
 * shared memory and bumps a counter, so the supervisor can name the input of a case that hangs or
 * exhausts the heap (the worker cannot report those itself). Layout: shared-slot.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runFuzz } from './harness';
import { HEADER_INTS, type WorkerInput } from './shared-slot';

const { options, shared } = workerData as WorkerInput;
const counters = new Int32Array(shared, 0, HEADER_INTS);
const text = new Uint8Array(shared, HEADER_INTS * 4);
const encoder = new TextEncoder();

const report = runFuzz({
  ...options,
  onCase(description) {
    const written = encoder.encodeInto(description, text).written;
    Atomics.store(counters, 1, written);
    Atomics.add(counters, 0, 1);
  },
});
parentPort?.postMessage(report);
