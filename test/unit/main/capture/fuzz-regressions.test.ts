/**
 * Regression tests for what the parser fuzzer (test/fuzz/) found, each with its minimised input.
 * The fuzzer reports an input as base64 bytes or a FuzzCase; the inputs here are rebuilt by hand
 * from those so they stay readable.
 */
import { describe, expect, it } from 'vitest';
import { Http1Stream } from '@engine/capture/http1';
import { createCaptureReader } from '@engine/capture/read-capture';
import type { CaptureRecord } from '@engine/capture/types';
import { runPipeline } from '../../../fuzz/targets';

const encoder = new TextEncoder();

/** A little-endian classic pcap (µs) with one Ethernet/IPv4/TCP record whose µs field is `fraction`. */
function pcapWithFraction(fraction: number): Uint8Array {
  const frame = new Uint8Array(54);
  frame.set([0x08, 0x00], 12); // EtherType IPv4
  frame.set([0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1], 14); // IPv4, 40 bytes, TCP
  frame.set([0x1f, 0x90, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff], 34); // ports 8080 → 50000, SYN
  const bytes = new Uint8Array(24 + 16 + frame.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 65535, true);
  view.setUint32(20, 1, true); // LINKTYPE_ETHERNET
  view.setUint32(24, 1_630_659_999, true);
  view.setUint32(28, fraction, true);
  view.setUint32(32, frame.length, true);
  view.setUint32(36, frame.length, true);
  bytes.set(frame, 40);
  return bytes;
}

describe('fuzz regressions', () => {
  it('http1: a 256 KiB segment of 14,563 pipelined requests is counted in linear time (was a 22 s hang: the rest of the segment was re-decoded per message)', () => {
    const message = 'GET / HTTP/1.1\r\n\r\n';
    const payload = encoder.encode(message.repeat(Math.floor((256 * 1024) / message.length)));
    const stream = new Http1Stream();
    const started = performance.now();
    stream.feed('a', 1, payload);
    const elapsedMs = performance.now() - started;
    expect(stream.requests).toBe(14_563);
    // measured 22,229 ms before the fix and ~30 ms after, on the same machine; 3 s leaves room for a busy CI
    expect(elapsedMs).toBeLessThan(3000);
  });

  it('http1: a header block whose blank line falls at, across or after a decode-window edge is still found', () => {
    // the fix decodes 1 KiB, then 4 KiB, 16 KiB, … windows: put the terminator on each edge
    for (const padding of [0, 1000, 1019, 1020, 1021, 1022, 1023, 4091, 4092, 4093, 4094, 70 * 1024]) {
      const stream = new Http1Stream();
      stream.feed('a', 1, encoder.encode(`GET / HTTP/1.1\r\nX: ${'a'.repeat(padding)}\r\n\r\nGET /next HTTP/1.1\r\n\r\n`));
      expect(stream.requests, `padding ${padding}`).toBe(2);
    }
  });

  it('pcap: a µs field of 1,011,041 (suricata__transform-base64-7296.pcap frame 8) is passed on raw, as tshark prints it', () => {
    const records: Pick<CaptureRecord, 'tsSec' | 'tsNsec'>[] = [];
    const reader = createCaptureReader((record) => records.push({ tsSec: record.tsSec, tsNsec: record.tsNsec }));
    reader.push(pcapWithFraction(1_011_041));
    expect(reader.end().warnings).toEqual([]);
    // tshark: frame.time_epoch 1701999731.1011041000 for that frame — an unnormalised fraction, not an error
    expect(records).toEqual([{ tsSec: 1_630_659_999, tsNsec: 1_011_041_000 }]);
    expect(runPipeline(pcapWithFraction(1_011_041), [5, 1, 17])).toMatchObject({ records: 1, segments: 1, streams: 1 });
  });

  it('pcap: the same capture pushed in 1-byte chunks gives the same outcome as in one chunk', () => {
    const bytes = pcapWithFraction(10);
    expect(runPipeline(bytes, [1])).toEqual(runPipeline(bytes));
  });
});
