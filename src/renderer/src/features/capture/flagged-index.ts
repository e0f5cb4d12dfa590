/**
 * Every annotated packet of a capture in compact columns (frame, time, stream, flag
 * bits: 18 bytes a packet), loaded once after the import. It gives the timeline its
 * marks and the packet list its filtered rows (by annotation kind and stream)
 * without asking the engine again. Pure.
 */
import { ANNOTATION_KINDS } from './annotation-kinds';

/** Bit of each flag in `bits`: its index in `ANNOTATION_KINDS`. */
const FLAG_BIT = new Map(ANNOTATION_KINDS.map((kind, index) => [kind.flag, 1 << index]));

export function flagBits(flags: readonly string[]): number {
  let bits = 0;
  for (const flag of flags) bits |= FLAG_BIT.get(flag) ?? 0;
  return bits;
}

export function flagsOfBits(bits: number): string[] {
  return ANNOTATION_KINDS.filter((_, index) => (bits & (1 << index)) !== 0).map((kind) => kind.flag);
}

/** The columns of `capture.flagged` (src/shared/api-capture.ts) this index reads. */
export interface FlaggedColumns {
  frames: readonly number[];
  times: readonly number[];
  /** -1 = no stream */
  streams: readonly number[];
  /** TCP header flag bits (F=1, S=2, R=4, P=8, A=16, …) */
  tcpFlags: readonly number[];
  payloads: readonly number[];
  flagSet: readonly number[];
  flagSets: readonly (readonly string[])[];
}

export class FlaggedIndex {
  length = 0;
  frame = new Uint32Array(1024);
  time = new Float64Array(1024);
  /** -1 = no stream */
  stream = new Int32Array(1024);
  bits = new Uint16Array(1024);
  /** TCP header flags (F=1 S=2 R=4 P=8 A=16 …) */
  tcp = new Uint8Array(1024);
  /** TCP payload bytes */
  payload = new Uint32Array(1024);

  /** A page of the engine's flagged columns (`capture.flagged`), in frame order; packets without a flag the view knows are skipped. */
  addColumns(page: FlaggedColumns): void {
    const setBits = page.flagSets.map((flags) => flagBits(flags));
    for (let row = 0; row < page.frames.length; row++) {
      this.push(
        page.frames[row] ?? 0,
        page.times[row] ?? 0,
        page.streams[row] ?? -1,
        setBits[page.flagSet[row] ?? -1] ?? 0,
        page.tcpFlags[row] ?? 0,
        page.payloads[row] ?? 0,
      );
    }
  }

  private push(frame: number, time: number, stream: number, bits: number, tcp: number, payload: number): void {
    if (bits === 0) return;
    if (this.length === this.frame.length) this.grow();
    const at = this.length++;
    this.frame[at] = frame;
    this.time[at] = time;
    this.stream[at] = stream;
    this.bits[at] = bits;
    this.tcp[at] = tcp;
    this.payload[at] = payload;
  }

  /** Positions (into the columns) of the rows carrying any of `flags`, in `stream` if given. */
  matching(flags: readonly string[], stream: number | null): Uint32Array {
    const wanted = flagBits(flags);
    const positions = new Uint32Array(this.length);
    let count = 0;
    for (let at = 0; at < this.length; at++) {
      if (((this.bits[at] ?? 0) & wanted) === 0) continue;
      if (stream !== null && this.stream[at] !== stream) continue;
      positions[count++] = at;
    }
    return positions.subarray(0, count);
  }

  private grow(): void {
    const capacity = this.frame.length * 2;
    const frame = new Uint32Array(capacity);
    const time = new Float64Array(capacity);
    const stream = new Int32Array(capacity);
    const bits = new Uint16Array(capacity);
    const tcp = new Uint8Array(capacity);
    const payload = new Uint32Array(capacity);
    frame.set(this.frame);
    time.set(this.time);
    stream.set(this.stream);
    bits.set(this.bits);
    tcp.set(this.tcp);
    payload.set(this.payload);
    this.frame = frame;
    this.time = time;
    this.stream = stream;
    this.bits = bits;
    this.tcp = tcp;
    this.payload = payload;
  }

  /** The position of a frame, or -1 (binary search: frames are ascending). */
  positionOfFrame(frame: number): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.frame[middle] ?? 0) < frame) low = middle + 1;
      else high = middle;
    }
    return this.frame[low] === frame && low < this.length ? low : -1;
  }
}
