/**
 * When each request of an HTTP lab run starts.
 *
 * - rounds: `concurrency` requests start together; the next round starts when the
 *   slowest of them has ended (then `intervalMs` later). Reuse is easy to read:
 *   every round finds the previous round's connections idle.
 * - steady: `concurrency` requests are always in flight; a new one starts as soon as
 *   one ends (then `intervalMs` later on that slot), as a real client under load does.
 *
 * Both call `send(index, round)` once per request index 1…requests, in order of start,
 * and stop starting new ones once the signal is aborted.
 */
import type { HttpSchedule } from '@shared/api-http';

export interface ScheduleOptions {
  schedule: HttpSchedule;
  requests: number;
  concurrency: number;
  /** ms between rounds (rounds) or between a slot's requests (steady) */
  intervalMs: number;
  /** let one event-loop turn pass before a slot's next request (undici's pool then has the connection back) */
  yieldBetween: boolean;
  signal: AbortSignal;
  /** `round`: the round (rounds), or how many requests its slot has started so far (steady), 1-based */
  send: (index: number, round: number) => Promise<void>;
}

/** One event-loop turn: what undici's pool needs to mark a connection free after its response ended. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Sleeps that all end when the signal aborts, through one listener for the whole
 * schedule: a listener per sleeping slot warns past 10 (MaxListenersExceededWarning).
 */
class Sleeper {
  private readonly pending = new Set<() => void>();
  private readonly wakeAll = () => {
    for (const wake of this.pending) wake();
  };

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', this.wakeAll, { once: true });
  }

  sleep(ms: number): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.pending.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.pending.add(wake);
    });
  }

  dispose(): void {
    this.signal.removeEventListener('abort', this.wakeAll);
  }
}

async function pause(options: ScheduleOptions, sleeper: Sleeper): Promise<void> {
  if (options.intervalMs > 0) await sleeper.sleep(options.intervalMs);
  else if (options.yieldBetween) await nextTurn();
}

export async function runSchedule(options: ScheduleOptions): Promise<void> {
  const sleeper = new Sleeper(options.signal);
  try {
    await (options.schedule === 'steady' ? runSteady(options, sleeper) : runRounds(options, sleeper));
  } finally {
    sleeper.dispose();
  }
}

async function runRounds(options: ScheduleOptions, sleeper: Sleeper): Promise<void> {
  const { requests, concurrency, signal, send } = options;
  const rounds = Math.ceil(requests / concurrency);
  for (let round = 0; round < rounds && !signal.aborted; round += 1) {
    if (round > 0) await pause(options, sleeper);
    if (signal.aborted) break;
    const first = round * concurrency;
    const size = Math.min(concurrency, requests - first);
    const sends: Promise<void>[] = [];
    for (let offset = 0; offset < size; offset += 1) sends.push(send(first + offset + 1, round + 1));
    await Promise.all(sends);
  }
}

async function runSteady(options: ScheduleOptions, sleeper: Sleeper): Promise<void> {
  const { requests, concurrency, signal, send } = options;
  let next = 1;
  const slot = async () => {
    for (let started = 1; next <= requests && !signal.aborted; started += 1) {
      if (started > 1) await pause(options, sleeper);
      if (signal.aborted || next > requests) break;
      const index = next;
      next += 1;
      await send(index, started);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, slot));
}
