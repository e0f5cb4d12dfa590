/**
 * The TCP analysis state of every stream as typed columns, read and written through two reusable
 * views (`FlowView`, `StreamView`) that keep the `FlowState` / `StreamState` shape tcp-analysis.ts
 * is written against. A big capture holds 100 k+ streams: three objects per stream (with their
 * boxed doubles) were most of the analysis' allocation and garbage-collection time; the columns
 * cost about 130 bytes a stream and nothing per packet.
 *
 * Flow `2 × stream` is the stream's A side (the sender of its first segment), `2 × stream + 1` its B side.
 * Every value fits its column exactly (sequence numbers, acks and windows are uint32, frames < 2^32,
 * window scale −2..14, dupAckCount ≥ −1), so a view reads back what was written.
 */
import type { FlowState, StreamState } from './tcp-stream-state';

const INITIAL_STREAMS = 1024;
/** doubling copies least; the unwritten half of a grown column is never paged in */
const GROWTH_FACTOR = 2;
/** see WINDOW_UNSEEN and WINDOW_SCALE_UNKNOWN in tcp-stream-state.ts (not imported: that module imports this one) */
const INITIAL_WINDOW = 0xffffffff;
const INITIAL_WINDOW_SCALE = -1;

type Column = Float64Array | Uint32Array | Int32Array | Uint16Array | Int8Array | Uint8Array;

function grown<T extends Column>(column: T, capacity: number): T {
  const next = new (column.constructor as new (length: number) => T)(capacity);
  next.set(column);
  return next;
}

export class FlowColumns {
  /** streams in use */
  count = 0;
  /** streams the columns have room for */
  capacity = INITIAL_STREAMS;
  // per flow (2 × capacity)
  nextSeq = new Uint32Array(2 * INITIAL_STREAMS);
  nextSeqTime = new Float64Array(2 * INITIAL_STREAMS);
  nextSeqFrame = new Uint32Array(2 * INITIAL_STREAMS);
  maxSeqToBeAcked = new Uint32Array(2 * INITIAL_STREAMS);
  lastAck = new Uint32Array(2 * INITIAL_STREAMS);
  lastAckTime = new Float64Array(2 * INITIAL_STREAMS);
  window = new Uint32Array(2 * INITIAL_STREAMS);
  windowScale = new Int8Array(2 * INITIAL_STREAMS);
  lastSegmentFlags = new Uint16Array(2 * INITIAL_STREAMS);
  dupAckCount = new Int32Array(2 * INITIAL_STREAMS);
  lastNonDupAckFrame = new Uint32Array(2 * INITIAL_STREAMS);
  baseSeqSet = new Uint8Array(2 * INITIAL_STREAMS);
  baseSeq = new Uint32Array(2 * INITIAL_STREAMS);
  // per stream
  portA = new Uint16Array(INITIAL_STREAMS);
  mostRecentSynTime = new Float64Array(INITIAL_STREAMS);
  firstRoundTrip = new Float64Array(INITIAL_STREAMS);
  /** the decoder's cached address strings: a reference each */
  addressA: string[] = [];

  /** Adds a stream, both flows in their initial state (window unseen, scale unknown, the rest 0), and returns its index. */
  add(addressA: string, portA: number): number {
    if (this.count === this.capacity) this.grow();
    const stream = this.count++;
    this.window[2 * stream] = INITIAL_WINDOW;
    this.window[2 * stream + 1] = INITIAL_WINDOW;
    this.windowScale[2 * stream] = INITIAL_WINDOW_SCALE;
    this.windowScale[2 * stream + 1] = INITIAL_WINDOW_SCALE;
    this.portA[stream] = portA;
    this.addressA[stream] = addressA;
    return stream;
  }

  private grow(): void {
    const capacity = Math.ceil(this.capacity * GROWTH_FACTOR);
    const flows = 2 * capacity;
    this.capacity = capacity;
    this.nextSeq = grown(this.nextSeq, flows);
    this.nextSeqTime = grown(this.nextSeqTime, flows);
    this.nextSeqFrame = grown(this.nextSeqFrame, flows);
    this.maxSeqToBeAcked = grown(this.maxSeqToBeAcked, flows);
    this.lastAck = grown(this.lastAck, flows);
    this.lastAckTime = grown(this.lastAckTime, flows);
    this.window = grown(this.window, flows);
    this.windowScale = grown(this.windowScale, flows);
    this.lastSegmentFlags = grown(this.lastSegmentFlags, flows);
    this.dupAckCount = grown(this.dupAckCount, flows);
    this.lastNonDupAckFrame = grown(this.lastNonDupAckFrame, flows);
    this.baseSeqSet = grown(this.baseSeqSet, flows);
    this.baseSeq = grown(this.baseSeq, flows);
    this.portA = grown(this.portA, capacity);
    this.mostRecentSynTime = grown(this.mostRecentSynTime, capacity);
    this.firstRoundTrip = grown(this.firstRoundTrip, capacity);
  }
}

/** One flow of FlowColumns as a FlowState; `index` says which (move it, do not keep it). */
export class FlowView implements FlowState {
  index = 0;
  constructor(private readonly columns: FlowColumns) {}

  get nextSeq(): number {
    return this.columns.nextSeq[this.index]!;
  }
  set nextSeq(value: number) {
    this.columns.nextSeq[this.index] = value;
  }
  get nextSeqTime(): number {
    return this.columns.nextSeqTime[this.index]!;
  }
  set nextSeqTime(value: number) {
    this.columns.nextSeqTime[this.index] = value;
  }
  get nextSeqFrame(): number {
    return this.columns.nextSeqFrame[this.index]!;
  }
  set nextSeqFrame(value: number) {
    this.columns.nextSeqFrame[this.index] = value;
  }
  get maxSeqToBeAcked(): number {
    return this.columns.maxSeqToBeAcked[this.index]!;
  }
  set maxSeqToBeAcked(value: number) {
    this.columns.maxSeqToBeAcked[this.index] = value;
  }
  get lastAck(): number {
    return this.columns.lastAck[this.index]!;
  }
  set lastAck(value: number) {
    this.columns.lastAck[this.index] = value;
  }
  get lastAckTime(): number {
    return this.columns.lastAckTime[this.index]!;
  }
  set lastAckTime(value: number) {
    this.columns.lastAckTime[this.index] = value;
  }
  get window(): number {
    return this.columns.window[this.index]!;
  }
  set window(value: number) {
    this.columns.window[this.index] = value;
  }
  get windowScale(): number {
    return this.columns.windowScale[this.index]!;
  }
  set windowScale(value: number) {
    this.columns.windowScale[this.index] = value;
  }
  get lastSegmentFlags(): number {
    return this.columns.lastSegmentFlags[this.index]!;
  }
  set lastSegmentFlags(value: number) {
    this.columns.lastSegmentFlags[this.index] = value;
  }
  get dupAckCount(): number {
    return this.columns.dupAckCount[this.index]!;
  }
  set dupAckCount(value: number) {
    this.columns.dupAckCount[this.index] = value;
  }
  get lastNonDupAckFrame(): number {
    return this.columns.lastNonDupAckFrame[this.index]!;
  }
  set lastNonDupAckFrame(value: number) {
    this.columns.lastNonDupAckFrame[this.index] = value;
  }
  get baseSeqSet(): boolean {
    return this.columns.baseSeqSet[this.index] === 1;
  }
  set baseSeqSet(value: boolean) {
    this.columns.baseSeqSet[this.index] = value ? 1 : 0;
  }
  get baseSeq(): number {
    return this.columns.baseSeq[this.index]!;
  }
  set baseSeq(value: number) {
    this.columns.baseSeq[this.index] = value;
  }
}

/** One stream of FlowColumns as a StreamState, with its two flows; `moveTo` re-points all three. */
export class StreamView implements StreamState {
  index = 0;
  readonly flowA: FlowView;
  readonly flowB: FlowView;

  constructor(private readonly columns: FlowColumns) {
    this.flowA = new FlowView(columns);
    this.flowB = new FlowView(columns);
  }

  moveTo(stream: number): void {
    this.index = stream;
    this.flowA.index = 2 * stream;
    this.flowB.index = 2 * stream + 1;
  }

  get addressA(): string {
    return this.columns.addressA[this.index] ?? '';
  }
  get portA(): number {
    return this.columns.portA[this.index]!;
  }
  get mostRecentSynTime(): number {
    return this.columns.mostRecentSynTime[this.index]!;
  }
  set mostRecentSynTime(value: number) {
    this.columns.mostRecentSynTime[this.index] = value;
  }
  get firstRoundTrip(): number {
    return this.columns.firstRoundTrip[this.index]!;
  }
  set firstRoundTrip(value: number) {
    this.columns.firstRoundTrip[this.index] = value;
  }
}
