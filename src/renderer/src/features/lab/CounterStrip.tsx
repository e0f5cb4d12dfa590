/**
 * The headline counters of an HTTP run. Always rendered (zeros before a run) so
 * nothing moves when figures arrive; `data-testid`s are what the e2e test reads.
 */
import { FAILED_ON_REUSE_WORDS } from '@shared/connection-states';
import type { ConnectionSurprise } from '@shared/api-http';
import { formatPercent, type HttpCounters } from './http-counters';
import { SurpriseCard } from './SurpriseCard';

/** "9 of 10 requests on a kept connection", plus the failed attempts there when there were some. */
function reuseNote(counters: HttpCounters): string {
  const kept = `${counters.reused} of ${counters.done} requests on a kept connection`;
  if (counters.failedOnReuse === 0) return kept;
  const attempts = counters.failedOnReuse === 1 ? '1 attempt' : `${counters.failedOnReuse} attempts`;
  return `${kept}; ${attempts} ${FAILED_ON_REUSE_WORDS}`;
}

interface Props {
  counters: HttpCounters;
  /** a prefix for the test ids, so two strips (compare) can be told apart */
  testIdPrefix?: string;
  /** fields to outline because they differ from the other run */
  highlight?: ReadonlySet<string>;
  label: string;
  /** more connections than the settings need: shown as a card above the counters */
  surprise?: ConnectionSurprise | null;
}

/** "TCP handshakes paid", or over TLS "TCP + TLS handshakes paid, 5 TLS resumed". */
function handshakesNote(counters: HttpCounters): string {
  if (counters.tlsFull + counters.tlsResumed === 0) return 'TCP handshakes paid';
  return `TCP + TLS handshakes paid, ${counters.tlsResumed} TLS resumed`;
}

export function CounterStrip({ counters, testIdPrefix = '', highlight, label, surprise = null }: Props) {
  const items: Array<{ field: keyof HttpCounters; title: string; value: string; note: string }> = [
    { field: 'connectionsOpened', title: 'Connections opened', value: String(counters.connectionsOpened), note: handshakesNote(counters) },
    {
      field: 'reusePercent',
      title: 'Reuse',
      value: formatPercent(counters.reusePercent),
      note: reuseNote(counters),
    },
    { field: 'handshakesSaved', title: 'Handshakes saved', value: String(counters.handshakesSaved), note: 'by reusing a connection' },
    { field: 'openNow', title: 'Open now', value: String(counters.openNow), note: `most at once: ${counters.maxOpen}` },
  ];
  return (
    <>
      {surprise ? <SurpriseCard surprise={surprise} testId={`${testIdPrefix}surprise`} /> : null}
      <dl className="counters" aria-label={label}>
        {items.map((item) => (
          <div key={item.field} className={`counter${highlight?.has(item.field) ? ' counter-differs' : ''}`}>
            <dt>{item.title}</dt>
            <dd className="counter-value" data-testid={`${testIdPrefix}counter-${item.field}`}>
              {item.value}
            </dd>
            <dd className="counter-note muted">{item.note}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
