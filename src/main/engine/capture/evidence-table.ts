/**
 * The evidence of flagged and near-miss segments, kept in typed arrays (about 50 bytes a
 * segment instead of an object each), in frame order, so a 3 M-packet capture with half a million
 * keep-alives stays small. `at(frame)` rebuilds the `SegmentEvidence` that tcp-reasons.ts explains.
 */
import { reservedCapacity, resizeColumns } from './columns';
import type { NearMiss, SegmentEvidence } from './tcp-analysis';

const INITIAL_CAPACITY = 1024;
/** uint32 values kept per entry in `numbers` */
const NUMBERS = 11;
const NEAR_MISSES: NearMiss[] = [
  'none',
  'control-flag-set',
  'payload-too-long',
  'next-seq-unknown',
  'seq-mismatch',
  'dup-ack-mid-connection',
];
const NEAR_MISS_CODE = Object.fromEntries(NEAR_MISSES.map((name, code) => [name, code])) as Record<NearMiss, number>;

export class EvidenceTable {
  length = 0;
  frame = new Uint32Array(INITIAL_CAPACITY);
  stream = new Int32Array(INITIAL_CAPACITY);
  flags = new Uint16Array(INITIAL_CAPACITY);
  tcpFlags = new Uint8Array(INITIAL_CAPACITY);
  nearMiss = new Uint8Array(INITIAL_CAPACITY);
  /** 1 when sent by the stream's A side */
  fromA = new Uint8Array(INITIAL_CAPACITY);
  /** seq, ack, payloadLength, window, nextSeq, lastAck, lastWindow, reverseWindow, reverseLastFlags, reverseLastAck, reverseMaxSeqToBeAcked */
  numbers = new Uint32Array(INITIAL_CAPACITY * NUMBERS);
  /** the other side's duplicate-ACK count (-1 = reported) */
  reverseDupAcks = new Int32Array(INITIAL_CAPACITY);

  push(evidence: SegmentEvidence): void {
    if (this.length === this.frame.length) this.grow();
    const index = this.length++;
    this.frame[index] = evidence.frame;
    this.stream[index] = evidence.stream;
    this.flags[index] = evidence.flags;
    this.tcpFlags[index] = evidence.tcpFlags;
    this.nearMiss[index] = NEAR_MISS_CODE[evidence.nearMiss];
    this.fromA[index] = evidence.fromA ? 1 : 0;
    const base = index * NUMBERS;
    const numbers = this.numbers;
    numbers[base] = evidence.seq;
    numbers[base + 1] = evidence.ack;
    numbers[base + 2] = evidence.payloadLength;
    numbers[base + 3] = evidence.window;
    numbers[base + 4] = evidence.nextSeq;
    numbers[base + 5] = evidence.lastAck;
    numbers[base + 6] = evidence.lastWindow;
    numbers[base + 7] = evidence.reverseWindow;
    numbers[base + 8] = evidence.reverseLastFlags;
    numbers[base + 9] = evidence.reverseLastAck;
    numbers[base + 10] = evidence.reverseMaxSeqToBeAcked;
    this.reverseDupAcks[index] = evidence.reverseDupAcks;
  }

  /** The evidence kept for `frame`, or null (frames are pushed in increasing order: binary search). */
  at(frame: number): SegmentEvidence | null {
    let low = 0;
    let high = this.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const value = this.frame[middle] ?? 0;
      if (value === frame) return this.read(middle);
      if (value < frame) low = middle + 1;
      else high = middle - 1;
    }
    return null;
  }

  private read(index: number): SegmentEvidence {
    const number = (offset: number) => this.numbers[index * NUMBERS + offset] ?? 0;
    return {
      frame: this.frame[index] ?? 0,
      stream: this.stream[index] ?? 0,
      flags: this.flags[index] ?? 0,
      tcpFlags: this.tcpFlags[index] ?? 0,
      nearMiss: NEAR_MISSES[this.nearMiss[index] ?? 0] ?? 'none',
      fromA: this.fromA[index] === 1,
      seq: number(0),
      ack: number(1),
      payloadLength: number(2),
      window: number(3),
      nextSeq: number(4),
      lastAck: number(5),
      lastWindow: number(6),
      reverseWindow: number(7),
      reverseLastFlags: number(8),
      reverseLastAck: number(9),
      reverseMaxSeqToBeAcked: number(10),
      reverseDupAcks: this.reverseDupAcks[index] ?? 0,
    };
  }

  /** Room for `wanted` entries in one step (no-op when there is room already). */
  reserve(wanted: number): void {
    const capacity = reservedCapacity(this.frame.length, wanted);
    if (capacity !== this.frame.length) resizeColumns(this, this.frame.length, capacity, this.length);
  }

  private grow(): void {
    this.reserve(this.frame.length * 2);
  }
}
