/**
 * Two HTTP runs side by side: the same counters and timelines in two columns on
 * one time scale, the figures that differ outlined and said in words on top.
 */
import { useMemo } from 'react';
import type { HttpRunResult } from '../../../../shared/api-http';
import type { JobView } from '../../api/use-engine-events';
import { compareRuns, differenceSentences, sharedScale } from './compare-model';
import { CounterStrip } from './CounterStrip';
import { countersFromResult, countersFromStats } from './http-counters';
import { LabTimeline, useSessionTimeline } from './LabTimeline';
import { sessionFromStream } from './live-session';

interface Props {
  titles: [string, string];
  liveA: JobView;
  liveB: JobView;
  result: { a: HttpRunResult; b: HttpRunResult } | null;
}

export function HttpCompare({ titles, liveA, liveB, result }: Props) {
  const sessionA = useMemo(() => result?.a.session ?? sessionFromStream(liveA, 'http-lab', 'a'), [result, liveA]);
  const sessionB = useMemo(() => result?.b.session ?? sessionFromStream(liveB, 'http-lab', 'b'), [result, liveB]);
  const modelA = useSessionTimeline(sessionA);
  const modelB = useSessionTimeline(sessionB);
  const [scaledA, scaledB] = useMemo(() => (modelA && modelB ? sharedScale(modelA, modelB) : [modelA, modelB]), [modelA, modelB]);
  const lines = result ? compareRuns(result.a, result.b) : [];
  const differing = new Set(lines.filter((line) => line.differs).map((line) => line.field as string));
  const sentences = differenceSentences(lines);
  const counters = result
    ? [countersFromResult(result.a), countersFromResult(result.b)]
    : [countersFromStats(liveA.stats), countersFromStats(liveB.stats)];

  return (
    <div className="compare">
      <div className="compare-differences" aria-live="polite" data-testid="compare-differences">
        {result ? (
          sentences.length > 0 ? (
            <p>
              <b>Differences:</b> {sentences.join(' · ')}
            </p>
          ) : (
            <p>The two runs gave the same figures.</p>
          )
        ) : (
          <p className="muted">Running A, then B (one after the other, so they do not share the CPU)…</p>
        )}
      </div>
      <div className="compare-columns">
        {(['a', 'b'] as const).map((side, position) => (
          <section key={side} className="compare-column" aria-label={`Run ${side.toUpperCase()}: ${titles[position]}`}>
            <h4>
              <span className="compare-badge">{side.toUpperCase()}</span> {titles[position]}
            </h4>
            <CounterStrip
              counters={counters[position] ?? countersFromStats(null)}
              testIdPrefix={`compare-${side}-`}
              highlight={differing}
              label={`Counters of run ${side.toUpperCase()}`}
              surprise={result?.[side].surprise ?? null}
            />
            <LabTimeline model={position === 0 ? scaledA : scaledB} label={`Connections of run ${side.toUpperCase()}`} height={160} />
          </section>
        ))}
      </div>
    </div>
  );
}
