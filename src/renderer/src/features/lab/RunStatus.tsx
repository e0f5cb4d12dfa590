/** One line saying where a lab job stands; a live region so a screen reader hears "Finished". */
import type { HttpCounters } from './http-counters';
import type { JobState } from './use-lab-job';

interface Props {
  state: JobState<unknown>;
  /** live counters while running (done of total) */
  progress: Pick<HttpCounters, 'done' | 'total'> | null;
  durationMs: number | null;
}

export function RunStatus({ state, progress, durationMs }: Props) {
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
      text = 'Stopped: the figures cover the requests that ran.';
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
