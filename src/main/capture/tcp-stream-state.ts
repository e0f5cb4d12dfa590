/**
 * Per-stream TCP analysis state in Wireshark's terms (epan/dissectors/packet-tcp.c,
 * `struct tcp_analysis`, `tcp_flow_t`, `tcp_analyze_seq_flow_info_t`), and the table
 * that gives each 4-tuple its `tcp.stream` index the way tshark numbers them.
 */
import { FlowColumns, StreamView } from './flow-columns';
import { TupleIndex } from './tuple-index';
import type { TcpSegment } from './types';
import { TCP_ACK, TCP_SYN } from './types';

/** Window-scale shift not known yet (no SYN seen in this direction). */
export const WINDOW_SCALE_UNKNOWN = -1;
/** Handshake seen without (or with a one-sided) window-scale option: windows are not scaled. */
export const WINDOW_SCALE_NONE = -2;
/** Wireshark initialises the remembered window to G_MAXUINT32 so the first window always differs. */
export const WINDOW_UNSEEN = 0xffffffff;

/** One direction of a stream: what its sender has done so far (initial values: FlowColumns.add). */
export interface FlowState {
  /** highest seq + len (+1 for SYN/FIN) sent; 0 means unknown, as in Wireshark */
  nextSeq: number;
  /** seconds since 1970 of the segment that last advanced nextSeq */
  nextSeqTime: number;
  nextSeqFrame: number;
  /** the highest contiguous sequence number the peer may acknowledge; 0 = unknown */
  maxSeqToBeAcked: number;
  /** ack field of this direction's last segment */
  lastAck: number;
  /** seconds since 1970 of this direction's last segment */
  lastAckTime: number;
  /** raw (unscaled) window of this direction's last segment */
  window: number;
  /** shift count, or WINDOW_SCALE_UNKNOWN / WINDOW_SCALE_NONE */
  windowScale: number;
  /** analysis flags (ANALYSIS_* bits) of this direction's last segment */
  lastSegmentFlags: number;
  /** duplicate ACKs in a row; -1 once an "ACKed unseen segment" was reported against this side */
  dupAckCount: number;
  lastNonDupAckFrame: number;
  baseSeqSet: boolean;
  /** first sequence number (ISN for a SYN, else seq - 1), for relative numbers and port reuse */
  baseSeq: number;
}

export interface StreamState {
  /** tcp.stream */
  index: number;
  /** the endpoint that sent the stream's first captured segment */
  addressA: string;
  portA: number;
  flowA: FlowState;
  flowB: FlowState;
  /** seconds since 1970 of the most recent SYN (without ACK); 0 = none */
  mostRecentSynTime: number;
  /** seconds from the last SYN to the first pure ACK after it; 0 = unknown */
  firstRoundTrip: number;
}

export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Where a segment belongs: its stream, and the flows of its sender and of the other side. */
export interface StreamLookup {
  stream: StreamState;
  forward: FlowState;
  reverse: FlowState;
  /** this SYN started a new stream on a 4-tuple that already had one (tcp.analysis.reused_ports) */
  reusedPorts: boolean;
  /** first segment of the stream */
  created: boolean;
}

/**
 * 4-tuple → current stream. A SYN (without ACK) whose sequence number differs from the
 * sender's base sequence starts a new stream on the same 4-tuple, as tshark does; a
 * SYN/ACK with a different sequence number is flagged but stays in the stream.
 * The state lives in columns (flow-columns.ts); `lookup` returns one reused result whose
 * stream and flows are views valid until the next lookup.
 */
export class StreamTable {
  private readonly columns = new FlowColumns();
  private readonly tuples = new TupleIndex();
  private readonly view = new StreamView(this.columns);
  private readonly result: StreamLookup = { stream: this.view, forward: this.view.flowA, reverse: this.view.flowB, reusedPorts: false, created: false };

  get count(): number {
    return this.columns.count;
  }

  lookup(segment: TcpSegment): StreamLookup {
    const { src, dst, srcPort, dstPort } = segment;
    const sourceIsLow = src < dst || (src === dst && srcPort <= dstPort);
    const pair = sourceIsLow ? this.tuples.pairId(src, dst) : this.tuples.pairId(dst, src);
    const ports = sourceIsLow ? srcPort * 65536 + dstPort : dstPort * 65536 + srcPort;
    let stream = this.tuples.get(pair, ports);
    let created = false;
    let reusedPorts = false;
    if (stream < 0) {
      stream = this.create(pair, ports, src, srcPort);
      created = true;
    }
    const view = this.view;
    view.moveTo(stream);
    const fromA = view.addressA === src && view.portA === srcPort;
    let forward = fromA ? view.flowA : view.flowB;
    const synOnly = (segment.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
    const synAck = (segment.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
    if ((synOnly || synAck) && forward.baseSeqSet && segment.seq !== forward.baseSeq) {
      reusedPorts = true;
      if (synOnly) {
        view.moveTo(this.create(pair, ports, src, srcPort));
        created = true;
        forward = view.flowA;
      }
    }
    const result = this.result;
    result.forward = forward;
    result.reverse = forward === view.flowA ? view.flowB : view.flowA;
    result.reusedPorts = reusedPorts;
    result.created = created;
    return result;
  }

  private create(pair: number, ports: number, addressA: string, portA: number): number {
    const stream = this.columns.add(addressA, portA);
    this.tuples.set(pair, ports, stream);
    return stream;
  }
}
