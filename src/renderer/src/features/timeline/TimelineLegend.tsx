/**
 * The colour key of the timeline, in DOM (readable, selectable, zoom-proof). Entries the timeline
 * does not draw are dimmed in place, not removed: the legend keeps its height when a run arrives.
 * A screen reader gets what is drawn from the timeline's own summary (its aria-describedby).
 */
import { memo, type ReactElement } from 'react';
import { Term } from '../glossary/Term';
import { FALLBACK_PALETTE, LEGEND, LEGEND_HTTP2, type LegendKey } from './draw-style';

interface Props {
  /** the words of an HTTP/2 run */
  http2?: boolean;
  /** the entries the timeline draws (legend-drawn.ts); null = no data yet, nothing dimmed */
  drawn?: ReadonlySet<LegendKey> | null;
}

/** Memoised so hover re-renders of the timeline skip it (`drawn` changes only with the model). */
export const TimelineLegend = memo(function TimelineLegend({ http2 = false, drawn = null }: Props): ReactElement {
  return (
    <ul className="timeline-legend" aria-label="Timeline legend" data-protocol={http2 ? 'h2' : 'http1'}>
      {(http2 ? LEGEND_HTTP2 : LEGEND).map((entry) => {
        const absent = drawn !== null && !drawn.has(entry.key);
        return (
          <li key={entry.key} className={absent ? 'legend-absent' : undefined} data-key={entry.key}>
            <span
              aria-hidden="true"
              className={`timeline-swatch timeline-swatch-${entry.shape}`}
              style={{ background: `var(--${entry.color}, ${FALLBACK_PALETTE[entry.color]})` }}
            />
            {entry.term ? <Term id={entry.term}>{entry.label}</Term> : <span className="legend-text">{entry.label}</span>}
          </li>
        );
      })}
    </ul>
  );
});
