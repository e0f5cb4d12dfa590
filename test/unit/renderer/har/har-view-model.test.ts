/** The HAR view's data: a page's session, the entry a timeline item stands for, an entry's phases. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importHarFile } from '@engine/har/import-har';
import { ALL_PAGES, entryOfTimelineItem, queuedDetail, sessionOfPage, timingSegments } from '@renderer/features/har/har-view-model';

const HARS = path.resolve(__dirname, '../../../../../shared/hars');

describe('HAR view model', () => {
  it('keeps one page of a multi-page file, and the connections it used', async () => {
    const har = await importHarFile(path.join(HARS, 'perfcascade__browsertime_h2_filamentgroup.com.har'));
    expect(har.pages).toHaveLength(3);
    expect(sessionOfPage(har, ALL_PAGES)).toBe(har.session);
    for (const page of har.pages) {
      const session = sessionOfPage(har, page.id);
      const started = session.events.filter((event) => event.kind === 'request-started');
      expect(started).toHaveLength(page.entries);
      const used = new Set(har.requests.filter((request) => request.pageref === page.id).map((request) => request.connection));
      expect(new Set(session.connections.map((connection) => connection.id))).toEqual(used);
    }
  });

  it('maps a request bar, its queue and a handshake to their entry', async () => {
    const har = await importHarFile(path.join(HARS, 'pagexray__www.etat.lu.har'));
    expect(entryOfTimelineItem(har, 'e7')).toBe(7);
    expect(entryOfTimelineItem(har, 'e7/queued')).toBe(7);
    const opened = har.connections.find((connection) => connection.openedBy !== null)!;
    expect(entryOfTimelineItem(har, `${opened.id}/handshake@123`)).toBe(opened.openedBy);
    expect(entryOfTimelineItem(har, 'something-else')).toBeNull();
  });

  it('splits connect into TCP and TLS and leaves out the phases that did not happen', async () => {
    const har = await importHarFile(path.join(HARS, 'mitmproxy__charles.har'));
    const segments = timingSegments(har.requests[0]!);
    expect(segments.map((segment) => segment.name)).toEqual(['dns', 'connect', 'ssl', 'send', 'wait', 'receive']);
    const tcp = segments.find((segment) => segment.name === 'connect')!;
    const tls = segments.find((segment) => segment.name === 'ssl')!;
    expect(tcp.ms + tls.ms).toBe(har.requests[0]!.timings.connect);
    expect(tls.fromMs).toBe(tcp.fromMs + tcp.ms);
  });

  it('says whose limit the queued requests waited for', async () => {
    const browser = await importHarFile(path.join(HARS, 'sitespeed__www-thegreenwebfoundation-org.har'));
    expect(queuedDetail(browser.connectionLimit)).toBe('for a free connection (6 per host)');
    expect(queuedDetail({ perOrigin: 2, from: 'lab', setting: 'maxSockets' })).toBe("for a free connection (the run's maxSockets: 2)");
    expect(queuedDetail({ perOrigin: null, from: 'lab', setting: 'connections' })).toBe("no limit (the run's connections: none)");
  });
});
