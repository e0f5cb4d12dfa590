/**
 * Per-packet columns for big captures: a few bytes a packet in typed arrays instead of an
 * object each (3 M packets ≈ 57 MB), plus level-of-detail bins for the timeline.
 * The columns stay flat (callers index them directly). To avoid doubling — which copies every
 * column and holds old and new at once (a 3 M-packet table peaked at 2 × 80 MB) — the reader
 * projects the packet count from the file size and `reserve`s it once; growth past a projection
 * is by half, not by double.
 */
import { reservedCapacity, resizeColumns } from './columns';
import {
  ANALYSIS_KEEP_ALIVE,
  ANALYSIS_KEEP_ALIVE_ACK,
  ANALYSIS_RETRANSMISSION,
  ANALYSIS_FAST_RETRANSMISSION,
  ANALYSIS_SPURIOUS_RETRANSMISSION,
} from './tcp-flags';

const INITIAL_CAPACITY = 4096;
/** growth factor when a projection was too low: small, since the projection is usually close */
const GROWTH_FACTOR = 1.5;
/** stream column value for a frame that carries no TCP segment */
export const NO_STREAM = -1;
/** `marks` bits: sent by the stream's A side; the packet completes an HTTP request's / response's header block */
export const PACKET_FROM_A = 0x01;
export const PACKET_HTTP_REQUEST = 0x02;
export const PACKET_HTTP_RESPONSE = 0x04;

export class PacketTable {
  length = 0;
  /** seconds since the first packet */
  time = new Float64Array(INITIAL_CAPACITY);
  /** tcp.stream, or NO_STREAM */
  stream = new Int32Array(INITIAL_CAPACITY);
  /** TCP_* header flags */
  tcpFlags = new Uint8Array(INITIAL_CAPACITY);
  /** TCP payload bytes (tcp.len) */
  payload = new Uint32Array(INITIAL_CAPACITY);
  /** ANALYSIS_* bits */
  analysis = new Uint16Array(INITIAL_CAPACITY);
  /** seq and ack relative to each side's base, and the window as Wireshark calculates it (the Info column) */
  relativeSeq = new Uint32Array(INITIAL_CAPACITY);
  relativeAck = new Uint32Array(INITIAL_CAPACITY);
  window = new Uint32Array(INITIAL_CAPACITY);
  /** PACKET_FROM_A, PACKET_HTTP_REQUEST, PACKET_HTTP_RESPONSE bits */
  marks = new Uint8Array(INITIAL_CAPACITY);

  push(time: number, stream: number, tcpFlags: number, payload: number, analysis: number): void {
    if (this.length === this.time.length) this.grow();
    const index = this.length++;
    this.time[index] = time;
    this.stream[index] = stream;
    this.tcpFlags[index] = tcpFlags;
    this.payload[index] = payload;
    this.analysis[index] = analysis;
  }

  /** The last pushed packet's Info-column fields (its `marks` may gain HTTP bits later, see markLast). */
  setTcpFields(relativeSeq: number, relativeAck: number, window: number, fromA: boolean): void {
    const index = this.length - 1;
    this.relativeSeq[index] = relativeSeq;
    this.relativeAck[index] = relativeAck;
    this.window[index] = window;
    this.marks[index] = fromA ? PACKET_FROM_A : 0;
  }

  /** Adds `bits` (PACKET_HTTP_*) to the last pushed packet. */
  markLast(bits: number): void {
    this.marks[this.length - 1]! |= bits;
  }

  /**
   * Makes room for `capacity` packets in one step (no-op when there is room already): the
   * analysis calls it with its projection of the file's packet count.
   */
  reserve(wanted: number): void {
    const capacity = reservedCapacity(this.time.length, wanted);
    if (capacity !== this.time.length) this.resize(capacity);
  }

  /** Bytes held by the columns (for memory reports). */
  get bytes(): number {
    return (
      this.time.byteLength +
      this.stream.byteLength +
      this.tcpFlags.byteLength +
      this.payload.byteLength +
      this.analysis.byteLength +
      this.relativeSeq.byteLength +
      this.relativeAck.byteLength +
      this.window.byteLength +
      this.marks.byteLength
    );
  }

  private grow(): void {
    this.resize(Math.ceil(this.time.length * GROWTH_FACTOR));
  }

  private resize(capacity: number): void {
    resizeColumns(this, this.time.length, capacity, this.length);
  }
}

export interface TimelineBin {
  /** seconds since the first packet, start of the bin */
  start: number;
  packets: number;
  payloadBytes: number;
  keepAlives: number;
  keepAliveAcks: number;
  retransmissions: number;
  /** packets with any other analysis flag */
  otherFlagged: number;
}

const RETRANSMISSIONS = ANALYSIS_RETRANSMISSION | ANALYSIS_FAST_RETRANSMISSION | ANALYSIS_SPURIOUS_RETRANSMISSION;

/**
 * `binCount` equal bins over [from, to) seconds, optionally for one stream. One pass over the
 * columns; packets out of time order land in the bin of their own time.
 */
export function timelineBins(table: PacketTable, from: number, to: number, binCount: number, stream?: number): TimelineBin[] {
  const count = Math.max(1, Math.min(binCount, 100_000));
  const width = to > from ? (to - from) / count : 1;
  const bins: TimelineBin[] = Array.from({ length: count }, (_, index) => ({
    start: from + index * width,
    packets: 0,
    payloadBytes: 0,
    keepAlives: 0,
    keepAliveAcks: 0,
    retransmissions: 0,
    otherFlagged: 0,
  }));
  for (let index = 0; index < table.length; index++) {
    if (stream !== undefined && table.stream[index] !== stream) continue;
    const time = table.time[index] ?? 0;
    if (time < from || time >= to) continue;
    const bin = bins[Math.min(count - 1, Math.floor((time - from) / width))];
    if (bin === undefined) continue;
    const flags = table.analysis[index] ?? 0;
    bin.packets += 1;
    bin.payloadBytes += table.payload[index] ?? 0;
    if (flags & ANALYSIS_KEEP_ALIVE) bin.keepAlives += 1;
    if (flags & ANALYSIS_KEEP_ALIVE_ACK) bin.keepAliveAcks += 1;
    if (flags & RETRANSMISSIONS) bin.retransmissions += 1;
    if (flags & ~(ANALYSIS_KEEP_ALIVE | ANALYSIS_KEEP_ALIVE_ACK | RETRANSMISSIONS)) bin.otherFlagged += 1;
  }
  return bins;
}
