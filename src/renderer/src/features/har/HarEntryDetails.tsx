/** The selected HAR entry: what it asked for, how it got its connection and why, and its timings as bars. */
import type { HarRequest } from '@shared/api-har';
import { HAR_CAUSE_WORDS } from '@shared/har-cause';
import { connectNote, connectionSentence, formatMs, timingSegments } from './har-view-model';

export function HarEntryDetails({ request, onSelect }: { request: HarRequest | null; onSelect(index: number): void }) {
  if (!request) {
    return (
      <section className="card packet-details" aria-labelledby="har-entry-title" data-testid="har-entry-details">
        <h2 id="har-entry-title">Entry</h2>
        <p className="muted">Select a bar on the timeline or a row of the list.</p>
      </section>
    );
  }
  const segments = timingSegments(request);
  const total = Math.max(request.timings.total, ...segments.map((segment) => segment.fromMs + segment.ms), 0.001);
  return (
    <section className="card packet-details" aria-labelledby="har-entry-title" data-testid="har-entry-details">
      <h2 id="har-entry-title">
        Entry #{request.index} <span className="muted">{request.httpVersion}</span>
      </h2>
      <p className="har-url" title={request.url}>
        {request.method} {request.url}
      </p>
      <dl className="facts har-facts">
        <dt>Status</dt>
        <dd>{request.status === null || request.status === 0 ? 'no response' : request.status}</dd>
        <dt>Started</dt>
        <dd>+{formatMs(request.startMs)}</dd>
        <dt>Connection</dt>
        <dd data-testid="har-entry-connection">
          {request.connection ?? 'none'}
          {request.connection === null ? null : request.reused ? ' · reused' : request.cause ? ' · new' : ' · first seen'}
        </dd>
      </dl>
      <p data-testid="har-entry-how">{connectionSentence(request)}</p>
      {request.cause ? (
        <div className="har-cause" data-testid="har-entry-cause">
          <strong>{HAR_CAUSE_WORDS[request.cause].label}:</strong> {request.causeDetail}
          {request.busyWith.length > 0 ? (
            <div className="har-busy">
              Busy with:{' '}
              {request.busyWith.map((index) => (
                <button key={index} type="button" className="link-button" onClick={() => onSelect(index)}>
                  #{index}
                </button>
              ))}
            </div>
          ) : null}
        </div>
      ) : request.causeDetail ? (
        <p className="har-cause" data-testid="har-entry-cause">
          {request.causeDetail}
        </p>
      ) : null}
      <h3>Timings</h3>
      <ol className="har-timings" aria-label="Timings" data-testid="har-entry-timings">
        {segments.map((segment) => (
          <li key={segment.name} className={`har-timing har-timing-${segment.name}`}>
            <span className="har-timing-label">{segment.label}</span>
            <span className="har-timing-track" aria-hidden="true">
              <span
                className="har-timing-bar"
                style={{ left: `${(segment.fromMs / total) * 100}%`, width: `max(2px, ${(segment.ms / total) * 100}%)` }}
              />
            </span>
            <span className="har-timing-ms">{formatMs(segment.ms)}</span>
          </li>
        ))}
        <li className="har-timing har-timing-total">
          <span className="har-timing-label">Total</span>
          <span className="har-timing-track" aria-hidden="true" />
          <span className="har-timing-ms">{formatMs(request.timings.total)}</span>
        </li>
      </ol>
      <p className="muted har-timing-note">{connectNote(request)}</p>
    </section>
  );
}
