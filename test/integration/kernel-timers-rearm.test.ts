/**
 * The kernel-timers table polls fast enough to show a 1 s keepalive timer re-arming: a real
 * keepalive hold on loopback (idle 1 s, interval 1 s), read through `ss` at the UI's poll interval,
 * sees the timer jump back up about once a second. At the old 1 s poll the reads landed at the
 * same point of each cycle and could miss every jump.
 */
import { describe, expect, it } from 'vitest';
import { readOwnKernelTimers } from '@engine/lab/kernel-timers';
import { runKeepaliveExperiment } from '@engine/lab/tcp-experiments';
import { countRearms, type KernelTimerInput } from '@renderer/features/lab/kernel-timer-rows';
import { KERNEL_TIMER_POLL_MS } from '@renderer/features/lab/use-kernel-timers';

describe('kernel timers at the UI poll interval', () => {
  it('see a 1 s keepalive timer re-arm', async () => {
    const holdS = 4;
    const running = runKeepaliveExperiment({ idleS: 1, intervalS: 1, count: 3, holdS, close: 'fin' });
    let done = false;
    void running.finally(() => (done = true));
    let previous: KernelTimerInput[] = [];
    let rearms = new Map<string, number>();
    let keepaliveReads = 0;
    // bounded: the hold ends after holdS; never more than (holdS + 2) s of reads
    const deadline = Date.now() + (holdS + 2) * 1000;
    while (!done && Date.now() < deadline) {
      const read = await readOwnKernelTimers();
      if (!read.available) throw new Error(read.reason);
      const rows = read.rows.map((row) => ({ ...row, timer: row.timer as string }));
      if (rows.some((row) => row.timer === 'keepalive')) keepaliveReads += 1;
      rearms = countRearms(previous, rows, rearms);
      previous = rows;
      await new Promise((resolve) => setTimeout(resolve, KERNEL_TIMER_POLL_MS));
    }
    await running;
    expect(KERNEL_TIMER_POLL_MS).toBeLessThanOrEqual(250);
    expect(keepaliveReads).toBeGreaterThan(4);
    // probes at about 1, 2 and 3 s after the last data (and the server side's timer, if armed): at least two jumps seen
    expect(Math.max(0, ...rearms.values())).toBeGreaterThanOrEqual(2);
  }, 20_000);
});
