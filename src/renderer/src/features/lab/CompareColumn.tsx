/**
 * One side of a comparison: the run's counters, its connections on the
 * timeline, its totals, its requests and what happened — the same parts as the
 * run view, narrowed to half the width. An HTTP/1.1 run shows the HTTP lab's
 * parts, an HTTP/2 run the HTTP/2 lab's (streams, stream slots, PINGs, GOAWAY).
 */
import { useMemo } from 'react';
import type { HttpRunResult } from '@shared/api-http';
import { runTotals, type ComparedRun } from '@shared/compare-runs';
import type { Session } from '@shared/trace';
import type { TimelineModel } from '../timeline/timeline-model';
import { hiddenRowsNote, tableSlice } from './big-run';
import { CounterStrip } from './CounterStrip';
import { countersFromResult, type HttpCounters } from './http-counters';
import { runFailure } from './http-explain';
import { http2Counters } from './http2-rows';
import { Http2CounterList, Http2Explanations, Http2RequestTable } from './Http2RunParts';
import { LabTimeline } from './LabTimeline';
import { requestRows } from './request-rows';
import { RequestTable } from './RequestTable';
import { RunExplanation } from './RunExplanation';

/** CSS px of each compared timeline before data (two sit side by side) */
const COMPARE_TIMELINE_HEIGHT_PX = 160;

interface Props {
  /** "a" or "b": names the test ids and labels */
  side: 'a' | 'b';
  title: string;
  /** the finished run; null while an HTTP/1.1 compare job streams in */
  run: ComparedRun | null;
  /** the streamed counters while `run` is null */
  liveCounters: HttpCounters;
  /** counter fields to outline because they differ from the other run */
  differing: ReadonlySet<string>;
  model: TimelineModel | null;
  session: Session;
}

export function CompareColumn({ side, title, run, liveCounters, differing, model, session }: Props) {
  const letter = side.toUpperCase();
  return (
    <section className="compare-column" aria-label={`Run ${letter}: ${title}`} data-testid={`compare-column-${side}`}>
      <h4>
        <span className="compare-badge">{letter}</span> {title}
      </h4>
      {run?.protocol === 'http2' ? (
        <Http2CounterList
          counters={http2Counters(run.result, null)}
          testIdPrefix={`compare-${side}-`}
          highlight={differing}
          label={`Counters of run ${letter}`}
        />
      ) : (
        <CounterStrip
          counters={run ? countersFromResult(run.result) : liveCounters}
          testIdPrefix={`compare-${side}-`}
          highlight={differing}
          label={`Counters of run ${letter}`}
          surprise={run?.result.surprise ?? null}
        />
      )}
      <LabTimeline
        model={model}
        label={`Connections of run ${letter}${run?.protocol === 'http2' ? '; each bar is a stream' : ''}`}
        height={COMPARE_TIMELINE_HEIGHT_PX}
        protocol={run?.protocol ?? 'http1'}
      />
      {/* always six parts, so the two columns line up part by part (a CSS subgrid) */}
      {run ? (
        <dl className="compare-totals" aria-label={`Totals of run ${letter}`}>
          {runTotals(run).map((line) => (
            <div key={line.label} className="stats-row">
              <dt>{line.label}</dt>
              <dd data-testid={`compare-${side}-total`}>{line.value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <div />
      )}
      {run?.protocol === 'http2' ? (
        <div className="compare-requests">
          <Http2RequestTable result={run.result} caption={`Requests of run ${letter}`} />
        </div>
      ) : (
        <Http1Requests side={side} session={session} />
      )}
      {run?.protocol === 'http2' ? (
        <Http2Explanations result={run.result} testId={`compare-${side}-explanations`} />
      ) : run ? (
        <Http1Explanation result={run.result} />
      ) : (
        <div />
      )}
    </section>
  );
}

/** The requests of an HTTP/1.1 run (streaming in, or finished): new or reused, why, how long. */
function Http1Requests({ side, session }: { side: 'a' | 'b'; session: Session }) {
  const letter = side.toUpperCase();
  const rows = useMemo(() => requestRows(session.events), [session]);
  // a big run lists its first rows only (big-run.ts)
  const table = useMemo(() => tableSlice(rows, null), [rows]);
  const hiddenNote = hiddenRowsNote(table, rows.length, false);
  return (
    <div className="compare-requests">
      {hiddenNote ? (
        <p className="muted" data-testid={`compare-${side}-rows-hidden`}>
          {hiddenNote}
        </p>
      ) : null}
      <RequestTable rows={table.rows} caption={`Requests of run ${letter}`} compact />
    </div>
  );
}

function Http1Explanation({ result }: { result: HttpRunResult }) {
  const failure = runFailure(result);
  return failure ? (
    <p className="error-box" role="alert">
      {failure}
    </p>
  ) : (
    <RunExplanation result={result} />
  );
}
