/**
 * The streaming capture reader: bytes in (`push(chunk)` … `end()`), `CaptureRecord`s out.
 * The format is decided by the first four bytes (never by the file name): pcapng's section
 * header type 0x0A0D0D0A, else one of classic pcap's magics in either byte order.
 * Memory stays bounded by one record (or pcapng block) plus one chunk: a record that straddles
 * two chunks is the only thing ever copied.
 */
import { openRegularFile } from '../read-files';
import type { CaptureRecord } from './types';
import {
  CaptureFormatError,
  NOT_A_CAPTURE_MESSAGE,
  type CaptureFormat,
  type CaptureInterface,
  type CaptureWarning,
  type CaptureWarningCode,
  type FormatParser,
  type ParserHost,
} from './read-common';
import { PcapParser, isPcapMagic } from './read-pcap';
import { PCAPNG_SHB_TYPE, PcapngParser } from './read-pcapng';

/** Read size for files, in bytes: big enough that per-chunk costs vanish, small enough to stay cache-friendly. */
export const FILE_CHUNK_BYTES = 1024 * 1024;
/** Largest capture file opened, bytes: four times the web mode's upload cap, far past what the analysis holds in memory. */
export const MAX_CAPTURE_FILE_BYTES = 16 * 1024 ** 3;
const MAGIC_BYTES = 4;

export interface CaptureReadSummary {
  format: CaptureFormat;
  /** LINKTYPE_* numbers of every interface, in order of first appearance, without repeats */
  linkTypes: number[];
  interfaces: CaptureInterface[];
  /** records delivered */
  records: number;
  /** bytes consumed */
  bytes: number;
  warnings: CaptureWarning[];
  /** true when the input ended inside a record or a corrupt length stopped the read */
  incomplete: boolean;
}

export interface CaptureReader {
  /** Feeds the next bytes; delivers every record they complete. Throws CaptureFormatError for a non-capture. */
  push(chunk: Uint8Array): void;
  /** Ends the input. Throws CaptureFormatError for empty input or a cut-short file header. */
  end(): CaptureReadSummary;
  readonly records: number;
  readonly bytes: number;
  readonly warnings: readonly CaptureWarning[];
}

/**
 * The bytes a parse left unconsumed (the start of a record that straddles two chunks), kept at the
 * front of one growing buffer: the only bytes the reader ever copies.
 */
class CarryOver {
  private buffer = new Uint8Array(0);
  length = 0;

  /** Keeps `source[start, end)` as the carried bytes. */
  keep(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.buffer.length < length) this.buffer = new Uint8Array(Math.max(length, this.buffer.length * 2));
    this.buffer.set(source.subarray(start, end), 0);
    this.length = length;
  }

  /** The carried bytes followed by `chunk`, as one buffer holding `total` bytes from offset 0. */
  append(chunk: Uint8Array): { buffer: Uint8Array; total: number } {
    const total = this.length + chunk.length;
    if (this.buffer.length < total) {
      const grown = new Uint8Array(Math.max(total, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length), 0);
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    return { buffer: this.buffer, total };
  }

  /** After a parse of the appended buffer consumed `used` of `total` bytes: keep the rest. */
  consumed(used: number, total: number): void {
    this.buffer.copyWithin(0, used, total);
    this.length = total - used;
  }

  clear(): void {
    this.length = 0;
  }
}

class StreamingCaptureReader implements CaptureReader {
  private readonly warningList: CaptureWarning[] = [];
  private readonly interfaces: CaptureInterface[] = [];
  private readonly linkTypes: number[] = [];
  private recordCount = 0;
  private byteCount = 0;
  private parser: FormatParser | null = null;
  private readonly carry = new CarryOver();
  private ended = false;
  private readonly host: ParserHost;

  constructor(onRecord: (record: CaptureRecord) => void) {
    this.host = {
      emit: (record) => {
        this.recordCount += 1;
        onRecord(record);
      },
      warn: (code: CaptureWarningCode, message: string, offset: number) => {
        this.warningList.push({ code, message, offset });
      },
      addInterface: (description) => {
        this.interfaces.push(description);
        if (!this.linkTypes.includes(description.linkType)) this.linkTypes.push(description.linkType);
      },
    };
  }

  get records(): number {
    return this.recordCount;
  }

  get bytes(): number {
    return this.byteCount;
  }

  get warnings(): readonly CaptureWarning[] {
    return this.warningList;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('push() after end()');
    if (chunk.length === 0 || this.parser?.stopped) return;
    if (this.carry.length === 0) {
      const used = this.consume(chunk, 0, chunk.length);
      this.byteCount += used;
      if (!this.parser?.stopped) this.carry.keep(chunk, used, chunk.length);
      return;
    }
    const { buffer, total } = this.carry.append(chunk);
    const used = this.consume(buffer, 0, total);
    this.byteCount += used;
    if (this.parser?.stopped) this.carry.clear();
    else this.carry.consumed(used, total);
  }

  end(): CaptureReadSummary {
    this.ended = true;
    const parser = this.parser;
    const left = this.carry.length;
    if (!parser) {
      if (this.byteCount + left === 0) throw new CaptureFormatError('empty', 'empty file: 0 bytes, not a capture');
      throw new CaptureFormatError('truncated-header', `file too short to be a capture (${left} bytes)`);
    }
    let incomplete = parser.stopped;
    if (!parser.stopped && left > 0) {
      if (parser.format === 'pcap' && this.interfaces.length === 0) {
        throw new CaptureFormatError('truncated-header', `pcap file header cut short (${left} of 24 bytes)`);
      }
      incomplete = true;
      this.warningList.push({
        code: 'truncated',
        message: `the file was cut short in the middle of a ${parser.format === 'pcap' ? 'packet record' : 'block'}: ${left} bytes left at offset ${this.byteCount}; every complete packet before it was read`,
        offset: this.byteCount,
      });
    }
    const { interfaces, linkTypes, recordCount: records, byteCount: bytes, warningList: warnings } = this;
    return { format: parser.format, linkTypes, interfaces, records, bytes, warnings, incomplete };
  }

  /** The format is decided by the first four bytes, never by the file name. */
  private chooseParser(buffer: Uint8Array, start: number): FormatParser {
    const view = new DataView(buffer.buffer, buffer.byteOffset + start, MAGIC_BYTES);
    const magic = view.getUint32(0, false);
    if (magic === PCAPNG_SHB_TYPE) return new PcapngParser(this.host);
    if (isPcapMagic(magic)) return new PcapParser(this.host);
    throw new CaptureFormatError('not-a-capture', NOT_A_CAPTURE_MESSAGE);
  }

  private consume(buffer: Uint8Array, start: number, end: number): number {
    if (!this.parser) {
      if (end - start < MAGIC_BYTES) return 0;
      this.parser = this.chooseParser(buffer, start);
    }
    return this.parser.parse(buffer, start, end, this.byteCount);
  }
}

/** `onRecord` runs synchronously for every record; `record.data` is only valid during that call. */
export function createCaptureReader(onRecord: (record: CaptureRecord) => void): CaptureReader {
  return new StreamingCaptureReader(onRecord);
}

export interface ReadProgress {
  /** bytes read from the source so far */
  bytesRead: number;
  /** file size in bytes, null for a stream */
  totalBytes: number | null;
  records: number;
}

export interface ReadCaptureOptions {
  onRecord: (record: CaptureRecord) => void;
  /** called after every chunk */
  onProgress?: (progress: ReadProgress) => void;
  /** aborting rejects with the signal's reason between two chunks */
  signal?: AbortSignal;
  chunkBytes?: number;
}

/** Reads a capture from any byte stream (a file stream, tcpdump's stdout, …). */
export async function readCaptureStream(
  source: AsyncIterable<Uint8Array>,
  options: ReadCaptureOptions,
  totalBytes: number | null = null,
): Promise<CaptureReadSummary> {
  const reader = createCaptureReader(options.onRecord);
  let bytesRead = 0;
  for await (const chunk of source) {
    options.signal?.throwIfAborted();
    reader.push(chunk);
    bytesRead += chunk.length;
    options.onProgress?.({ bytesRead, totalBytes, records: reader.records });
  }
  options.signal?.throwIfAborted();
  return reader.end();
}

/**
 * Reads a capture file in chunks (never the whole file in memory) through two read buffers: the
 * next chunk is being read while the reader works on this one, so the thread never waits on the disk
 * (or the page cache) between chunks.
 */
export async function readCaptureFile(path: string, options: ReadCaptureOptions): Promise<CaptureReadSummary> {
  const handle = await openRegularFile(path, MAX_CAPTURE_FILE_BYTES);
  const chunkBytes = options.chunkBytes ?? FILE_CHUNK_BYTES;
  const buffers = [new Uint8Array(chunkBytes), new Uint8Array(chunkBytes)];
  /** the read in flight, so a failed or abandoned read is awaited before the file closes */
  let inFlight: Promise<{ bytesRead: number }> | null = null;
  try {
    const { size } = await handle.stat();
    async function* chunks(): AsyncGenerator<Uint8Array> {
      let current = 0;
      inFlight = handle.read(buffers[current]!, 0, chunkBytes, null);
      for (;;) {
        const { bytesRead } = await inFlight;
        inFlight = null;
        if (bytesRead === 0) return;
        const filled = buffers[current]!;
        current = 1 - current;
        // the reader is done with the other buffer (it copies what it keeps): refill it meanwhile
        inFlight = handle.read(buffers[current]!, 0, chunkBytes, null);
        yield filled.subarray(0, bytesRead);
      }
    }
    return await readCaptureStream(chunks(), options, size);
  } finally {
    await (inFlight as Promise<unknown> | null)?.catch(() => undefined);
    await handle.close();
  }
}
