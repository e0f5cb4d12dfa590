import { describe, expect, it } from 'vitest';
import type { CaptureStream, CaptureSummary } from '@shared/api-capture';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN, tcpFlagNames } from '@shared/tcp-header-flags';
import { nearMissTitle, toOverview, toPacketRow, toStreamRow } from '@renderer/features/capture/contract-adapter';
import { withoutPath } from '@renderer/features/capture/capture-client';
import { FlaggedIndex, flagBits, flagsOfBits } from '@renderer/features/capture/flagged-index';

const stream = (index: number, httpRequests: number): CaptureStream => ({
  stream: index,
  a: '192.168.1.128:54154',
  b: '142.250.184.99:80',
  firstFrame: 24,
  lastFrame: 102,
  firstTime: 1_623_222_699.655905,
  lastTime: 1_623_222_892.672181,
  packets: 50,
  packetsAtoB: 26,
  packetsBtoA: 24,
  payloadAtoB: 788,
  payloadBtoA: 1404,
  synSeen: true,
  end: 'fin',
  maxIdleGap: 10.24,
  httpRequests,
  httpResponses: httpRequests,
  keepAlives: 18,
  keepAliveAcks: 18,
  probeSpacing: { min: 10.1, median: 10.2, max: 10.3 },
  keepalive: { prober: 'a', idleSeconds: 10, intervalSeconds: 10.2, probesBeforeGiveUp: null },
});

describe('contract → view', () => {
  const summary: CaptureSummary = {
    captureId: 'c1',
    path: '/tmp/up/x-ndpi__ocsp.pcapng',
    format: 'pcapng',
    linkTypes: ['ETHERNET'],
    packets: 344,
    tcpSegments: 344,
    warnings: ['the file is cut short in the middle of a record'],
    hints: [{ code: 'mid-connection', count: 1, message: 'stream 3 began before the capture' }],
    startTime: 1_623_221_248.283182,
    duration: 8700,
    streams: [stream(0, 1), stream(1, 3)],
    flagCounts: { keep_alive: 97, keep_alive_ack: 97 },
  };

  it('sums requests and reused connections and puts read warnings before capture hints', () => {
    const overview = toOverview(summary, 'ndpi__ocsp.pcapng');
    expect(overview).toMatchObject({
      fileName: 'ndpi__ocsp.pcapng',
      linkTypes: ['Ethernet'],
      httpRequests: 4,
      reusedStreams: 1,
      streams: 2,
      durationS: 8700,
    });
    expect(overview.warnings).toEqual(['the file is cut short in the middle of a record', 'stream 3 began before the capture']);
  });

  it('makes stream times relative to the first packet and keeps the inferred keepalive settings', () => {
    const row = toStreamRow(stream(1, 3), summary.startTime);
    expect(row.startS).toBeCloseTo(1451.372723, 5);
    expect(row).toMatchObject({ keepaliveIdleS: 10, keepaliveIntervalS: 10.2, keepaliveProbes: null, end: 'fin' });
  });

  it('names TCP flags as Wireshark does and separates the near-miss from the flag reasons', () => {
    expect(tcpFlagNames(TCP_SYN | TCP_ACK)).toBe('SYN ACK');
    expect(tcpFlagNames(TCP_FIN | TCP_PSH | TCP_ACK)).toBe('FIN PSH ACK');
    expect(tcpFlagNames(0)).toBe('');
    const streams = new Map([[1, toStreamRow(stream(1, 3), summary.startTime)]]);
    const row = toPacketRow(
      {
        frame: 31,
        time: 1461.496822,
        stream: 1,
        tcpFlags: TCP_ACK,
        payload: 0,
        flags: ['keep_alive'],
        reasons: [
          {
            flag: 'keep_alive',
            text: 'seq 394 = next expected 395 − 1, payload 0, no SYN/FIN/RST',
            values: { seq: 394, nextExpected: 395, payload: 0 },
          },
        ],
      },
      streams,
    );
    expect(row.endpoints).toBe('192.168.1.128:54154 ⇄ 142.250.184.99:80');
    expect(row.reasons[0]?.values).toEqual({ seq: 394, nextExpected: 395, payload: 0 });
    expect(row.nearMiss).toBeNull();
    const nearMiss = toPacketRow(
      {
        frame: 9,
        time: 1,
        stream: null,
        tcpFlags: TCP_FIN | TCP_ACK,
        payload: 0,
        flags: [],
        reasons: [
          {
            flag: 'near-miss',
            text: 'not a keep-alive: seq 1 = next expected 2 − 1 and payload 0, but FIN set',
            values: { seq: 1, nextExpected: 2, payload: 0 },
          },
        ],
      },
      streams,
    );
    expect(nearMiss.nearMiss).toEqual({
      title: 'Not a keep-alive probe',
      text: 'not a keep-alive: seq 1 = next expected 2 − 1 and payload 0, but FIN set',
    });
    expect(nearMiss.endpoints).toBe('—');
    expect(nearMissTitle('likely a keep-alive probe or its ACK: …')).toBe('Probably a keep-alive probe or its ACK');
  });
});

describe('engine messages', () => {
  it('drop the temp upload path the learner never chose', () => {
    expect(withoutPath('/tmp/up/1-a.pcap: not a pcap or pcapng capture (magic 0x68656c6c)', '/tmp/up/1-a.pcap')).toBe(
      'not a pcap or pcapng capture (magic 0x68656c6c)',
    );
    expect(withoutPath('cancelled', '/tmp/up/1-a.pcap')).toBe('cancelled');
  });
});

describe('FlaggedIndex', () => {
  it('keeps annotated packets compactly and filters them by kind and stream', () => {
    const index = new FlaggedIndex();
    // as capture.flagged sends them: columns, flag sets by index (set 2 has no flag the timeline knows)
    const rows = 3001;
    index.addColumns({
      frames: Array.from({ length: rows }, (_, at) => (at === 3000 ? 7000 : at * 2 + 1)),
      times: Array.from({ length: rows }, (_, at) => at),
      streams: Array.from({ length: rows }, (_, at) => at % 3),
      tcpFlags: Array.from({ length: rows }, () => TCP_ACK),
      payloads: Array.from({ length: rows }, () => 0),
      flagSet: Array.from({ length: rows }, (_, at) => (at === 3000 ? 2 : at % 2)),
      flagSets: [['keep_alive', 'duplicate_ack'], ['keep_alive_ack'], []],
    });
    expect(index.length).toBe(3000);
    expect(index.matching(['keep_alive'], null).length).toBe(1500);
    expect(index.matching(['keep_alive', 'keep_alive_ack'], 1).length).toBe(1000);
    expect(index.positionOfFrame(5)).toBe(2);
    expect(index.positionOfFrame(4)).toBe(-1);
    expect(flagsOfBits(index.bits[0] ?? 0)).toEqual(['keep_alive', 'duplicate_ack']);
    expect(flagsOfBits(flagBits(['retransmission', 'nonsense']))).toEqual(['retransmission']);
    expect(index.tcp[0]).toBe(TCP_ACK);
  });
});
