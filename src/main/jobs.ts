/** Cancellable jobs keyed by the id the caller chose (so the UI can cancel what it started). */
import { randomUUID } from 'node:crypto';
import type { JobRegistry } from './services/context';

export function createJobRegistry(): JobRegistry {
  const running = new Map<string, AbortController>();
  return {
    start(jobId) {
      const id = jobId ?? randomUUID();
      running.get(id)?.abort(new Error(`job ${id} replaced by a new one`));
      const controller = new AbortController();
      running.set(id, controller);
      return {
        jobId: id,
        signal: controller.signal,
        done: () => {
          if (running.get(id) === controller) running.delete(id);
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
  };
}
