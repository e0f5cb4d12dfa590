import { describe, expect, it } from 'vitest';
import { sessionToTimeline, UNASSIGNED_LANE_ID } from '@renderer/features/timeline/session-to-timeline';
import { drawnEndUs, type Lane } from '@renderer/features/timeline/timeline-model';
import { TRACE_SCHEMA_VERSION, TraceRecorder, type Session, type TraceEvent } from '@shared/trace';

const timings = { queuedUs: null, connectUs: null, firstByteUs: null, totalUs: null };

/** A session built through the real recorder with a hand-driven clock (µs). */
function sessionOf(events: TraceEvent[]): Session {
  let nowUs = 0;
  const recorder = new TraceRecorder(() => nowUs, 1_700_000_000_000);
  recorder.addConnection({
    id: 'c1',
    label: 'conn 1',
    local: { address: '127.0.0.1', port: 40000 },
    remote: { address: '127.0.0.1', port: 8080 },
  });
  recorder.addConnection({
    id: 'c2',
    label: 'conn 2',
    local: { address: '127.0.0.1', port: 40001 },
    remote: { address: '::1', port: 8080 },
  });
  for (const event of events) {
    nowUs = event.t;
    recorder.record(event);
  }
  return recorder.toSession({ id: 'run-1', kind: 'http-lab', title: 'test', settings: {}, summary: {} });
}

describe('sessionToTimeline', () => {
  const session = sessionOf([
    { kind: 'conn-opened', t: 100, conn: 'c1', via: 'new', local: null, remote: null },
    { kind: 'handshake-completed', t: 180, conn: 'c1', us: 80 },
    { kind: 'request-started', t: 200, conn: 'c1', request: 'r1', label: 'GET /a' },
    { kind: 'request-ended', t: 1_200, conn: 'c1', request: 'r1', reused: false, status: 200, error: null, timings },
    { kind: 'request-started', t: 5_000, request: 'r2', label: 'GET /b' },
    { kind: 'pool-acquired', t: 5_050, conn: 'c1', reused: true, waitedUs: 50 },
    { kind: 'request-ended', t: 6_000, conn: 'c1', request: 'r2', reused: true, status: 200, error: null, timings },
    { kind: 'wire-seen', t: 20_000, conn: 'c1', mark: 'keepalive-probe', source: 'capture', frame: 17, from: 'a' },
    { kind: 'wire-seen', t: 20_100, conn: 'c1', mark: 'keepalive-ack', source: 'capture', frame: 18, from: 'b' },
    { kind: 'wire-seen', t: 20_200, conn: 'c1', mark: 'data', source: 'capture', frame: 19 },
    { kind: 'conn-closed', t: 30_000, conn: 'c1', how: 'fin', by: 'remote' },
    { kind: 'conn-opened', t: 7_000, conn: 'c2', via: 'new', local: null, remote: null },
    { kind: 'request-started', t: 7_100, conn: 'c2', request: 'r3' },
    { kind: 'wire-seen', t: 9_000, conn: 'c2', mark: 'rst', source: 'capture', frame: 30 },
    { kind: 'conn-closed', t: 9_000, conn: 'c2', how: 'rst', by: 'remote' },
    {
      kind: 'request-ended',
      t: 40_000,
      request: 'orphan',
      reused: null,
      status: null,
      error: 'ECONNREFUSED',
      timings: { ...timings, totalUs: 10 },
    },
  ]);
  const model = sessionToTimeline(session);
  const lane = (id: string) => model.lanes.find((candidate) => candidate.id === id)!;

  it('makes a lane per connection, labelled and grouped by remote endpoint', () => {
    expect(model.lanes.map((candidate) => candidate.id).sort()).toEqual([UNASSIGNED_LANE_ID, 'c1', 'c2']);
    expect(lane('c1').label).toBe('conn 1');
    expect(lane('c1').group).toBe('127.0.0.1:8080');
    expect(lane('c2').group).toBe('[::1]:8080');
    expect(model.startUs).toBe(0);
    expect(model.endUs).toBe(40_000);
  });

  it('turns requests into spans with their reuse, and derives idle gaps up to the close', () => {
    const c1 = lane('c1');
    const requests = c1.spans.filter((span) => span.kind === 'request');
    expect(requests.map((span) => [span.id, span.startUs, span.endUs, span.reused])).toEqual([
      ['r1', 200, 1_200, false],
      ['r2', 5_000, 6_000, true],
    ]);
    expect(requests[0]?.detail).toBe('GET /a → 200');
    const idle = c1.spans.filter((span) => span.kind === 'idle').map((span) => [span.startUs, span.endUs]);
    expect(idle).toEqual([
      [1_200, 5_000],
      [6_000, 30_000],
    ]);
    expect(c1.spans.find((span) => span.kind === 'handshake')).toMatchObject({ startUs: 100, endUs: 180 });
    expect(c1.spans.find((span) => span.kind === 'pool-wait')).toMatchObject({ startUs: 5_000, endUs: 5_050 });
    expect(c1.life).toEqual({ startUs: 100, endUs: 30_000 });
    // spans sorted by start
    const starts = c1.spans.map((span) => span.startUs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('keeps wire marks it draws, with frames, and adds the close mark only when the wire had none', () => {
    const c1 = lane('c1');
    expect(c1.marks.map((mark) => [mark.kind, mark.t, mark.frame])).toEqual([
      ['keepalive-probe', 20_000, 17],
      ['keepalive-ack', 20_100, 18],
      ['fin', 30_000, undefined],
    ]);
    expect(c1.marks[0]?.detail).toBe('from a');
    expect(lane('c2').marks.map((mark) => mark.kind)).toEqual(['rst']);
  });

  it('fills the sort keys', () => {
    expect(lane('c1').sortKeys).toEqual({ start: 100, requests: 2, probes: 1 });
    expect(lane('c2').sortKeys).toEqual({ start: 7_000, requests: 1, probes: 0 });
  });

  it('draws a request still in flight up to the session end, and puts connectionless requests on their own lane', () => {
    const inFlight = lane('c2').spans.find((span) => span.kind === 'request');
    expect(inFlight).toMatchObject({ id: 'r3', startUs: 7_100, endUs: 40_000, reused: null });
    expect(lane(UNASSIGNED_LANE_ID).spans.find((span) => span.kind === 'request')).toMatchObject({
      id: 'orphan',
      startUs: 39_990,
      detail: 'orphan → ECONNREFUSED',
    });
  });

  it('gives every span and mark a unique id', () => {
    const ids = model.lanes.flatMap((candidate) => [...candidate.spans.map((span) => span.id), ...candidate.marks.map((mark) => mark.id)]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('handles an empty session', () => {
    const empty = sessionToTimeline({
      schemaVersion: TRACE_SCHEMA_VERSION,
      id: 'e',
      kind: 'tcp-lab',
      title: '',
      epochMs: 0,
      settings: {},
      connections: [],
      events: [],
      summary: {},
    });
    expect(empty).toEqual({ lanes: [], startUs: 0, endUs: 1 });
  });

  it('draws the waits the pool imposed (waitedForPoolUs) when the session has no pool-acquired events, and no other queue time', () => {
    const ended = { kind: 'request-ended', conn: 'c1', reused: false, status: 204, error: null } as const;
    const queued = sessionToTimeline(
      sessionOf([
        { kind: 'request-started', t: 10, conn: 'c1', request: 'q1' },
        { ...ended, t: 500, request: 'q1', timings: { ...timings, queuedUs: 90 }, waitedForPoolUs: 90 },
        // 40 µs before its socket, but the pool did not queue it: the client's own event loop, drawn as part of the request
        { kind: 'request-started', t: 600, conn: 'c1', request: 'q2' },
        { ...ended, t: 900, request: 'q2', timings: { ...timings, queuedUs: 40 } },
      ]),
    );
    const waits = queued.lanes[0]?.spans.filter((span) => span.kind === 'pool-wait');
    expect(waits).toEqual([expect.objectContaining({ id: 'q1/queued', startUs: 10, endUs: 100 })]);
  });
});

describe('where the axis ends', () => {
  /**
   * The tail of a real `keepalive-lab http --preset ignored-body --json` run (ms): the last request
   * ended at 30.6, its body unread; the lab closed the connections at 94.3; the run's closing note
   * ("c1: the server closes first after 5000 ms idle…") was logged at 110.7, after the lab had
   * stopped its server. The axis ran to the note: 16 ms of nothing.
   */
  const ignoredBody = sessionOf([
    { kind: 'request-started', t: 28_930, conn: 'c1', request: 'r10', label: 'GET /' },
    { kind: 'conn-opened', t: 29_480, conn: 'c1', via: 'new', local: null, remote: null },
    { kind: 'handshake-completed', t: 29_730, conn: 'c1', us: 250 },
    {
      kind: 'request-ended',
      t: 30_580,
      conn: 'c1',
      request: 'r10',
      reused: false,
      status: 200,
      error: null,
      timings,
      bodyUnread: true,
    },
    { kind: 'conn-closed', t: 94_330, conn: 'c1', how: 'fin', by: 'local' },
    { kind: 'note-logged', t: 110_720, level: 'info', message: 'c1: the server closes first after 5000 ms idle' },
  ]);

  it('ends at the last thing drawn (the close), not at a note logged after it', () => {
    const model = sessionToTimeline(ignoredBody);
    expect(model.endUs).toBe(94_330);
    const lane = model.lanes[0]!;
    // every drawn thing is on the axis: the unread body up to the close, the close's FIN mark
    expect(lane.spans.find((span) => span.kind === 'body-unread')).toMatchObject({ startUs: 30_580, endUs: 94_330 });
    expect(lane.marks.map((mark) => [mark.kind, mark.t])).toEqual([['fin', 94_330]]);
    expect(drawnEndUs(model.lanes)).toBe(model.endUs);
  });

  it('draws a lane still open and a request still in flight up to the last event of a connection, not to a later note', () => {
    const model = sessionToTimeline(
      sessionOf([
        { kind: 'conn-opened', t: 100, conn: 'c1', via: 'new', local: null, remote: null },
        { kind: 'request-started', t: 200, conn: 'c1', request: 'r1' },
        { kind: 'kernel-timer-read', t: 5_000, conn: 'c1', state: 'ESTABLISHED', timer: 'on', nextMs: 200, probes: 0 },
        { kind: 'note-logged', t: 9_000, level: 'warn', message: 'request 1 still in flight' },
      ]),
    );
    expect(model.endUs).toBe(5_000);
    expect(model.lanes[0]?.spans.find((span) => span.kind === 'request')).toMatchObject({ startUs: 200, endUs: 5_000 });
    expect(model.lanes[0]?.life.endUs).toBeNull();
  });

  it('covers a mark after every span and close (a capture’s FIN seen after the lab closed the socket)', () => {
    const model = sessionToTimeline(
      sessionOf([
        { kind: 'conn-opened', t: 100, conn: 'c1', via: 'new', local: null, remote: null },
        { kind: 'conn-closed', t: 1_000, conn: 'c1', how: 'fin', by: 'local' },
        { kind: 'wire-seen', t: 1_400, conn: 'c1', mark: 'fin', source: 'capture', frame: 9, from: 'b' },
        { kind: 'note-logged', t: 3_000, level: 'info', message: 'capture: done' },
      ]),
    );
    expect(model.endUs).toBe(1_400);
  });
});

describe('drawnEndUs', () => {
  const lane = (life: Lane['life'], extra: Partial<Lane> = {}): Lane => ({
    id: 'x',
    label: 'x',
    sortKeys: { start: life.startUs, requests: 0, probes: 0 },
    life,
    spans: [],
    marks: [],
    ...extra,
  });

  it('is the latest close, span end or mark of any lane, typed-array marks too; null without lanes', () => {
    expect(drawnEndUs([])).toBeNull();
    expect(drawnEndUs([lane({ startUs: 5, endUs: null })])).toBe(5);
    expect(drawnEndUs([lane({ startUs: 5, endUs: 50 }), lane({ startUs: 0, endUs: 40 })])).toBe(50);
    const span = { id: 's', kind: 'idle' as const, startUs: 10, endUs: 70, reused: null };
    expect(drawnEndUs([lane({ startUs: 5, endUs: null }, { spans: [span] })])).toBe(70);
    const columns = { t: Float64Array.from([20, 90]), kind: Uint8Array.from([0, 1]), frame: Uint32Array.from([1, 2]) };
    expect(drawnEndUs([lane({ startUs: 5, endUs: 60 }, { columns })])).toBe(90);
  });
});
