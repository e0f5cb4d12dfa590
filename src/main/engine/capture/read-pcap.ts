/**
 * Classic pcap ("libpcap") parser, incremental.
 *
 * Spec: draft-ietf-opsawg-pcap §4 (file header) and §5 (packet record).
 *
 *   file header (24 bytes)                       record header (16 bytes, then caplen bytes of data)
 *   +-------------------------------+            +-------------------------------+
 *   | magic  a1b2c3d4 µs / a1b23c4d ns |  0       | ts seconds                    |  0
 *   | major 2 (16) | minor 4 (16)   |  4         | ts µs or ns (per magic)       |  4
 *   | reserved1 (thiszone)          |  8         | captured length               |  8
 *   | reserved2 (sigfigs)           | 12         | original length               | 12
 *   | snaplen                       | 16         +-------------------------------+
 *   | FCS/flags (16) | link type (16)| 20
 *   +-------------------------------+
 *
 * Byte order: whatever the writer's was; the magic read little-endian tells which.
 * `a1b2cd34` is Kuznetsov's "modified" pcap whose records carry 8 more header bytes.
 *
 * Why not pcap-parser (0.2.1), which the design names: it re-copies its whole buffer on
 * every chunk, rejects the nanosecond magic, has no length sanity check (a corrupt 3.9 GB
 * caplen makes it buffer the rest of the file), and only takes a file name or a Node stream
 * (no push API). bench/capture-read.ts measures it side by side; see the report figures.
 */
import {
  CaptureFormatError,
  NOT_A_CAPTURE_MESSAGE,
  MAX_RECORD_BYTES,
  RecordSlot,
  ViewCache,
  type FormatParser,
  type ParserHost,
} from './read-common';

export const PCAP_FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
/** Kuznetsov's patched libpcap adds ifindex(4), protocol(2), pkt_type(1), pad(1) */
const MODIFIED_RECORD_HEADER_BYTES = 24;

const MAGIC_MICROSECONDS = 0xa1b2c3d4;
const MAGIC_NANOSECONDS = 0xa1b23c4d;
const MAGIC_MODIFIED = 0xa1b2cd34;

function swap32(value: number): number {
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0;
}

/** True when the first four bytes (read big-endian) are a classic pcap magic in either byte order. */
export function isPcapMagic(bigEndianMagic: number): boolean {
  for (const magic of [MAGIC_MICROSECONDS, MAGIC_NANOSECONDS, MAGIC_MODIFIED]) {
    if (bigEndianMagic === magic || swap32(bigEndianMagic) === magic) return true;
  }
  return false;
}

export class PcapParser implements FormatParser {
  readonly format = 'pcap' as const;
  stopped = false;
  private headerRead = false;
  private littleEndian = true;
  private nanosecondsPerTick = 1000;
  private recordHeaderBytes = RECORD_HEADER_BYTES;
  /** pcap < 2.3 stored original length before captured length (libpcap and Wireshark swap them back) */
  private swapLengths: 'never' | 'always' | 'when-inverted' = 'never';
  private linkType = 0;
  private frame = 0;
  private readonly record = new RecordSlot();
  private readonly views = new ViewCache();

  constructor(private readonly host: ParserHost) {}

  parse(buffer: Uint8Array, start: number, end: number, fileOffset: number): number {
    const view = this.views.of(buffer);
    let position = start;
    if (!this.headerRead) {
      if (end - position < PCAP_FILE_HEADER_BYTES) return 0;
      this.readFileHeader(view, position);
      position += PCAP_FILE_HEADER_BYTES;
    }
    const little = this.littleEndian;
    const headerBytes = this.recordHeaderBytes;
    const record = this.record;
    record.linkType = this.linkType;
    while (end - position >= headerBytes) {
      const seconds = view.getUint32(position, little);
      const fraction = view.getUint32(position + 4, little);
      let capturedLength = view.getUint32(position + 8, little);
      let originalLength = view.getUint32(position + 12, little);
      if (this.swapLengths === 'always' || (this.swapLengths === 'when-inverted' && capturedLength > originalLength)) {
        const kept = capturedLength;
        capturedLength = originalLength;
        originalLength = kept;
      }
      if (capturedLength > MAX_RECORD_BYTES) {
        this.stopped = true;
        this.host.warn(
          'record-too-large',
          `record ${this.frame + 1} at offset ${fileOffset + position - start}: captured length ${capturedLength} is above ${MAX_RECORD_BYTES} bytes; the file is corrupt from here, reading stopped`,
          fileOffset + position - start,
        );
        return position - start;
      }
      if (end - position - headerBytes < capturedLength) break;
      const dataStart = position + headerBytes;
      this.frame += 1;
      record.frame = this.frame;
      record.tsSec = seconds;
      record.tsNsec = fraction * this.nanosecondsPerTick;
      record.capturedLength = capturedLength;
      record.originalLength = originalLength;
      record.buffer = buffer;
      record.start = dataStart;
      this.host.emit(record);
      position = dataStart + capturedLength;
    }
    return position - start;
  }

  private readFileHeader(view: DataView, position: number): void {
    const magicBig = view.getUint32(position, false);
    let magic: number;
    if (magicBig === MAGIC_MICROSECONDS || magicBig === MAGIC_NANOSECONDS || magicBig === MAGIC_MODIFIED) {
      this.littleEndian = false;
      magic = magicBig;
    } else {
      this.littleEndian = true;
      magic = swap32(magicBig);
    }
    if (magic !== MAGIC_MICROSECONDS && magic !== MAGIC_NANOSECONDS && magic !== MAGIC_MODIFIED) {
      throw new CaptureFormatError('not-a-capture', NOT_A_CAPTURE_MESSAGE);
    }
    this.nanosecondsPerTick = magic === MAGIC_NANOSECONDS ? 1 : 1000;
    this.recordHeaderBytes = magic === MAGIC_MODIFIED ? MODIFIED_RECORD_HEADER_BYTES : RECORD_HEADER_BYTES;
    const major = view.getUint16(position + 4, this.littleEndian);
    const minor = view.getUint16(position + 6, this.littleEndian);
    if (major !== 2) {
      throw new CaptureFormatError('unsupported-version', `unsupported pcap version ${major}.${minor} (only 2.x exists)`);
    }
    this.swapLengths = minor < 3 ? 'always' : minor === 3 ? 'when-inverted' : 'never';
    const snapLength = view.getUint32(position + 16, this.littleEndian);
    // the upper 16 bits carry FCS length and flags (draft-ietf-opsawg-pcap §4, LinkType and additional information)
    this.linkType = view.getUint32(position + 20, this.littleEndian) & 0xffff;
    this.headerRead = true;
    this.host.addInterface({
      id: 0,
      section: 0,
      linkType: this.linkType,
      snapLength,
      unitsPerSecond: magic === MAGIC_NANOSECONDS ? 1e9 : 1e6,
      offsetSeconds: 0,
    });
  }
}
