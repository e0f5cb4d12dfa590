/**
 * The results of one HTTP run, live while it streams and whole once it returned:
 * where it stands, its counters, its connections on the timeline, the
 * per-request table and, at the end, what happened in plain words.
 */
import { useMemo } from 'react';
import type { HttpRunResult } from '../../../../shared/api-http';
import type { JobView } from '../../api/use-engine-events';
import { CaptureSummary } from './CaptureSummary';
import { CounterStrip } from './CounterStrip';
import { countersFromResult, countersFromStats } from './http-counters';
import { runFailure } from './http-explain';
import { LabTimeline, useSessionTimeline } from './LabTimeline';
import { sessionFromStream } from './live-session';
import { requestRows } from './request-rows';
import { RequestTable } from './RequestTable';
import { RunExplanation } from './RunExplanation';
import { RunStatus } from './RunStatus';
import type { JobState } from './use-lab-job';

interface Props {
  state: JobState<HttpRunResult>;
  /** the job's streamed events and figures while it runs */
  live: JobView;
}

export function HttpRunView({ state, live }: Props) {
  const result = state.result;
  const session = useMemo(() => result?.session ?? sessionFromStream(live, 'http-lab', 'run'), [result, live]);
  const model = useSessionTimeline(session);
  const rows = useMemo(() => requestRows(session.events), [session]);
  const counters = result ? countersFromResult(result) : countersFromStats(live.stats, live.events);
  const failure = result ? runFailure(result) : null;
  const progress = state.status === 'running' ? counters : null;

  return (
    <div className="lab-results" aria-label="Results of the run">
      <RunStatus state={state} progress={progress} durationMs={result ? Math.round(result.durationMs) : null} />
      {state.error ? (
        <p className="error-box" role="alert" data-testid="run-error">
          The run could not start: {state.error}
        </p>
      ) : null}
      {failure ? (
        <p className="error-box" role="alert" data-testid="run-error">
          {failure}
        </p>
      ) : null}
      <CounterStrip counters={counters} label="Counters of the run" />
      <LabTimeline model={model} label="Connections of the run" />
      <div>
        <h4>Requests</h4>
        <RequestTable rows={rows} caption="Requests of the run" />
      </div>
      <div>
        <h4>What happened</h4>
        {result && !failure ? (
          <RunExplanation result={result} />
        ) : (
          <p className="muted">After the run, a plain-words account of what the connections did appears here.</p>
        )}
        {result?.capture ? <CaptureSummary report={result.capture} /> : null}
      </div>
    </div>
  );
}
