/** File-descriptor leak checks for tests on real sockets (Linux: /proc/self/fd). */
import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, expect } from 'vitest';

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

/**
 * Per test of the calling file: counts the open fds before it, runs the cleanups it pushed (last
 * first) after it, then fails the test if more fds are open than before (a leaked socket or timer's fd).
 */
export function withLeakCheck(): { push(cleanup: () => Promise<unknown>): void } {
  let before = 0;
  const cleanups: Array<() => Promise<unknown>> = [];
  beforeEach(async () => {
    before = await countOpenFds();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    expect(await settledFdCount(before)).toBeLessThanOrEqual(before);
  });
  return { push: (cleanup) => void cleanups.push(cleanup) };
}
