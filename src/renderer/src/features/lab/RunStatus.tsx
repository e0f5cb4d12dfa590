/** One line saying where a lab job stands; a live region so a screen reader hears "Finished". */
import type { HttpCounters } from './http-counters';
import type { JobState } from './use-lab-job';

interface Props {
  state: JobState<unknown>;
  /** live counters while running (done of total) */
  progress: Pick<HttpCounters, 'done' | 'total'> | null;
  durationMs: number | null;
  /** what "stopped" means for this kind of run (default: an HTTP run's requests) */
  stoppedText?: string;
}

export function RunStatus({ state, progress, durationMs, stoppedText }: Props) {
  let text: string;
  switch (state.status) {
    case 'idle':
      text = 'Ready.';
      break;
    case 'running':
      text = progress && progress.total !== null ? `Running… ${progress.done} of ${progress.total} requests` : 'Running…';
      break;
    case 'finished':
      text = durationMs === null ? 'Finished.' : `Finished in ${durationMs} ms.`;
      break;
    case 'stopped':
      text = stoppedText ?? 'Stopped: the figures cover the requests that ran.';
      break;
    case 'failed':
      text = 'Failed.';
      break;
    default: {
      const never: never = state.status;
      text = never;
    }
  }
  return (
    <p className={`run-status run-status-${state.status}`} role="status" data-testid="run-status" data-status={state.status}>
      {text}
    </p>
  );
}
