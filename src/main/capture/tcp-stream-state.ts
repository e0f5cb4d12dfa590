/**
 * Per-stream TCP analysis state in Wireshark's terms (epan/dissectors/packet-tcp.c,
 * `struct tcp_analysis`, `tcp_flow_t`, `tcp_analyze_seq_flow_info_t`), and the table
 * that gives each 4-tuple its `tcp.stream` index the way tshark numbers them.
 */
import type { TcpSegment } from './types';
import { TCP_ACK, TCP_SYN } from './types';

/** Window-scale shift not known yet (no SYN seen in this direction). */
export const WINDOW_SCALE_UNKNOWN = -1;
/** Handshake seen without (or with a one-sided) window-scale option: windows are not scaled. */
export const WINDOW_SCALE_NONE = -2;
/** Wireshark initialises the remembered window to G_MAXUINT32 so the first window always differs. */
export const WINDOW_UNSEEN = 0xffffffff;

/** One direction of a stream: what its sender has done so far. */
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

export function newFlowState(): FlowState {
  return {
    nextSeq: 0,
    nextSeqTime: 0,
    nextSeqFrame: 0,
    maxSeqToBeAcked: 0,
    lastAck: 0,
    lastAckTime: 0,
    window: WINDOW_UNSEEN,
    windowScale: WINDOW_SCALE_UNKNOWN,
    lastSegmentFlags: 0,
    dupAckCount: 0,
    lastNonDupAckFrame: 0,
    baseSeqSet: false,
    baseSeq: 0,
  };
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
 */
export class StreamTable {
  /** "lowAddress highAddress" → (lowPort × 65536 + highPort) → current stream; no string per packet beyond the address pair */
  private readonly byTuple = new Map<string, Map<number, StreamState>>();
  private nextIndex = 0;
  /** the last address pair looked up and its port map: consecutive packets mostly share it */
  private lastLow = '';
  private lastHigh = '';
  private lastPorts: Map<number, StreamState> | null = null;

  get count(): number {
    return this.nextIndex;
  }

  lookup(segment: TcpSegment): StreamLookup {
    const { src, dst, srcPort, dstPort } = segment;
    const sourceIsLow = src < dst || (src === dst && srcPort <= dstPort);
    const low = sourceIsLow ? src : dst;
    const high = sourceIsLow ? dst : src;
    const portKey = sourceIsLow ? srcPort * 65536 + dstPort : dstPort * 65536 + srcPort;
    let ports: Map<number, StreamState> | undefined = this.lastPorts ?? undefined;
    if (ports === undefined || low !== this.lastLow || high !== this.lastHigh) {
      const addressKey = `${low} ${high}`;
      ports = this.byTuple.get(addressKey);
      if (ports === undefined) {
        ports = new Map<number, StreamState>();
        this.byTuple.set(addressKey, ports);
      }
      this.lastLow = low;
      this.lastHigh = high;
      this.lastPorts = ports;
    }
    let stream = ports.get(portKey);
    let created = false;
    let reusedPorts = false;
    if (stream === undefined) {
      stream = this.create(ports, portKey, src, srcPort);
      created = true;
    }
    const fromA = stream.addressA === src && stream.portA === srcPort;
    let forward = fromA ? stream.flowA : stream.flowB;
    const synOnly = (segment.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
    const synAck = (segment.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
    if ((synOnly || synAck) && forward.baseSeqSet && segment.seq !== forward.baseSeq) {
      reusedPorts = true;
      if (synOnly) {
        stream = this.create(ports, portKey, src, srcPort);
        created = true;
        forward = stream.flowA;
      }
    }
    const reverse = forward === stream.flowA ? stream.flowB : stream.flowA;
    return { stream, forward, reverse, reusedPorts, created };
  }

  private create(ports: Map<number, StreamState>, portKey: number, addressA: string, portA: number): StreamState {
    const stream: StreamState = {
      index: this.nextIndex++,
      addressA,
      portA,
      flowA: newFlowState(),
      flowB: newFlowState(),
      mostRecentSynTime: 0,
      firstRoundTrip: 0,
    };
    ports.set(portKey, stream);
    return stream;
  }
}
