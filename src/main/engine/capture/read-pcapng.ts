/**
 * pcapng parser, incremental. Spec: draft-ietf-opsawg-pcapng §3 (block layout), §4.1 SHB,
 * §4.2 IDB (if_tsresol code 9, if_tsoffset code 14), §4.3 EPB, §4.4 SPB, Appendix A PB (obsolete).
 *
 *   every block                            SHB body                         EPB body
 *   +----------------------------+         +-------------------------+      +---------------------------+
 *   | block type (32)            |  0      | byte-order magic 1A2B3C4D |  8 | interface id (32)         |  8
 *   | block total length (32)    |  4      | major (16) | minor (16) | 12   | timestamp high (32)       | 12
 *   | body ... (padded to 32 bit)|  8      | section length (64)     | 16   | timestamp low (32)        | 16
 *   | block total length (32)    | len-4   | options                 | 24   | captured length (32)      | 20
 *   +----------------------------+         +-------------------------+      | original length (32)      | 24
 *                                                                           | data, padded; options     | 28
 *   IDB body: link type (16) | reserved (16) | snaplen (32) | options       +---------------------------+
 *   SPB body: original length (32) | data       PB body: if id (16) | drops (16) | ts hi | ts lo | caplen | len | data
 *
 * Each SHB starts a section with its own byte order and its own interface list.
 */
import {
  CaptureFormatError,
  NOT_A_CAPTURE_MESSAGE,
  MAX_BLOCK_BYTES,
  MAX_RECORD_BYTES,
  hex32,
  type CaptureInterface,
  type FormatParser,
  type ParserHost,
  RecordSlot,
  ViewCache,
} from './read-common';
import { splitTimestamp, unitsPerSecondFromResolution } from './timestamp';

export const PCAPNG_SHB_TYPE = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BLOCK_PACKET_OBSOLETE = 0x00000002;
const BLOCK_IDB = 0x00000001;
const BLOCK_SPB = 0x00000003;
const BLOCK_EPB = 0x00000006;
const OPTION_END = 0;
const OPTION_IF_TSRESOL = 9;
const OPTION_IF_TSOFFSET = 14;
/** type + length + trailing length */
const BLOCK_OVERHEAD_BYTES = 12;
/** room for the fixed packet-block fields and options around MAX_RECORD_BYTES of data */
const MAX_PACKET_BLOCK_BYTES = MAX_RECORD_BYTES + 64 * 1024;

export class PcapngParser implements FormatParser {
  readonly format = 'pcapng' as const;
  stopped = false;
  private littleEndian = true;
  private section = -1;
  private interfaces: CaptureInterface[] = [];
  private frame = 0;
  private readonly record = new RecordSlot();
  private readonly views = new ViewCache();

  constructor(private readonly host: ParserHost) {}

  parse(buffer: Uint8Array, start: number, end: number, fileOffset: number): number {
    const view = this.views.of(buffer);
    let position = start;
    while (!this.stopped && end - position >= BLOCK_OVERHEAD_BYTES) {
      const offset = fileOffset + position - start;
      const type = view.getUint32(position, this.littleEndian);
      const isSectionHeader = view.getUint32(position, false) === PCAPNG_SHB_TYPE;
      if (isSectionHeader) {
        const magic = view.getUint32(position + 8, true);
        if (magic === BYTE_ORDER_MAGIC) this.littleEndian = true;
        else if (magic === 0x4d3c2b1a) this.littleEndian = false;
        else return this.fail(position - start, offset, `section header with a bad byte-order magic ${hex32(magic)}`);
      } else if (this.section < 0) {
        throw new CaptureFormatError('not-a-capture', NOT_A_CAPTURE_MESSAGE);
      }
      const length = view.getUint32(position + 4, this.littleEndian);
      const limit = type === BLOCK_EPB || type === BLOCK_SPB || type === BLOCK_PACKET_OBSOLETE ? MAX_PACKET_BLOCK_BYTES : MAX_BLOCK_BYTES;
      if (length < BLOCK_OVERHEAD_BYTES || length % 4 !== 0 || length > limit) {
        const code = length > limit ? 'record-too-large' : 'bad-block-length';
        this.stopped = true;
        this.host.warn(
          code,
          `block ${hex32(type)} at offset ${offset} has a bad length ${length}; the file is corrupt from here, reading stopped`,
          offset,
        );
        return position - start;
      }
      if (end - position < length) break;
      if (view.getUint32(position + length - 4, this.littleEndian) !== length) {
        return this.fail(
          position - start,
          offset,
          `block ${hex32(type)} at offset ${offset}: trailing length differs from leading length ${length}`,
        );
      }
      const bodyStart = position + 8;
      const bodyEnd = position + length - 4;
      if (isSectionHeader) this.readSectionHeader(view, bodyStart, bodyEnd, offset);
      else if (type === BLOCK_IDB) this.readInterface(view, bodyStart, bodyEnd, offset);
      else if (type === BLOCK_EPB) this.readEnhancedPacket(buffer, view, bodyStart, bodyEnd, offset);
      else if (type === BLOCK_SPB) this.readSimplePacket(buffer, view, bodyStart, bodyEnd, offset);
      else if (type === BLOCK_PACKET_OBSOLETE) this.readObsoletePacket(buffer, view, bodyStart, bodyEnd, offset);
      // NRB, ISB, DSB, custom, systemd journal and unknown blocks carry no frames: skipped
      if (this.stopped) return position - start;
      position += length;
    }
    return position - start;
  }

  private fail(consumed: number, offset: number, message: string): number {
    this.stopped = true;
    this.host.warn('bad-block', `${message}; reading stopped`, offset);
    return consumed;
  }

  private readSectionHeader(view: DataView, bodyStart: number, bodyEnd: number, offset: number): void {
    const minimumBody = 16;
    if (bodyEnd - bodyStart < minimumBody) {
      this.failBlock(offset, 'section header block too short');
      return;
    }
    const major = view.getUint16(bodyStart + 4, this.littleEndian);
    if (major !== 1) {
      if (this.section < 0) throw new CaptureFormatError('unsupported-version', `unsupported pcapng version ${major}`);
      this.failBlock(offset, `section header with unsupported version ${major}`);
      return;
    }
    if (!this.walkOptions(view, bodyStart + minimumBody, bodyEnd, offset, null)) return;
    this.section += 1;
    this.interfaces = [];
  }

  private readInterface(view: DataView, bodyStart: number, bodyEnd: number, offset: number): void {
    if (bodyEnd - bodyStart < 8) {
      this.failBlock(offset, 'interface description block too short');
      return;
    }
    const description: CaptureInterface = {
      id: this.interfaces.length,
      section: this.section,
      linkType: view.getUint16(bodyStart, this.littleEndian),
      snapLength: view.getUint32(bodyStart + 4, this.littleEndian),
      unitsPerSecond: 1e6,
      offsetSeconds: 0,
    };
    const ok = this.walkOptions(view, bodyStart + 8, bodyEnd, offset, (code, valueStart, valueLength) => {
      if (code === OPTION_IF_TSRESOL && valueLength >= 1) {
        description.unitsPerSecond = unitsPerSecondFromResolution(view.getUint8(valueStart));
      } else if (code === OPTION_IF_TSOFFSET && valueLength >= 8) {
        description.offsetSeconds = Number(view.getBigInt64(valueStart, this.littleEndian));
      }
    });
    if (!ok) return;
    this.interfaces.push(description);
    this.host.addInterface(description);
  }

  /**
   * Enhanced (§4.3) and obsolete (Appendix A) packet blocks share their layout after the first
   * word: interface id (32 bits; obsolete: 16 + a 16-bit drops count), timestamp high and low,
   * captured length, original length, then the data.
   */
  private readEnhancedPacket(buffer: Uint8Array, view: DataView, bodyStart: number, bodyEnd: number, offset: number): void {
    if (bodyEnd - bodyStart < 20) return this.failBlock(offset, 'enhanced packet block too short');
    this.readPacketFields(buffer, view, bodyStart, bodyEnd, offset, view.getUint32(bodyStart, this.littleEndian));
  }

  private readObsoletePacket(buffer: Uint8Array, view: DataView, bodyStart: number, bodyEnd: number, offset: number): void {
    if (bodyEnd - bodyStart < 20) return this.failBlock(offset, 'packet block too short');
    this.readPacketFields(buffer, view, bodyStart, bodyEnd, offset, view.getUint16(bodyStart, this.littleEndian));
  }

  private readPacketFields(
    buffer: Uint8Array,
    view: DataView,
    bodyStart: number,
    bodyEnd: number,
    offset: number,
    interfaceId: number,
  ): void {
    const little = this.littleEndian;
    const description = this.interfaceFor(interfaceId, offset);
    if (!description) return;
    const capturedLength = view.getUint32(bodyStart + 12, little);
    const originalLength = view.getUint32(bodyStart + 16, little);
    if (capturedLength > bodyEnd - bodyStart - 20)
      return this.failBlock(offset, `packet data (${capturedLength} bytes) overruns its block`);
    this.emitPacket(
      buffer,
      description,
      view.getUint32(bodyStart + 4, little),
      view.getUint32(bodyStart + 8, little),
      bodyStart + 20,
      capturedLength,
      originalLength,
    );
  }

  private readSimplePacket(buffer: Uint8Array, view: DataView, bodyStart: number, bodyEnd: number, offset: number): void {
    if (bodyEnd - bodyStart < 4) return this.failBlock(offset, 'simple packet block too short');
    const description = this.interfaceFor(0, offset);
    if (!description) return;
    const originalLength = view.getUint32(bodyStart, this.littleEndian);
    // no captured-length field: min(original, snaplen), never past the block (spec §4.4)
    let capturedLength = Math.min(originalLength, bodyEnd - bodyStart - 4);
    if (description.snapLength > 0) capturedLength = Math.min(capturedLength, description.snapLength);
    this.emitPacket(buffer, description, -1, -1, bodyStart + 4, capturedLength, originalLength);
  }

  /** `high` < 0 means no timestamp (SPB): time 0 */
  private emitPacket(
    buffer: Uint8Array,
    description: CaptureInterface,
    high: number,
    low: number,
    dataStart: number,
    capturedLength: number,
    originalLength: number,
  ): void {
    let tsSec = 0;
    let tsNsec = 0;
    if (high >= 0) {
      const split = splitTimestamp(high, low, description.unitsPerSecond);
      tsSec = split.seconds + description.offsetSeconds;
      tsNsec = split.nanoseconds;
    }
    this.frame += 1;
    const record = this.record;
    record.frame = this.frame;
    record.tsSec = tsSec;
    record.tsNsec = tsNsec;
    record.linkType = description.linkType;
    record.interfaceId = description.id;
    record.capturedLength = capturedLength;
    record.originalLength = originalLength;
    record.buffer = buffer;
    record.start = dataStart;
    this.host.emit(record);
  }

  private interfaceFor(interfaceId: number, offset: number): CaptureInterface | undefined {
    const description = this.interfaces[interfaceId];
    if (!description) {
      this.stopped = true;
      this.host.warn(
        'unknown-interface',
        `packet at offset ${offset} names interface ${interfaceId}, which no interface block described; reading stopped`,
        offset,
      );
    }
    return description;
  }

  private failBlock(offset: number, message: string): void {
    this.stopped = true;
    this.host.warn('bad-block', `${message} (block at offset ${offset}); reading stopped`, offset);
  }

  /** Walks code(16) length(16) value (padded to 32 bits) options; false (and stopped) when one overruns the block. */
  private walkOptions(
    view: DataView,
    start: number,
    end: number,
    offset: number,
    visit: ((code: number, valueStart: number, valueLength: number) => void) | null,
  ): boolean {
    let position = start;
    while (end - position >= 4) {
      const code = view.getUint16(position, this.littleEndian);
      const valueLength = view.getUint16(position + 2, this.littleEndian);
      if (code === OPTION_END) return true;
      const padded = (valueLength + 3) & ~3;
      if (position + 4 + padded > end) {
        this.failBlock(offset, `option ${code} of length ${valueLength} runs past the end of its block`);
        return false;
      }
      visit?.(code, position + 4, valueLength);
      position += 4 + padded;
    }
    return true;
  }
}
