/**
 * The streaming capture reader: bytes in (`push(chunk)` … `end()`), `CaptureRecord`s out.
 * The format is decided by the first four bytes (never by the file name): pcapng's section
 * header type 0x0A0D0D0A, else one of classic pcap's magics in either byte order.
 * The reader itself holds one record (or pcapng block) beyond the chunk it parses: a record that
 * straddles two chunks is the only thing it copies. (A file's read buffers are the caller's choice:
 * two by default, a ring of shared ones when the analysis runs on two threads.)
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

/** Bytes of the next chunk first joined to a carried record, doubled until it completes. */
const FIRST_JOIN_BYTES = 256;

/**
 * The bytes a parse left unconsumed (the start of a record that straddles two chunks): kept and
 * joined with just as much of the next chunk as completes the record, so a chunk's other records
 * are parsed where they lie and only the straddling ones are ever copied. Two buffers, used in
 * turn: the records parsed from one (handed on with their bytes) stay intact while the next
 * chunk's tail is kept in the other.
 */
class CarryOver {
  private readonly buffers = [new Uint8Array(0), new Uint8Array(0)];
  private current = 0;
  length = 0;

  get buffer(): Uint8Array {
    return this.buffers[this.current]!;
  }

  /** Keeps `source[start, end)` as the carried bytes, in the buffer not used last. */
  keep(source: Uint8Array, start: number, end: number): void {
    this.current = 1 - this.current;
    const length = end - start;
    if (this.buffer.length < length) this.buffers[this.current] = new Uint8Array(Math.max(length, this.buffer.length * 2));
    this.buffer.set(source.subarray(start, end), 0);
    this.length = length;
  }

  /** Appends `chunk[from, to)` to the carried bytes. */
  append(chunk: Uint8Array, from: number, to: number): void {
    const total = this.length + to - from;
    if (this.buffer.length < total) {
      const grown = new Uint8Array(Math.max(total, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length), 0);
      this.buffers[this.current] = grown;
    }
    this.buffer.set(chunk.subarray(from, to), this.length);
    this.length = total;
  }

  /** After a parse of the carried bytes consumed `used` of them: keep the rest. */
  consumed(used: number): void {
    this.buffer.copyWithin(0, used, this.length);
    this.length -= used;
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
    const from = this.carry.length === 0 ? 0 : this.joinCarried(chunk);
    if (from < 0) return;
    const used = this.consume(chunk, from, chunk.length);
    this.byteCount += used;
    if (!this.parser?.stopped) this.carry.keep(chunk, from + used, chunk.length);
  }

  /**
   * Completes the carried record with the fewest of `chunk`'s first bytes (256, then twice as many,
   * up to the whole chunk); returns where the rest of `chunk` is to be parsed, or -1 when nothing is
   * left to parse (all of it carried on, or the parser stopped).
   */
  private joinCarried(chunk: Uint8Array): number {
    const carry = this.carry;
    let taken = 0;
    for (let step = FIRST_JOIN_BYTES; ; step *= 2) {
      const take = Math.min(chunk.length - taken, step);
      carry.append(chunk, taken, taken + take);
      taken += take;
      const used = this.consume(carry.buffer, 0, carry.length);
      this.byteCount += used;
      if (this.parser?.stopped) {
        carry.clear();
        return -1;
      }
      const remaining = carry.length - used;
      // what is left unparsed lies in the chunk: parse on there
      if (remaining <= taken) {
        carry.clear();
        return taken - remaining;
      }
      carry.consumed(used);
      if (taken === chunk.length) return -1;
    }
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
  /**
   * A file's next read buffer, of at least `chunkBytes` (default: two buffers used in turn). Called
   * before each read; the buffer returned must not be one whose records are still being parsed.
   * It may come later (a promise): the reader waits between two chunks.
   */
  chunkBuffer?: (chunkBytes: number) => Uint8Array | Promise<Uint8Array>;
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

/** The default read buffers: two, used in turn. */
function twoBuffersInTurn(): (chunkBytes: number) => Uint8Array {
  const buffers: Uint8Array[] = [];
  let current = 0;
  return (chunkBytes) => {
    current = 1 - current;
    let buffer = buffers[current];
    if (buffer === undefined || buffer.length < chunkBytes) {
      buffer = new Uint8Array(chunkBytes);
      buffers[current] = buffer;
    }
    return buffer;
  };
}

/**
 * Reads a capture file in chunks (never the whole file in memory), through two read buffers unless
 * `chunkBuffer` gives others: the next chunk is being read while the reader works on this one, so
 * the thread never waits on the disk (or the page cache) between chunks.
 */
export async function readCaptureFile(path: string, options: ReadCaptureOptions): Promise<CaptureReadSummary> {
  const handle = await openRegularFile(path, MAX_CAPTURE_FILE_BYTES);
  const chunkBytes = options.chunkBytes ?? FILE_CHUNK_BYTES;
  const takeBuffer = options.chunkBuffer ?? twoBuffersInTurn();
  /** the read in flight, so a failed or abandoned read is awaited before the file closes */
  let inFlight: Promise<{ bytesRead: number }> | null = null;
  try {
    const { size } = await handle.stat();
    async function* chunks(): AsyncGenerator<Uint8Array> {
      let buffer = await takeBuffer(chunkBytes);
      inFlight = handle.read(buffer, 0, chunkBytes, null);
      for (;;) {
        const { bytesRead } = await inFlight;
        inFlight = null;
        if (bytesRead === 0) return;
        const filled = buffer;
        // the reader is done with the chunk before this one (it copies what it keeps): with the default
        // two buffers the next read reuses that one's; `chunkBuffer` decides otherwise
        buffer = await takeBuffer(chunkBytes);
        inFlight = handle.read(buffer, 0, chunkBytes, null);
        yield filled.subarray(0, bytesRead);
      }
    }
    return await readCaptureStream(chunks(), options, size);
  } finally {
    await (inFlight as Promise<unknown> | null)?.catch(() => undefined);
    await handle.close();
  }
}
