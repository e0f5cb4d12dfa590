/**
 * Every real HAR in ../shared/hars imports, and what the importer says about connections matches
 * a computation made here from the raw JSON, by the rules of the folder's MANIFEST.md:
 * `connection` is a connection id only for Chrome-family DevTools ("WebInspector"), chrome-har
 * ("0" on h3 is not an id), Browsertime on Chrome, Safari and Fiddler; WebPageTest keeps it in
 * `_socket`; Firefox/Firebug write the server port and the rest write nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importHarFile } from '@engine/har/import-har';
import { sessionToTimeline } from '@renderer/features/timeline/session-to-timeline';

const HARS = path.resolve(__dirname, '../../../../../shared/hars');
const files = readdirSync(HARS).filter((name) => name.endsWith('.har'));

interface RawEntry {
  startedDateTime: string;
  connection?: string;
  _socket?: number | string;
  _fromCache?: string;
  serverIPAddress?: string;
  request: { httpVersion?: string; url: string };
  response: { status?: number; httpVersion?: string };
  timings: Record<string, number | undefined>;
}

function readRaw(file: string): { creator: string; browser: string | null; entries: RawEntry[] } {
  const text = readFileSync(path.join(HARS, file), 'utf8').replace(/^\uFEFF/, '');
  const log = JSON.parse(text).log;
  return { creator: log.creator.name, browser: log.browser?.name ?? null, entries: log.entries };
}

/** The MANIFEST's reading of who writes a real connection id, and where. */
function rawId(creator: string, browser: string | null, entry: RawEntry): string | null {
  const chromeFamily =
    ['WebInspector', 'WebKit Web Inspector', 'Fiddler'].includes(creator) || (creator === 'Browsertime' && /chrom/i.test(browser ?? ''));
  if (creator === 'WebPagetest') return entry._socket === undefined ? null : String(entry._socket);
  if (creator === 'chrome-har') return entry.connection && entry.connection !== '0' ? entry.connection : null;
  return chromeFamily && entry.connection ? entry.connection : null;
}

/** HTTP version family, spelled out here rather than imported. */
function family(entry: RawEntry): string {
  for (const value of [entry.request.httpVersion, entry.response.httpVersion]) {
    const text = (value ?? '').toLowerCase();
    if (text === 'h3' || text.startsWith('http/3') || text.includes('quic')) return 'h3';
    if (text === 'h2' || text.startsWith('http/2') || text === 'spdy') return 'h2';
    if (text === 'http/1.1' || text === '1.1' || text === 'http/1.0') return 'h1';
  }
  return 'unknown';
}

function inStartOrder(entries: RawEntry[]): Array<RawEntry & { position: number }> {
  return entries
    .map((entry, position) => ({ ...entry, position }))
    .sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime) || a.position - b.position);
}

describe('every HAR in ../shared/hars', () => {
  it('finds the corpus', () => expect(files.length).toBeGreaterThanOrEqual(23));

  for (const file of files) {
    it(`${file}: recorded connections, reuse and HTTP versions match the raw JSON`, async () => {
      const raw = readRaw(file);
      const har = await importHarFile(path.join(HARS, file));
      expect(har.format).toBe('har');
      expect(har.requests).toHaveLength(raw.entries.length);
      // startedDateTime order, ties in file order
      const order = inStartOrder(raw.entries).map((entry) => entry.position);
      expect(har.requests.map((request) => request.index)).toEqual(order);

      // recorded ids: the distinct ids and the reuse count, computed from the raw JSON
      const seen = new Set<string>();
      let reused = 0;
      const versionsById = new Map<string, string[]>();
      for (const entry of inStartOrder(raw.entries)) {
        const id = rawId(raw.creator, raw.browser, entry);
        if (id === null) continue;
        if (seen.has(id)) reused += 1;
        seen.add(id);
        versionsById.set(id, [...(versionsById.get(id) ?? []), family(entry)]);
      }
      const recorded = har.connections.filter((connection) => !connection.inferred);
      expect(recorded.map((connection) => connection.id).sort()).toEqual([...seen].sort());
      const recordedIds = new Set(recorded.map((connection) => connection.id));
      const reusedOnRecorded = har.requests.filter(
        (request) => request.reused === true && recordedIds.has(request.connection ?? ''),
      ).length;
      expect(reusedOnRecorded).toBe(reused);
      for (const connection of recorded) {
        const versions = (versionsById.get(connection.id) ?? []).filter((version) => version !== 'unknown');
        const counts = new Map<string, number>();
        for (const version of versions) counts.set(version, (counts.get(version) ?? 0) + 1);
        const most = Math.max(0, ...counts.values());
        const expected =
          versions.length === 0 ? ['unknown'] : [...counts].filter(([, count]) => count === most).map(([version]) => version);
        expect(expected, `${connection.id}`).toContain(connection.httpVersion);
      }

      // inferred connections: one per id-less network entry whose timings show a connection being set up
      const idless = raw.entries.filter((entry) => rawId(raw.creator, raw.browser, entry) === null);
      const dialling = idless.filter((entry) => (entry.timings.connect ?? -1) > 0 || (entry.timings.ssl ?? -1) > 0);
      const inferredOpened = har.connections.filter((connection) => connection.inferred && connection.openedBy !== null);
      expect(inferredOpened).toHaveLength(dialling.length);
      for (const connection of har.connections.filter((each) => each.inferred)) {
        const indexes = new Set(connection.requestIndexes);
        const versions = new Set(raw.entries.filter((_, position) => indexes.has(position)).map(family));
        expect(versions.size, `${connection.id} mixes versions`).toBe(1);
        expect(versions.has(connection.httpVersion)).toBe(true);
      }

      // every request on a connection is counted once; the first on each is the only new one
      const onNetwork = har.requests.filter((request) => request.connection !== null);
      expect(har.connections.reduce((sum, connection) => sum + connection.requests, 0)).toBe(onNetwork.length);
      expect(onNetwork.filter((request) => request.reused === false)).toHaveLength(har.connections.length);
      for (const connection of har.connections) expect(connection.cause === null).toBe(connection.openedBy === null);

      // the timeline shows the same: a lane per connection (plus one for entries that never used the network)
      const timeline = sessionToTimeline(har.session);
      const offNetwork = har.requests.length - onNetwork.length;
      expect(timeline.lanes).toHaveLength(har.connections.length + (offNetwork > 0 ? 1 : 0));
      for (const connection of har.connections) {
        const lane = timeline.lanes.find((each) => each.id === connection.id);
        const bars = lane?.spans.filter((span) => span.kind === 'request') ?? [];
        expect(bars).toHaveLength(connection.requests);
        expect(bars.filter((bar) => bar.reused === true)).toHaveLength(connection.requests - 1);
        // the first bar: orange where the file shows the connection being set up, unknown where it was set up before
        expect(bars.filter((bar) => bar.reused === (connection.openedBy === null ? null : false))).toHaveLength(1);
      }
    });
  }

  it('agrees with the MANIFEST table on Chrome-family files', async () => {
    // file → [distinct connection ids, entries on an id seen before] from MANIFEST.md
    const table: Record<string, [number, number]> = {
      'perfcascade__chrome_enorm-magazin.de.har': [9, 56],
      'pagexray__304.har': [96, 174],
      'pagexray__www.etat.lu.har': [14, 8],
      'sitespeed__www-thegreenwebfoundation-org.har': [9, 42],
      'chrome-har__www.yahoo.com_2018-11-28_11-01-58-0.devtoolslog.har': [20, 87],
      'mitmproxy__brave.har': [2, 8],
    };
    for (const [file, [distinct, reused]] of Object.entries(table)) {
      const har = await importHarFile(path.join(HARS, file));
      const recorded = har.connections.filter((connection) => !connection.inferred);
      const ids = new Set(recorded.map((connection) => connection.id));
      expect(recorded, file).toHaveLength(distinct);
      expect(
        har.requests.filter((request) => request.reused === true && ids.has(request.connection ?? '')),
        file,
      ).toHaveLength(reused);
    }
  });

  it('reads h2 and h3 side by side: many requests at once on one h2 connection', async () => {
    const har = await importHarFile(path.join(HARS, 'pagexray__ferguson.har'));
    const versions = new Set(har.connections.map((connection) => connection.httpVersion));
    expect([...versions].sort()).toEqual(['h1', 'h2', 'h3']);
    const h3 = har.connections.filter((connection) => connection.httpVersion === 'h3');
    expect(h3.every((connection) => connection.inferred)).toBe(true);
    expect(Math.max(...har.connections.filter((c) => c.httpVersion === 'h2').map((c) => c.maxConcurrent))).toBeGreaterThan(1);
  });

  it('says where connections are inferred and why', async () => {
    const firefox = await importHarFile(path.join(HARS, 'mitmproxy__firefox.har'));
    expect(firefox.connectionSource).toBe('inferred');
    expect(firefox.connectionNote).toMatch(/server port/);
    const chrome = await importHarFile(path.join(HARS, 'mitmproxy__chrome.har'));
    expect(chrome.connectionSource).toBe('mixed');
  });
});
