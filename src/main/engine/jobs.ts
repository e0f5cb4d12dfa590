/**
 * Cancellable jobs keyed by the id the caller chose (so the UI can cancel what it started), and
 * the budgets that bound what all callers of one engine may hold at once.
 */
import { randomUUID } from 'node:crypto';
import { ServiceError, type JobRegistry } from './services/context';

/**
 * A count of things held at once (running jobs, listening sockets) shared by every scope of one
 * engine: one web page, or many, cannot start more than `max`.
 */
export class Budget {
  private held = 0;

  constructor(
    /** what is counted, plural ("jobs") */
    readonly what: string,
    readonly max: number,
    /** what to do when it is full, one sentence */
    readonly hint: string,
  ) {}

  /** Takes one; throws `limit-reached` with a sentence a person can act on when all are held. */
  take(): void {
    if (this.held >= this.max) throw new ServiceError('limit-reached', `too many ${this.what} at once (at most ${this.max}): ${this.hint}`);
    this.held += 1;
  }

  give(): void {
    this.held = Math.max(0, this.held - 1);
  }

  get inUse(): number {
    return this.held;
  }
}

/**
 * A job holds one unit of the budget from `start` until its `done` (not until it is cancelled: a
 * cancelled run still winds down — tcpdump flushing, sockets closing — and counts until it has).
 */
export function createJobRegistry(budget: Budget = new Budget('jobs', Number.POSITIVE_INFINITY, '')): JobRegistry {
  const running = new Map<string, AbortController>();
  const holding = new Set<AbortController>();
  const waiters: Array<() => void> = [];
  const wakeIfIdle = (): void => {
    if (holding.size > 0) return;
    for (const wake of waiters.splice(0)) wake();
  };
  return {
    start(jobId) {
      const id = jobId ?? randomUUID();
      budget.take();
      running.get(id)?.abort(new Error(`job ${id} replaced by a new one`));
      const controller = new AbortController();
      running.set(id, controller);
      holding.add(controller);
      return {
        jobId: id,
        signal: controller.signal,
        done: () => {
          if (running.get(id) === controller) running.delete(id);
          if (holding.delete(controller)) budget.give();
          wakeIfIdle();
        },
      };
    },
    cancel(jobId) {
      const controller = running.get(jobId);
      if (!controller) return false;
      controller.abort(new Error('cancelled'));
      running.delete(jobId);
      return true;
    },
    cancelAll() {
      for (const controller of running.values()) controller.abort(new Error('shutting down'));
      running.clear();
    },
    settled() {
      if (holding.size === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
