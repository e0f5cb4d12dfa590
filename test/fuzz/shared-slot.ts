/**
 * The shared memory between the fuzz worker and its supervisor (Int32 header, then text):
 *
 *   [0] cases started   [1] description length in bytes   [2..] description, UTF-8
 */
import type { FuzzOptions } from './harness';

export const HEADER_INTS = 2;

export interface WorkerInput {
  options: Omit<FuzzOptions, 'onCase'>;
  shared: SharedArrayBuffer;
}
