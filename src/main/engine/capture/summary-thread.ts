/**
 * The analysis on two cores: the calling thread reads, decodes and runs the TCP analysis (each
 * segment's stream, side and Wireshark flags), and hands every segment, with those verdicts, to a
 * second thread that builds the stream summaries (HTTP/1 boundaries, TLS, HTTP/2, probes). Both
 * stages keep file order, so the summaries are the ones a single thread makes.
 *
 * Segments travel in batches in shared memory: the fields the summarizer reads, and the bytes
 * their payloads lie in. Most segments' payloads lie in the read chunk they came from: a batch
 * copies the stretch of that chunk its segments' payloads span, once (one memcpy of about a
 * megabyte), instead of each payload byte by byte; a payload in another buffer (a reassembled IP
 * datagram) is copied on its own after that stretch. A batch therefore ends with its chunk
 * (`endChunk`, before the reader refills the chunk's buffer). The calling thread stays at most
 * MAX_BATCHES_IN_FLIGHT batches ahead (a shared counter), so a slow second thread bounds the memory
 * instead of letting batches pile up.
 */
import { NOT_FOR_HTTP, StreamSummarizer } from './stream-summarizer';
import { StreamSummaries } from './stream-summaries';
import { emptySegment } from './decode';
import { StartLines } from './start-lines';
import type { TcpSegment } from './types';

/**
 * Segments per batch at most: large enough that a message costs nothing per segment. A batch also
 * ends with its read chunk (1 MiB: about 7,000 segments of the bench's loopback capture).
 */
const BATCH_SEGMENTS = 8_192;
/**
 * Batches sent and not yet summarized at most: the ring's slots (about 1.6 MB each). Enough for the
 * first thread to run ahead while the second one starts and its code warms up: with 6 it waited
 * about 100 ms in all on the bench capture, with 16 about 35 ms (1.29–1.40 → 1.18–1.29 s).
 */
const MAX_BATCHES_IN_FLIGHT = 16;
/** A slot's payload bytes at first (a read chunk's stretch and the payloads copied one by one); grown when a batch needs more. */
const SLOT_PAYLOAD_BYTES = 1152 * 1024;
/** Payload bytes copied one by one (not from the batch's chunk) before the batch is sent early. */
const MAX_OWN_PAYLOAD_BYTES = 1024 * 1024;
/**
 * A batch's source buffer with at most this many payloads gives way to a new buffer (its payloads are
 * then copied on their own): a chunk's first records come from the reader's carried bytes, the rest
 * from the chunk itself.
 */
const MAX_YIELDING_SOURCE_PAYLOADS = 64;
/** How long the calling thread waits for the second one to take a batch before it gives up, ms. */
const STALL_TIMEOUT_MS = 120_000;

/** Int32 fields per segment in a batch. */
const FRAME = 0;
const STREAM = 1;
const SOURCE = 2;
const DESTINATION = 3;
const SOURCE_PORT = 4;
const DESTINATION_PORT = 5;
const SEQ = 6;
const TCP_FLAGS = 7;
const PAYLOAD_LENGTH = 8;
const CAPTURED_PAYLOAD = 9;
const ANALYSIS_FLAGS = 10;
const SIDE = 11;
/** where the payload starts: in the chunk's stretch (relative to its first byte), or in the own-payload area (see OWN_PAYLOAD) */
const PAYLOAD_START = 12;
const FIELDS = 13;
const FROM_A = 1;
const DUPLICATE = 2;
/** the payload was copied on its own: PAYLOAD_START counts from the end of the chunk's stretch */
const OWN_PAYLOAD = 4;

/** One batch's memory, shared with the second thread (SharedArrayBuffer): written here, read there. */
export interface BatchSlot {
  fields: Int32Array;
  times: Float64Array;
  payload: Uint8Array;
}

/** What the second thread sends back when the capture ends. */
export interface SummaryThreadResult {
  summaries: StreamSummaries;
  /** frame numbers of the segments that completed an HTTP header block: positive a request, negative a response */
  headerFrames: Int32Array;
  /** frame → start line, for the first `maxStartLines` header blocks */
  startLines: StartLines;
}

/**
 * A slot is sent once (again when its payload grows): a batch then names its slot, so a message
 * carries no memory of its own.
 */
export type SummaryThreadMessage =
  | { kind: 'slot'; index: number; slot: BatchSlot }
  /** `ownStart`: where the payloads copied one by one begin, after the chunk's stretch */
  | { kind: 'batch'; index: number; count: number; payloadBytes: number; ownStart: number }
  | { kind: 'finish'; addresses: string[] };

function sharedSlot(payloadBytes: number): BatchSlot {
  return {
    fields: new Int32Array(new SharedArrayBuffer(BATCH_SEGMENTS * FIELDS * Int32Array.BYTES_PER_ELEMENT)),
    times: new Float64Array(new SharedArrayBuffer(BATCH_SEGMENTS * Float64Array.BYTES_PER_ELEMENT)),
    payload: new Uint8Array(new SharedArrayBuffer(payloadBytes)),
  };
}

/**
 * Writes segments into batches on the calling thread. The batches live in a ring of
 * MAX_BATCHES_IN_FLIGHT shared slots, written once and reused: fresh memory for every batch would
 * cost more in page faults (about 3.5 ms per MB on this VM) than the second thread saves.
 */
export class BatchWriter {
  private readonly slots: BatchSlot[] = [];
  private slot: BatchSlot;
  private slotIndex = 0;
  private count = 0;
  private sent = 0;
  /** the buffer the batch's chunk-backed payloads lie in, and the stretch of it they span */
  private source: Uint8Array | null = null;
  private sourceStart = 0;
  private sourceEnd = 0;
  /** payloads in `source` so far, and the first row written since it became the source */
  private sourcePayloads = 0;
  private sourceFirstRow = 0;
  /** payloads copied one by one (not in `source`), kept here until the batch is sent */
  private own = new Uint8Array(64 * 1024);
  private ownUsed = 0;

  /** `consumed[0]`: batches the second thread has summarized (it adds and notifies). */
  constructor(
    private readonly post: (message: SummaryThreadMessage) => void,
    private readonly consumed: Int32Array,
  ) {
    this.slot = this.slotFor(0);
  }

  add(segment: TcpSegment, stream: number, analysisFlags: number, fromA: boolean, duplicate: boolean): void {
    // only the bytes the summarizer reads: a payload not already seen (see NOT_FOR_HTTP)
    const captured = (analysisFlags & NOT_FOR_HTTP) === 0 ? segment.capturedPayloadLength : 0;
    const base = this.count * FIELDS;
    const fields = this.slot.fields;
    let side = (fromA ? FROM_A : 0) | (duplicate ? DUPLICATE : 0);
    let payloadStart = 0;
    if (captured > 0) {
      const data = segment.data;
      const start = segment.payloadOffset;
      if (data !== this.source && (this.source === null || this.sourcePayloads <= MAX_YIELDING_SOURCE_PAYLOADS))
        this.changeSource(data, start);
      if (data === this.source && start >= this.sourceStart) {
        payloadStart = start - this.sourceStart;
        if (start + captured > this.sourceEnd) this.sourceEnd = start + captured;
        this.sourcePayloads += 1;
      } else {
        payloadStart = this.keepOwn(data, start, captured);
        side |= OWN_PAYLOAD;
      }
    }
    fields[base + FRAME] = segment.frame;
    fields[base + STREAM] = stream;
    fields[base + SOURCE] = segment.srcAddress;
    fields[base + DESTINATION] = segment.dstAddress;
    fields[base + SOURCE_PORT] = segment.srcPort;
    fields[base + DESTINATION_PORT] = segment.dstPort;
    fields[base + SEQ] = segment.seq;
    fields[base + TCP_FLAGS] = segment.flags;
    fields[base + PAYLOAD_LENGTH] = segment.payloadLength;
    fields[base + CAPTURED_PAYLOAD] = captured;
    fields[base + ANALYSIS_FLAGS] = analysisFlags;
    fields[base + SIDE] = side;
    fields[base + PAYLOAD_START] = payloadStart;
    this.slot.times[this.count] = segment.time;
    this.count += 1;
    if (this.count === BATCH_SEGMENTS || this.ownUsed > MAX_OWN_PAYLOAD_BYTES) this.flush();
  }

  /** `data` becomes the batch's source buffer; the few payloads of the one before are copied on their own. */
  private changeSource(data: Uint8Array, start: number): void {
    const old = this.source;
    if (old !== null && this.sourcePayloads > 0) {
      const stretchAt = this.keepOwn(old, this.sourceStart, this.sourceEnd - this.sourceStart);
      const fields = this.slot.fields;
      for (let row = this.sourceFirstRow; row < this.count; row++) {
        const base = row * FIELDS;
        if ((fields[base + SIDE]! & OWN_PAYLOAD) !== 0 || fields[base + CAPTURED_PAYLOAD] === 0) continue;
        fields[base + PAYLOAD_START]! += stretchAt;
        fields[base + SIDE]! |= OWN_PAYLOAD;
      }
    }
    this.source = data;
    this.sourceStart = start;
    this.sourceEnd = start;
    this.sourcePayloads = 0;
    this.sourceFirstRow = this.count;
  }

  /** A payload outside the batch's chunk, copied now (its buffer may be reused before the batch is sent); returns its place. */
  private keepOwn(data: Uint8Array, start: number, length: number): number {
    const used = this.ownUsed;
    if (used + length > this.own.length) {
      const grown = new Uint8Array(Math.max(used + length, 2 * this.own.length));
      grown.set(this.own.subarray(0, used));
      this.own = grown;
    }
    this.own.set(data.subarray(start, start + length), used);
    this.ownUsed = used + length;
    return used;
  }

  /** The reader is about to reuse the chunk's buffer: the batch goes now, with its stretch of the chunk. */
  endChunk(): void {
    this.flush();
  }

  /** Sends what is written (the chunk's stretch and the own payloads copied in), then waits until the next slot is free (summarized). */
  flush(): void {
    if (this.count === 0) return;
    const stretch = this.source === null ? 0 : this.sourceEnd - this.sourceStart;
    const payloadBytes = stretch + this.ownUsed;
    if (payloadBytes > this.slot.payload.length) {
      this.slot.payload = new Uint8Array(new SharedArrayBuffer(payloadBytes));
      this.post({ kind: 'slot', index: this.slotIndex, slot: this.slot });
    }
    if (this.source !== null) this.slot.payload.set(this.source.subarray(this.sourceStart, this.sourceEnd), 0);
    if (this.ownUsed > 0) this.slot.payload.set(this.own.subarray(0, this.ownUsed), stretch);
    this.post({ kind: 'batch', index: this.slotIndex, count: this.count, payloadBytes, ownStart: stretch });
    this.sent += 1;
    this.count = 0;
    this.source = null;
    this.ownUsed = 0;
    const deadline = Date.now() + STALL_TIMEOUT_MS;
    for (;;) {
      const consumed = Atomics.load(this.consumed, 0);
      if (this.sent - consumed < MAX_BATCHES_IN_FLIGHT) break;
      // the second thread adds and notifies after each batch
      Atomics.wait(this.consumed, 0, consumed, 1000);
      if (Date.now() > deadline) throw new Error(`the stream-summary thread took no batch for ${STALL_TIMEOUT_MS / 1000} s`);
    }
    this.slot = this.slotFor(this.sent % MAX_BATCHES_IN_FLIGHT);
  }

  private slotFor(index: number): BatchSlot {
    this.slotIndex = index;
    let slot = this.slots[index];
    if (slot === undefined) {
      slot = sharedSlot(SLOT_PAYLOAD_BYTES);
      this.slots[index] = slot;
      this.post({ kind: 'slot', index, slot });
    }
    return slot;
  }
}

/** The second thread's side: batches in, the summarizer fed in file order, results out at the end. */
export class BatchReader {
  private readonly summarizer = new StreamSummarizer();
  private headerFrames = new Int32Array(1024);
  private headerCount = 0;
  readonly startLines = new StartLines();
  /** one segment object for every batch row: the summarizer copies what it keeps */
  // only the fields the summarizer reads are filled from a batch; the rest stay empty
  private readonly segment = emptySegment();

  constructor(private readonly maxStartLines: number) {}

  private readonly slots: BatchSlot[] = [];

  /** A slot the writer made (or gave a bigger payload). */
  addSlot(index: number, slot: BatchSlot): void {
    this.slots[index] = slot;
  }

  /** the batch's payload bytes, copied out of shared memory once: the parsers then read plain memory */
  private payload = new Uint8Array(SLOT_PAYLOAD_BYTES);

  /** Summarizes the batch in slot `index`: its first `count` segments and `payloadBytes` payload bytes. */
  read(index: number, count: number, payloadBytes: number, ownStart: number): void {
    const { fields, times, payload: shared } = this.slots[index]!;
    if (this.payload.length < payloadBytes) this.payload = new Uint8Array(payloadBytes);
    this.payload.set(shared.subarray(0, payloadBytes));
    const segment = this.segment;
    segment.data = this.payload;
    for (let row = 0; row < count; row++) {
      const base = row * FIELDS;
      segment.frame = fields[base + FRAME]!;
      segment.time = times[row]!;
      segment.srcAddress = fields[base + SOURCE]!;
      segment.dstAddress = fields[base + DESTINATION]!;
      segment.srcPort = fields[base + SOURCE_PORT]!;
      segment.dstPort = fields[base + DESTINATION_PORT]!;
      segment.seq = fields[base + SEQ]! >>> 0;
      segment.flags = fields[base + TCP_FLAGS]!;
      segment.payloadLength = fields[base + PAYLOAD_LENGTH]!;
      segment.capturedPayloadLength = fields[base + CAPTURED_PAYLOAD]!;
      const side = fields[base + SIDE]!;
      segment.payloadOffset = fields[base + PAYLOAD_START]! + ((side & OWN_PAYLOAD) !== 0 ? ownStart : 0);
      const stream = fields[base + STREAM]!;
      const http = this.summarizer.add(segment, stream, fields[base + ANALYSIS_FLAGS]!, (side & FROM_A) !== 0, (side & DUPLICATE) !== 0);
      if (http === null) continue;
      if (this.headerCount === this.headerFrames.length) {
        const grown = new Int32Array(2 * this.headerFrames.length);
        grown.set(this.headerFrames);
        this.headerFrames = grown;
      }
      this.headerFrames[this.headerCount++] = http.request ? segment.frame : -segment.frame;
      if (this.startLines.size < this.maxStartLines) this.startLines.add(segment.frame, http.startLine);
    }
  }

  finish(addresses: readonly string[]): SummaryThreadResult {
    const summaries = this.summarizer.finish({ count: addresses.length, text: (id) => addresses[id] ?? '' });
    return { summaries, headerFrames: this.headerFrames.slice(0, this.headerCount), startLines: this.startLines };
  }
}

/** A StreamSummaries that crossed a thread (a plain object): the class again. */
export function summariesFromMessage(plain: StreamSummaries): StreamSummaries {
  return Object.assign(new StreamSummaries(), plain);
}
