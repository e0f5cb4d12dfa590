/**
 * Cases verified with tshark 4.0.17 on synthetic captures: A = 10.0.0.1:40000
 * (ISN 1000) ↔ B = 10.0.0.2:80 (ISN 5000); handshake, A sends 3 bytes, B 4, A ACKs; then each case.
 */
import { describe, expect, it } from 'vitest';
import { TcpAnalyzer, type SegmentEvidence } from '@engine/capture/tcp-analysis';
import { analysisFlagNames } from '@engine/capture/tcp-flags';
import { explainEvidence } from '@engine/capture/tcp-reasons';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type TcpSegment } from '@engine/capture/types';
import { segment as tcpSegment, type SegmentSpec } from './segment-builder';

/** One segment of a case: all but the frame number, which is its position. */
type Step = Omit<SegmentSpec, 'frame' | 'seconds' | 'payloadCaptured'>;

const segment = (frame: number, step: Step): TcpSegment => tcpSegment({ frame, ...step });

const ACK = TCP_ACK;
const SETUP: Step[] = [
  { from: 'A', seq: 1000, ack: 0, flags: TCP_SYN },
  { from: 'B', seq: 5000, ack: 1001, flags: TCP_SYN | ACK },
  { from: 'A', seq: 1001, ack: 5001, flags: ACK },
  { from: 'A', seq: 1001, ack: 5001, flags: ACK | TCP_PSH, length: 3 },
  { from: 'B', seq: 5001, ack: 1004, flags: ACK | TCP_PSH, length: 4 },
  { from: 'A', seq: 1004, ack: 5005, flags: ACK },
];

/** Flags of the steps after the setup (or of all steps when `withSetup` is false). */
function run(steps: Step[], withSetup = true): { names: string[][]; evidence: SegmentEvidence[] } {
  const analyzer = new TcpAnalyzer();
  const all = withSetup ? [...SETUP, ...steps] : steps;
  const evidence = all.map((step, index) => ({ ...analyzer.analyze(segment(index + 1, step)) }));
  const tail = withSetup ? evidence.slice(SETUP.length) : evidence;
  return { names: tail.map((item) => analysisFlagNames(item.flags)), evidence: tail };
}

describe('TcpAnalyzer, cases verified with tshark 4.0.17', () => {
  it('the setup itself carries no flags', () => {
    expect(run(SETUP, false).names.flat()).toEqual([]);
  });

  it('t1: a 0-byte probe at next expected − 1 and its ACK', () => {
    const { names, evidence } = run([
      { from: 'A', seq: 1003, ack: 5005, flags: ACK },
      { from: 'B', seq: 5005, ack: 1004, flags: ACK },
    ]);
    expect(names).toEqual([['keep_alive'], ['keep_alive_ack']]);
    const first = evidence[0];
    expect(first && explainEvidence(first)[0]?.text).toBe('seq 1003 = next expected 1004 − 1, payload 0, no SYN/FIN/RST');
  });

  it('t2: a 1-byte garbage probe is a keep-alive, not a retransmission', () => {
    expect(
      run([
        { from: 'A', seq: 1003, ack: 5005, flags: ACK, length: 1 },
        { from: 'B', seq: 5005, ack: 1004, flags: ACK },
      ]).names,
    ).toEqual([['keep_alive'], ['keep_alive_ack']]);
  });

  it('t3: an ACK with a new window is a window update, not a keep-alive ACK', () => {
    expect(
      run([
        { from: 'A', seq: 1003, ack: 5005, flags: ACK },
        { from: 'B', seq: 5005, ack: 1004, flags: ACK, window: 2000 },
      ]).names,
    ).toEqual([['keep_alive'], ['window_update']]);
  });

  it('t4: a capture that starts mid-idle sees ACKed-unseen and Dup ACKs, and says why', () => {
    const { names, evidence } = run(
      [
        { from: 'A', seq: 1003, ack: 5005, flags: ACK },
        { from: 'B', seq: 5005, ack: 1004, flags: ACK },
        { from: 'A', seq: 1003, ack: 5005, flags: ACK },
        { from: 'B', seq: 5005, ack: 1004, flags: ACK },
      ],
      false,
    );
    expect(names).toEqual([[], ['ack_lost_segment'], ['duplicate_ack'], ['duplicate_ack']]);
    expect(evidence[0]?.nearMiss).toBe('next-seq-unknown');
    expect(evidence[2]?.nearMiss).toBe('dup-ack-mid-connection');
  });

  it('t5: both sides probe: KA, KA, KA-ACK, then a Dup ACK', () => {
    expect(
      run([
        { from: 'B', seq: 5004, ack: 1004, flags: ACK },
        { from: 'A', seq: 1003, ack: 5005, flags: ACK },
        { from: 'A', seq: 1004, ack: 5005, flags: ACK },
        { from: 'B', seq: 5005, ack: 1004, flags: ACK },
      ]).names,
    ).toEqual([['keep_alive'], ['keep_alive'], ['keep_alive_ack'], ['duplicate_ack']]);
  });

  it('t6/t7: unanswered probes are each a keep-alive; the RST is not a keep-alive ACK', () => {
    const probe: Step = { from: 'A', seq: 1003, ack: 5005, flags: ACK };
    expect(run([probe, probe, probe, { from: 'B', seq: 5005, ack: 0, flags: TCP_RST }]).names).toEqual([
      ['keep_alive'],
      ['keep_alive'],
      ['keep_alive'],
      [],
    ]);
  });

  it('t8: zero window, zero-window probe, zero-window probe ACK', () => {
    expect(
      run([
        { from: 'B', seq: 5005, ack: 1004, flags: ACK, window: 0 },
        { from: 'A', seq: 1004, ack: 5005, flags: ACK, length: 1 },
        { from: 'B', seq: 5005, ack: 1004, flags: ACK, window: 0 },
      ]).names,
    ).toEqual([['zero_window'], ['zero_window_probe'], ['zero_window_probe_ack', 'zero_window']]);
  });

  it('t11: repeated ACKs after one probe are all keep-alive ACKs', () => {
    const ackStep: Step = { from: 'B', seq: 5005, ack: 1004, flags: ACK };
    expect(run([{ from: 'A', seq: 1003, ack: 5005, flags: ACK }, ackStep, ackStep]).names).toEqual([
      ['keep_alive'],
      ['keep_alive_ack'],
      ['keep_alive_ack'],
    ]);
  });

  it('t12: a FIN at next expected − 1 is a retransmission, and the reason says why it is no probe', () => {
    const { names, evidence } = run([{ from: 'A', seq: 1003, ack: 5005, flags: ACK | TCP_FIN }]);
    expect(names).toEqual([['retransmission']]);
    expect(evidence[0]?.nearMiss).toBe('control-flag-set');
    expect(
      explainEvidence(evidence[0] as SegmentEvidence)
        .map((reason) => reason.text)
        .join(' '),
    ).toMatch(/but FIN set/);
  });

  it('t13: two bytes at next expected − 1 are neither keep-alive nor retransmission', () => {
    const { names, evidence } = run([
      { from: 'A', seq: 1003, ack: 5005, flags: ACK, length: 2 },
      { from: 'B', seq: 5005, ack: 1005, flags: ACK },
    ]);
    expect(names).toEqual([[], ['ack_lost_segment']]);
    expect(evidence[0]?.nearMiss).toBe('payload-too-long');
  });

  it('t14: a server-side probe and its ACK', () => {
    expect(
      run([
        { from: 'B', seq: 5004, ack: 1004, flags: ACK },
        { from: 'A', seq: 1004, ack: 5005, flags: ACK },
      ]).names,
    ).toEqual([['keep_alive'], ['keep_alive_ack']]);
  });

  it('a new SYN with another ISN on the same 4-tuple is a new stream flagged reused_ports', () => {
    const analyzer = new TcpAnalyzer();
    SETUP.forEach((step, index) => analyzer.analyze(segment(index + 1, step)));
    const again = analyzer.analyze(segment(10, { from: 'A', seq: 90_000, ack: 0, flags: TCP_SYN }));
    expect(again.stream).toBe(1);
    expect(analysisFlagNames(again.flags)).toEqual(['reused_ports']);
    expect(analyzer.streams.count).toBe(2);
  });

  it('sequence numbers wrap at 2^32', () => {
    const analyzer = new TcpAnalyzer();
    const isn = 0xffff_fffe;
    analyzer.analyze(segment(1, { from: 'A', seq: isn, ack: 0, flags: TCP_SYN }));
    analyzer.analyze(segment(2, { from: 'B', seq: 5000, ack: isn + 1, flags: TCP_SYN | ACK }));
    analyzer.analyze(segment(3, { from: 'A', seq: isn + 1, ack: 5001, flags: ACK, length: 3 }));
    const probe = analyzer.analyze(segment(4, { from: 'A', seq: isn + 3, ack: 5001, flags: ACK }));
    expect(analysisFlagNames(probe.flags)).toEqual(['keep_alive']);
  });
});
