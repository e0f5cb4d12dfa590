import { describe, expect, it } from 'vitest';
import { runSchedule, type ScheduleOptions } from '@engine/lab/http-schedule';

/**
 * Requests whose durations the test chooses (ms, on real timers, kept short): each
 * records when it started and ended relative to the others, so the order of starts
 * shows whether the schedule waited for a round or refilled a slot at once.
 */
function recorder(durationOf: (index: number) => number) {
  const log: string[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const send = async (index: number, round: number) => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    log.push(`start ${index} (${round})`);
    await new Promise((resolve) => setTimeout(resolve, durationOf(index)));
    log.push(`end ${index}`);
    inFlight -= 1;
  };
  return { log, send, most: () => mostInFlight };
}

const base = (overrides: Partial<ScheduleOptions>): ScheduleOptions => ({
  schedule: 'rounds',
  requests: 4,
  concurrency: 2,
  intervalMs: 0,
  yieldBetween: false,
  signal: new AbortController().signal,
  send: async () => undefined,
  ...overrides,
});

describe('runSchedule', () => {
  // request 1 is slow (300 ms), the others quick (5 ms)
  const slowFirst = (index: number) => (index === 1 ? 300 : 5);

  it('rounds: the next round starts only when the slowest request of the round has ended', async () => {
    const { log, send, most } = recorder(slowFirst);
    await runSchedule(base({ schedule: 'rounds', send }));
    expect(log.indexOf('start 3 (2)')).toBeGreaterThan(log.indexOf('end 1'));
    expect(log.filter((line) => line.startsWith('start'))).toEqual(['start 1 (1)', 'start 2 (1)', 'start 3 (2)', 'start 4 (2)']);
    expect(most()).toBe(2);
  });

  it('steady: a new request starts as soon as one ends, so quick ones pass a slow one', async () => {
    const { log, send, most } = recorder(slowFirst);
    await runSchedule(base({ schedule: 'steady', send }));
    expect(log.indexOf('start 3 (2)')).toBeLessThan(log.indexOf('end 1'));
    expect(log.indexOf('start 4 (3)')).toBeLessThan(log.indexOf('end 1'));
    expect(log.filter((line) => line.startsWith('start')).length).toBe(4);
    expect(most()).toBe(2);
  });

  it('steady: every index once, in order of start, never more than concurrency in flight', async () => {
    const { log, send, most } = recorder((index) => (index % 3) * 2);
    await runSchedule(base({ schedule: 'steady', requests: 25, concurrency: 4, send }));
    const started = log.filter((line) => line.startsWith('start')).map((line) => Number(line.split(' ')[1]));
    expect(started).toEqual(Array.from({ length: 25 }, (_, offset) => offset + 1));
    expect(most()).toBe(4);
  });

  it('both: fewer requests than concurrency start only those', async () => {
    for (const schedule of ['rounds', 'steady'] as const) {
      const { log, send } = recorder(() => 1);
      await runSchedule(base({ schedule, requests: 2, concurrency: 8, send }));
      expect(log.filter((line) => line.startsWith('start'))).toHaveLength(2);
    }
  });

  it('both: an abort stops new starts; the ones in flight end', async () => {
    for (const schedule of ['rounds', 'steady'] as const) {
      const controller = new AbortController();
      const { log, send } = recorder(() => 5);
      // aborted by the 5th request itself, not after a sleep: the same point however loaded the machine is
      let calls = 0;
      const abortAtFifth = (index: number, round: number) => {
        calls += 1;
        if (calls === 5) controller.abort();
        return send(index, round);
      };
      await runSchedule(base({ schedule, requests: 100, concurrency: 2, signal: controller.signal, send: abortAtFifth }));
      const starts = log.filter((line) => line.startsWith('start')).length;
      expect(starts).toBeGreaterThanOrEqual(5);
      expect(starts).toBeLessThanOrEqual(6); // the 5th, and at most the one already in flight beside it
      expect(log.filter((line) => line.startsWith('end')).length).toBe(starts);
    }
  });

  it('steady: intervalMs spaces a slot’s requests', async () => {
    const starts: number[] = [];
    const started = performance.now();
    await runSchedule(
      base({
        schedule: 'steady',
        requests: 3,
        concurrency: 1,
        intervalMs: 30,
        send: async () => void starts.push(performance.now() - started),
      }),
    );
    expect(starts).toHaveLength(3);
    // timers fire late, never early
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(29);
    expect((starts[2] ?? 0) - (starts[1] ?? 0)).toBeGreaterThanOrEqual(29);
  });
});

describe('runSchedule and the run’s signal', () => {
  it('steady with a pause: 64 sleeping slots, one abort listener, all woken at once by an abort', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      let sent = 0;
      const run = runSchedule(
        base({
          schedule: 'steady',
          requests: 1000,
          concurrency: 64,
          intervalMs: 60_000,
          signal: controller.signal,
          send: async () => void (sent += 1),
        }),
      );
      // the first 64 start at once; the 65th waits for the 60 s interval
      await expect.poll(() => sent, { timeout: 10_000, interval: 5 }).toBe(64);
      const started = performance.now();
      controller.abort();
      await run;
      // without the abort the next request would wait for the 60 s interval: well under it means the abort ended it
      expect(performance.now() - started).toBeLessThan(30_000);
      expect(sent).toBe(64);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
