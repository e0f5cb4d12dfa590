/**
 * TCP sequence analysis equivalent to Wireshark's `tcp_analyze_sequence_number`
 * (epan/dissectors/packet-tcp.c, as in tshark 4.0): the same checks in the same order,
 * with the same early exits, on raw sequence numbers and the raw 16-bit window, one
 * pass in file order (Wireshark's User's Guide, "TCP Analysis": packets are processed in
 * the order in which they appear in the packet list).
 *
 * Each verdict also keeps the values the rules compared (`SegmentEvidence`), so
 * `tcp-reasons.ts` can say why a flag fired — or why a probe-looking segment is not one.
 *
 * The state is read and written straight in the columns (flow-columns.ts) by flow index:
 * `f` is the sender's flow, `r` the other side's, `s` the stream — no object per packet.
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
import { WINDOW_SCALE_NONE, WINDOW_SCALE_UNKNOWN, type FlowColumns } from './flow-columns';
import { StreamTable } from './tcp-stream-state';
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
  /** sent by the stream's A side (the sender of its first captured segment) */
  fromA: boolean;
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
  /** the other side's last ack, highest sequence number it may be acknowledged for, and duplicate-ACK count (-1: an unseen segment was reported) */
  reverseLastAck: number;
  reverseMaxSeqToBeAcked: number;
  reverseDupAcks: number;
  nearMiss: NearMiss;
}

/** The Info column's numbers for the segment just analysed (not kept in the evidence table). */
export interface InfoFields {
  /** seq and ack relative to each side's base, as Wireshark shows them by default */
  relativeSeq: number;
  relativeAck: number;
  /** the window scaled as Wireshark calculates it (tcp.window_size) */
  calculatedWindow: number;
}

/** Seconds after which a dup ACK on a stream without handshake is suspected to be a probe pair. */
const PROBE_SUSPECT_IDLE_SECONDS = 1;

export class TcpAnalyzer {
  readonly streams = new StreamTable();

  /** one evidence object reused for every segment (no allocation per packet) */
  private readonly evidence: SegmentEvidence & InfoFields = {
    frame: 0,
    stream: 0,
    flags: 0,
    fromA: true,
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
    reverseLastAck: 0,
    reverseMaxSeqToBeAcked: 0,
    reverseDupAcks: 0,
    nearMiss: 'none',
    relativeSeq: 0,
    relativeAck: 0,
    calculatedWindow: 0,
  };

  /**
   * Analyses one segment (in file order) and returns its evidence. The object is reused:
   * it is only valid until the next call, so copy it (`{ ...evidence }`) to keep it.
   * `sequenceAnalysis: false` is for a segment whose TCP header is bogus (data offset below 20 bytes,
   * or longer than the IP payload): tshark still gives it a stream but skips the sequence analysis.
   */
  analyze(segment: TcpSegment, sequenceAnalysis = true): SegmentEvidence & InfoFields {
    const table = this.streams;
    const s = table.locate(segment);
    const c = table.columns;
    const f = table.forward;
    const r = table.reverse;
    const time = segment.time;
    const evidence = this.evidence;
    evidence.frame = segment.frame;
    evidence.stream = s;
    evidence.fromA = table.fromA;
    evidence.seq = segment.seq;
    evidence.ack = segment.ack;
    evidence.payloadLength = segment.payloadLength;
    evidence.tcpFlags = segment.flags;
    evidence.window = segment.window;
    evidence.nextSeq = c.nextSeq[f]!;
    evidence.lastAck = c.lastAck[f]!;
    evidence.lastWindow = c.window[f]!;
    evidence.reverseWindow = c.window[r]!;
    evidence.reverseLastFlags = c.lastSegmentFlags[r]!;
    evidence.reverseLastAck = c.lastAck[r]!;
    evidence.reverseMaxSeqToBeAcked = c.maxSeqToBeAcked[r]!;
    evidence.reverseDupAcks = c.dupAckCount[r]!;
    evidence.nearMiss = 'none';
    if (!sequenceAnalysis) {
      evidence.flags = 0;
      setRelative(evidence, segment, c, f, r);
      return evidence;
    }
    evidence.flags = analyzeSequence(segment, c, s, f, r, table.reusedPorts ? ANALYSIS_REUSED_PORTS : 0);
    afterSegment(segment, c, s, f, r);
    setRelative(evidence, segment, c, f, r);
    evidence.nearMiss = nearMiss(evidence, c.synSeen[s] === 1, time - c.lastSegmentTime[s]! >= PROBE_SUSPECT_IDLE_SECONDS);
    if ((segment.flags & TCP_SYN) !== 0) c.synSeen[s] = 1;
    c.lastSegmentTime[s] = time;
    return evidence;
  }
}

/**
 * The Info column's numbers: seq and ack minus each side's base sequence (packet-tcp.c sets the base
 * from a SYN, else from the first segment's seq − 1, or from an ACK the other way: ack − 1), and the
 * window shifted by the sender's scale once the handshake has set one (never on a SYN).
 */
function setRelative(evidence: InfoFields, segment: TcpSegment, c: FlowColumns, f: number, r: number): void {
  evidence.relativeSeq = c.baseSeqSet[f] === 1 ? (segment.seq - c.baseSeq[f]!) >>> 0 : segment.seq;
  evidence.relativeAck = c.baseSeqSet[r] === 1 ? (segment.ack - c.baseSeq[r]!) >>> 0 : segment.ack;
  const scale = c.windowScale[f]!;
  const scaled = (segment.flags & TCP_SYN) === 0 && scale > 0;
  // scale ≤ 14: at most 65 535 · 2^14 < 2^31
  evidence.calculatedWindow = scaled ? segment.window * (1 << scale) : segment.window;
}

/** Handshake bookkeeping Wireshark does in dissect_tcp after the analysis: window scale, first RTT. */
function afterSegment(segment: TcpSegment, c: FlowColumns, s: number, f: number, r: number): void {
  const time = segment.time;
  const flags = segment.flags;
  if ((flags & TCP_SYN) !== 0) {
    if (segment.options.windowScale !== null) c.windowScale[f] = Math.min(segment.options.windowScale, 14);
    if (c.windowScale[f] === WINDOW_SCALE_UNKNOWN) {
      c.windowScale[f] = WINDOW_SCALE_NONE;
      c.windowScale[r] = WINDOW_SCALE_NONE;
    } else if ((flags & TCP_ACK) !== 0 && c.windowScale[r] === WINDOW_SCALE_NONE) {
      c.windowScale[f] = WINDOW_SCALE_NONE;
    }
    if ((flags & TCP_ACK) === 0) c.mostRecentSynTime[s] = time;
  }
  if ((flags & (TCP_SYN | TCP_ACK)) === TCP_ACK && c.mostRecentSynTime[s] !== 0 && c.firstRoundTrip[s] === 0) {
    c.firstRoundTrip[s] = time - c.mostRecentSynTime[s]!;
  }
}

/** Why a probe-looking segment is not a keep-alive (evidence holds the values before the update). */
function nearMiss(evidence: SegmentEvidence, synSeen: boolean, idleBefore: boolean): NearMiss {
  const controlFlags = evidence.tcpFlags & (TCP_SYN | TCP_FIN | TCP_RST);
  if ((evidence.flags & ANALYSIS_KEEP_ALIVE) !== 0) return 'none';
  const atProbeSeq = evidence.nextSeq !== 0 && evidence.seq === seqAdd(evidence.nextSeq, -1);
  if (evidence.payloadLength <= 1 && atProbeSeq && controlFlags !== 0) return 'control-flag-set';
  if (evidence.payloadLength > 1 && atProbeSeq) return 'payload-too-long';
  if (evidence.payloadLength > 1 || controlFlags !== 0) return 'none';
  if (evidence.nextSeq === 0) return synSeen ? 'none' : 'next-seq-unknown';
  if ((evidence.flags & ANALYSIS_DUPLICATE_ACK) !== 0 && !synSeen) {
    return idleBefore ? 'dup-ack-mid-connection' : 'none';
  }
  if (evidence.payloadLength === 1 && evidence.seq !== evidence.nextSeq) return 'seq-mismatch';
  return 'none';
}

/** The checks of `tcp_analyze_sequence_number`, in source order, then the state update; returns the ANALYSIS_* bits. */
function analyzeSequence(segment: TcpSegment, c: FlowColumns, s: number, f: number, r: number, initial: number): number {
  const { seq, ack, flags, window } = segment;
  const length = segment.payloadLength;
  const controlFlags = flags & (TCP_SYN | TCP_FIN | TCP_RST);
  let result = initial;

  // every SYN sets its side's base (a SYN on a reused 4-tuple starts the numbering again, Seq=0)
  if (c.baseSeqSet[f] === 0 || (flags & TCP_SYN) !== 0) {
    c.baseSeq[f] = (flags & TCP_SYN) !== 0 ? seq : seqAdd(seq, -1);
    c.baseSeqSet[f] = 1;
  }
  if (c.baseSeqSet[r] === 0 && (flags & TCP_ACK) !== 0) {
    c.baseSeq[r] = seqAdd(ack, -1);
    c.baseSeqSet[r] = 1;
  }

  const nextSeq = c.nextSeq[f]!;
  const forwardWindow = c.window[f]!;
  const reverseWindow = c.window[r]!;
  checks: {
    if (length === 1 && seq === nextSeq && reverseWindow === 0) {
      result |= ANALYSIS_ZERO_WINDOW_PROBE;
      break checks;
    }
    if (window === 0 && controlFlags === 0) result |= ANALYSIS_ZERO_WINDOW;
    if (nextSeq !== 0 && seqAfter(seq, nextSeq) && (flags & TCP_RST) === 0) {
      result |= ANALYSIS_LOST_SEGMENT;
    }
    if ((length === 0 || length === 1) && seq === seqAdd(nextSeq, -1) && controlFlags === 0) {
      result |= ANALYSIS_KEEP_ALIVE;
    }
    const repeatsLastAck = seq === nextSeq && ack === c.lastAck[f] && controlFlags === 0;
    if (length === 0 && window !== 0 && window !== forwardWindow && repeatsLastAck) {
      result |= ANALYSIS_WINDOW_UPDATE;
    }
    const reverseScale = c.windowScale[r]!;
    if (length > 0 && reverseScale !== WINDOW_SCALE_UNKNOWN && controlFlags === 0) {
      const shift = reverseScale === WINDOW_SCALE_NONE ? 0 : reverseScale;
      const windowEdge = seqAdd(c.lastAck[r]!, (reverseWindow << shift) >>> 0);
      if (seqAdd(seq, length) === windowEdge) result |= ANALYSIS_WINDOW_FULL;
    }
    if (length === 0 && window !== 0 && window === forwardWindow && repeatsLastAck) {
      if ((c.lastSegmentFlags[r]! & ANALYSIS_KEEP_ALIVE) !== 0) {
        result |= ANALYSIS_KEEP_ALIVE_ACK;
        break checks;
      }
    }
    if (length === 0 && window === 0 && window === forwardWindow && repeatsLastAck) {
      if ((c.lastSegmentFlags[r]! & ANALYSIS_ZERO_WINDOW_PROBE) !== 0) {
        result |= ANALYSIS_ZERO_WINDOW_PROBE_ACK;
        break checks;
      }
    }
    if (length === 0 && window !== 0 && window === forwardWindow && repeatsLastAck) {
      c.dupAckCount[f] = c.dupAckCount[f] === -1 ? 1 : c.dupAckCount[f]! + 1;
      result |= ANALYSIS_DUPLICATE_ACK;
    }
  }

  if (ack !== c.lastAck[f]) c.dupAckCount[f] = 0;

  const reverseMaxSeqToBeAcked = c.maxSeqToBeAcked[r]!;
  if (reverseMaxSeqToBeAcked !== 0 && seqAfter(ack, reverseMaxSeqToBeAcked) && (flags & TCP_ACK) !== 0) {
    // tshark 4.0 reports one gap once: it moves the edge when the other side sent more since,
    // and otherwise stays quiet after a duplicate ACK from that side (dupAckCount -1 = reported)
    if (seqAfter(c.nextSeq[r]!, reverseMaxSeqToBeAcked)) {
      c.maxSeqToBeAcked[r] = c.nextSeq[r]!;
      result |= ANALYSIS_ACK_LOST_SEGMENT;
    } else {
      if (c.dupAckCount[r] === 0) result |= ANALYSIS_ACK_LOST_SEGMENT;
      c.dupAckCount[r] = -1;
    }
  }

  if ((length > 0 || (flags & (TCP_SYN | TCP_FIN)) !== 0) && (result & ANALYSIS_KEEP_ALIVE) === 0) {
    result |= retransmissionKind(segment, c, s, f, r);
  }

  updateFlow(segment, c, f, result);
  return result;
}

/** Spurious, fast, out-of-order or plain retransmission (or none), as Wireshark orders them. */
function retransmissionKind(segment: TcpSegment, c: FlowColumns, s: number, f: number, r: number): number {
  const time = segment.time;
  const { seq, flags } = segment;
  const length = segment.payloadLength;
  const nextSeq = c.nextSeq[f]!;
  const reverseLastAck = c.lastAck[r]!;
  let seqNotAdvanced = nextSeq !== 0 && seqBefore(seq, nextSeq);
  // more than one byte at next expected − 1 is new data after a possible zero-window probe
  if (length > 1 && seqAdd(nextSeq, -1) === seq) seqNotAdvanced = false;
  if (length > 0 && reverseLastAck !== 0 && seqBeforeOrEqual(seqAdd(seq, length), reverseLastAck)) {
    return ANALYSIS_SPURIOUS_RETRANSMISSION;
  }
  const reverseDupAcks = c.dupAckCount[r]!;
  if (
    seqNotAdvanced &&
    // Wireshark's counter is unsigned: the -1 "reported" marker reads as a huge count here
    (reverseDupAcks >= 2 || reverseDupAcks === -1) &&
    reverseLastAck === seq &&
    withinSeconds(time - c.lastAckTime[r]!, FAST_RETRANSMISSION_WINDOW_SECONDS)
  ) {
    return ANALYSIS_FAST_RETRANSMISSION;
  }
  const firstRoundTrip = c.firstRoundTrip[s]!;
  const outOfOrderThreshold = firstRoundTrip !== 0 ? firstRoundTrip : DEFAULT_OUT_OF_ORDER_SECONDS;
  const controlLength = (flags & (TCP_SYN | TCP_FIN)) !== 0 ? 1 : 0;
  if (seqNotAdvanced && withinSeconds(time - c.nextSeqTime[f]!, outOfOrderThreshold) && nextSeq !== seqAdd(seq, length + controlLength)) {
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
function updateFlow(segment: TcpSegment, c: FlowColumns, f: number, result: number): void {
  const time = segment.time;
  const { seq, flags } = segment;
  const zeroWindowProbe = (result & ANALYSIS_ZERO_WINDOW_PROBE) !== 0;
  let nextSeq = seqAdd(seq, segment.payloadLength);
  if ((flags & (TCP_SYN | TCP_FIN)) !== 0) nextSeq = seqAdd(nextSeq, 1);
  const previousNextSeq = c.nextSeq[f]!;
  if ((seqAfter(nextSeq, previousNextSeq) || previousNextSeq === 0) && !zeroWindowProbe) {
    c.nextSeq[f] = nextSeq;
    c.nextSeqTime[f] = time;
  }
  const maxSeqToBeAcked = c.maxSeqToBeAcked[f]!;
  if ((seq === maxSeqToBeAcked || maxSeqToBeAcked === 0) && !zeroWindowProbe) {
    c.maxSeqToBeAcked[f] = c.nextSeq[f]!;
  }
  c.window[f] = segment.window;
  c.lastAck[f] = segment.ack;
  c.lastAckTime[f] = time;
  c.lastSegmentFlags[f] = result;
}
