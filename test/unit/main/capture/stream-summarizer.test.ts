/** Stream summaries: endpoints, end, probes and the keepalive settings they imply. */
import { describe, expect, it } from 'vitest';
import { AddressBook } from '@engine/capture/address-book';
import { StreamSummarizer } from '@engine/capture/stream-summarizer';
import { TcpAnalyzer } from '@engine/capture/tcp-analysis';
import { TCP_ACK, TCP_RST, TCP_SYN, type TcpSegment } from '@engine/capture/types';
import { segment as tcpSegment } from './segment-builder';

/** As the summarizer sees a snap-length-cut capture: headers only, window 512. */
const segment = (frame: number, seconds: number, fromA: boolean, seq: number, ack: number, flags: number, length = 0): TcpSegment =>
  tcpSegment({ frame, seconds, from: fromA ? 'A' : 'B', seq, ack, flags, length, window: 512, payloadCaptured: false });

describe('StreamSummarizer', () => {
  it('infers idle, interval and probe count from a Linux-style dead-peer series', () => {
    const analyzer = new TcpAnalyzer();
    const summarizer = new StreamSummarizer();
    const add = (item: TcpSegment) => {
      const { stream, flags, fromA } = analyzer.analyze(item);
      summarizer.add(item, stream, flags, fromA);
    };
    add(segment(1, 0, true, 1000, 0, TCP_SYN));
    add(segment(2, 0.001, false, 5000, 1001, TCP_SYN | TCP_ACK));
    add(segment(3, 0.002, true, 1001, 5001, TCP_ACK, 10));
    add(segment(4, 0.003, false, 5001, 1011, TCP_ACK));
    // idle 60 s, answered probe; idle 60 s again; then 3 unanswered probes 10 s apart; reset
    add(segment(5, 60.003, true, 1010, 5001, TCP_ACK));
    add(segment(6, 60.004, false, 5001, 1011, TCP_ACK));
    let frame = 7;
    for (const time of [120.004, 130.004, 140.004]) add(segment(frame++, time, true, 1010, 5001, TCP_ACK));
    add(segment(frame, 150.004, true, 1011, 5001, TCP_RST));
    const addresses = new AddressBook();
    addresses.ipv4(Uint8Array.of(10, 0, 0, 99), 0); // id 0: unused, so 10.0.0.1 and .2 get ids 1 and 2 as the segments say
    addresses.ipv4(Uint8Array.of(10, 0, 0, 1), 0);
    addresses.ipv4(Uint8Array.of(10, 0, 0, 2), 0);
    const [summary] = summarizer.finish(addresses).toArray();
    expect(summary).toMatchObject({
      stream: 0,
      a: '10.0.0.1:40000',
      b: '10.0.0.2:80',
      packets: 10,
      end: 'rst',
      synSeen: true,
      keepAlives: 4,
      keepAliveAcks: 1,
    });
    expect(summary?.keepalive?.prober).toBe('a');
    expect(summary?.keepalive?.idleSeconds).toBeCloseTo(60, 2);
    expect(summary?.keepalive?.intervalSeconds).toBeCloseTo(10, 3);
    expect(summary?.keepalive?.probesBeforeGiveUp).toBe(3);
    expect(summary?.maxIdleGap).toBeCloseTo(60, 3);
    expect(summary?.payloadAtoB).toBe(10);
  });

  it('leaves `-i any` copies out of the inferred settings and says how many it left out', () => {
    const analyzer = new TcpAnalyzer();
    const summarizer = new StreamSummarizer();
    let frame = 1;
    /** adds a segment and, when `copied`, the copy a capture on "-i any" records 47 µs later */
    const add = (seconds: number, fromA: boolean, seq: number, ack: number, flags: number, length = 0, copied = false) => {
      for (const [time, duplicate] of copied
        ? ([
            [seconds, false],
            [seconds + 47e-6, true],
          ] as const)
        : ([[seconds, false]] as const)) {
        const item = segment(frame++, time, fromA, seq, ack, flags, length);
        const { stream, flags: analysis, fromA: side } = analyzer.analyze(item);
        summarizer.add(item, stream, analysis, side, duplicate);
      }
    };
    add(0, true, 1000, 0, TCP_SYN);
    add(0.001, false, 5000, 1001, TCP_SYN | TCP_ACK);
    add(0.002, true, 1001, 5001, TCP_ACK, 10, true);
    add(0.003, false, 5001, 1011, TCP_ACK, 0, true);
    // idle 45 s, then probes every 5 s while unanswered, each one seen twice
    for (const time of [45.003, 50.003, 55.003]) add(time, true, 1010, 5001, TCP_ACK, 0, true);
    const addresses = new AddressBook();
    addresses.ipv4(Uint8Array.of(10, 0, 0, 99), 0);
    addresses.ipv4(Uint8Array.of(10, 0, 0, 1), 0);
    addresses.ipv4(Uint8Array.of(10, 0, 0, 2), 0);
    const [summary] = summarizer.finish(addresses).toArray();
    // both copies of each probe are counted, as tshark flags both
    expect(summary?.keepAlives).toBe(6);
    expect(summary?.duplicateProbesIgnored).toBe(3);
    expect(summary?.keepalive?.idleSeconds).toBeCloseTo(45, 3);
    expect(summary?.keepalive?.intervalSeconds).toBeCloseTo(5, 3);
    expect(summary?.probeSpacing).toMatchObject({ min: expect.closeTo(5, 3), max: expect.closeTo(5, 3) });
  });
});
