/** The HAR view's data: a page's session, the entry a timeline item stands for, an entry's phases. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importHarFile } from '@engine/har/import-har';
import { sessionToTimeline } from '@renderer/features/timeline/session-to-timeline';
import {
  ALL_PAGES,
  connectNote,
  entryOfTimelineItem,
  queuedDetail,
  sessionOfPage,
  timingSegments,
} from '@renderer/features/har/har-view-model';

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

  it('Firefox writes ssl apart from connect: the entry shows TCP 32 + TLS 66 of a 98 ms connect, and the phases add up to its time', async () => {
    const har = await importHarFile(path.join(HARS, 'mitmproxy__firefox.har'));
    const request = har.requests.find((each) => each.index === 11)!;
    const segments = timingSegments(request);
    const phase = (name: string) => segments.find((segment) => segment.name === name);
    expect([phase('connect')?.label, phase('connect')?.ms, phase('ssl')?.ms]).toEqual(['TCP connect', 32, 66]);
    expect(segments.reduce((sum, segment) => sum + segment.ms, 0)).toBe(request.timings.total);
    expect(connectNote(request)).toBe('Connect 98 ms is TCP + TLS: TLS 66 ms of it.');
    // its 89 ms blocked is the browser's own: no connection limit held it (the file shows none busy)
    expect(request.waitedForPool).toBeNull();
    expect(phase('blocked')?.label).toBe('Blocked in the browser');
    // its HTTP/3 entries set nothing up (connect 0), and an HTTP/3 connect is QUIC over UDP, not TCP
    expect(connectNote(har.requests.find((each) => each.index === 0)!)).toMatch(/^Connect is 0 in the file: no connection was set up/);
    const quic = (await importHarFile(path.join(HARS, 'mitmproxy__timed_out.har'))).requests.find((each) => each.index === 8)!;
    expect(timingSegments(quic).find((segment) => segment.name === 'connect')?.label).toBe('QUIC connect (UDP)');
    expect(connectNote(quic)).toMatch(/is a QUIC handshake over UDP \(no TCP\), TLS inside it: TLS 41 ms of it\.$/);
  });

  it('says whose limit the queued requests waited for', async () => {
    const browser = await importHarFile(path.join(HARS, 'sitespeed__www-thegreenwebfoundation-org.har'));
    expect(queuedDetail(browser.connectionLimit)).toBe('for a free connection (6 per host)');
    expect(queuedDetail({ perOrigin: 2, from: 'lab', setting: 'maxSockets' })).toBe("for a free connection (the run's maxSockets: 2)");
    expect(queuedDetail({ perOrigin: null, from: 'lab', setting: 'connections' })).toBe('no limit (the run left connections unset)');
  });
});

describe('a HAR timeline draws "waiting in the pool" only for a wait for a connection', () => {
  it('browser-page-load.har: entries 9–12 waited for one of the 6 connections; the images 3–8, held back by the browser for reasons of its own, did not', async () => {
    const har = await importHarFile(path.join(import.meta.dirname, '../../../../examples/browser-page-load.har'));
    const model = sessionToTimeline(har.session);
    const waits = model.lanes
      .flatMap((lane) => lane.spans.filter((span) => span.kind === 'pool-wait'))
      .map((span) => span.endUs - span.startUs);
    const queued = har.requests.filter((request) => request.waitedForPool !== null);
    expect(queued.map((request) => request.index)).toEqual([9, 10, 11, 12]);
    const blockedUs = queued.map((request) => Math.round((request.timings.blocked ?? 0) * 1000));
    expect(waits.map(Math.round).sort((a, b) => a - b)).toEqual(blockedUs.sort((a, b) => a - b));
    // the images' own blocked time is still in their timings, not drawn as a pool wait
    const held = har.requests.filter((request) => request.waitedForPool === null && (request.timings.blocked ?? 0) > 100);
    expect(held.map((request) => request.index)).toEqual([3, 4, 5, 6, 7, 8]);
  });
});
