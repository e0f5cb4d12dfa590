/** The entries in start order, one row each; a row selects the entry (arrow keys move between rows). */
import type { KeyboardEvent } from 'react';
import type { HarRequest } from '@shared/api-har';
import { HAR_CAUSE_WORDS } from '@shared/har-cause';
import { formatMs } from './har-view-model';

/** Rows drawn at once: a HAR of thousands of entries is read on the timeline, the list shows the start. */
const MAX_ROWS = 500;

/** "new" only where the file shows the connection being set up; a connection set up before its first entry is "first seen". */
function newOrReused(request: HarRequest): string {
  if (request.reused === null) return 'no network';
  if (request.reused) return 'reused';
  return request.cause ? 'new' : 'first seen';
}

function pathOf(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}${parsed.search}`;
}

export function HarEntryList({
  requests,
  selected,
  onSelect,
}: {
  requests: HarRequest[];
  selected: number | null;
  onSelect(index: number): void;
}) {
  const shown = requests.slice(0, MAX_ROWS);
  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const at = shown.findIndex((request) => request.index === selected);
    const next = shown[Math.min(shown.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      onSelect(next.index);
      document.getElementById(`har-row-${next.index}`)?.focus();
    }
  };
  return (
    <section className="card har-entries" aria-labelledby="har-entries-title" data-testid="har-entry-list">
      <div className="panel-head">
        <h2 id="har-entries-title">Entries</h2>
        <span className="muted">in start order</span>
      </div>
      <div className="har-scroll har-entries-scroll">
        <table className="har-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Start</th>
              <th scope="col">Request</th>
              <th scope="col">Connection</th>
              <th scope="col">New / reused</th>
              <th scope="col">Why new / queued</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody onKeyDown={onKeyDown}>
            {shown.map((request) => (
              <tr
                key={request.index}
                id={`har-row-${request.index}`}
                tabIndex={request.index === selected || (selected === null && request === shown[0]) ? 0 : -1}
                aria-selected={request.index === selected}
                className={request.index === selected ? 'is-selected' : undefined}
                onClick={() => onSelect(request.index)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') onSelect(request.index);
                }}
              >
                <td>{request.index}</td>
                <td>+{formatMs(request.startMs)}</td>
                <td className="har-request-cell" title={request.url}>
                  {request.method} {pathOf(request.url)}
                </td>
                <td>{request.connection ?? '—'}</td>
                <td className={request.reused ? 'har-reused' : request.cause ? 'har-new' : 'muted'}>{newOrReused(request)}</td>
                <td>
                  {request.cause
                    ? HAR_CAUSE_WORDS[request.cause].label
                    : request.waitedForPool
                      ? `queued ${formatMs(request.waitedForPool.ms)}: ${request.waitedForPool.busyConnections} busy`
                      : ''}
                </td>
                <td>{formatMs(request.timings.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {requests.length > MAX_ROWS ? (
        <p className="muted">
          The first {MAX_ROWS} of {requests.length.toLocaleString('en-US')} entries; the timeline shows them all.
        </p>
      ) : null}
    </section>
  );
}
