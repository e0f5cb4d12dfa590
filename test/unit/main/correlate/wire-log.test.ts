/**
 * The WireLog feeds the capture engine's own reader, decoder and analyzer: on the public
 * corpus its keep-alive rows and stream numbering must be tshark's (the *.tshark.json oracle).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '@engine/capture/read-capture';
import { ANALYSIS_KEEP_ALIVE, ANALYSIS_KEEP_ALIVE_ACK } from '@engine/capture/tcp-flags';
import { wireExchanges } from '@engine/correlate/http-frames';
import { WireLog } from '@engine/correlate/wire-log';

const corpus = path.resolve(import.meta.dirname, '../../../../../shared/captures/public');

interface Oracle {
  streamCount: number;
  flags: { keep_alive: number[]; keep_alive_ack: number[] };
  tsharkErrors?: string[];
}

const withKeepAlives = readdirSync(corpus)
  .filter((name) => name.endsWith('.tshark.json'))
  .map((name) => ({
    file: path.join(corpus, name.replace(/\.tshark\.json$/, '')),
    oracle: JSON.parse(readFileSync(path.join(corpus, name), 'utf8')) as Oracle,
  }))
  .filter(({ oracle }) => (oracle.flags?.keep_alive?.length ?? 0) > 0 && (oracle.tsharkErrors?.length ?? 0) === 0)
  .slice(0, 12);

describe('WireLog on the public corpus', () => {
  it('has captures with keep-alives to check', () => {
    expect(withKeepAlives.length).toBeGreaterThan(5);
  });

  it.each(withKeepAlives.map((entry) => [path.basename(entry.file), entry] as const))(
    '%s: keep-alive rows and streams as tshark',
    async (_name, { file, oracle }) => {
      const log = new WireLog();
      await readCaptureFile(file, { onRecord: log.onRecord });
      const wire = log.finish();
      expect(wire.segments.filter((segment) => segment.analysis & ANALYSIS_KEEP_ALIVE).map((segment) => segment.frame)).toEqual(
        oracle.flags.keep_alive,
      );
      expect(wire.segments.filter((segment) => segment.analysis & ANALYSIS_KEEP_ALIVE_ACK).map((segment) => segment.frame)).toEqual(
        oracle.flags.keep_alive_ack,
      );
      expect(wire.streams.length).toBe(oracle.streamCount);
    },
  );
});

describe('WireLog HTTP starts on a real capture with 100 Continue (ndpi__1kxun.pcap)', () => {
  it('classes the 100 Continue as interim, so each request keeps its own final response', async () => {
    const log = new WireLog();
    await readCaptureFile(path.join(corpus, 'ndpi__1kxun.pcap'), { onRecord: log.onRecord });
    const wire = log.finish();
    const stream = wire.segments.filter((segment) => segment.stream === 13);
    expect(stream.filter((segment) => segment.http !== null).map((segment) => [segment.frame, segment.http])).toEqual([
      [480, 'request'],
      [483, 'interim'],
      [486, 'response'],
      [534, 'request'],
      [536, 'interim'],
      [540, 'response'],
    ]);
    const client = stream.find((segment) => segment.http === 'request')?.source ?? '';
    const exchanges = wireExchanges(stream, client);
    expect(exchanges.map((exchange) => exchange.responseFrames[0])).toEqual([483, 536]);
    expect(exchanges[0]?.responseFrames).toContain(486);
    expect(exchanges[1]?.responseFrames).toContain(540);
  });
});
