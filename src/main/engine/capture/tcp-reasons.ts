/**
 * Why a segment got its flags (the rule and the values it compared), and why a segment that
 * looks like a keep-alive is not one — in words, from the evidence the analysis kept.
 */
import type { PacketTable } from './packet-table';
import type { SegmentEvidence } from './tcp-analysis';
import { analysisFlagNames, type AnalysisFlagName } from './tcp-flags';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from './types';

export interface AnnotationReason {
  flag: AnalysisFlagName | 'near-miss';
  text: string;
  /**
   * The numbers the sentence names, under the names the explanation templates use
   * (src/shared/explain.ts: seq, nextExpected, payload, ack, window, previousWindow, segmentEnd,
   * lastAck, maxSeqToBeAcked, duplicateAcks): data, so nobody parses them back out of the text.
   */
  values: Record<string, number>;
}

function controlFlagText(tcpFlags: number): string {
  const names = [
    [TCP_SYN, 'SYN'],
    [TCP_FIN, 'FIN'],
    [TCP_RST, 'RST'],
  ] as const;
  const set = names.filter(([bit]) => (tcpFlags & bit) !== 0).map(([, name]) => name);
  return set.length === 0 ? 'no SYN/FIN/RST' : `${set.join('+')} set`;
}

function minusOne(value: number): number {
  return (value - 1) >>> 0;
}

/** The values behind each flag's sentence (see flagReason). */
function flagValues(flag: AnalysisFlagName, evidence: SegmentEvidence): Record<string, number> {
  const e = evidence;
  const segmentEnd = (e.seq + e.payloadLength) >>> 0;
  switch (flag) {
    case 'keep_alive':
      return { seq: e.seq, nextExpected: e.nextSeq, payload: e.payloadLength };
    case 'keep_alive_ack':
      return { payload: 0, window: e.window, seq: e.seq, ack: e.ack };
    case 'zero_window_probe':
      return { seq: e.seq, nextExpected: e.seq, payload: e.payloadLength };
    case 'zero_window_probe_ack':
      return { payload: 0, window: 0, ack: e.ack };
    case 'zero_window':
      return { window: 0 };
    case 'window_update':
      return { payload: 0, ack: e.ack, previousWindow: e.lastWindow, window: e.window };
    case 'window_full':
      return { seq: e.seq, payload: e.payloadLength, segmentEnd };
    case 'retransmission':
    case 'out_of_order':
    case 'lost_segment':
      return { seq: e.seq, nextExpected: e.nextSeq };
    case 'fast_retransmission':
      return e.reverseDupAcks >= 0
        ? { seq: e.seq, nextExpected: e.nextSeq, duplicateAcks: e.reverseDupAcks }
        : { seq: e.seq, nextExpected: e.nextSeq };
    case 'spurious_retransmission':
      return { seq: e.seq, payload: e.payloadLength, segmentEnd, lastAck: e.reverseLastAck };
    case 'duplicate_ack':
      return { payload: 0, window: e.window, seq: e.seq, ack: e.ack };
    case 'ack_lost_segment':
      return { ack: e.ack, maxSeqToBeAcked: e.reverseMaxSeqToBeAcked };
    case 'reused_ports':
      return { seq: e.seq };
    default: {
      const unreachable: never = flag;
      return unreachable;
    }
  }
}

function flagReason(flag: AnalysisFlagName, evidence: SegmentEvidence): string {
  const e = evidence;
  const control = controlFlagText(e.tcpFlags);
  switch (flag) {
    case 'keep_alive':
      return `seq ${e.seq} = next expected ${e.nextSeq} − 1, payload ${e.payloadLength}, ${control}`;
    case 'keep_alive_ack':
      return `payload 0, window ${e.window} unchanged, seq ${e.seq} = next expected, ack ${e.ack} = previous ack, and the other side's last segment was a keep-alive`;
    case 'zero_window_probe':
      return `1 byte at next expected seq ${e.seq} while the other side's window is 0`;
    case 'zero_window_probe_ack':
      return `payload 0, window 0 repeated, ack ${e.ack} repeated, answering a zero-window probe`;
    case 'zero_window':
      return `window 0 advertised, ${control}`;
    case 'window_update':
      return `payload 0, seq and ack ${e.ack} repeated, window changed ${e.lastWindow} → ${e.window}`;
    case 'window_full':
      return `seq ${e.seq} + payload ${e.payloadLength} ends at ${(e.seq + e.payloadLength) >>> 0}, exactly the edge of the other side's advertised window`;
    case 'retransmission':
      return `seq ${e.seq} is before next expected ${e.nextSeq}: bytes already sent`;
    case 'fast_retransmission':
      return `resends seq ${e.seq} (before next expected ${e.nextSeq}) within 20 ms of ${e.reverseDupAcks >= 2 ? e.reverseDupAcks : 'at least two'} duplicate ACKs asking for it`;
    case 'spurious_retransmission':
      return `seq ${e.seq} + payload ${e.payloadLength} ends at ${(e.seq + e.payloadLength) >>> 0}, at or before the other side's ack ${e.reverseLastAck}: already acknowledged`;
    case 'out_of_order':
      return `seq ${e.seq} before next expected ${e.nextSeq}, arriving shortly (less than the handshake RTT or 3 ms) after the highest segment`;
    case 'duplicate_ack':
      return `payload 0, window ${e.window}, seq ${e.seq} and ack ${e.ack} all equal to this side's previous segment`;
    case 'lost_segment':
      return `seq ${e.seq} is after next expected ${e.nextSeq}: bytes in between were not captured`;
    case 'ack_lost_segment':
      return `ack ${e.ack} acknowledges bytes the other side was never seen sending (it was seen up to ${e.reverseMaxSeqToBeAcked})`;
    case 'reused_ports':
      return `SYN with a new initial sequence number ${e.seq} on a 4-tuple that already had a stream`;
    default: {
      const unreachable: never = flag;
      return unreachable;
    }
  }
}

function nearMissReason(evidence: SegmentEvidence): string | null {
  const e = evidence;
  switch (e.nearMiss) {
    case 'none':
      return null;
    case 'control-flag-set':
      return `not a keep-alive: seq ${e.seq} = next expected ${e.nextSeq} − 1 and payload ${e.payloadLength}, but ${controlFlagText(e.tcpFlags)}`;
    case 'payload-too-long':
      return `not a keep-alive: seq ${e.seq} = next expected − 1, but payload ${e.payloadLength} bytes (a probe carries 0 or 1)`;
    case 'next-seq-unknown':
      return `not judged: the capture has not seen this side send yet, so its next expected sequence number is unknown (capture started mid-connection?)`;
    case 'seq-mismatch':
      return `not a keep-alive: payload ${e.payloadLength} but seq ${e.seq} ≠ next expected ${e.nextSeq} − 1 (= ${minusOne(e.nextSeq)})`;
    case 'dup-ack-mid-connection':
      return `likely a keep-alive probe or its ACK: the capture started mid-connection, so Wireshark took the probe's seq as next expected and now sees a repeat (Dup ACK)`;
    default: {
      const unreachable: never = e.nearMiss;
      return unreachable;
    }
  }
}

/** The values a near-miss sentence names. */
function nearMissValues(evidence: SegmentEvidence): Record<string, number> {
  const e = evidence;
  if (e.nearMiss === 'next-seq-unknown' || e.nearMiss === 'dup-ack-mid-connection') return { seq: e.seq, payload: e.payloadLength };
  return { seq: e.seq, nextExpected: e.nextSeq, payload: e.payloadLength };
}

/**
 * The evidence in the numbers the packet's Info column shows: sequence and acknowledgment numbers
 * relative to each side's base, as Wireshark shows them by default ("Seq=47", not 2016635637).
 * `relativeSeq`/`relativeAck` are the packet's own (PacketTable), which fix each side's base at
 * that packet. Values in the sender's sequence space (seq, next expected, the other side's ack of
 * it) take the sender's base; those in the other side's (this ack, the highest it may be acked
 * for) take the other's. 0 stays 0: the analysis uses it for "not known yet".
 */
export function relativeEvidence(evidence: SegmentEvidence, relativeSeq: number, relativeAck: number): SegmentEvidence {
  const senderBase = (evidence.seq - relativeSeq) >>> 0;
  const otherBase = (evidence.ack - relativeAck) >>> 0;
  const relative = (value: number, base: number) => (value === 0 ? 0 : (value - base) >>> 0);
  return {
    ...evidence,
    seq: relativeSeq,
    ack: relativeAck,
    nextSeq: relative(evidence.nextSeq, senderBase),
    lastAck: relative(evidence.lastAck, otherBase),
    reverseLastAck: relative(evidence.reverseLastAck, senderBase),
    reverseMaxSeqToBeAcked: relative(evidence.reverseMaxSeqToBeAcked, otherBase),
  };
}

/** The reasons for the packet in row `index` of the table, in the numbers its Info column shows (see relativeEvidence). */
export function explainPacket(
  table: Pick<PacketTable, 'relativeSeq' | 'relativeAck'>,
  index: number,
  evidence: SegmentEvidence,
): AnnotationReason[] {
  return explainEvidence(relativeEvidence(evidence, table.relativeSeq[index] ?? evidence.seq, table.relativeAck[index] ?? evidence.ack));
}

/** Reasons for every flag on the segment, then the near-miss explanation if any. */
export function explainEvidence(evidence: SegmentEvidence): AnnotationReason[] {
  const reasons: AnnotationReason[] = analysisFlagNames(evidence.flags).map((flag) => ({
    flag,
    text: flagReason(flag, evidence),
    values: flagValues(flag, evidence),
  }));
  const nearMiss = nearMissReason(evidence);
  if (nearMiss !== null) reasons.push({ flag: 'near-miss', text: nearMiss, values: nearMissValues(evidence) });
  if (reasons.length === 0 && (evidence.tcpFlags & TCP_ACK) !== 0 && evidence.payloadLength === 0) {
    reasons.push({ flag: 'near-miss', text: 'a plain ACK: no analysis rule applies', values: { payload: 0, ack: evidence.ack } });
  }
  return reasons;
}
