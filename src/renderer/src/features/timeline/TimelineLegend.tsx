/** The colour key of the timeline, in DOM (readable, selectable, zoom-proof). */
import { memo, type ReactElement } from 'react';
import type { TermId } from '@shared/glossary';
import { Term } from '../glossary/Term';
import { FALLBACK_PALETTE, LEGEND, LEGEND_HTTP2 } from './draw-style';

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

/** Static content: memoised so hover re-renders of the timeline skip it. `http2`: the words of an HTTP/2 run. */
export const TimelineLegend = memo(function TimelineLegend({ http2 = false }: { http2?: boolean }): ReactElement {
  return (
    <ul className="timeline-legend" aria-label="Timeline legend" data-protocol={http2 ? 'h2' : 'http1'}>
      {(http2 ? LEGEND_HTTP2 : LEGEND).map((entry) => (
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
