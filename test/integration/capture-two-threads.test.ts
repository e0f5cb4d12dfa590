/**
 * The analysis on two threads (summary-thread.ts: the stream summaries and the packet table built on a second thread)
 * gives exactly what the single-thread analysis gives: every packet column, every evidence row,
 * every stream summary (HTTP, TLS, HTTP/2, probes), the HTTP start lines, the lanes' requests and FIN/RST
 * segments (stream-events.ts) and the hints, on every
 * capture of the public corpus and on a synthetic capture long enough to reuse every batch slot.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile, type CaptureAnalysis } from '@engine/capture/analyze';
import { streamEvents } from '@engine/capture/stream-events';
import { writeSyntheticCapture } from '../../bench/make-capture';

const CORPUS = path.resolve(__dirname, '../../../shared/captures/public');
/** enough segments for many more batches than the ring has slots (8,192 segments a batch, 16 slots) */
const SYNTHETIC_PACKETS = 250_000;

/** Everything the analysis returns, as plain values (typed columns cut to their rows). */
function comparable(analysis: CaptureAnalysis): unknown {
  // a column may hold several values a row (the evidence's numbers): cut at rows × that
  const rows = (holder: object, length: number, capacity: number) =>
    Object.fromEntries(
      Object.entries(holder).map(([key, value]) => {
        if (!ArrayBuffer.isView(value)) return [key, value];
        const column = value as Uint8Array;
        return [key, Array.from(column.subarray(0, (length * column.length) / capacity))];
      }),
    );
  const { table, evidence, streamSummaries, ...rest } = analysis;
  return {
    ...rest,
    streams: analysis.streams,
    tls: [...streamSummaries.tls],
    http2: [...streamSummaries.http2],
    httpStartLines: [...analysis.httpStartLines],
    // what the timeline's lanes draw: each stream's requests (with their responses and start lines) and FIN/RST segments
    events: streamEvents(analysis, analysis.streams, { maxRequests: Number.MAX_SAFE_INTEGER }),
    table: rows(table, table.length, table.time.length),
    evidence: rows(evidence, evidence.length, evidence.frame.length),
  };
}

/** Both paths give the same analysis, or fail with the same error (a file the reader rejects). */
async function expectSameOnBothPaths(file: string, twoThreadChunkBytes?: number): Promise<CaptureAnalysis | null> {
  const one = await analyzeCaptureFile(file, { threads: 1 }).catch((error: Error) => error);
  const two = await analyzeCaptureFile(file, { threads: 2, chunkBytes: twoThreadChunkBytes }).catch((error: Error) => error);
  if (one instanceof Error) {
    expect(two).toBeInstanceOf(Error);
    expect((two as Error).message).toBe(one.message);
    return null;
  }
  expect(two).not.toBeInstanceOf(Error);
  expect(comparable(two as CaptureAnalysis)).toEqual(comparable(one));
  return one;
}

describe('the analysis on two threads', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'kl-two-threads-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('matches the single thread on every public capture', { timeout: 240_000 }, async () => {
    const files = readdirSync(CORPUS).filter((name) => /\.(pcap|pcapng|cap)$/.test(name));
    expect(files.length).toBeGreaterThan(50);
    let analysed = 0;
    let withHttp = 0;
    let withTls = 0;
    for (const name of files) {
      const one = await expectSameOnBothPaths(path.join(CORPUS, name));
      if (one === null) continue;
      analysed += 1;
      if (one.streams.some((stream) => stream.httpRequests > 0)) withHttp += 1;
      if (one.streamSummaries.tls.size > 0) withTls += 1;
    }
    // the summaries compared are not empty ones: the corpus holds HTTP/1 and TLS streams
    expect(analysed).toBeGreaterThan(50);
    expect(withHttp).toBeGreaterThan(5);
    expect(withTls).toBeGreaterThan(2);
  });

  // a batch copies the stretch of the read chunk its payloads lie in; a record that straddles two
  // chunks lies in the reader's carried bytes instead, and a reassembled datagram in a buffer of its own
  it(
    'matches the single thread when records straddle small read chunks, and with reassembled IP fragments',
    { timeout: 240_000 },
    async () => {
      const names = readdirSync(CORPUS).filter((name) => /\.(pcap|pcapng|cap)$/.test(name));
      const chosen = names.filter((name) => /frag|http|tls|ssl|keepalive|zero/i.test(name));
      expect(chosen.some((name) => /frag/.test(name))).toBe(true);
      let withHttp = 0;
      for (const name of chosen) {
        for (const chunkBytes of [97, 4096]) {
          const one = await expectSameOnBothPaths(path.join(CORPUS, name), chunkBytes);
          if (chunkBytes === 4096 && one !== null && one.streams.some((stream) => stream.httpRequests > 0)) withHttp += 1;
        }
      }
      expect(withHttp).toBeGreaterThan(3);
      const file = path.join(scratch, 'synthetic-small-chunks.pcap');
      writeSyntheticCapture(file, 20_000);
      expect((await expectSameOnBothPaths(file, 1000))!.tcpSegments).toBe(20_000);
    },
  );

  it('matches the single thread across many batches (a 250,000-packet synthetic capture)', { timeout: 120_000 }, async () => {
    const file = path.join(scratch, 'synthetic.pcap');
    writeSyntheticCapture(file, SYNTHETIC_PACKETS);
    const one = (await expectSameOnBothPaths(file))!;
    expect(one.tcpSegments).toBe(SYNTHETIC_PACKETS);
    expect(one.streams.reduce((sum, stream) => sum + stream.httpRequests, 0)).toBeGreaterThan(1000);
  });
});
