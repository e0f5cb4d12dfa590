/**
 * Pushed engine events, applied once per animation frame in bounded batches
 * (a burst of thousands of trace events must not re-render thousands of times).
 */
import { useEffect, useRef, useState } from 'react';
import type { EngineEvent } from '@shared/api';
import type { Connection, TraceEvent } from '@shared/trace';
import { useApi } from './api-context';

/** Most events applied per frame; the rest wait for the next frame. */
const MAX_EVENTS_PER_FRAME = 5000;

export interface JobView {
  epochMs: number | null;
  connections: Connection[];
  events: TraceEvent[];
  stats: Record<string, unknown> | null;
  progress: { done: number; total: number | null; unit: string; note?: string } | null;
}

export const emptyJobView = (): JobView => ({ epochMs: null, connections: [], events: [], stats: null, progress: null });

/** Folds one engine event into a job's view (pure; unit-tested). */
export function applyEngineEvent(view: JobView, event: EngineEvent): JobView {
  switch (event.kind) {
    case 'trace-appended': {
      const known = new Map(view.connections.map((c) => [c.id, c]));
      for (const c of event.connections) known.set(c.id, c);
      return {
        ...view,
        epochMs: view.epochMs ?? event.epochMs,
        connections: [...known.values()],
        events: view.events.concat(event.events),
      };
    }
    case 'stats-updated':
      return { ...view, stats: event.stats };
    case 'job-progressed':
      return { ...view, progress: { done: event.done, total: event.total, unit: event.unit, note: event.note } };
    case 'log-written':
    case 'menu-invoked':
      return view;
    default: {
      const never: never = event;
      return never;
    }
  }
}

const EMPTY_VIEW = emptyJobView();

/** Live view of one job's events; starts empty again when jobId changes. */
export function useJobEvents(jobId: string | null): JobView {
  const { api } = useApi();
  const [state, setState] = useState<{ jobId: string | null; view: JobView }>({ jobId, view: EMPTY_VIEW });
  const queue = useRef<EngineEvent[]>([]);

  useEffect(() => {
    queue.current = [];
    if (!jobId) return;
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = queue.current.splice(0, MAX_EVENTS_PER_FRAME);
      setState((current) => ({ jobId, view: batch.reduce(applyEngineEvent, current.jobId === jobId ? current.view : EMPTY_VIEW) }));
      if (queue.current.length) frame = requestAnimationFrame(flush);
    };
    const unsubscribe = api.onEvent((event) => {
      if (!('jobId' in event) || event.jobId !== jobId) return;
      queue.current.push(event);
      if (!frame) frame = requestAnimationFrame(flush);
    });
    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [api, jobId]);

  return state.jobId === jobId ? state.view : EMPTY_VIEW;
}

let jobCounter = 0;
/** A job id the UI chooses, so it can cancel what it started. */
export function newJobId(prefix: string): string {
  jobCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${jobCounter}`;
}
