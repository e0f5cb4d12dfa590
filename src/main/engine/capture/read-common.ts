/**
 * What the classic-pcap and pcapng parsers share: limits, warnings, the fatal error,
 * and the small parser interface the streaming reader (read-capture.ts) drives.
 */
import type { CaptureRecord } from './types';

/**
 * Largest packet we accept, in bytes (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD and libpcap's
 * MAXIMUM_SNAPLEN are both 262144). A larger captured length means a corrupt length field:
 * we warn and stop rather than buffer gigabytes waiting for a record that will never end.
 */
export const MAX_RECORD_BYTES = 256 * 1024;

/**
 * Largest pcapng block, in bytes, of any type. Packet blocks are further held to
 * MAX_RECORD_BYTES of data; this bounds name-resolution, decryption-secret and custom blocks
 * (Wireshark stops at a similar bound) so a bad length cannot make us buffer the whole file.
 */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

export type CaptureFormat = 'pcap' | 'pcapng';

export type CaptureWarningCode = 'truncated' | 'record-too-large' | 'bad-block-length' | 'bad-block' | 'unknown-interface';

/** A problem that ended the read early or was worked around; every complete record before it was delivered. */
export interface CaptureWarning {
  code: CaptureWarningCode;
  message: string;
  /** byte offset in the file where the problem was found */
  offset: number;
}

export type CaptureErrorCode = 'empty' | 'not-a-capture' | 'unsupported-version' | 'truncated-header' | 'corrupt-header';

/**
 * Why a file that is no capture was refused. It names no bytes of the file: the engine may run as
 * root, and an error must not tell a caller what a file it could not read holds.
 */
export const NOT_A_CAPTURE_MESSAGE = "not a pcap or pcapng capture (it does not start with a capture's magic number)";

/** The input cannot be read as a capture at all (nothing was delivered). */
export class CaptureFormatError extends Error {
  readonly code: CaptureErrorCode;
  constructor(code: CaptureErrorCode, message: string) {
    super(message);
    this.name = 'CaptureFormatError';
    this.code = code;
  }
}

/** One capture interface (classic pcap has exactly one). */
export interface CaptureInterface {
  /** pcapng interface id within its section (0 for classic pcap) */
  id: number;
  /** index of the pcapng section (0 for classic pcap) */
  section: number;
  linkType: number;
  /** bytes; 0 means no limit */
  snapLength: number;
  /** timestamp units per second (1e6 for µs, 1e9 for ns, 2^n for binary resolutions) */
  unitsPerSecond: number;
  /** seconds added to every timestamp (pcapng if_tsoffset) */
  offsetSeconds: number;
}

/** One DataView per buffer a parser is handed: the reader passes the same buffer many times in a row. */
export class ViewCache {
  private view: DataView | null = null;
  private buffer: Uint8Array | null = null;

  of(buffer: Uint8Array): DataView {
    if (this.buffer !== buffer || this.view === null) {
      this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      this.buffer = buffer;
    }
    return this.view;
  }
}

/** The one record object a parser fills for every frame it emits (see CaptureRecord). */
export class RecordSlot implements CaptureRecord {
  frame = 0;
  tsSec = 0;
  tsNsec = 0;
  linkType = 0;
  interfaceId = 0;
  capturedLength = 0;
  originalLength = 0;
  buffer: Uint8Array = new Uint8Array(0);
  start = 0;

  get data(): Uint8Array {
    return this.buffer.subarray(this.start, this.start + this.capturedLength);
  }
}

/** What a format parser reports back to the streaming reader. */
export interface ParserHost {
  /** called once per record, with the parser's reused RecordSlot: valid only during the call */
  emit(record: CaptureRecord): void;
  warn(code: CaptureWarningCode, message: string, offset: number): void;
  addInterface(description: CaptureInterface): void;
}

/**
 * A format parser consumes whole units (header, record, block) from `buffer[start, end)` and
 * returns how many bytes it consumed; it never keeps a reference to `buffer` after returning.
 * `fileOffset` is the file position of `buffer[start]`, for messages.
 */
export interface FormatParser {
  readonly format: CaptureFormat;
  parse(buffer: Uint8Array, start: number, end: number, fileOffset: number): number;
  /** true once a fatal problem was reported; the reader then ignores further input */
  readonly stopped: boolean;
}

export function hex32(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}
