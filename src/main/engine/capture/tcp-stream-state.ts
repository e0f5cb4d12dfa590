/**
 * Which stream a segment belongs to, numbered the way tshark numbers `tcp.stream`, and which of
 * its flows (FlowColumns indexes) is the sender's and which the other side's.
 */
import { FlowColumns } from './flow-columns';
import { portPair, TupleIndex } from './tuple-index';
import type { TcpSegment } from './types';
import { TCP_ACK, TCP_SYN } from './types';

/** "10.0.0.1:80" or "[::1]:80" */
export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * 4-tuple → current stream. A SYN (without ACK) whose sequence number differs from the
 * sender's base sequence starts a new stream on the same 4-tuple, as tshark does; a
 * SYN/ACK with a different sequence number is flagged but stays in the stream.
 * `locate` answers in fields (no object per packet), valid until the next call.
 */
export class StreamTable {
  readonly columns = new FlowColumns();
  private readonly tuples = new TupleIndex();
  /** the located segment's stream */
  stream = 0;
  /** FlowColumns index of the sender's flow, and of the other side's */
  forward = 0;
  reverse = 1;
  /** sent by the stream's A side */
  fromA = true;
  /** this SYN started a new stream on a 4-tuple that already had one (tcp.analysis.reused_ports) */
  reusedPorts = false;
  /** first segment of the stream */
  created = false;

  get count(): number {
    return this.columns.count;
  }

  /** Room for `streams` streams in one step. */
  reserve(streams: number): void {
    this.columns.reserve(streams);
    this.tuples.reserve(streams);
  }

  /** Finds (or starts) the stream of `segment`; returns its index and sets the fields above. */
  locate(segment: TcpSegment): number {
    const { srcAddress, dstAddress, srcPort, dstPort } = segment;
    const sourceIsLow = srcAddress < dstAddress || (srcAddress === dstAddress && srcPort <= dstPort);
    const low = sourceIsLow ? srcAddress : dstAddress;
    const high = sourceIsLow ? dstAddress : srcAddress;
    const ports = sourceIsLow ? portPair(srcPort, dstPort) : portPair(dstPort, srcPort);
    const columns = this.columns;
    let stream = this.tuples.get(low, high, ports);
    this.created = false;
    this.reusedPorts = false;
    if (stream < 0) {
      stream = this.create(low, high, ports, segment);
      this.created = true;
    }
    let fromA = columns.addressA[stream] === srcAddress && columns.portA[stream] === srcPort;
    const forward = fromA ? 2 * stream : 2 * stream + 1;
    const synAndAck = segment.flags & (TCP_SYN | TCP_ACK);
    if ((synAndAck & TCP_SYN) !== 0 && columns.baseSeqSet[forward] === 1 && segment.seq !== columns.baseSeq[forward]) {
      this.reusedPorts = true;
      if (synAndAck === TCP_SYN) {
        stream = this.create(low, high, ports, segment);
        this.created = true;
        fromA = true;
      }
    }
    this.stream = stream;
    this.fromA = fromA;
    this.forward = fromA ? 2 * stream : 2 * stream + 1;
    this.reverse = fromA ? 2 * stream + 1 : 2 * stream;
    return stream;
  }

  private create(low: number, high: number, ports: number, segment: TcpSegment): number {
    const stream = this.columns.add(segment.srcAddress, segment.srcPort, segment.time);
    this.tuples.set(low, high, ports, stream);
    return stream;
  }
}
