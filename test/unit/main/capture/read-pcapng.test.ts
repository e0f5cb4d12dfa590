import { describe, expect, it } from 'vitest';
import { createCaptureReader } from '@engine/capture/read-capture';
import type { CaptureRecord } from '@engine/capture/types';
import { block, concat, enhancedPacket, hex, interfaceBlock, option, sectionHeader } from './capture-bytes';

function readAll(bytes: Uint8Array, chunkBytes = bytes.length) {
  const records: (Omit<CaptureRecord, 'data' | 'buffer' | 'start'> & { bytes: number[] })[] = [];
  const reader = createCaptureReader(({ data, buffer: _buffer, start: _start, ...rest }) => records.push({ ...rest, bytes: [...data] }));
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) reader.push(bytes.subarray(offset, offset + chunkBytes));
  return { records, summary: reader.end() };
}

function int64(value: bigint, littleEndian = true): Uint8Array {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigInt64(0, value, littleEndian);
  return new Uint8Array(view.buffer);
}

const NANOSECONDS = option(9, hex('09'));
/** if_tsresol with the MSB set: 2^-20 s units */
const BINARY_RESOLUTION = option(9, hex('94'));
const NAME_RESOLUTION_BLOCK = block(4, hex('0000 0000'));
const STATISTICS_BLOCK = block(5, hex('00000000 00000000 00000000'));
const CUSTOM_BLOCK = block(0x40000bad, hex('0000 7ed9 ffff'));

describe('pcapng reader', () => {
  it('reads several interfaces, each with its own link type, resolution and offset', () => {
    const file = concat(
      sectionHeader(),
      interfaceBlock(1),
      interfaceBlock(113, [NANOSECONDS]),
      interfaceBlock(101, [BINARY_RESOLUTION, option(14, int64(100n))]),
      enhancedPacket(0, 1_700_000_000_250_000n, hex('01')),
      enhancedPacket(1, 1_700_000_000_123_456_789n, hex('0203')),
      enhancedPacket(2, (5n << 20n) + (1n << 19n), hex('04')),
    );
    const { records, summary } = readAll(file);
    expect(summary).toMatchObject({ format: 'pcapng', linkTypes: [1, 113, 101], records: 3, warnings: [] });
    expect(records.map((record) => [record.frame, record.interfaceId, record.linkType, record.tsSec, record.tsNsec, record.bytes])).toEqual(
      [
        [1, 0, 1, 1_700_000_000, 250_000_000, [1]],
        [2, 1, 113, 1_700_000_000, 123_456_789, [2, 3]],
        [3, 2, 101, 105, 500_000_000, [4]],
      ],
    );
  });

  it('reads big-endian sections, and a new section header resets the interfaces and the byte order', () => {
    const file = concat(
      sectionHeader(false),
      interfaceBlock(1, [], false),
      enhancedPacket(0, 2_000_000n, hex('aa'), false),
      sectionHeader(true),
      interfaceBlock(228),
      enhancedPacket(0, 3_000_000n, hex('bb')),
    );
    const { records, summary } = readAll(file, 7);
    expect(records.map((record) => [record.linkType, record.tsSec, record.bytes])).toEqual([
      [1, 2, [0xaa]],
      [228, 3, [0xbb]],
    ]);
    expect(summary.interfaces.map((description) => [description.section, description.id])).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('reads simple packet blocks (interface 0, length from the block and the snaplen) and obsolete packet blocks', () => {
    const simple = block(3, concat(hex('0000 05dc'), hex('0102030405060708')), false);
    const obsoleteBody = new DataView(new ArrayBuffer(20));
    obsoleteBody.setUint16(0, 0, false);
    obsoleteBody.setUint32(8, 1_000_000, false);
    obsoleteBody.setUint32(12, 2, false);
    obsoleteBody.setUint32(16, 2, false);
    const obsolete = block(2, concat(new Uint8Array(obsoleteBody.buffer), hex('0909')), false);
    const file = concat(sectionHeader(false), interfaceBlock(1, [], false, 6), simple, obsolete);
    const { records } = readAll(file);
    expect(
      records.map((record) => [record.frame, record.capturedLength, record.originalLength, record.tsSec, record.bytes.length]),
    ).toEqual([
      [1, 6, 1500, 0, 6],
      [2, 2, 2, 1, 2],
    ]);
  });

  it('skips name-resolution, statistics, custom and unknown blocks', () => {
    const file = concat(
      sectionHeader(),
      NAME_RESOLUTION_BLOCK,
      interfaceBlock(1),
      CUSTOM_BLOCK,
      enhancedPacket(0, 0n, hex('01')),
      STATISTICS_BLOCK,
      block(0x77, hex('01')),
    );
    const { records, summary } = readAll(file, 5);
    expect(records).toHaveLength(1);
    expect(summary.warnings).toEqual([]);
  });

  it('warns and stops at a block with a bad length, delivering what came before', () => {
    const bad = block(6, hex('00000000'));
    new DataView(bad.buffer).setUint32(4, 13, true);
    const { records, summary } = readAll(
      concat(sectionHeader(), interfaceBlock(1), enhancedPacket(0, 0n, hex('01')), bad, enhancedPacket(0, 0n, hex('02'))),
    );
    expect(records).toHaveLength(1);
    expect(summary.warnings).toEqual([expect.objectContaining({ code: 'bad-block-length' })]);
  });

  it('warns and stops at an option that runs past its block (libpcap shb-option-too-long)', () => {
    const header = sectionHeader();
    const withOption = concat(header.subarray(0, 24), hex('0300 3030'), header.subarray(24));
    new DataView(withOption.buffer).setUint32(4, withOption.length, true);
    new DataView(withOption.buffer).setUint32(withOption.length - 4, withOption.length, true);
    const { records, summary } = readAll(concat(withOption, interfaceBlock(1), enhancedPacket(0, 0n, hex('01'))));
    expect(records).toHaveLength(0);
    expect(summary.warnings[0]!.message).toMatch(/runs past the end of its block/);
  });

  it('warns and stops at a packet naming an interface never described', () => {
    const { records, summary } = readAll(concat(sectionHeader(), interfaceBlock(1), enhancedPacket(3, 0n, hex('01'))));
    expect(records).toHaveLength(0);
    expect(summary.warnings).toEqual([expect.objectContaining({ code: 'unknown-interface' })]);
  });

  it('warns on a file cut inside a block', () => {
    const file = concat(sectionHeader(), interfaceBlock(1), enhancedPacket(0, 0n, hex('01')), enhancedPacket(0, 0n, hex('02')));
    const { records, summary } = readAll(file.subarray(0, file.length - 3));
    expect(records).toHaveLength(1);
    expect(summary.warnings).toEqual([expect.objectContaining({ code: 'truncated' })]);
  });
});
