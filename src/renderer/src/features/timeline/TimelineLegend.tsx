/** The colour key of the timeline, in DOM (readable, selectable, zoom-proof). */
import { memo, type ReactElement } from 'react';
import { FALLBACK_PALETTE, LEGEND } from './draw-style';

/** Static content: memoised so hover re-renders of the timeline skip it. */
export const TimelineLegend = memo(function TimelineLegend(): ReactElement {
  return (
    <ul className="kl-timeline__legend" aria-label="Timeline legend">
      {LEGEND.map((entry) => (
        <li key={entry.label}>
          <span
            aria-hidden="true"
            className={`kl-timeline__swatch kl-timeline__swatch--${entry.shape}`}
            style={{ background: `var(--${entry.color}, ${FALLBACK_PALETTE[entry.color]})` }}
          />
          {entry.label}
        </li>
      ))}
    </ul>
  );
});
