/**
 * The results of one HTTP run, live while it streams and whole once it returned:
 * where it stands, its counters (with a headline when more connections opened
 * than the settings need), its connections on the timeline, the per-request
 * table with why each new connection was opened (a request picked in the table
 * or on the timeline is outlined and explained) and, at the end, what happened
 * in plain words and when a vanished peer would be noticed.
 */
import { useMemo, useState } from 'react';
import type { HttpRunResult } from '@shared/api-http';
import type { JobView } from '@renderer/api/use-engine-events';
import { hiddenRowsNote, liveRebuildMs, tableSlice } from './big-run';
import { RunCapturePanel } from './RunCapturePanel';
import { ExportHarButton } from '../har/ExportHarButton';
import { CounterStrip } from './CounterStrip';
import { DeadPeerNote } from './DeadPeerNote';
import { countersFromResult, countersFromStats } from './http-counters';
import { runFailure } from './http-explain';
import { LabTimeline, useSessionTimeline } from './LabTimeline';
import { sessionFromStream } from './live-session';
import { describeRow, requestRows, rowOfItem } from './request-rows';
import { RequestTable } from './RequestTable';
import { RunExplanation } from './RunExplanation';
import { RunStatus } from './RunStatus';
import type { JobState } from './use-lab-job';
import { useThrottled } from './use-throttled';

interface Props {
  state: JobState<HttpRunResult>;
  /** the job's streamed events and figures while it runs */
  live: JobView;
}

export function HttpRunView({ state, live }: Props) {
  /** a request (or its connection's handshake) picked in the table or on the timeline */
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const result = state.result;
  // a big run's trace is re-laned every BIG_TRACE_REBUILD_MS, not every frame (big-run.ts)
  const liveTrace = useThrottled(live, liveRebuildMs(live.events.length));
  const session = useMemo(() => result?.session ?? sessionFromStream(liveTrace, 'http-lab', 'run'), [result, liveTrace]);
  const model = useSessionTimeline(session);
  const rows = useMemo(() => requestRows(session.events), [session]);
  const counters = result ? countersFromResult(result) : countersFromStats(live.stats, live.events);
  const failure = result ? runFailure(result) : null;
  const progress = state.status === 'running' ? counters : null;
  const selectedRow = selectedId ? rowOfItem(rows, selectedId) : null;
  const table = useMemo(() => tableSlice(rows, selectedRow?.request ?? null), [rows, selectedRow]);
  const hiddenNote = hiddenRowsNote(table, rows.length);

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
      <CounterStrip counters={counters} label="Counters of the run" surprise={result?.surprise ?? null} />
      <LabTimeline model={model} label="Connections of the run" selectedId={selectedId} onSelect={(item) => setSelectedId(item.id)} />
      <p className="selection-note" data-testid="selection-note" aria-live="polite">
        {selectedRow ? (
          describeRow(selectedRow)
        ) : (
          <span className="muted">
            Pick a request (its number, or its bar on the timeline) to see why its connection was new or reused.
          </span>
        )}
      </p>
      <div>
        <h4>Requests</h4>
        {hiddenNote ? (
          <p className="muted" data-testid="rows-hidden">
            {hiddenNote}
          </p>
        ) : null}
        <RequestTable
          rows={table.rows}
          caption="Requests of the run"
          selected={selectedRow?.request ?? null}
          onSelect={(row) => setSelectedId(row.request)}
        />
      </div>
      <div>
        <h4>What happened</h4>
        {result && !failure ? (
          <RunExplanation result={result} />
        ) : (
          <p className="muted">After the run, a plain-words account of what the connections did appears here.</p>
        )}
        {result?.deadPeerDetection ? (
          <DeadPeerNote
            detection={result.deadPeerDetection}
            subject="On this run’s client sockets (keepalive settings read back from the kernel)"
          />
        ) : null}
        {result?.capture ? <RunCapturePanel capture={result.capture} /> : null}
        {result ? <ExportHarButton session={result.session} /> : null}
      </div>
    </div>
  );
}
