/**
 * The stream summarizer's running state as typed columns indexed by tcp.stream, and its keep-alive
 * probes as columns chained per stream. A big capture holds 100 k+ streams: an object graph per
 * stream (summary, accumulator, probe list, probe objects) cost about 1 KB each and most of the
 * analysis' garbage-collection time; columns cost about 110 bytes a stream and 21 bytes a probe.
 */
import { reservedCapacity, resizeColumns } from './columns';
import type { Http1Stream } from './http1';

const INITIAL_STREAMS = 1024;
const INITIAL_PROBES = 1024;
/**
 * Capacity growth when a column is full. Doubling copies least, and costs no more resident memory
 * than a smaller factor: the unwritten half of a new column is never touched, so never paged in.
 */
const GROWTH_FACTOR = 2;
/** "none" in the Int32 index and count columns */
export const NONE = -1;

/** bits of `StreamColumns.state` */
export const STREAM_SEEN = 0x01;
export const STREAM_SYN = 0x02;
export const STREAM_FIN_FROM_A = 0x04;
export const STREAM_FIN_FROM_B = 0x08;
export const STREAM_RST = 0x10;
/** the stream's HTTP parser was released when it closed (its counts moved to the columns) */
export const STREAM_HTTP_RELEASED = 0x20;

export class StreamColumns {
  /** one past the highest stream index seen */
  count = 0;
  capacity = INITIAL_STREAMS;
  /** STREAM_* bits */
  state = new Uint8Array(INITIAL_STREAMS);
  firstFrame = new Uint32Array(INITIAL_STREAMS);
  lastFrame = new Uint32Array(INITIAL_STREAMS);
  packetsAtoB = new Uint32Array(INITIAL_STREAMS);
  packetsBtoA = new Uint32Array(INITIAL_STREAMS);
  keepAlives = new Uint32Array(INITIAL_STREAMS);
  keepAliveAcks = new Uint32Array(INITIAL_STREAMS);
  /** keep-alive probes and ACKs that were `-i any` copies of the segment before: left out of the inference */
  duplicateProbes = new Uint32Array(INITIAL_STREAMS);
  /** counts of a released HTTP parser */
  httpRequests = new Uint32Array(INITIAL_STREAMS);
  httpResponses = new Uint32Array(INITIAL_STREAMS);
  /** requests seen in part (bytes missing): not in httpRequests, as tshark does not count them */
  httpPartialRequests = new Uint32Array(INITIAL_STREAMS);
  /** seconds since 1970 */
  firstTime = new Float64Array(INITIAL_STREAMS);
  lastTime = new Float64Array(INITIAL_STREAMS);
  /** time of the last segment that was neither a probe nor a probe ACK, seconds since 1970 */
  lastActivity = new Float64Array(INITIAL_STREAMS);
  /** seconds */
  maxIdleGap = new Float64Array(INITIAL_STREAMS);
  /** bytes (sums can pass 2^32) */
  payloadAtoB = new Float64Array(INITIAL_STREAMS);
  payloadBtoA = new Float64Array(INITIAL_STREAMS);
  portA = new Uint16Array(INITIAL_STREAMS);
  portB = new Uint16Array(INITIAL_STREAMS);
  /** length of the unanswered-probe run that an RST ended, or NONE (set when the stream is first seen) */
  probesBeforeReset = new Int32Array(INITIAL_STREAMS);
  /** index of the stream's latest probe in ProbeColumns, or NONE (set when the stream is first seen) */
  lastProbe = new Int32Array(INITIAL_STREAMS);
  /** AddressBook ids of the two endpoints' addresses */
  addressA = new Int32Array(INITIAL_STREAMS);
  addressB = new Int32Array(INITIAL_STREAMS);
  /** the stream's HTTP parser while it is open and has carried payload */
  http: (Http1Stream | undefined)[] = [];

  /** Makes `stream` a valid index. */
  ensure(stream: number): void {
    if (stream >= this.count) this.count = stream + 1;
    if (stream < this.capacity) return;
    let capacity = this.capacity;
    while (capacity <= stream) capacity = Math.ceil(capacity * GROWTH_FACTOR);
    this.reserve(capacity);
  }

  /** Room for `wanted` streams in one step (no-op when there is room already). */
  reserve(wanted: number): void {
    const capacity = reservedCapacity(this.capacity, wanted);
    if (capacity === this.capacity) return;
    resizeColumns(this, this.capacity, capacity, Math.min(this.count, this.capacity));
    this.capacity = capacity;
  }
}

/** bits of `ProbeColumns.state` */
export const PROBE_FROM_A = 0x01;
export const PROBE_ANSWERED = 0x02;

/** Every keep-alive probe in frame order; `previous` chains each stream's probes backwards. */
export class ProbeColumns {
  length = 0;
  /** seconds since 1970 */
  time = new Float64Array(INITIAL_PROBES);
  /** seconds since the prober's side last saw non-probe traffic on the stream */
  idleBefore = new Float64Array(INITIAL_PROBES);
  /** the same stream's previous probe, or NONE */
  previous = new Int32Array(INITIAL_PROBES);
  /** PROBE_* bits */
  state = new Uint8Array(INITIAL_PROBES);

  /** Room for `wanted` probes in one step (no-op when there is room already). */
  reserve(wanted: number): void {
    const capacity = reservedCapacity(this.time.length, wanted);
    if (capacity !== this.time.length) resizeColumns(this, this.time.length, capacity, this.length);
  }

  /** Adds a probe and returns its index. */
  push(time: number, idleBefore: number, fromA: boolean, previous: number): number {
    if (this.length === this.time.length) this.reserve(Math.ceil(this.length * GROWTH_FACTOR));
    const index = this.length++;
    this.time[index] = time;
    this.idleBefore[index] = idleBefore;
    this.previous[index] = previous;
    this.state[index] = fromA ? PROBE_FROM_A : 0;
    return index;
  }
}
