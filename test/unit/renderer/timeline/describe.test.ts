import { describe, expect, it } from 'vitest';
import { binsToTimeline } from '@renderer/features/timeline/bins-to-timeline';
import { describeHit, findSelected, laneSummary } from '@renderer/features/timeline/describe';
import { FALLBACK_PALETTE, LEGEND, readPalette, spanColor } from '@renderer/features/timeline/draw-style';
import { MARK_KIND_CODE, type Lane, type TimelineModel } from '@renderer/features/timeline/timeline-model';

const lane: Lane = {
  id: 'c1',
  label: 'conn 1',
  group: '127.0.0.1:8080',
  sortKeys: { start: 0, requests: 2, probes: 1 },
  life: { startUs: 0, endUs: 9_000 },
  spans: [
    { id: 'r1', kind: 'request', startUs: 1_000, endUs: 2_500, reused: false, detail: 'GET /a → 200' },
    { id: 'r2', kind: 'request', startUs: 6_000, endUs: 7_000, reused: true },
  ],
  marks: [
    { id: 'p1', kind: 'keepalive-probe', t: 4_000, frame: 9, detail: 'from a' },
    { id: 'x', kind: 'fin', t: 9_000 },
  ],
};

describe('describeHit', () => {
  it('says what a mark is, when, which frame and where', () => {
    expect(describeHit({ kind: 'mark', lane, mark: lane.marks[0]! }, 0)).toEqual({
      title: 'keep-alive probe',
      lines: ['at 4.000 ms', 'frame 9', 'conn 1', 'from a'],
    });
  });

  it('says whether a request reused its connection and how long it took', () => {
    expect(describeHit({ kind: 'span', lane, span: lane.spans[0]! }, 500)).toEqual({
      title: 'request on a new connection',
      lines: ['from 500 µs', 'lasted 1.500 ms', 'conn 1', 'GET /a → 200'],
    });
    expect(describeHit({ kind: 'span', lane, span: lane.spans[1]! }, 0).title).toBe('request on a reused connection');
  });

  it('names every request bar colour in the legend, with the words its hover uses (a HAR entry whose reuse is not known too)', () => {
    for (const reused of [true, false, null]) {
      const span = { id: 'r', kind: 'request' as const, startUs: 0, endUs: 1, reused };
      const title = describeHit({ kind: 'span', lane, span }, 0).title;
      expect(LEGEND.find((entry) => entry.label === title && entry.shape === 'bar')?.color, title).toBe(spanColor(span));
    }
  });

  it('counts what a bin holds', () => {
    const description = describeHit({ kind: 'bin', lane, fromUs: 0, toUs: 1_000, counts: { 'keepalive-probe': 3, 'keepalive-ack': 1 } }, 0);
    expect(description.title).toBe('3 keep-alive probes, 1 keep-alive ACK');
  });
});

describe('laneSummary', () => {
  it('sums up a lane in words', () => {
    expect(laneSummary(lane)).toBe('2 requests (1 reused), 1 keep-alive probe, ended by FIN');
    expect(laneSummary({ ...lane, marks: [], life: { startUs: 0, endUs: null } })).toBe(
      '2 requests (1 reused), 1 keep-alive probe, still open',
    );
  });

  it('says nothing of probes for lanes that cannot carry them (a HAR records no packets)', () => {
    expect(laneSummary(lane, true, false)).toBe('2 requests (1 reused), ended by FIN');
    expect(describeHit({ kind: 'lane', lane }, 0, false).lines[0]).toBe('2 requests (1 reused), ended by FIN');
  });
});

describe('why a lane was opened', () => {
  const opened: Lane = { ...lane, openedBecause: { cause: 'body-unread', detail: "c1 was still holding request 1's unread body" } };

  it('says it on hovering the lane and the request that dialled it, and in the lane summary', () => {
    expect(describeHit({ kind: 'lane', lane: opened }, 0).lines).toEqual([
      '2 requests (1 reused), 1 keep-alive probe, ended by FIN',
      "opened because c1 was still holding request 1's unread body",
      '127.0.0.1:8080',
    ]);
    expect(describeHit({ kind: 'span', lane: opened, span: opened.spans[0]! }, 0).lines.at(-1)).toBe(
      "new because c1 was still holding request 1's unread body",
    );
    // the reused request says nothing about why the connection was opened
    expect(describeHit({ kind: 'span', lane: opened, span: opened.spans[1]! }, 0).lines.join(' ')).not.toContain('because');
    expect(laneSummary(opened)).toBe('2 requests (1 reused), 1 keep-alive probe, ended by FIN, opened: body not read');
    expect(laneSummary({ ...opened, openedBecause: { cause: 'first', detail: 'nothing to reuse yet' } })).not.toContain('opened');
  });
});

describe('findSelected', () => {
  it('finds spans and marks by id, and column marks by frame', () => {
    const model: TimelineModel = { lanes: [lane], startUs: 0, endUs: 9_000 };
    expect(findSelected(model, 'r2')).toMatchObject({ laneId: 'c1', startUs: 6_000, endUs: 7_000 });
    expect(findSelected(model, 'p1')).toMatchObject({ laneId: 'c1', startUs: 4_000, endUs: 4_000 });
    expect(findSelected(model, 'nope')).toBeNull();
    const capture = binsToTimeline({
      startUs: 0,
      endUs: 100,
      lanes: [{ id: 's0', label: 'stream 0', startUs: 0, endUs: 100 }],
      marks: {
        t: Float64Array.from([10, 20]),
        lane: new Uint32Array(2),
        kind: Uint8Array.from([MARK_KIND_CODE.retransmission, MARK_KIND_CODE.rst]),
        frame: Uint32Array.from([7, 8]),
      },
    });
    expect(findSelected(capture, 's0#f8')).toMatchObject({ laneId: 's0', startUs: 20, item: { kind: 'rst', frame: 8 } });
    expect(findSelected(capture, 's0#0')).toMatchObject({ startUs: 10, item: { kind: 'retransmission' } });
    expect(findSelected(capture, 's0#f99')).toBeNull();
  });
});

describe('readPalette', () => {
  it('takes theme variables and falls back per name', () => {
    const palette = readPalette((name) => (name === '--probe' ? ' #123456 ' : ''));
    expect(palette.probe).toBe('#123456');
    expect(palette.rst).toBe(FALLBACK_PALETTE.rst);
  });
});
