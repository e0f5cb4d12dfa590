/**
 * The analysis on two cores: the calling thread reads, decodes and runs the TCP analysis (each
 * segment's stream, side and Wireshark flags), and hands every record, each TCP segment with those
 * verdicts, to a second thread that builds the stream summaries (HTTP/1 boundaries, TLS, HTTP/2,
 * probes) and writes the packet table (every record's row, HTTP marks included). Both stages keep
 * file order, so the summaries and the table are the ones a single thread makes. The table moved
 * here to even out the threads' work: before the move, on the bench's 3.04 M-packet capture, the
 * first thread had about 780 ms of stages and this one 590, the table's stage about 90 ms; after
 * it, two threads took 1.03–1.06 s instead of 1.25–1.30 s.
 *
 * Records travel in batches in shared memory: the fields the summarizer and the table read, and
 * where the payloads lie. The file is read into a ring of shared chunk buffers (`takeChunk`), so a payload
 * that lies in its read chunk — almost all of them — is read by the second thread where it lies:
 * no payload byte is copied. Copying each chunk's payload stretch into the batch cost the first
 * thread about 160 ms on the bench's 435 MB capture (2.7 GB/s into memory the cache no longer held).
 * A payload in another buffer (a record carried across two chunks, a reassembled IP datagram) is
 * copied into the batch on its own. A chunk buffer is refilled only once every batch that names it
 * is summarized, and the calling thread stays at most MAX_BATCHES_IN_FLIGHT batches ahead (a shared
 * counter), so a slow second thread bounds the memory instead of letting batches pile up.
 *
 * The calling thread waits only between two read chunks, with `Atomics.waitAsync`: its event loop
 * turns while it waits, so a second thread that dies hard (out of memory, `process.exit`) is
 * reported at once by its 'exit' or 'error' event, which a thread blocked in `Atomics.wait` would
 * receive only after its wait (the summary thread's client then ends the wait: `BatchWriter.stop`).
 */
import { NOT_FOR_HTTP, StreamSummarizer } from './stream-summarizer';
import { StreamSummaries } from './stream-summaries';
import { emptySegment } from './decode';
import { NO_STREAM, PACKET_HTTP_REQUEST, PACKET_HTTP_RESPONSE, PacketTable } from './packet-table';
import { StartLines } from './start-lines';
import type { InfoFields, SegmentEvidence } from './tcp-analysis';
import type { TcpSegment } from './types';

/**
 * Segments per batch at most: large enough that a message costs nothing per segment. A batch also
 * ends with its read chunk (1 MiB: about 7,000 segments of the bench's loopback capture).
 */
const BATCH_SEGMENTS = 8_192;
/**
 * Batches sent and not yet summarized at most: the ring's slots. Enough for the first thread to run
 * ahead while the second one starts and its code warms up: with 6 it waited about 100 ms in all on
 * the bench capture, with 16 about 35 ms (1.29–1.40 → 1.18–1.29 s).
 */
const MAX_BATCHES_IN_FLIGHT = 16;
/**
 * Shared read-chunk buffers: every batch in flight may name a different one, and the reader holds
 * two more (the chunk being parsed and the one being read ahead).
 */
const CHUNK_RING = MAX_BATCHES_IN_FLIGHT + 2;
/** A slot's bytes for payloads copied on their own at first; grown when a batch needs more. */
const SLOT_OWN_BYTES = 64 * 1024;
/** Payload bytes copied on their own before the batch is sent early. */
const MAX_OWN_PAYLOAD_BYTES = 1024 * 1024;
/** How long the calling thread waits for the second one to take a batch before it gives up, ms. */
const STALL_TIMEOUT_MS = 120_000;
/** One wait's bound, ms: the stall deadline is checked after each (a stop or a batch taken ends it at once). */
const WAIT_SLICE_MS = 1000;
/** What `consumed` is set to once the second thread failed or stopped: past every batch, so no wait goes on. */
export const FAILED_COUNT = 1 << 30;

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
/** where the payload starts: in the batch's chunk buffer, or in the slot's own bytes (see OWN_PAYLOAD) */
const PAYLOAD_START = 12;
/** the Info column's numbers (see InfoFields) */
const RELATIVE_SEQ = 13;
const RELATIVE_ACK = 14;
const WINDOW = 15;
const FIELDS = 16;
const FROM_A = 1;
const DUPLICATE = 2;
/** the payload was copied into the slot's own bytes (it did not lie in the batch's chunk buffer) */
const OWN_PAYLOAD = 4;
/** a record that carries no TCP segment: only its frame and time are set (a packet-table row) */
const NOT_TCP = 8;
/** a batch whose payloads all lie in the slot's own bytes */
const NO_CHUNK = -1;

/** One batch's memory, shared with the second thread (SharedArrayBuffer): written here, read there. */
export interface BatchSlot {
  fields: Int32Array;
  times: Float64Array;
  /** payloads copied on their own */
  own: Uint8Array;
}

/** What the second thread sends back when the capture ends. */
export interface SummaryThreadResult {
  summaries: StreamSummaries;
  /** the packet columns, every record's row (this thread writes them: it has each segment's verdicts anyway) */
  table: PacketTable;
  /** frame → start line, for the first `maxStartLines` header blocks */
  startLines: StartLines;
}

/**
 * A slot and a chunk buffer are sent once (a slot again when its own bytes grow): a batch then names
 * its slot and its chunk buffer, so a message carries no memory of its own.
 */
export type SummaryThreadMessage =
  | { kind: 'slot'; index: number; slot: BatchSlot }
  | { kind: 'chunk'; index: number; buffer: Uint8Array }
  /**
   * `chunk`: the chunk buffer the batch's payloads lie in, or NO_CHUNK; `startTime`: frame 1's time
   * (the packet table's times count from it); `rows`: the packet count the calling thread projects
   * for the file (the table reserves it once instead of growing)
   */
  | { kind: 'batch'; index: number; count: number; chunk: number; startTime: number; rows: number }
  | { kind: 'finish'; addresses: string[] };

function sharedSlot(ownBytes: number): BatchSlot {
  return {
    fields: new Int32Array(new SharedArrayBuffer(BATCH_SEGMENTS * FIELDS * Int32Array.BYTES_PER_ELEMENT)),
    times: new Float64Array(new SharedArrayBuffer(BATCH_SEGMENTS * Float64Array.BYTES_PER_ELEMENT)),
    own: new Uint8Array(new SharedArrayBuffer(ownBytes)),
  };
}

/**
 * Writes segments into batches on the calling thread. The batches live in shared slots, written once
 * and reused: fresh memory for every batch would cost more in page faults (about 3.5 ms per MB on
 * this VM) than the second thread saves. A batch sent within a chunk takes the oldest slot already
 * summarized, or a new one (it never waits there: see takeChunk), so there are at most
 * MAX_BATCHES_IN_FLIGHT slots plus the batches one read chunk makes (one or two of 1 MiB).
 */
export class BatchWriter {
  private readonly slots: BatchSlot[] = [];
  /** the slots of the batches sent and perhaps not yet summarized, oldest first */
  private readonly slotsInFlight: number[] = [];
  private slot: BatchSlot;
  private slotIndex = 0;
  private count = 0;
  private sent = 0;
  /** why the second thread stopped, once it has (stop) */
  private failure: Error | null = null;
  /** the shared read-chunk buffers, and for each the number of the last batch that named it (1-based; 0: none) */
  private readonly chunks: Uint8Array[] = [];
  private readonly chunkIndex = new Map<ArrayBufferLike, number>();
  private readonly lastBatchOf = new Int32Array(CHUNK_RING);
  private chunksTaken = 0;
  /** the buffer the last payload lay in, and its chunk index (NO_CHUNK: not a chunk buffer) */
  private source: Uint8Array | null = null;
  private sourceChunk = NO_CHUNK;
  /** the chunk buffer this batch's payloads lie in */
  private batchChunk = NO_CHUNK;
  private ownUsed = 0;
  /** frame 1's time, and the packet count projected for the file (sent with every batch) */
  startTime = 0;
  projectedRows = 0;

  /** `consumed[0]`: batches the second thread has summarized (it adds and notifies). */
  constructor(
    private readonly post: (message: SummaryThreadMessage) => void,
    private readonly consumed: Int32Array,
  ) {
    this.slot = this.nextSlot();
  }

  /**
   * The buffer the reader fills next (ReadCaptureOptions.chunkBuffer): the ring's next shared buffer,
   * once the second thread has summarized every batch that names it and this thread is fewer than
   * MAX_BATCHES_IN_FLIGHT batches ahead. The only place this thread waits: between two chunks.
   */
  async takeChunk(chunkBytes: number): Promise<Uint8Array> {
    const index = this.chunksTaken++ % CHUNK_RING;
    await this.waitUntilConsumed(Math.max(this.lastBatchOf[index]!, this.sent - MAX_BATCHES_IN_FLIGHT + 1));
    let buffer = this.chunks[index];
    if (buffer === undefined || buffer.length < chunkBytes) {
      if (buffer !== undefined) this.chunkIndex.delete(buffer.buffer);
      buffer = new Uint8Array(new SharedArrayBuffer(chunkBytes));
      this.chunks[index] = buffer;
      this.chunkIndex.set(buffer.buffer, index);
      this.post({ kind: 'chunk', index, buffer });
    }
    this.lastBatchOf[index] = 0;
    return buffer;
  }

  /** A TCP segment with the TCP analysis's verdicts on it. */
  add(segment: TcpSegment, evidence: SegmentEvidence & InfoFields, duplicate: boolean): void {
    const analysisFlags = evidence.flags;
    // only the bytes the summarizer reads: a payload not already seen (see NOT_FOR_HTTP)
    const captured = (analysisFlags & NOT_FOR_HTTP) === 0 ? segment.capturedPayloadLength : 0;
    const base = this.count * FIELDS;
    const fields = this.slot.fields;
    let side = (evidence.fromA ? FROM_A : 0) | (duplicate ? DUPLICATE : 0);
    let payloadStart = 0;
    if (captured > 0) {
      const data = segment.data;
      if (data !== this.source) {
        this.source = data;
        // a view of a whole chunk buffer starts at its first byte: the reader yields subarray(0, bytesRead)
        this.sourceChunk = data.byteOffset === 0 ? (this.chunkIndex.get(data.buffer) ?? NO_CHUNK) : NO_CHUNK;
      }
      const chunk = this.sourceChunk;
      if (chunk !== NO_CHUNK && (this.batchChunk === NO_CHUNK || this.batchChunk === chunk)) {
        this.batchChunk = chunk;
        payloadStart = segment.payloadOffset;
      } else {
        payloadStart = this.keepOwn(data, segment.payloadOffset, captured);
        side |= OWN_PAYLOAD;
      }
    }
    fields[base + FRAME] = segment.frame;
    fields[base + STREAM] = evidence.stream;
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
    fields[base + RELATIVE_SEQ] = evidence.relativeSeq;
    fields[base + RELATIVE_ACK] = evidence.relativeAck;
    fields[base + WINDOW] = evidence.calculatedWindow;
    this.slot.times[this.count] = segment.time;
    this.count += 1;
    if (this.count === BATCH_SEGMENTS || this.ownUsed > MAX_OWN_PAYLOAD_BYTES) this.flush();
  }

  /** A record without a TCP segment: only its packet-table row. */
  addOther(frame: number, time: number): void {
    const base = this.count * FIELDS;
    this.slot.fields[base + FRAME] = frame;
    this.slot.fields[base + SIDE] = NOT_TCP;
    this.slot.times[this.count] = time;
    this.count += 1;
    if (this.count === BATCH_SEGMENTS) this.flush();
  }

  /** A payload outside the batch's chunk buffer, copied into the slot now (its buffer may be reused before the batch is summarized); returns its place. */
  private keepOwn(data: Uint8Array, start: number, length: number): number {
    const used = this.ownUsed;
    if (used + length > this.slot.own.length) {
      const grown = new Uint8Array(new SharedArrayBuffer(Math.max(used + length, 2 * this.slot.own.length)));
      grown.set(this.slot.own.subarray(0, used));
      this.slot.own = grown;
      this.post({ kind: 'slot', index: this.slotIndex, slot: this.slot });
    }
    this.slot.own.set(data.subarray(start, start + length), used);
    this.ownUsed = used + length;
    return used;
  }

  /** The reader has parsed the chunk: the batch goes now, so the chunk buffer can be refilled once it is summarized. */
  endChunk(): void {
    this.flush();
  }

  /** Sends what is written and takes the next slot. */
  flush(): void {
    if (this.count === 0) return;
    this.post({
      kind: 'batch',
      index: this.slotIndex,
      count: this.count,
      chunk: this.batchChunk,
      startTime: this.startTime,
      rows: this.projectedRows,
    });
    this.sent += 1;
    this.slotsInFlight.push(this.slotIndex);
    if (this.batchChunk !== NO_CHUNK) this.lastBatchOf[this.batchChunk] = this.sent;
    this.count = 0;
    this.batchChunk = NO_CHUNK;
    this.ownUsed = 0;
    this.slot = this.nextSlot();
  }

  /**
   * The second thread stopped (its 'exit' or 'error' event, on this thread's event loop): a wait
   * under way ends now and rejects with `error`, and so does every later one.
   */
  stop(error: Error): void {
    this.failure ??= error;
    Atomics.store(this.consumed, 0, FAILED_COUNT);
    Atomics.notify(this.consumed, 0);
  }

  /**
   * Resolves once the second thread has summarized `batches` batches (it adds and notifies after
   * each); rejects once it stopped. Waits without blocking this thread's event loop (see the top).
   */
  private async waitUntilConsumed(batches: number): Promise<void> {
    const deadline = Date.now() + STALL_TIMEOUT_MS;
    for (;;) {
      if (this.failure !== null) throw this.failure;
      const consumed = Atomics.load(this.consumed, 0);
      if (consumed >= batches) return;
      const waiting = Atomics.waitAsync(this.consumed, 0, consumed, WAIT_SLICE_MS);
      if (waiting.async) await waiting.value;
      if (Date.now() > deadline) throw new Error(`the analysis thread took no batch for ${STALL_TIMEOUT_MS / 1000} s`);
    }
  }

  /** The oldest slot whose batch is summarized, or a new slot. */
  private nextSlot(): BatchSlot {
    const oldestBatch = this.sent - this.slotsInFlight.length + 1;
    if (this.slotsInFlight.length > 0 && Atomics.load(this.consumed, 0) >= oldestBatch) {
      this.slotIndex = this.slotsInFlight.shift()!;
      return this.slots[this.slotIndex]!;
    }
    const slot = sharedSlot(SLOT_OWN_BYTES);
    this.slotIndex = this.slots.length;
    this.slots.push(slot);
    this.post({ kind: 'slot', index: this.slotIndex, slot });
    return slot;
  }
}

/** The second thread's side: batches in, the summarizer fed and the packet table written in file order, results out at the end. */
export class BatchReader {
  private readonly summarizer = new StreamSummarizer();
  readonly table = new PacketTable();
  readonly startLines = new StartLines();
  /** one segment object for every batch row: the summarizer copies what it keeps */
  // only the fields the summarizer reads are filled from a batch; the rest stay empty
  private readonly segment = emptySegment();

  constructor(private readonly maxStartLines: number) {}

  private readonly slots: BatchSlot[] = [];
  private readonly chunks: Uint8Array[] = [];

  /** A slot the writer made (or gave more own bytes). */
  addSlot(index: number, slot: BatchSlot): void {
    this.slots[index] = slot;
  }

  /** A read-chunk buffer the writer made. */
  addChunk(index: number, buffer: Uint8Array): void {
    this.chunks[index] = buffer;
  }

  /**
   * Summarizes the batch in slot `index`: its first `count` segments, their payloads in chunk buffer
   * `chunk` or the slot's own bytes; and writes each record's packet-table row, as the single-thread
   * analysis does (analyze.ts, AnalysisSink.onRecord).
   */
  read(index: number, count: number, chunk: number, startTime: number, rows: number): void {
    const { fields, times, own } = this.slots[index]!;
    const table = this.table;
    table.reserve(rows);
    // the payloads are read where they lie, in shared memory (the writer refills the buffer only after this batch)
    const chunkData = chunk === NO_CHUNK ? own : this.chunks[chunk]!;
    const segment = this.segment;
    for (let row = 0; row < count; row++) {
      const base = row * FIELDS;
      const side = fields[base + SIDE]!;
      const time = times[row]!;
      if ((side & NOT_TCP) !== 0) {
        table.push(time - startTime, NO_STREAM, 0, 0, 0);
        continue;
      }
      segment.frame = fields[base + FRAME]!;
      segment.time = time;
      segment.srcAddress = fields[base + SOURCE]!;
      segment.dstAddress = fields[base + DESTINATION]!;
      segment.srcPort = fields[base + SOURCE_PORT]!;
      segment.dstPort = fields[base + DESTINATION_PORT]!;
      segment.seq = fields[base + SEQ]! >>> 0;
      segment.flags = fields[base + TCP_FLAGS]!;
      segment.payloadLength = fields[base + PAYLOAD_LENGTH]!;
      segment.capturedPayloadLength = fields[base + CAPTURED_PAYLOAD]!;
      segment.data = (side & OWN_PAYLOAD) !== 0 ? own : chunkData;
      segment.payloadOffset = fields[base + PAYLOAD_START]!;
      const stream = fields[base + STREAM]!;
      const analysisFlags = fields[base + ANALYSIS_FLAGS]!;
      const fromA = (side & FROM_A) !== 0;
      table.push(time - startTime, stream, segment.flags, segment.payloadLength, analysisFlags);
      table.setTcpFields(fields[base + RELATIVE_SEQ]! >>> 0, fields[base + RELATIVE_ACK]! >>> 0, fields[base + WINDOW]! >>> 0, fromA);
      const http = this.summarizer.add(segment, stream, analysisFlags, fromA, (side & DUPLICATE) !== 0);
      if (http === null) continue;
      table.markLast(http.request ? PACKET_HTTP_REQUEST : PACKET_HTTP_RESPONSE);
      if (this.startLines.size < this.maxStartLines) this.startLines.add(segment.frame, http.startLine);
    }
  }

  finish(addresses: readonly string[]): SummaryThreadResult {
    const summaries = this.summarizer.finish({ count: addresses.length, text: (id) => addresses[id] ?? '' });
    return { summaries, table: this.table, startLines: this.startLines };
  }
}

/** A StreamSummaries that crossed a thread (a plain object): the class again. */
export function summariesFromMessage(plain: StreamSummaries): StreamSummaries {
  return Object.assign(new StreamSummaries(), plain);
}
