/** Which streams the capture timeline asks the engine for, and the sentence about the lanes it draws. */
import { describe, expect, it } from 'vitest';
import {
  laneFilter,
  earlyLanesEndS,
  laneSentence,
  laneStreamSort,
  MAX_TIMELINE_LANES,
  sameRange,
  zoomedLaneRange,
} from '@renderer/features/capture/timeline-lanes';

const group = { startS: 100_000, endS: 100_600 };
const zoomedIn = { fromUs: 100_100e6, toUs: 100_200e6, fitted: false };

describe('laneFilter', () => {
  it('asks for the streams of a range in the engine’s seconds since 1970, or for every stream', () => {
    expect(laneFilter(group, 1_700_000_000)).toEqual({ timeRange: { from: 1_700_100_000, to: 1_700_100_600 } });
    expect(laneFilter(null, 1_700_000_000)).toEqual({});
  });
});

describe('zoomedLaneRange', () => {
  it('asks for the zoomed view only when the fitted range holds more streams than are drawn', () => {
    expect(zoomedLaneRange(group, MAX_TIMELINE_LANES + 1, zoomedIn)).toEqual({ startS: 100_100, endS: 100_200 });
    expect(zoomedLaneRange(group, MAX_TIMELINE_LANES, zoomedIn)).toBeNull();
    expect(zoomedLaneRange(group, null, zoomedIn)).toBeNull();
    // the whole range in view (with the timeline's padding): its lanes stand
    expect(zoomedLaneRange(group, 5000, { fromUs: 99_990e6, toUs: 100_610e6, fitted: true })).toBeNull();
  });

  it('keeps the view within the fitted range, and ignores a view left over from another range', () => {
    expect(zoomedLaneRange(group, 5000, { fromUs: 99_000e6, toUs: 100_050e6, fitted: false })).toEqual({ startS: 100_000, endS: 100_050 });
    expect(zoomedLaneRange(group, 5000, { fromUs: 0, toUs: 60e6, fitted: false })).toBeNull();
    // the whole capture has no bounds to keep to
    expect(zoomedLaneRange(null, 5000, { fromUs: -1e6, toUs: 60e6, fitted: false })).toEqual({ startS: -1, endS: 60 });
  });

  it('treats ranges equal to the µs as the same', () => {
    expect(sameRange({ startS: 1.0000001, endS: 2 }, { startS: 1, endS: 2 })).toBe(true);
    expect(sameRange({ startS: 1.00001, endS: 2 }, { startS: 1, endS: 2 })).toBe(false);
    expect(sameRange(null, null)).toBe(true);
    expect(sameRange(null, group)).toBe(false);
  });
});

describe('laneSentence', () => {
  it('says nothing when every stream of the fitted range has its lane', () => {
    expect(
      laneSentence({ drawn: 800, total: 800, scope: { kind: 'group' }, baseTotal: 800, baseScope: { kind: 'group' }, sort: 'start' }),
    ).toBe('');
  });

  it('says how many of how many are drawn, which ones, and how to see the others', () => {
    expect(
      laneSentence({ drawn: 1000, total: 1500, scope: { kind: 'group' }, baseTotal: 1500, baseScope: { kind: 'group' }, sort: 'start' }),
    ).toBe(
      'Lanes for 1,000 of the 1,500 streams in this time group (the first to start): zoom in to draw the others, or pick one in the Streams list.',
    );
    expect(
      laneSentence({
        drawn: 1000,
        total: 120_000,
        scope: { kind: 'capture' },
        baseTotal: 120_000,
        baseScope: { kind: 'capture' },
        sort: 'start',
      }),
    ).toContain('of the 120,000 streams in the capture');
    expect(
      laneSentence({ drawn: 1000, total: 1200, scope: { kind: 'zoom' }, baseTotal: 1500, baseScope: { kind: 'group' }, sort: 'start' }),
    ).toBe(
      'Lanes for 1,000 of the 1,200 streams in the zoomed range (the first to start): zoom in further to draw the others, or pick one in the Streams list.',
    );
    expect(
      laneSentence({
        drawn: 1000,
        total: 3000,
        scope: { kind: 'stream', stream: 7 },
        baseTotal: 3000,
        baseScope: { kind: 'stream', stream: 7 },
        sort: 'start',
      }),
    ).toContain('of the 3,000 streams during stream 7');
  });

  it('counts the chosen stream’s own lane when it is past the lanes drawn', () => {
    const chosen = (scope: { kind: 'stream'; stream: number } | { kind: 'zoom' }) =>
      laneSentence({
        drawn: 1000,
        total: 2400,
        scope,
        baseTotal: 2400,
        baseScope: { kind: 'stream', stream: 1100 },
        sort: 'requests',
        chosenAfter: 1100,
      });
    expect(chosen({ kind: 'stream', stream: 1100 })).toBe(
      'Lanes for 1,000 of the 2,400 streams during stream 1100 (those with the most HTTP requests), and for stream 1100, the one you chose: zoom in to draw the others, or pick one in the Streams list.',
    );
    expect(chosen({ kind: 'zoom' })).toContain(
      '(those with the most HTTP requests), and for stream 1100, the one you chose: zoom in further',
    );
    // among the lanes drawn: nothing more to say
    expect(
      laneSentence({
        drawn: 1000,
        total: 2400,
        scope: { kind: 'capture' },
        baseTotal: 2400,
        baseScope: { kind: 'capture' },
        sort: 'start',
        chosenAfter: null,
      }),
    ).toBe(
      'Lanes for 1,000 of the 2,400 streams in the capture (the first to start): zoom in to draw the others, or pick one in the Streams list.',
    );
  });

  it('says where the lanes are when they all end early in the range (they look empty at the fitted zoom)', () => {
    const firstThousand = Array.from({ length: 1000 }, (_, index) => ({ endS: 0.01 + index * 0.0003 }));
    expect(earlyLanesEndS(firstThousand, { startS: 0, endS: 34.8 })).toBeCloseTo(0.3097, 6);
    expect(earlyLanesEndS(firstThousand, { startS: 0, endS: 2 })).toBeNull();
    expect(earlyLanesEndS([], { startS: 0, endS: 2 })).toBeNull();
    // a group's range starts days after frame 1
    expect(earlyLanesEndS([{ endS: 172_800.5 }], { startS: 172_800, endS: 172_860 })).toBeCloseTo(0.5, 6);
    expect(
      laneSentence({
        drawn: 1000,
        total: 120_543,
        scope: { kind: 'capture' },
        baseTotal: 120_543,
        baseScope: { kind: 'capture' },
        sort: 'start',
        endedWithinS: 0.3097,
      }),
    ).toBe(
      'Lanes for 1,000 of the 120,543 streams in the capture (the first to start, all in its first 310 ms): zoom in to draw the others, or pick one in the Streams list.',
    );
  });

  it('picks the lanes by the timeline’s lane order, and says which', () => {
    expect(laneStreamSort('start')).toEqual({ key: 'start', direction: 'ascending' });
    expect(laneStreamSort('probes')).toEqual({ key: 'probes', direction: 'descending' });
    expect(laneStreamSort('requests')).toEqual({ key: 'requests', direction: 'descending' });
    const sentence = (sort: 'requests' | 'probes') =>
      laneSentence({ drawn: 1000, total: 120_000, scope: { kind: 'capture' }, baseTotal: 120_000, baseScope: { kind: 'capture' }, sort });
    expect(sentence('probes')).toBe(
      'Lanes for 1,000 of the 120,000 streams in the capture (those with the most keep-alive probes and ACKs): zoom in to draw the others, or pick one in the Streams list.',
    );
    expect(sentence('requests')).toContain('(those with the most HTTP requests)');
  });

  it('names the zoomed range’s streams against the fitted range’s', () => {
    expect(
      laneSentence({ drawn: 640, total: 640, scope: { kind: 'zoom' }, baseTotal: 1500, baseScope: { kind: 'group' }, sort: 'start' }),
    ).toBe('Lanes for the 640 streams in the zoomed range, of 1,500 in this time group: zoom out or pan for the others.');
    expect(
      laneSentence({ drawn: 1, total: 1, scope: { kind: 'zoom' }, baseTotal: 1500, baseScope: { kind: 'capture' }, sort: 'start' }),
    ).toBe('The lane for the one stream in the zoomed range, of 1,500 in the capture: zoom out or pan for the others.');
    expect(
      laneSentence({ drawn: 0, total: 0, scope: { kind: 'zoom' }, baseTotal: 1500, baseScope: { kind: 'group' }, sort: 'start' }),
    ).toBe('No stream in the zoomed range, of 1,500 in this time group: zoom out or pan for the others.');
  });
});
