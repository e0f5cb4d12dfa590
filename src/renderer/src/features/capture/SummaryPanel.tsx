/** The capture at a glance: counts a learner looks for first, and quality warnings in plain words. */
import type { TermId } from '@shared/glossary';
import { encryptedStreamsNote } from '@shared/tls-handshake';
import { Term } from '../glossary/Term';
import type { CaptureOverview } from './capture-model';
import { formatCount, formatDuration } from './format';
import { mainGroupIndex } from './TimeGroupPicker';

interface Figure {
  label: string;
  value: string;
  /** theme variable colouring the figure's marker */
  colorVar?: string;
  /** a second, smaller figure */
  detail?: string;
  testId: string;
  /** the glossary word the figure counts */
  term?: TermId;
}

/** The duration; for a capture in time groups far apart, the busiest group's (the span between them is a gap, not a duration). */
function durationFigure(overview: CaptureOverview): Figure {
  const groups = overview.timeGroups;
  const main = groups[mainGroupIndex(groups)];
  if (groups.length < 2 || !main) return { label: 'Duration', value: formatDuration(overview.durationS), testId: 'sum-duration' };
  return {
    label: 'Duration',
    value: formatDuration(main.endS - main.startS),
    detail: `busiest of ${groups.length} groups`,
    testId: 'sum-duration',
  };
}

export function SummaryPanel({ overview }: { overview: CaptureOverview }) {
  const count = (flag: string) => formatCount(overview.flagCounts[flag] ?? 0);
  const figures: Figure[] = [
    { label: 'Packets', value: formatCount(overview.packets), testId: 'sum-packets' },
    { label: 'TCP streams', value: formatCount(overview.streams), testId: 'sum-streams', term: 'stream' },
    { label: 'Keep-alive probes', value: count('keep_alive'), colorVar: '--probe', testId: 'sum-keepalives', term: 'keepAliveProbe' },
    { label: 'Keep-alive ACKs', value: count('keep_alive_ack'), colorVar: '--ack', testId: 'sum-keepalive-acks', term: 'keepAliveAck' },
    { label: 'Zero-window probes', value: count('zero_window_probe'), colorVar: '--warn', testId: 'sum-zwp', term: 'zeroWindowProbe' },
    { label: 'Retransmissions', value: count('retransmission'), colorVar: '--rst', testId: 'sum-retransmissions', term: 'retransmission' },
    {
      label: 'HTTP requests',
      value: formatCount(overview.httpRequests),
      detail: overview.reusedStreams ? `${formatCount(overview.reusedStreams)} conn. reused` : undefined,
      colorVar: '--reused',
      testId: 'sum-http',
    },
    durationFigure(overview),
  ];
  const partial = overview.httpPartialRequests;
  const notes = partial
    ? [
        `${formatCount(partial)} more HTTP request${partial === 1 ? '' : 's'} seen in part: ${partial === 1 ? 'its' : 'their'} bytes were not all captured, so ${partial === 1 ? 'it is' : 'they are'} not counted (tshark does not count them either).`,
      ]
    : [];
  if (overview.tlsStreams > 0) notes.push(encryptedStreamsNote(overview.tlsStreams));
  const warnings = [...overview.warnings, ...notes];
  return (
    <section className="card capture-summary" aria-labelledby="capture-summary-title" data-testid="capture-summary">
      <h2 id="capture-summary-title">
        {overview.fileName}{' '}
        <span className="muted capture-format">{[overview.format, ...overview.linkTypes].filter(Boolean).join(' · ')}</span>
      </h2>
      <dl className="summary-figures">
        {figures.map((figure) => (
          <div
            key={figure.label}
            className="summary-figure"
            data-testid={figure.testId}
            style={figure.colorVar ? { borderLeftColor: `var(${figure.colorVar})`, borderLeftWidth: 4 } : undefined}
          >
            <dt title={figure.term ? undefined : figure.label}>
              {figure.term ? <Term id={figure.term}>{figure.label}</Term> : figure.label}
            </dt>
            <dd>
              {figure.value}
              {figure.detail ? <small title={figure.detail}>{figure.detail}</small> : null}
            </dd>
          </div>
        ))}
      </dl>
      {warnings.length > 0 ? (
        <ul className="capture-warnings" aria-label="Capture-quality warnings" data-testid="capture-warnings">
          {warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
