/**
 * The parts of an HTTP/2 run's view that the HTTP/2 lab panel and a Compare column share: the
 * headline counters, a table of the requests with their connection and stream, and what happened
 * (src/shared/explain-http2.ts). All in HTTP/2 words: streams and stream slots, never a pool.
 */
import type { Http2RunResult } from '@shared/api-http2';
import { explainHttp2Run } from '@shared/explain-http2';
import { TABLE_ROW_LIMIT } from './big-run';
import { http2RequestRows, type Http2Counter } from './http2-rows';
import { ExplanationCard } from './RunExplanation';

interface CounterProps {
  counters: readonly Http2Counter[];
  label: string;
  /** "http2-" in the panel, "compare-b-" in a comparison: the test ids are `${prefix}counter-${field}` */
  testIdPrefix: string;
  /** fields to outline because they differ from the other run */
  highlight?: ReadonlySet<string>;
}

export function Http2CounterList({ counters, label, testIdPrefix, highlight }: CounterProps) {
  return (
    <dl className="counters" aria-label={label}>
      {counters.map((counter) => (
        <div key={counter.field} className={`counter${highlight?.has(counter.field) ? ' counter-differs' : ''}`}>
          <dt>{counter.title}</dt>
          <dd className="counter-value" data-testid={`${testIdPrefix}counter-${counter.field}`}>
            {counter.value}
          </dd>
          <dd className="counter-note muted">{counter.note}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The plain-words account of a finished HTTP/2 run. */
export function Http2Explanations({ result, testId }: { result: Http2RunResult; testId?: string }) {
  return (
    <div className="explanations" data-testid={testId}>
      {explainHttp2Run(result).map((explanation) => (
        <ExplanationCard
          key={explanation.kind}
          title={explanation.title}
          whatYouSee={explanation.whatYouSee}
          why={explanation.why}
          tryNext={explanation.tryNext}
        />
      ))}
    </div>
  );
}

/** Each request of the run: the connection and stream that carried it, its wait for a stream slot, how it ended. */
export function Http2RequestTable({ result, caption }: { result: Http2RunResult; caption: string }) {
  const rows = http2RequestRows(result, TABLE_ROW_LIMIT);
  const hidden = result.requests.length - rows.length;
  return (
    <>
      {hidden > 0 ? (
        <p className="muted">
          Showing {rows.length.toLocaleString('en-US')} of {result.requests.length.toLocaleString('en-US')} requests.
        </p>
      ) : null}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table className="data-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col" title="request number">
                #
              </th>
              <th scope="col">Connection</th>
              <th scope="col">Stream</th>
              <th
                scope="col"
                className="number"
                title="how long it waited for a stream slot (the server’s stream limit); – when it did not wait"
              >
                Slot wait
              </th>
              <th scope="col">Status / error</th>
              <th scope="col" className="number">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className={row.failed ? 'row-failed' : undefined}>
                <td>
                  {row.index}
                  {row.retried ? <span className="muted"> (sent again)</span> : null}
                </td>
                <td>
                  <code>{row.connection}</code>
                </td>
                <td>{row.stream}</td>
                <td className="number">{row.waited}</td>
                <td className={row.failed ? 'error-text' : undefined}>{row.outcome}</td>
                <td className="number">{row.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
