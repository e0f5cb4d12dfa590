import { describe, expect, it } from 'vitest';
import type { PacketListRow, StreamRow } from '@renderer/features/capture/capture-model';
import {
  CHOSEN_STREAM_WORDS,
  captureTimelineInput,
  markIdOf,
  markKindOfFlag,
  timelineRange,
} from '@renderer/features/capture/capture-timeline';
import { explanationsForPacket, explanationsForStream } from '@renderer/features/capture/explain-values';
import { binsToTimeline } from '@renderer/features/timeline/bins-to-timeline';
import { layoutRows } from '@renderer/features/timeline/lane-layout';
import { MARK_KIND_CODE } from '@renderer/features/timeline/timeline-model';
import { renderExplanation } from '@shared/explain';

const stream = (index: number, end: StreamRow['end']): StreamRow => ({
  stream: index,
  a: `192.168.1.10:${54000 + index}`,
  b: '93.184.216.34:80',
  firstFrame: 1,
  lastFrame: 50,
  startS: index,
  endS: index + 30,
  packets: 50,
  end,
  httpRequests: 2,
  keepAlives: 3,
  keepAliveAcks: 3,
  keepaliveIdleS: 10,
  keepaliveIntervalS: 10,
  keepaliveProbes: null,
  duplicateProbesIgnored: 0,
  synSeen: index !== 1,
  application: '',
});

describe('captureTimelineInput', () => {
  it('makes a lane per stream and a mark per drawn annotation, on the mark ids the timeline uses', () => {
    const streams = [stream(0, 'fin'), stream(1, 'open')];
    const input = captureTimelineInput(
      streams,
      {
        timeS: [5, 6, 7, 8],
        stream: [1, 1, 0, 9],
        flag: ['keep_alive', 'keep_alive_ack', 'window_update', 'keep_alive'],
        frame: [31, 32, 40, 41],
      },
      40,
    );
    expect(input.lanes.map((lane) => lane.id)).toEqual(['s0', 's1']);
    expect(input.lanes[1]?.endUs).toBeNull();
    expect(input.endUs).toBe(40e6);
    // window_update is not drawn; stream 9 has no lane
    expect(Array.from(input.marks?.frame ?? [])).toEqual([31, 32]);
    expect(Array.from(input.marks?.kind ?? [])).toEqual([MARK_KIND_CODE['keepalive-probe'], MARK_KIND_CODE['keepalive-ack']]);
    const model = binsToTimeline(input);
    expect(model.lanes[1]?.sortKeys.probes).toBe(1);
    expect(model.lanes[1]?.columns?.frame[0]).toBe(31);
    expect(markIdOf(1, 31)).toBe('s1#f31');
  });

  it('pins the chosen stream’s lane on top, on a tinted band, whatever the lane order', () => {
    const streams = [stream(0, 'fin'), stream(1, 'open'), { ...stream(2, 'fin'), httpRequests: 0 }];
    const input = captureTimelineInput(streams, null, 40, null, 2);
    expect(input.lanes.map((lane) => lane.pinned ?? null)).toEqual([null, null, CHOSEN_STREAM_WORDS]);
    const model = binsToTimeline(input);
    expect(model.lanes[2]).toMatchObject({ pinned: CHOSEN_STREAM_WORDS, highlighted: true });
    expect(model.lanes[0]?.highlighted).toBeUndefined();
    // no request, so last by requests: pinned, it is the first lane drawn
    const rows = layoutRows(model, 'requests', true).rows;
    expect(rows[1]).toMatchObject({ kind: 'lane', lane: { id: 's2' } });
    expect(captureTimelineInput(streams, null, 40).lanes.some((lane) => lane.pinned !== undefined)).toBe(false);
  });

  it('draws every retransmission kind as a retransmission and ignores flags without a mark', () => {
    expect(markKindOfFlag('fast_retransmission')).toBe('retransmission');
    expect(markKindOfFlag('duplicate_ack')).toBeNull();
  });
});

describe('explanations for a packet', () => {
  const probe: PacketListRow = {
    frame: 31,
    timeS: 12.5,
    stream: 1,
    endpoints: '192.168.1.10:54154 ⇄ 93.184.216.34:80',
    tcpFlags: 'ACK',
    payload: 0,
    info: '[TCP Dup ACK] [TCP Keep-Alive] 54154 → 80 [ACK] Seq=394 Ack=703 Win=63616 Len=0',
    http: null,
    flags: ['duplicate_ack', 'keep_alive'],
    reasons: [
      {
        flag: 'keep_alive',
        text: 'seq 394 = next expected 395 − 1, payload 0, no SYN/FIN/RST',
        values: { seq: 394, nextExpected: 395, payload: 0 },
      },
    ],
    nearMiss: null,
  };

  it('puts the keep-alive first and fills the template with the values the rule compared', () => {
    const [first, second] = explanationsForPacket(probe);
    expect(first?.kind).toBe('keepalive-probe');
    expect(first?.engineReason).toContain('next expected 395');
    expect(second?.kind).toBe('duplicate-ack');
    const text = renderExplanation('keepalive-probe', first?.values).whyConcluded;
    expect(text).toContain('sequence number 394');
    expect(text).toContain('next expected 395');
    expect(text).toContain('0 bytes of payload');
  });

  it('explains a stream: reuse when it carried several requests, a capture begun mid-connection', () => {
    const [reuse, midConnection] = explanationsForStream(stream(1, 'open'));
    expect(reuse?.kind).toBe('connection-reused');
    expect(renderExplanation('connection-reused', reuse?.values).whyConcluded).toBe(
      'Request 2 ran on connection stream 1, which had already carried 1 request.',
    );
    expect(midConnection).toMatchObject({ kind: 'capture-mid-connection', values: { stream: 1, frame: 1 } });
    expect(explanationsForStream({ ...stream(0, 'fin'), httpRequests: 1 })).toEqual([]);
  });
});

describe('timelineRange: where the timeline fits', () => {
  const groups = [
    { startS: 0, endS: 60 },
    { startS: 184_280_767, endS: 184_280_900 },
  ];

  it('fits everything for one group, the chosen group when the times fall in groups far apart', () => {
    expect(timelineRange([groups[0]!], 0, null)).toBeNull();
    expect(timelineRange(groups, 1, null)).toEqual(groups[1]);
  });

  it('zooms to the selected stream, with a little room on both sides', () => {
    const range = timelineRange(groups, 1, { startS: 10, endS: 20 });
    expect(range?.startS).toBeCloseTo(9.8, 6);
    expect(range?.endS).toBeCloseTo(20.2, 6);
  });

  it('keeps only the lanes in the range, on an axis fitted to it', () => {
    const late = { ...stream(2, 'fin'), startS: 184_280_800, endS: 184_280_850 };
    const input = captureTimelineInput([stream(0, 'fin'), late], null, 184_280_900, timelineRange(groups, 1, null));
    expect(input.lanes.map((lane) => lane.id)).toEqual(['s2']);
    expect(input.startUs).toBe(184_280_767e6);
    expect(input.endUs).toBe(184_280_900e6);
  });

  it('keeps the lanes of a group before frame 1 (negative times), and an axis that starts with them', () => {
    const before = [
      { startS: -86_400 * 3, endS: -86_400 * 3 + 50 },
      { startS: 0, endS: 60 },
    ];
    const early = { ...stream(2, 'fin'), startS: -86_400 * 3 + 10, endS: -86_400 * 3 + 20 };
    expect(captureTimelineInput([stream(0, 'fin'), early], null, 60, timelineRange(before, 0, null)).lanes.map((lane) => lane.id)).toEqual([
      's2',
    ]);
    // one group, a stream a little before frame 1 (timestamps out of order): the axis starts with it
    const unordered = { ...stream(3, 'fin'), startS: -0.5, endS: 2 };
    expect(captureTimelineInput([stream(0, 'fin'), unordered], null, 40).startUs).toBe(-0.5e6);
  });
});
