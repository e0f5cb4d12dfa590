/**
 * Two runs side by side: any two runs of this page (a scenario, its contrast,
 * custom settings; HTTP/1.1 or HTTP/2), the figures that differ said in words on
 * top (src/shared/compare-runs.ts, each protocol in its own words), then for each
 * run its counters, timeline, totals, requests and explanations.
 * The timelines have their own scales (each run fills its width) or one shared
 * scale (bar lengths compare directly): a switch.
 */
import { useId, useMemo, useState } from 'react';
import { emptyJobView, type JobView } from '@renderer/api/use-engine-events';
import { formatTime } from '../timeline/scale';
import { CompareColumn } from './CompareColumn';
import { CompareExport } from './CompareExport';
import { compareRuns, differenceSentences } from '@shared/compare-runs';
import { defaultPair, sharedScale, type RunRecord } from './compare-model';
import { countersFromStats } from './http-counters';
import { useSessionTimeline } from './LabTimeline';
import './compare.css';
import { sessionFromStream } from './live-session';
import { withHighlightedLanes } from '../timeline/timeline-model';

/** A compare job streaming in: both sides' events and their titles. */
export interface LiveCompare {
  titles: [string, string];
  a: JobView;
  b: JobView;
}

interface Props {
  runs: readonly RunRecord[];
  /** the run numbers shown as A and B; null: the last two */
  pair: [number, number] | null;
  onPair(pair: [number, number]): void;
  /** set while a compare job runs: its two sides stream in */
  live: LiveCompare | null;
  /** lanes of one run to draw on a tinted band (a lesson's evidence) */
  highlight?: { side: 'a' | 'b'; lanes: ReadonlySet<string> };
  /** the pair is given (a lesson's two runs): no run pickers */
  fixedPair?: boolean;
}

type Scale = 'separate' | 'aligned';

export function HttpCompare({ runs, pair, onPair, live, highlight, fixedPair = false }: Props) {
  const [scale, setScale] = useState<Scale>('separate');
  const shownPair = pair ?? defaultPair(runs);
  const recordA = runs.find((run) => run.number === shownPair?.[0]) ?? null;
  const recordB = runs.find((run) => run.number === shownPair?.[1]) ?? null;
  const runA = live ? null : recordA;
  const runB = live ? null : recordB;
  const sessionA = useMemo(() => runA?.result.session ?? sessionFromStream(live?.a ?? EMPTY_VIEW, 'http-lab', 'a'), [runA, live]);
  const sessionB = useMemo(() => runB?.result.session ?? sessionFromStream(live?.b ?? EMPTY_VIEW, 'http-lab', 'b'), [runB, live]);
  const modelA = useSessionTimeline(sessionA);
  const modelB = useSessionTimeline(sessionB);
  const [shownA, shownB] = useMemo(() => {
    const [a, b] = scale === 'aligned' && modelA && modelB ? sharedScale(modelA, modelB) : [modelA, modelB];
    if (!highlight) return [a, b];
    const mark = (model: typeof a, side: 'a' | 'b') =>
      model && highlight.side === side ? withHighlightedLanes(model, highlight.lanes) : model;
    return [mark(a, 'a'), mark(b, 'b')];
  }, [scale, modelA, modelB, highlight]);
  const lines = useMemo(() => (runA && runB ? compareRuns(runA, runB) : []), [runA, runB]);
  const differing = new Set(lines.filter((line) => line.differs).flatMap((line) => line.counters));
  const sentences = differenceSentences(lines);
  const titles: [string, string] = live?.titles ?? [recordA?.title ?? 'A', recordB?.title ?? 'B'];
  const liveCounters = [
    countersFromStats(live?.a.stats ?? null, live?.a.events),
    countersFromStats(live?.b.stats ?? null, live?.b.events),
  ] as const;

  if (!live && runs.length < 2) {
    return (
      <p className="muted compare-empty" data-testid="compare-differences">
        Two runs are needed to compare. Every run of this page is listed here, HTTP/1.1 and HTTP/2 alike: Run twice with different settings,
        run once in the HTTP lab and once in the HTTP/2 lab, or press Compare on an HTTP lab scenario to run it beside its contrast.
      </p>
    );
  }
  return (
    <div className="compare">
      {live || fixedPair ? null : <ComparePickers runs={runs} pair={shownPair} onPair={onPair} scale={scale} onScale={setScale} />}
      <div className="compare-differences" aria-live="polite" data-testid="compare-differences">
        {live ? (
          <p className="muted">Running A, then B (one after the other, so they do not share the CPU)…</p>
        ) : sentences.length > 0 ? (
          <div className="compare-difference-list">
            <b>Differences:</b>
            <ul>
              {sentences.map((sentence) => (
                <li key={sentence}>{sentence}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p>The two runs gave the same figures.</p>
        )}
      </div>
      {runA && runB ? <CompareExport a={runA} b={runB} /> : null}
      {shownA && shownB ? <p className="muted compare-scale-note">{scaleNote(scale, shownA.endUs - shownA.startUs)}</p> : null}
      <div className="compare-columns">
        <CompareColumn
          side="a"
          title={titles[0]}
          run={runA}
          liveCounters={liveCounters[0]}
          differing={differing}
          model={shownA}
          session={sessionA}
        />
        <CompareColumn
          side="b"
          title={titles[1]}
          run={runB}
          liveCounters={liveCounters[1]}
          differing={differing}
          model={shownB}
          session={sessionB}
        />
      </div>
    </div>
  );
}

const EMPTY_VIEW: JobView = emptyJobView();

function scaleNote(scale: Scale, alignedSpanUs: number): string {
  return scale === 'aligned'
    ? `Both timelines on one scale, 0 to ${formatTime(alignedSpanUs)}: bar lengths compare directly.`
    : 'Each timeline has its own scale and fills its width: compare the axis figures, not the bar lengths.';
}

interface PickerProps {
  runs: readonly RunRecord[];
  pair: [number, number] | null;
  onPair(pair: [number, number]): void;
  scale: Scale;
  onScale(scale: Scale): void;
}

/** Which two runs, and which time scale. */
function ComparePickers({ runs, pair, onPair, scale, onScale }: PickerProps) {
  const id = useId();
  const [a, b] = pair ?? [runs.at(-2)?.number ?? 0, runs.at(-1)?.number ?? 0];
  const select = (side: 0 | 1, value: number) => onPair(side === 0 ? [value, b] : [a, value]);
  return (
    <div className="compare-pickers">
      {([0, 1] as const).map((side) => (
        <span key={side} className="compare-picker">
          <label htmlFor={`${id}-${side}`}>
            <span className="compare-badge">{side === 0 ? 'A' : 'B'}</span>
          </label>
          <select
            id={`${id}-${side}`}
            aria-label={`Run ${side === 0 ? 'A' : 'B'}`}
            value={side === 0 ? a : b}
            onChange={(event) => select(side, Number(event.target.value))}
          >
            {runs.map((run) => (
              <option key={run.number} value={run.number}>
                {run.title}
              </option>
            ))}
          </select>
        </span>
      ))}
      <fieldset className="compare-scale">
        <legend className="visually-hidden">Time scale of the two timelines</legend>
        {(['separate', 'aligned'] as const).map((value) => (
          <label key={value} className={`segment${scale === value ? ' segment-selected' : ''}`}>
            <input type="radio" name={`${id}-scale`} value={value} checked={scale === value} onChange={() => onScale(value)} />
            {value === 'separate' ? 'Own scale each' : 'One shared scale'}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
