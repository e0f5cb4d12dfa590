/**
 * The Captures view's client (renderer code, run in Node) over the real service: a capture with more
 * streams than capture.open's first window (ndpi__synscan.pcap: 1,994 streams in tshark's count)
 * opens with the count, pages and sorts its streams through the engine, and a packet of a stream
 * past the window still names that stream's endpoints as tshark does.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Api } from '@shared/api';
import { createService } from '@engine/service';
import { createCaptureClient, FIRST_STREAM_WINDOW } from '@renderer/features/capture/capture-client';

const FILE = path.resolve(__dirname, '../../../shared/captures/public/ndpi__synscan.pcap');
const oracle = JSON.parse(readFileSync(`${FILE}.tshark.json`, 'utf8')) as {
  streams: Array<{ stream: number; a: string; b: string; packets: number; firstFrame: number }>;
};
const service = createService({ mode: 'cli' });
afterAll(() => service.dispose());
/** the service answers as the page's transport does (results checked against the contract there) */
const api = { call: (name, params) => service.call(name, params), onEvent: () => () => undefined } as Api;

describe('the capture client pages streams', () => {
  it('opens with the first window, fetches a later stream for its packets, and windows sorted by the engine', async () => {
    expect(oracle.streams.length).toBeGreaterThan(FIRST_STREAM_WINDOW);
    const client = createCaptureClient(api);
    const opened = await client.open(FILE, 'ndpi__synscan.pcap', 'open-synscan');
    if (!opened.ok) throw new Error(opened.error.message);
    const { captureId } = opened.value;
    expect(opened.value.streams).toBe(oracle.streams.length);
    // the first window's rows are held, the next stream's is not
    expect(client.cachedStream(captureId, oracle.streams[FIRST_STREAM_WINDOW - 1]!.stream)).toBeDefined();
    expect(client.cachedStream(captureId, oracle.streams[FIRST_STREAM_WINDOW]!.stream)).toBeUndefined();

    // a stream past the first window: not held, then fetched with its packets' page
    const late = oracle.streams[oracle.streams.length - 1]!;
    expect(client.cachedStream(captureId, late.stream)).toBeUndefined();
    const page = await client.packets(captureId, { flags: [], stream: late.stream }, 0, 50);
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.total).toBe(late.packets);
    expect(page.value.rows[0]?.frame).toBe(late.firstFrame);
    expect(page.value.rows[0]?.endpoints).toBe(`${late.a} ⇄ ${late.b}`);
    expect(client.cachedStream(captureId, late.stream)?.a).toBe(late.a);

    const busiest = await client.streamWindow(captureId, { sort: { key: 'packets', direction: 'descending' } }, 0, 3);
    if (!busiest.ok) throw new Error(busiest.error.message);
    const expected = [...oracle.streams].sort((left, right) => right.packets - left.packets || left.stream - right.stream).slice(0, 3);
    expect(busiest.value.rows.map((row) => [row.stream, row.packets])).toEqual(expected.map((row) => [row.stream, row.packets]));
    expect(busiest.value.total).toBe(oracle.streams.length);
    await client.close(captureId);
  });
});
