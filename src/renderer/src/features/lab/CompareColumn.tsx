/**
 * One side of a comparison: the run's counters, its connections on the
 * timeline, its totals, its requests and what happened — the same parts as the
 * run view, narrowed to half the width.
 */
import { useMemo } from 'react';
import type { HttpRunResult } from '@shared/api-http';
import type { Session } from '@shared/trace';
import type { TimelineModel } from '../timeline/timeline-model';
import { hiddenRowsNote, tableSlice } from './big-run';
import { runTotals } from './compare-model';
import { CounterStrip } from './CounterStrip';
import type { HttpCounters } from './http-counters';
import { runFailure } from './http-explain';
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
  counters: HttpCounters;
  /** counter fields to outline because they differ from the other run */
  differing: ReadonlySet<string>;
  model: TimelineModel | null;
  session: Session;
  /** null while the run streams in */
  result: HttpRunResult | null;
  /** more connections than the settings need: shown as the column's headline */
  surprise?: HttpRunResult['surprise'] | null;
}

export function CompareColumn({ side, title, counters, differing, model, session, result, surprise = null }: Props) {
  const letter = side.toUpperCase();
  const rows = useMemo(() => requestRows(session.events), [session]);
  // a big run lists its first rows only (big-run.ts)
  const table = useMemo(() => tableSlice(rows, null), [rows]);
  const hiddenNote = hiddenRowsNote(table, rows.length, false);
  const failure = result ? runFailure(result) : null;
  return (
    <section className="compare-column" aria-label={`Run ${letter}: ${title}`} data-testid={`compare-column-${side}`}>
      <h4>
        <span className="compare-badge">{letter}</span> {title}
      </h4>
      <CounterStrip
        counters={counters}
        testIdPrefix={`compare-${side}-`}
        highlight={differing}
        label={`Counters of run ${letter}`}
        surprise={surprise}
      />
      <LabTimeline model={model} label={`Connections of run ${letter}`} height={COMPARE_TIMELINE_HEIGHT_PX} />
      {/* always six parts, so the two columns line up part by part (a CSS subgrid) */}
      {result ? (
        <dl className="compare-totals" aria-label={`Totals of run ${letter}`}>
          {runTotals(result).map((line) => (
            <div key={line.label} className="stats-row">
              <dt>{line.label}</dt>
              <dd data-testid={`compare-${side}-total`}>{line.value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <div />
      )}
      <div className="compare-requests">
        {hiddenNote ? (
          <p className="muted" data-testid={`compare-${side}-rows-hidden`}>
            {hiddenNote}
          </p>
        ) : null}
        <RequestTable rows={table.rows} caption={`Requests of run ${letter}`} compact />
      </div>
      {failure ? (
        <p className="error-box" role="alert">
          {failure}
        </p>
      ) : result ? (
        <RunExplanation result={result} />
      ) : (
        <div />
      )}
    </section>
  );
}
