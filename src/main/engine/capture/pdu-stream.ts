/**
 * One direction of a TCP stream cut into protocol data units (TLS records, HTTP/2 frames), in
 * sequence order, as Wireshark's TCP reassembly hands them to a dissector: a unit that spans
 * segments belongs to the frame whose segment completes it; several units in one segment all
 * belong to that segment's frame. Bytes already seen (retransmissions) are skipped. After a gap
 * (bytes never captured) or bytes that are not a unit, a `resync` stream starts again at the next
 * segment's first byte (as Wireshark's TLS dissector does); any other stream ends, since nothing after
 * it can be framed with certainty.
 */
import { seqAdd, seqAfter, seqBeforeOrEqual } from './seq';

/** A unit larger than this is not one we frame (TLS records are ≤ 18 KiB, HTTP/2 frames ≤ 16 MiB but 16 KiB by default), bytes. */
export const MAX_UNIT_BYTES = 1024 * 1024;

/**
 * Says how long the unit starting at data[offset] is, from the `available` bytes there:
 * the unit's length in bytes, NEED_MORE when its header is not all there yet, or NOT_THIS when the
 * bytes are not a unit of this protocol (the direction then stops).
 */
export type UnitLength = (data: Uint8Array, offset: number, available: number) => number;
export const NEED_MORE = -1;
export const NOT_THIS = -2;

/** Called for each whole unit: data[offset, offset + length), completed in `frame` at `time` (seconds since 1970). */
export type UnitSink = (data: Uint8Array, offset: number, length: number, frame: number, time: number) => void;

export class PduStream {
  private nextSeq: number | null = null;
  /** bytes of an unfinished unit, carried to the next segment: carry[0, carried), grown by doubling */
  private carry = new Uint8Array(0);
  private carried = 0;
  private stopped = false;

  constructor(
    private readonly unitLength: UnitLength,
    private readonly sink: UnitSink,
    private readonly resync = false,
  ) {}

  /** True once a gap, an oversized unit or bytes of another protocol ended this direction (never for a resync stream). */
  get ended(): boolean {
    return this.stopped;
  }

  /** Feeds a segment's captured payload data[start, end) at `seq`. */
  feed(seq: number, data: Uint8Array, start: number, end: number, frame: number, time: number): void {
    const length = end - start;
    if (this.stopped || length <= 0) return;
    let from = start;
    if (this.nextSeq !== null) {
      const last = seqAdd(seq, length);
      if (seqBeforeOrEqual(last, this.nextSeq)) return;
      if (seqAfter(this.nextSeq, seq)) from = start + ((this.nextSeq - seq) >>> 0);
      else if (seqAfter(seq, this.nextSeq)) {
        this.stop();
        if (this.stopped) return;
      }
    }
    this.nextSeq = seqAdd(seq, length);
    if (this.carried > 0) {
      this.append(data, from, end);
      const used = this.cut(this.carry, 0, this.carried, frame, time);
      if (used < 0) return;
      this.carry.copyWithin(0, used, this.carried);
      this.carried -= used;
      return;
    }
    const used = this.cut(data, from, end, frame, time);
    if (used >= 0 && from + used < end) this.append(data, from + used, end);
  }

  /** Hands every whole unit of bytes[offset, limit) to the sink; returns the bytes used, or -1 when the direction ended. */
  private cut(bytes: Uint8Array, offset: number, limit: number, frame: number, time: number): number {
    let at = offset;
    while (at < limit) {
      const unit = this.unitLength(bytes, at, limit - at);
      if (unit === NOT_THIS || unit > MAX_UNIT_BYTES) {
        this.stop();
        return -1;
      }
      if (unit === NEED_MORE || at + unit > limit) break;
      this.sink(bytes, at, unit, frame, time);
      at += unit;
    }
    return at - offset;
  }

  /** Appends data[start, end) to the carry, doubling its room (a unit over many segments costs linear copying). */
  private append(data: Uint8Array, start: number, end: number): void {
    const needed = this.carried + (end - start);
    if (needed > this.carry.length) {
      const grown = new Uint8Array(Math.max(needed, this.carry.length * 2, 256));
      grown.set(this.carry.subarray(0, this.carried), 0);
      this.carry = grown;
    }
    this.carry.set(data.subarray(start, end), this.carried);
    this.carried = needed;
  }

  /** Ends the direction, or for a resync stream drops what it holds and waits for the next segment. */
  private stop(): void {
    this.stopped = !this.resync;
    this.carry = new Uint8Array(0);
    this.carried = 0;
  }
}
