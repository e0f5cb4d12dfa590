/** File-descriptor leak checks for tests on real sockets (Linux: /proc/self/fd). */
import { readdir } from 'node:fs/promises';

export async function countOpenFds(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

/**
 * Waits (bounded, ms) for the fd count to settle back to `before` or below and
 * returns the last count: closes finish asynchronously, so allow them time.
 */
export async function settledFdCount(before: number, settleMs = 3000): Promise<number> {
  const deadline = Date.now() + settleMs;
  let now = await countOpenFds();
  while (now > before && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    now = await countOpenFds();
  }
  return now;
}
