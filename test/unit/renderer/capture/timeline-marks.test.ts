import { describe, expect, it } from 'vitest';
import type { StreamRow } from '@renderer/features/capture/capture-model';
import { captureTimelineInput, type CaptureMarks } from '@renderer/features/capture/capture-timeline';
import { drawableMarksOutside, drawnMarkCount, markSentence, unmarkedKinds } from '@renderer/features/capture/timeline-marks';

const row = (stream: number): StreamRow => ({
  stream,
  a: `127.0.0.1:${40000 + stream}`,
  b: '127.0.0.1:8080',
  firstFrame: 1,
  lastFrame: 10,
  startS: stream,
  endS: stream + 1,
  packets: 10,
  end: 'fin',
  httpRequests: 0,
  keepAlives: 0,
  keepAliveAcks: 0,
  keepaliveIdleS: null,
  keepaliveIntervalS: null,
  keepaliveProbes: null,
  duplicateProbesIgnored: 0,
  synSeen: true,
  application: '',
});

/** Two probes and an ACK on stream 0, a probe on stream 5, two Dup ACKs and a reused-ports SYN that the timeline has no mark for. */
const marks: CaptureMarks = {
  timeS: [0.1, 0.2, 0.3, 5.1, 0.4, 0.5, 5.0],
  stream: [0, 0, 0, 5, 0, 0, 5],
  flag: ['keep_alive', 'keep_alive', 'keep_alive_ack', 'keep_alive', 'duplicate_ack', 'duplicate_ack', 'reused_ports'],
  frame: [2, 3, 4, 9, 5, 6, 8],
};

describe('the annotated packets the timeline does not draw', () => {
  it('counts the marks drawn on the lanes drawn, and the kinds it has no mark for', () => {
    const input = captureTimelineInput([row(0)], marks, 10);
    expect(drawnMarkCount(input.marks)).toBe(3);
    expect(drawnMarkCount(captureTimelineInput([row(0), row(5)], marks, 10).marks)).toBe(4);
    expect(unmarkedKinds(marks)).toEqual([
      { flag: 'duplicate_ack', count: 2 },
      { flag: 'reused_ports', count: 1 },
    ]);
    // counted by whoever built the codes (open-capture.ts): taken as given
    const given = [{ flag: 'reused_ports', count: 92_543 }];
    expect(unmarkedKinds({ ...marks, flag: null, kindCode: new Uint8Array(7).fill(255), unmarked: given })).toBe(given);
  });

  it('says how many are not drawn, why, and where to find them', () => {
    const unmarked = unmarkedKinds(marks);
    expect(markSentence({ total: 7, drawn: 3, unmarked })).toBe(
      '4 of the 7 annotated packets are not drawn: 3 are annotated Dup ACK or Ports reused, which the timeline does not mark, and 1 is on a stream with no lane here. The Packets list’s filters find them.',
    );
    expect(markSentence({ total: 7, drawn: 4, unmarked })).toBe(
      '3 of the 7 annotated packets are not drawn: they are annotated Dup ACK or Ports reused, which the timeline does not mark. The Packets list’s filters find them.',
    );
    expect(markSentence({ total: 92_543, drawn: 0, unmarked: [{ flag: 'reused_ports', count: 92_543 }] })).toBe(
      'None of the 92,543 annotated packets is drawn: they are annotated Ports reused, which the timeline does not mark. The Packets list’s filters find them.',
    );
    expect(markSentence({ total: 300, drawn: 0, unmarked: [] })).toBe(
      'None of the 300 annotated packets is drawn: they are on streams with no lane here. The Packets list’s filters find them.',
    );
    expect(markSentence({ total: 1, drawn: 0, unmarked: [] })).toBe(
      'The annotated packet is not drawn: it is on a stream with no lane here. The Packets list’s filters find it.',
    );
  });

  it('says which are in another time group', () => {
    // the probe on stream 5 (5.1 s) lies outside a group of 0–1 s; the Dup ACKs and the SYN are no mark kind
    expect(drawableMarksOutside(marks, { startS: 0, endS: 1 })).toBe(1);
    expect(drawableMarksOutside(marks, { startS: 0, endS: 10 })).toBe(0);
    const kindCoded: CaptureMarks = { ...marks, flag: null, kindCode: Uint8Array.from([0, 0, 1, 0, 255, 255, 255]) };
    expect(drawableMarksOutside(kindCoded, { startS: 5, endS: 6 })).toBe(3);
    expect(
      markSentence({
        total: 158,
        drawn: 0,
        unmarked: [{ flag: 'duplicate_ack', count: 82 }],
        elsewhere: { count: 70, where: 'in the other time group' },
      }),
    ).toBe(
      'None of the 158 annotated packets is drawn: 82 are annotated Dup ACK, which the timeline does not mark, 70 are in the other time group, and 6 are on streams with no lane here. The Packets list’s filters find them.',
    );
    expect(markSentence({ total: 76, drawn: 0, unmarked: [], elsewhere: { count: 76, where: 'in the other time group' } })).toBe(
      'None of the 76 annotated packets is drawn: they are in the other time group. The Packets list’s filters find them.',
    );
  });

  it('says nothing when every annotated packet is drawn, and names at most four kinds', () => {
    expect(markSentence({ total: 76, drawn: 76, unmarked: [] })).toBe('');
    expect(markSentence({ total: 0, drawn: 0, unmarked: [] })).toBe('');
    const kinds = ['duplicate_ack', 'out_of_order', 'lost_segment', 'window_update', 'window_full', 'reused_ports'].map((flag) => ({
      flag,
      count: 1,
    }));
    expect(markSentence({ total: 6, drawn: 0, unmarked: kinds })).toBe(
      'None of the 6 annotated packets is drawn: they are annotated Dup ACK, Out of order, Segment not captured and 3 other kinds, which the timeline does not mark. The Packets list’s filters find them.',
    );
  });
});
