import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSyntheticCapture } from '../../../../bench/make-capture';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { readCaptureFile } from '@engine/capture/read-capture';
import { createDecoder } from '@engine/capture/decode';
import { TCP_FIN, TCP_RST, TCP_SYN } from '@engine/capture/types';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('bench synthetic capture writer', () => {
  it('writes a loopback pcap our reader reads back whole: handshakes, data, probes, FIN and RST closes', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'make-capture-'));
    folders.push(folder);
    const file = path.join(folder, 'synthetic.pcap');
    const bytes = writeSyntheticCapture(file, 5000);
    const decoder = createDecoder();
    let syn = 0;
    let fin = 0;
    let rst = 0;
    let data = 0;
    const summary = await readCaptureFile(file, {
      onRecord(record) {
        const result = decoder.decode(record);
        if (!result.ok) throw new Error(`frame ${record.frame}: ${result.reason}`);
        const { flags, payloadLength, src } = result.segment;
        expect(src).toBe('127.0.0.1');
        if (flags & TCP_SYN) syn += 1;
        if (flags & TCP_FIN) fin += 1;
        if (flags & TCP_RST) rst += 1;
        if (payloadLength > 0) data += 1;
      },
    });
    expect(summary).toMatchObject({ format: 'pcap', records: 5000, bytes, warnings: [] });
    expect(syn).toBeGreaterThan(100);
    expect(fin).toBeGreaterThan(50);
    expect(rst).toBeGreaterThan(0);
    expect(data).toBeGreaterThan(1000);
    // the payloads are real HTTP/1.1: every data segment is one request or one response
    const analysis = await analyzeCaptureFile(file);
    const requests = analysis.streams.reduce((sum, stream) => sum + stream.httpRequests, 0);
    const responses = analysis.streams.reduce((sum, stream) => sum + stream.httpResponses, 0);
    expect(requests + responses).toBe(data);
    expect(Math.abs(requests - responses)).toBeLessThanOrEqual(analysis.streams.length);
  });

  it('writes a second group of streams two days later, none spanning the gap (a merged capture)', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'make-capture-'));
    folders.push(folder);
    const file = path.join(folder, 'two-groups.pcap');
    const twoDaysS = 2 * 86_400;
    writeSyntheticCapture(file, 2000, { shortConnections: true, secondGroup: { fromConnection: 150, afterSeconds: twoDaysS } });
    const analysis = await analyzeCaptureFile(file);
    const [first, second] = analysis.timeGroups;
    expect(analysis.timeGroups).toHaveLength(2);
    expect(second!.startS - first!.endS).toBeGreaterThanOrEqual(twoDaysS);
    const firstStart = analysis.streams[0]!.firstTime;
    const inFirst = analysis.streams.filter((stream) => stream.lastTime - firstStart <= first!.endS);
    const inSecond = analysis.streams.filter((stream) => stream.firstTime - firstStart >= second!.startS);
    expect(inFirst.map((stream) => stream.stream)).toEqual(Array.from({ length: 150 }, (_, index) => index));
    expect(inFirst.length + inSecond.length).toBe(analysis.streams.length);
    expect(inSecond[0]?.stream).toBe(150);
  });
});
