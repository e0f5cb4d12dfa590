/**
 * An opened HAR file: what it holds and who wrote it on top; a lane per connection on the
 * timeline (orange bars on a new connection, green on a reused one), the origins and the entries
 * below; the selected entry's timings and why its connection was opened on the right.
 */
import { useMemo, useState } from 'react';
import type { HarImport } from '@shared/api-har';
import { sessionToTimeline } from '../timeline/session-to-timeline';
import { Timeline } from '../timeline/Timeline';
import type { Mark, Span } from '../timeline/timeline-model';
import { HarEntryDetails } from './HarEntryDetails';
import { HarEntryList } from './HarEntryList';
import { HarOrigins } from './HarOrigins';
import { ALL_PAGES, entryOfTimelineItem, queuedDetail, sessionOfPage } from './har-view-model';
import './har.css';

const SOURCE_WORDS: Record<HarImport['connectionSource'], string> = {
  recorded: 'ids from the file',
  inferred: 'inferred from timings',
  mixed: 'some inferred',
};

export function HarWorkspace({ har }: { har: HarImport }) {
  const [page, setPage] = useState(ALL_PAGES);
  const [selected, setSelected] = useState<number | null>(har.requests[0]?.index ?? null);
  const model = useMemo(() => sessionToTimeline(sessionOfPage(har, page)), [har, page]);
  const requests = useMemo(
    () => (page === ALL_PAGES ? har.requests : har.requests.filter((request) => request.pageref === page)),
    [har, page],
  );
  const request = har.requests.find((each) => each.index === selected) ?? null;
  const reused = requests.filter((each) => each.reused === true).length;
  const offNetwork = requests.filter((each) => each.connection === null).length;
  const connections = new Set(requests.map((each) => each.connection).filter((id) => id !== null)).size;
  const queued = requests.filter((each) => each.waitedForPool !== null).length;
  const onSelect = (item: Mark | Span) => {
    const index = entryOfTimelineItem(har, item.id);
    if (index !== null) setSelected(index);
  };
  const figures = [
    { label: 'Entries', value: requests.length, testId: 'har-entries' },
    { label: 'Connections', value: connections, detail: SOURCE_WORDS[har.connectionSource], testId: 'har-connections' },
    { label: 'Reused', value: reused, detail: 'requests', colorVar: '--reused', testId: 'har-reused' },
    { label: 'Queued', value: queued, detail: queuedDetail(har.connectionLimit), testId: 'har-queued' },
    { label: 'No network', value: offNetwork, detail: 'cache or failed', testId: 'har-off-network' },
  ];

  return (
    <div className="capture-workspace har-workspace" data-testid="har-workspace">
      <section className="card capture-summary" aria-labelledby="har-summary-title">
        <h2 id="har-summary-title">
          {har.file}{' '}
          <span className="muted capture-format">
            HAR · {har.creator.name} {har.creator.version}
            {har.browser ? ` · ${har.browser.name} ${har.browser.version}` : ''}
          </span>
        </h2>
        <dl className="summary-figures">
          {figures.map((figure) => (
            <div
              key={figure.label}
              className="summary-figure"
              data-testid={figure.testId}
              style={figure.colorVar ? { borderLeftColor: `var(${figure.colorVar})`, borderLeftWidth: 4 } : undefined}
            >
              <dt title={figure.label}>{figure.label}</dt>
              <dd>
                {figure.value.toLocaleString('en-US')}
                {figure.detail ? <small title={figure.detail}>{figure.detail}</small> : null}
              </dd>
            </div>
          ))}
        </dl>
        <p className="har-note" data-testid="har-connection-note">
          {har.connectionNote}
        </p>
        {har.warnings.length > 0 ? (
          <ul className="capture-warnings" aria-label="What was skipped or doubted" data-testid="har-warnings">
            {har.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        ) : null}
      </section>
      <div className="capture-columns">
        <div className="capture-main">
          <section className="card capture-timeline" aria-labelledby="har-timeline-title" data-testid="har-timeline">
            <div className="panel-head">
              <h2 id="har-timeline-title">Connections</h2>
              {har.pages.length > 1 ? (
                <label className="har-page-choice">
                  Page{' '}
                  <select value={page} onChange={(event) => setPage(event.currentTarget.value)} data-testid="har-page">
                    <option value={ALL_PAGES}>All {har.pages.length} pages</option>
                    {har.pages.map((each) => (
                      <option key={each.id} value={each.id}>
                        {each.title || each.id} ({each.entries} entries)
                      </option>
                    ))}
                  </select>
                </label>
              ) : (
                <span className="muted">a lane per connection; click a bar for its timings</span>
              )}
            </div>
            <Timeline
              model={model}
              height={260}
              ariaLabel={`Connections of ${har.file}`}
              // a HAR file has no TCP packets: its lanes never carry keep-alive probes
              probes={false}
              selectedId={selected === null ? null : `e${selected}`}
              onSelect={onSelect}
            />
          </section>
          <HarOrigins har={har} />
          <HarEntryList requests={requests} selected={selected} onSelect={setSelected} />
        </div>
        <aside className="capture-side" aria-label="Selected entry">
          <HarEntryDetails request={request} onSelect={setSelected} />
        </aside>
      </div>
    </div>
  );
}
