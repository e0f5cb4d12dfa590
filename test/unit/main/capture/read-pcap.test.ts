import { describe, expect, it } from 'vitest';
import { createCaptureReader } from '@engine/capture/read-capture';
import { CaptureFormatError, MAX_RECORD_BYTES, NOT_A_CAPTURE_MESSAGE } from '@engine/capture/read-common';
import type { CaptureRecord } from '@engine/capture/types';
import { IPV4_TCP, hex, pcapFile } from './capture-bytes';

interface Kept extends Omit<CaptureRecord, 'data' | 'buffer' | 'start'> {
  bytes: number[];
}

/** Reads `bytes` pushed in chunks of `chunkBytes`, copying each record (its data is only valid in the callback). */
function readAll(bytes: Uint8Array, chunkBytes = bytes.length) {
  const records: Kept[] = [];
  const reader = createCaptureReader(({ data, buffer: _buffer, start: _start, ...rest }) => records.push({ ...rest, bytes: [...data] }));
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) reader.push(bytes.subarray(offset, offset + chunkBytes));
  const summary = reader.end();
  return { records, summary };
}

const twoRecords = [
  { seconds: 1_700_000_000, fraction: 250_000, data: IPV4_TCP },
  { seconds: 1_700_000_001, fraction: 999_999, data: hex('0102030405') },
];

describe('classic pcap reader', () => {
  it('reads little-endian microsecond files: frames from 1, times in ns, link type, lengths', () => {
    const { records, summary } = readAll(pcapFile({ linkType: 101 }, twoRecords));
    expect(summary).toMatchObject({ format: 'pcap', linkTypes: [101], records: 2, warnings: [], incomplete: false });
    expect(records.map((record) => [record.frame, record.tsSec, record.tsNsec, record.linkType, record.capturedLength])).toEqual([
      [1, 1_700_000_000, 250_000_000, 101, IPV4_TCP.length],
      [2, 1_700_000_001, 999_999_000, 101, 5],
    ]);
    expect(records[1]!.bytes).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads big-endian and nanosecond files alike', () => {
    const { records } = readAll(
      pcapFile({ littleEndian: false, nanoseconds: true }, [{ seconds: 7, fraction: 123_456_789, data: hex('aabb') }]),
    );
    expect(records).toEqual([expect.objectContaining({ frame: 1, tsSec: 7, tsNsec: 123_456_789, linkType: 1, bytes: [0xaa, 0xbb] })]);
  });

  it('gives the same records whatever the chunking (one byte at a time included)', () => {
    const file = pcapFile({}, twoRecords);
    const whole = readAll(file).records;
    for (const chunkBytes of [1, 3, 16, 17, 40]) expect(readAll(file, chunkBytes).records).toEqual(whole);
  });

  it('keeps records cut by the snaplen: captured below original length is normal', () => {
    const { records, summary } = readAll(
      pcapFile({ snapLength: 4 }, [{ seconds: 1, fraction: 0, data: hex('01020304'), originalLength: 1514 }]),
    );
    expect(records[0]).toMatchObject({ capturedLength: 4, originalLength: 1514 });
    expect(summary.warnings).toEqual([]);
  });

  it('swaps the two lengths of pcap 2.2 and earlier, as libpcap and Wireshark do', () => {
    const file = pcapFile({ minor: 2 }, [{ seconds: 1, fraction: 0, data: hex('0102'), originalLength: 60 }]);
    // written as captured 2 / original 60 in a 2.4 layout; a 2.2 reader takes the fields the other way round
    const view = new DataView(file.buffer);
    view.setUint32(24 + 8, 60, true);
    view.setUint32(24 + 12, 2, true);
    expect(readAll(file).records[0]).toMatchObject({ capturedLength: 2, originalLength: 60 });
  });

  it('warns on a file cut in the middle of a record and delivers every complete record before it', () => {
    const file = pcapFile({}, twoRecords);
    const { records, summary } = readAll(file.subarray(0, file.length - 2));
    expect(records).toHaveLength(1);
    expect(summary.incomplete).toBe(true);
    expect(summary.warnings).toEqual([expect.objectContaining({ code: 'truncated', offset: 24 + 16 + IPV4_TCP.length })]);
  });

  it(`stops with a warning at a record longer than ${MAX_RECORD_BYTES} bytes (a corrupt length), not waiting for it`, () => {
    const file = pcapFile({}, twoRecords);
    new DataView(file.buffer).setUint32(24 + 16 + IPV4_TCP.length + 8, 3_925_868_813, true);
    const { records, summary } = readAll(file);
    expect(records).toHaveLength(1);
    expect(summary.warnings[0]).toMatchObject({ code: 'record-too-large' });
    expect(summary.warnings[0]!.message).toContain('3925868813');
  });

  it('rejects a bad magic, an empty input and a cut-short file header with clear errors', () => {
    expect(() => readAll(hex('00112233 44556677'))).toThrow(new CaptureFormatError('not-a-capture', NOT_A_CAPTURE_MESSAGE));
    expect(() => readAll(new Uint8Array(0))).toThrow(/empty file/);
    expect(() => readAll(pcapFile({}, []).subarray(0, 10))).toThrow(/header cut short/);
  });

  it('refuses pcap major versions other than 2', () => {
    const file = pcapFile({}, []);
    new DataView(file.buffer).setUint16(4, 1, true);
    expect(() => readAll(file)).toThrow(expect.objectContaining({ code: 'unsupported-version' }));
  });

  it('masks the FCS bits above the 16-bit link type', () => {
    const file = pcapFile({ linkType: 0x4000_0000 }, []);
    expect(readAll(file).summary.linkTypes).toEqual([0]);
  });

  it("reads Kuznetsov's modified pcap (magic a1b2cd34), whose record headers are 8 bytes longer", () => {
    const header = pcapFile({}, []);
    new DataView(header.buffer).setUint32(0, 0xa1b2cd34, true);
    const recordHeader = new DataView(new ArrayBuffer(24));
    recordHeader.setUint32(0, 5, true);
    recordHeader.setUint32(4, 10, true);
    recordHeader.setUint32(8, 2, true);
    recordHeader.setUint32(12, 2, true);
    const file = new Uint8Array([...header, ...new Uint8Array(recordHeader.buffer), 0xca, 0xfe]);
    expect(readAll(file).records).toEqual([expect.objectContaining({ frame: 1, tsSec: 5, tsNsec: 10_000, bytes: [0xca, 0xfe] })]);
  });
});
