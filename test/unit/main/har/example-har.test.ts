/**
 * The bundled example (examples/browser-page-load.har, re-recorded by `npm run record:example-har`):
 * Chromium loading a page of 12 resources from one HTTP/1.1 origin. What the lesson says about it
 * must stay true of the file: six connections at most, the extra five opened because every one was
 * busy, the last four requests queued for one of the six, and the rest reused.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importHarFile } from '@engine/har/import-har';

const EXAMPLE = path.resolve(__dirname, '../../../../examples/browser-page-load.har');

describe('examples/browser-page-load.har', () => {
  it('shows HTTP/1.1 reuse, six connections per host, and the queue behind them', async () => {
    const har = await importHarFile(EXAMPLE);
    expect(har.connectionSource).toBe('recorded');
    expect(har.requests).toHaveLength(13);
    expect(har.connections).toHaveLength(6);
    expect(new Set(har.connections.map((connection) => connection.httpVersion))).toEqual(new Set(['h1']));
    const opened = har.connections.filter((connection) => connection.openedBy !== null);
    expect(opened.map((connection) => connection.cause)).toEqual(['all-busy', 'all-busy', 'all-busy', 'all-busy', 'all-busy']);
    const waited = har.requests.filter((request) => request.waitedForPool !== null);
    expect(waited.map((request) => request.url.replace(/^.*\//, ''))).toEqual(['7.svg', '8.svg', '9.svg', '10.svg']);
    expect(waited.every((request) => request.reused === true && request.waitedForPool?.busyConnections === 6)).toBe(true);
    expect(har.requests.filter((request) => request.reused === true)).toHaveLength(7);
  });
});
