/**
 * TCP sequence analysis equivalent to Wireshark's `tcp_analyze_sequence_number`
 * (epan/dissectors/packet-tcp.c, as in tshark 4.0): the same checks in the same order,
 * with the same early exits, on raw sequence numbers and the raw 16-bit window, one
 * pass in file order. See ../shared/docs/research/keepalive-facts.md §1.3 and §1.5.
 *
 * Each verdict also keeps the values the rules compared (`SegmentEvidence`), so
 * `tcp-reasons.ts` can say why a flag fired — or why a probe-looking segment is not one.
 */
import { seqAdd, seqAfter, seqBefore, seqBeforeOrEqual } from './seq';
import {
  ANALYSIS_ACK_LOST_SEGMENT,
  ANALYSIS_DUPLICATE_ACK,
  ANALYSIS_FAST_RETRANSMISSION,
  ANALYSIS_KEEP_ALIVE,
  ANALYSIS_KEEP_ALIVE_ACK,
  ANALYSIS_LOST_SEGMENT,
  ANALYSIS_OUT_OF_ORDER,
  ANALYSIS_RETRANSMISSION,
  ANALYSIS_REUSED_PORTS,
  ANALYSIS_SPURIOUS_RETRANSMISSION,
  ANALYSIS_WINDOW_FULL,
  ANALYSIS_WINDOW_UPDATE,
  ANALYSIS_ZERO_WINDOW,
  ANALYSIS_ZERO_WINDOW_PROBE,
  ANALYSIS_ZERO_WINDOW_PROBE_ACK,
} from './tcp-flags';
import type { FlowState, StreamState } from './tcp-stream-state';
import { StreamTable, WINDOW_SCALE_NONE, WINDOW_SCALE_UNKNOWN } from './tcp-stream-state';
import type { TcpSegment } from './types';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from './types';

/** Fast retransmission: within this many seconds of the duplicate ACK that asked for it. */
const FAST_RETRANSMISSION_WINDOW_SECONDS = 0.02;
/** Out-of-order threshold when the handshake round trip is unknown, seconds. */
const DEFAULT_OUT_OF_ORDER_SECONDS = 0.003;

/** Why a segment a learner might take for a keep-alive is not one (Wireshark does not say). */
export type NearMiss =
  | 'none'
  /** payload 0/1 at next expected − 1, but SYN, FIN or RST is set */
  | 'control-flag-set'
  /** at next expected − 1 but carries more than one byte */
  | 'payload-too-long'
  /** payload 0/1, no SYN/FIN/RST, but this side's next expected sequence number is unknown (capture began mid-connection) */
  | 'next-seq-unknown'
  /** payload 0/1, no SYN/FIN/RST, but seq is neither next expected nor next expected − 1 */
  | 'seq-mismatch'
  /** a duplicate ACK after an idle gap on a stream whose handshake was not captured: most likely a probe or its ACK */
  | 'dup-ack-mid-connection';

/** The values the rules compared, taken before the segment updated the state. */
export interface SegmentEvidence {
  frame: number;
  stream: number;
  /** ANALYSIS_* bits */
  flags: number;
  seq: number;
  ack: number;
  payloadLength: number;
  /** TCP_* header flags */
  tcpFlags: number;
  window: number;
  /** sender's next expected sequence number before this segment; 0 = unknown */
  nextSeq: number;
  /** sender's previous ack and window */
  lastAck: number;
  lastWindow: number;
  /** the other side's last window and whether its last segment was a keep-alive / zero-window probe */
  reverseWindow: number;
  reverseLastFlags: number;
  nearMiss: NearMiss;
}

/** Seconds after which a dup ACK on a stream without handshake is suspected to be a probe pair. */
const PROBE_SUSPECT_IDLE_SECONDS = 1;

export class TcpAnalyzer {
  readonly streams = new StreamTable();
  /** per stream: a SYN was seen (used for the mid-connection hint) */
  private readonly synSeen: boolean[] = [];
  /** per stream: time of the previous segment, seconds */
  private readonly lastSegmentTime: number[] = [];

  /** one evidence object reused for every segment (no allocation per packet) */
  private readonly evidence: SegmentEvidence = {
    frame: 0,
    stream: 0,
    flags: 0,
    seq: 0,
    ack: 0,
    payloadLength: 0,
    tcpFlags: 0,
    window: 0,
    nextSeq: 0,
    lastAck: 0,
    lastWindow: 0,
    reverseWindow: 0,
    reverseLastFlags: 0,
    nearMiss: 'none',
  };

  /**
   * Analyses one segment (in file order) and returns its evidence. The object is reused:
   * it is only valid until the next call, so copy it (`{ ...evidence }`) to keep it.
   * `sequenceAnalysis: false` is for a segment whose TCP header is bogus (data offset below 20 bytes,
   * or longer than the IP payload): tshark still gives it a stream but skips the sequence analysis.
   */
  analyze(segment: TcpSegment, sequenceAnalysis = true): SegmentEvidence {
    const lookup = this.streams.lookup(segment);
    const { stream, forward, reverse } = lookup;
    const time = segment.tsSec + segment.tsNsec / 1e9;
    const evidence = this.evidence;
    evidence.frame = segment.frame;
    evidence.stream = stream.index;
    evidence.flags = lookup.reusedPorts ? ANALYSIS_REUSED_PORTS : 0;
    evidence.seq = segment.seq;
    evidence.ack = segment.ack;
    evidence.payloadLength = segment.payloadLength;
    evidence.tcpFlags = segment.flags;
    evidence.window = segment.window;
    evidence.nextSeq = forward.nextSeq;
    evidence.lastAck = forward.lastAck;
    evidence.lastWindow = forward.window;
    evidence.reverseWindow = reverse.window;
    evidence.reverseLastFlags = reverse.lastSegmentFlags;
    evidence.nearMiss = 'none';
    if (lookup.created) {
      this.synSeen[stream.index] = false;
      this.lastSegmentTime[stream.index] = time;
    }
    if (!sequenceAnalysis) {
      evidence.flags = 0;
      return evidence;
    }
    analyzeSequence(segment, time, stream, forward, reverse, evidence);
    this.afterSegment(segment, time, stream, forward, reverse);
    evidence.nearMiss = this.nearMiss(evidence, time);
    if ((segment.flags & TCP_SYN) !== 0) this.synSeen[stream.index] = true;
    this.lastSegmentTime[stream.index] = time;
    return evidence;
  }

  /** Handshake bookkeeping Wireshark does in dissect_tcp after the analysis: window scale, first RTT. */
  private afterSegment(segment: TcpSegment, time: number, stream: StreamState, forward: FlowState, reverse: FlowState): void {
    const flags = segment.flags;
    if ((flags & TCP_SYN) !== 0) {
      if (segment.options.windowScale !== null) forward.windowScale = Math.min(segment.options.windowScale, 14);
      if (forward.windowScale === WINDOW_SCALE_UNKNOWN) {
        forward.windowScale = WINDOW_SCALE_NONE;
        reverse.windowScale = WINDOW_SCALE_NONE;
      } else if ((flags & TCP_ACK) !== 0 && reverse.windowScale === WINDOW_SCALE_NONE) {
        forward.windowScale = WINDOW_SCALE_NONE;
      }
      if ((flags & TCP_ACK) === 0) stream.mostRecentSynTime = time;
    }
    if ((flags & (TCP_SYN | TCP_ACK)) === TCP_ACK && stream.mostRecentSynTime !== 0 && stream.firstRoundTrip === 0) {
      stream.firstRoundTrip = time - stream.mostRecentSynTime;
    }
  }

  private nearMiss(evidence: SegmentEvidence, time: number): NearMiss {
    const controlFlags = evidence.tcpFlags & (TCP_SYN | TCP_FIN | TCP_RST);
    if ((evidence.flags & ANALYSIS_KEEP_ALIVE) !== 0) return 'none';
    const atProbeSeq = evidence.nextSeq !== 0 && evidence.seq === seqAdd(evidence.nextSeq, -1);
    if (evidence.payloadLength <= 1 && atProbeSeq && controlFlags !== 0) return 'control-flag-set';
    if (evidence.payloadLength > 1 && atProbeSeq) return 'payload-too-long';
    if (evidence.payloadLength > 1 || controlFlags !== 0) return 'none';
    if (evidence.nextSeq === 0) return this.synSeen[evidence.stream] === true ? 'none' : 'next-seq-unknown';
    if ((evidence.flags & ANALYSIS_DUPLICATE_ACK) !== 0 && this.synSeen[evidence.stream] !== true) {
      const idle = time - (this.lastSegmentTime[evidence.stream] ?? time);
      return idle >= PROBE_SUSPECT_IDLE_SECONDS ? 'dup-ack-mid-connection' : 'none';
    }
    if (evidence.payloadLength === 1 && evidence.seq !== evidence.nextSeq) return 'seq-mismatch';
    return 'none';
  }
}

/** The checks of `tcp_analyze_sequence_number`, in source order, then the state update. */
function analyzeSequence(
  segment: TcpSegment,
  time: number,
  stream: StreamState,
  forward: FlowState,
  reverse: FlowState,
  evidence: SegmentEvidence,
): void {
  const { seq, ack, flags, window } = segment;
  const length = segment.payloadLength;
  const controlFlags = flags & (TCP_SYN | TCP_FIN | TCP_RST);
  let result = evidence.flags;

  if (!forward.baseSeqSet) {
    forward.baseSeq = (flags & TCP_SYN) !== 0 ? seq : seqAdd(seq, -1);
    forward.baseSeqSet = true;
  }
  if (!reverse.baseSeqSet && (flags & TCP_ACK) !== 0) {
    reverse.baseSeq = seqAdd(ack, -1);
    reverse.baseSeqSet = true;
  }

  checks: {
    if (length === 1 && seq === forward.nextSeq && reverse.window === 0) {
      result |= ANALYSIS_ZERO_WINDOW_PROBE;
      break checks;
    }
    if (window === 0 && controlFlags === 0) result |= ANALYSIS_ZERO_WINDOW;
    if (forward.nextSeq !== 0 && seqAfter(seq, forward.nextSeq) && (flags & TCP_RST) === 0) {
      result |= ANALYSIS_LOST_SEGMENT;
    }
    if ((length === 0 || length === 1) && seq === seqAdd(forward.nextSeq, -1) && controlFlags === 0) {
      result |= ANALYSIS_KEEP_ALIVE;
    }
    const repeatsLastAck = seq === forward.nextSeq && ack === forward.lastAck && controlFlags === 0;
    if (length === 0 && window !== 0 && window !== forward.window && repeatsLastAck) {
      result |= ANALYSIS_WINDOW_UPDATE;
    }
    if (length > 0 && reverse.windowScale !== WINDOW_SCALE_UNKNOWN && controlFlags === 0) {
      const shift = reverse.windowScale === WINDOW_SCALE_NONE ? 0 : reverse.windowScale;
      const windowEdge = seqAdd(reverse.lastAck, (reverse.window << shift) >>> 0);
      if (seqAdd(seq, length) === windowEdge) result |= ANALYSIS_WINDOW_FULL;
    }
    if (length === 0 && window !== 0 && window === forward.window && repeatsLastAck) {
      if ((reverse.lastSegmentFlags & ANALYSIS_KEEP_ALIVE) !== 0) {
        result |= ANALYSIS_KEEP_ALIVE_ACK;
        break checks;
      }
    }
    if (length === 0 && window === 0 && window === forward.window && repeatsLastAck) {
      if ((reverse.lastSegmentFlags & ANALYSIS_ZERO_WINDOW_PROBE) !== 0) {
        result |= ANALYSIS_ZERO_WINDOW_PROBE_ACK;
        break checks;
      }
    }
    if (length === 0 && window !== 0 && window === forward.window && repeatsLastAck) {
      forward.dupAckCount = forward.dupAckCount === -1 ? 1 : forward.dupAckCount + 1;
      result |= ANALYSIS_DUPLICATE_ACK;
    }
  }

  if (ack !== forward.lastAck) {
    forward.lastNonDupAckFrame = segment.frame;
    forward.dupAckCount = 0;
  }

  if (reverse.maxSeqToBeAcked !== 0 && seqAfter(ack, reverse.maxSeqToBeAcked) && (flags & TCP_ACK) !== 0) {
    // tshark 4.0 reports one gap once: it moves the edge when the other side sent more since,
    // and otherwise stays quiet after a duplicate ACK from that side (dupAckCount -1 = reported)
    if (seqAfter(reverse.nextSeq, reverse.maxSeqToBeAcked)) {
      reverse.maxSeqToBeAcked = reverse.nextSeq;
      result |= ANALYSIS_ACK_LOST_SEGMENT;
    } else {
      if (reverse.dupAckCount === 0) result |= ANALYSIS_ACK_LOST_SEGMENT;
      reverse.dupAckCount = -1;
    }
  }

  if ((length > 0 || (flags & (TCP_SYN | TCP_FIN)) !== 0) && (result & ANALYSIS_KEEP_ALIVE) === 0) {
    result |= retransmissionKind(segment, time, stream, forward, reverse);
  }

  updateFlow(segment, time, forward, result);
  evidence.flags = result;
}

/** Spurious, fast, out-of-order or plain retransmission (or none), as Wireshark orders them. */
function retransmissionKind(segment: TcpSegment, time: number, stream: StreamState, forward: FlowState, reverse: FlowState): number {
  const { seq, flags } = segment;
  const length = segment.payloadLength;
  let seqNotAdvanced = forward.nextSeq !== 0 && seqBefore(seq, forward.nextSeq);
  // more than one byte at next expected − 1 is new data after a possible zero-window probe
  if (length > 1 && seqAdd(forward.nextSeq, -1) === seq) seqNotAdvanced = false;
  if (length > 0 && reverse.lastAck !== 0 && seqBeforeOrEqual(seqAdd(seq, length), reverse.lastAck)) {
    return ANALYSIS_SPURIOUS_RETRANSMISSION;
  }
  if (
    seqNotAdvanced &&
    // Wireshark's counter is unsigned: the -1 "reported" marker reads as a huge count here
    (reverse.dupAckCount >= 2 || reverse.dupAckCount === -1) &&
    reverse.lastAck === seq &&
    withinSeconds(time - reverse.lastAckTime, FAST_RETRANSMISSION_WINDOW_SECONDS)
  ) {
    return ANALYSIS_FAST_RETRANSMISSION;
  }
  const outOfOrderThreshold = stream.firstRoundTrip !== 0 ? stream.firstRoundTrip : DEFAULT_OUT_OF_ORDER_SECONDS;
  const controlLength = (flags & (TCP_SYN | TCP_FIN)) !== 0 ? 1 : 0;
  if (
    seqNotAdvanced &&
    withinSeconds(time - forward.nextSeqTime, outOfOrderThreshold) &&
    forward.nextSeq !== seqAdd(seq, length + controlLength)
  ) {
    return ANALYSIS_OUT_OF_ORDER;
  }
  return seqNotAdvanced ? ANALYSIS_RETRANSMISSION : 0;
}

/**
 * Wireshark computes these gaps as unsigned 64-bit nanoseconds, so a packet stamped
 * earlier than the reference (out of time order) is never "within" the threshold.
 */
function withinSeconds(elapsed: number, threshold: number): boolean {
  return elapsed >= 0 && elapsed < threshold;
}

/** nextSeq, maxSeqToBeAcked, last ack/window/flags of the sending direction. */
function updateFlow(segment: TcpSegment, time: number, forward: FlowState, result: number): void {
  const { seq, flags } = segment;
  const zeroWindowProbe = (result & ANALYSIS_ZERO_WINDOW_PROBE) !== 0;
  let nextSeq = seqAdd(seq, segment.payloadLength);
  if ((flags & (TCP_SYN | TCP_FIN)) !== 0) nextSeq = seqAdd(nextSeq, 1);
  if ((seqAfter(nextSeq, forward.nextSeq) || forward.nextSeq === 0) && !zeroWindowProbe) {
    forward.nextSeq = nextSeq;
    forward.nextSeqFrame = segment.frame;
    forward.nextSeqTime = time;
  }
  if ((seq === forward.maxSeqToBeAcked || forward.maxSeqToBeAcked === 0) && !zeroWindowProbe) {
    forward.maxSeqToBeAcked = forward.nextSeq;
  }
  forward.window = segment.window;
  forward.lastAck = segment.ack;
  forward.lastAckTime = time;
  forward.lastSegmentFlags = result;
}
