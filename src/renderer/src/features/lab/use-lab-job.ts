/**
 * One HTTP lab job (a single run or a compare) as React state: start, stop
 * (`job.cancel`), and what came back — a result, or an error message to show in
 * place. Streaming events are read separately with `useJobEvents(jobId)`.
 */
import { useCallback, useRef, useState } from 'react';
import type { ApiResult } from '@shared/api';
import { useApi } from '@renderer/api/api-context';
import { newJobId } from '@renderer/api/use-engine-events';

export type JobStatus = 'idle' | 'running' | 'finished' | 'stopped' | 'failed';

export interface JobState<R> {
  jobId: string | null;
  status: JobStatus;
  result: R | null;
  error: string | null;
}

const IDLE = { jobId: null, status: 'idle', result: null, error: null } as const;
const NO_EXTRA_IDS = (): string[] => [];

/**
 * `start(call)` runs `call(jobId)` and keeps its outcome; `stop()` cancels every
 * job id the run streams under (`extraIds` adds e.g. a compare's "-a" and "-b").
 */
export function useLabJob<R>(prefix: string, extraIds: (jobId: string) => string[] = NO_EXTRA_IDS) {
  const { api } = useApi();
  const [state, setState] = useState<JobState<R>>(IDLE);
  const stopping = useRef(false);
  const current = useRef<string | null>(null);

  /** Runs the job; resolves to its result (null when it failed or a newer job replaced it). */
  const start = useCallback(
    async (call: (jobId: string) => Promise<ApiResult<R>>): Promise<R | null> => {
      const jobId = newJobId(prefix);
      current.current = jobId;
      stopping.current = false;
      setState({ jobId, status: 'running', result: null, error: null });
      const outcome = await call(jobId);
      if (current.current !== jobId) return null;
      if (outcome.ok) setState({ jobId, status: stopping.current ? 'stopped' : 'finished', result: outcome.value, error: null });
      else setState({ jobId, status: 'failed', result: null, error: outcome.error.message });
      return outcome.ok ? outcome.value : null;
    },
    [prefix],
  );

  const stop = useCallback(async () => {
    const jobId = current.current;
    if (!jobId) return;
    stopping.current = true;
    await Promise.all([jobId, ...extraIds(jobId)].map((id) => api.call('job.cancel', { jobId: id })));
  }, [api, extraIds]);

  return { state, start, stop };
}
