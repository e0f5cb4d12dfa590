/**
 * The TCP analysis state of every stream, in Wireshark's terms (epan/dissectors/packet-tcp.c:
 * `struct tcp_analysis`, `tcp_flow_t`), as typed columns. A big capture holds 100 k+ streams:
 * objects per stream (with their boxed doubles) were most of the analysis' allocation and
 * garbage-collection time; the columns cost about 125 bytes a stream and nothing per packet.
 *
 * Flow `2 × stream` is the stream's A side (the sender of its first segment), `2 × stream + 1` its
 * B side; tcp-analysis.ts reads and writes them by these indexes. Every value fits its column
 * exactly (sequence numbers, acks and windows are uint32, frames < 2^32, window scale −2..14,
 * dupAckCount ≥ −1).
 */
import { reservedCapacity, resizeColumns } from './columns';

const INITIAL_STREAMS = 1024;
/** doubling copies least; the unwritten half of a grown column is never paged in */
const GROWTH_FACTOR = 2;

/** Window-scale shift not known yet (no SYN seen in this direction). */
export const WINDOW_SCALE_UNKNOWN = -1;
/** Handshake seen without (or with a one-sided) window-scale option: windows are not scaled. */
export const WINDOW_SCALE_NONE = -2;
/** Wireshark initialises the remembered window to G_MAXUINT32 so the first window always differs. */
export const WINDOW_UNSEEN = 0xffffffff;

export class FlowColumns {
  /** streams in use */
  count = 0;
  /** streams the columns have room for */
  capacity = INITIAL_STREAMS;

  // per flow (2 × stream + side)
  /** highest seq + len (+1 for SYN/FIN) sent; 0 means unknown, as in Wireshark */
  nextSeq = new Uint32Array(2 * INITIAL_STREAMS);
  /** seconds since 1970 of the segment that last advanced nextSeq */
  nextSeqTime = new Float64Array(2 * INITIAL_STREAMS);
  /** the highest contiguous sequence number the peer may acknowledge; 0 = unknown */
  maxSeqToBeAcked = new Uint32Array(2 * INITIAL_STREAMS);
  /** ack field of this direction's last segment */
  lastAck = new Uint32Array(2 * INITIAL_STREAMS);
  /** seconds since 1970 of this direction's last segment */
  lastAckTime = new Float64Array(2 * INITIAL_STREAMS);
  /** raw (unscaled) window of this direction's last segment; WINDOW_UNSEEN at first */
  window = new Uint32Array(2 * INITIAL_STREAMS);
  /** shift count, or WINDOW_SCALE_UNKNOWN / WINDOW_SCALE_NONE */
  windowScale = new Int8Array(2 * INITIAL_STREAMS);
  /** analysis flags (ANALYSIS_* bits) of this direction's last segment */
  lastSegmentFlags = new Uint16Array(2 * INITIAL_STREAMS);
  /** duplicate ACKs in a row; -1 once an "ACKed unseen segment" was reported against this side */
  dupAckCount = new Int32Array(2 * INITIAL_STREAMS);
  /** 1 once baseSeq is set */
  baseSeqSet = new Uint8Array(2 * INITIAL_STREAMS);
  /** first sequence number (ISN for a SYN, else seq - 1), for relative numbers and port reuse */
  baseSeq = new Uint32Array(2 * INITIAL_STREAMS);

  // per stream
  /** AddressBook id and port of the A side */
  addressA = new Int32Array(INITIAL_STREAMS);
  portA = new Uint16Array(INITIAL_STREAMS);
  /** seconds since 1970 of the most recent SYN (without ACK); 0 = none */
  mostRecentSynTime = new Float64Array(INITIAL_STREAMS);
  /** seconds from the last SYN to the first pure ACK after it; 0 = unknown */
  firstRoundTrip = new Float64Array(INITIAL_STREAMS);
  /** 1 once a SYN was seen (the mid-connection hint and near-miss reasons) */
  synSeen = new Uint8Array(INITIAL_STREAMS);
  /** seconds since 1970 of the stream's previous segment */
  lastSegmentTime = new Float64Array(INITIAL_STREAMS);

  /** Adds a stream, both flows in their initial state (window unseen, scale unknown, the rest 0), and returns its index. */
  add(addressA: number, portA: number, time: number): number {
    if (this.count === this.capacity) this.grow();
    const stream = this.count++;
    this.window[2 * stream] = WINDOW_UNSEEN;
    this.window[2 * stream + 1] = WINDOW_UNSEEN;
    this.windowScale[2 * stream] = WINDOW_SCALE_UNKNOWN;
    this.windowScale[2 * stream + 1] = WINDOW_SCALE_UNKNOWN;
    this.addressA[stream] = addressA;
    this.portA[stream] = portA;
    this.lastSegmentTime[stream] = time;
    return stream;
  }

  /** Room for `wanted` streams in one step (no-op when there is room already). */
  reserve(wanted: number): void {
    const capacity = reservedCapacity(this.capacity, wanted);
    if (capacity === this.capacity) return;
    resizeColumns(this, this.capacity, capacity, this.count);
    this.capacity = capacity;
  }

  private grow(): void {
    this.reserve(Math.ceil(this.capacity * GROWTH_FACTOR));
  }
}
