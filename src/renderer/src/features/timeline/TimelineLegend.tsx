/** The colour key of the timeline, in DOM (readable, selectable, zoom-proof). */
import { memo, type ReactElement } from 'react';
import type { TermId } from '@shared/glossary';
import { Term } from '../glossary/Term';
import { FALLBACK_PALETTE, LEGEND } from './draw-style';

/** The legend entries that are glossary words: their help shows on hover and focus. */
const LEGEND_TERMS: Readonly<Record<string, TermId>> = {
  handshake: 'handshake',
  'TLS handshake': 'tlsHandshake',
  'idle gap': 'idleGap',
  'pool wait': 'poolWait',
  'keep-alive probe': 'keepAliveProbe',
  'keep-alive ACK': 'keepAliveAck',
  'zero-window probe': 'zeroWindowProbe',
  retransmission: 'retransmission',
  FIN: 'fin',
  RST: 'rst',
};

/** Static content: memoised so hover re-renders of the timeline skip it. */
export const TimelineLegend = memo(function TimelineLegend(): ReactElement {
  return (
    <ul className="timeline-legend" aria-label="Timeline legend">
      {LEGEND.map((entry) => (
        <li key={entry.label}>
          <span
            aria-hidden="true"
            className={`timeline-swatch timeline-swatch-${entry.shape}`}
            style={{ background: `var(--${entry.color}, ${FALLBACK_PALETTE[entry.color]})` }}
          />
          {LEGEND_TERMS[entry.label] ? <Term id={LEGEND_TERMS[entry.label]!}>{entry.label}</Term> : entry.label}
        </li>
      ))}
    </ul>
  );
});
