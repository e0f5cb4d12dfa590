import { describe, expect, it } from 'vitest';
import { describeRow, formatMs, requestRows, rowOfItem } from '@renderer/features/lab/request-rows';
import { sessionFromStream } from '@renderer/features/lab/live-session';
import type { TraceEvent } from '@shared/trace';

const timings = (totalUs: number) => ({ queuedUs: 100, connectUs: null, firstByteUs: totalUs / 2, totalUs });

describe('requestRows', () => {
  it('sorts by request then attempt, marks a retry and a failure, and converts µs to ms', () => {
    const events: TraceEvent[] = [
      { kind: 'request-ended', t: 900, conn: 'c2', request: 'r3.2', reused: false, status: 200, error: null, timings: timings(4000) },
      {
        kind: 'request-ended',
        t: 500,
        conn: 'c1',
        request: 'r3',
        reused: true,
        status: null,
        error: 'socket hang up',
        timings: timings(1000),
      },
      { kind: 'request-started', t: 10, request: 'r1' },
      { kind: 'request-ended', t: 200, request: 'r1', reused: null, status: 200, error: null, timings: timings(2000) },
    ];
    const rows = requestRows(events);
    expect(rows.map((row) => [row.request, row.attempt])).toEqual([
      ['r1', 1],
      ['r3', 1],
      ['r3.2', 2],
    ]);
    expect(rows[0]).toMatchObject({
      connection: null,
      connectionKind: 'unknown',
      outcome: '200',
      failed: false,
      queuedMs: 0.1,
      totalMs: 2,
    });
    expect(rows[1]).toMatchObject({ connection: 'c1', connectionKind: 'failed-on-reuse', outcome: 'socket hang up', failed: true });
    expect(rows[2]).toMatchObject({ connectionKind: 'new', connectMs: null, firstByteMs: 2 });
  });

  it('says why a request dialled (from conn-opened) and how long it waited for the pool', () => {
    const events: TraceEvent[] = [
      {
        kind: 'conn-opened',
        t: 0,
        conn: 'c1',
        via: 'new',
        local: null,
        remote: null,
        openedBecause: { cause: 'first', detail: 'nothing to reuse yet' },
      },
      {
        kind: 'conn-opened',
        t: 10,
        conn: 'c2',
        via: 'new',
        local: null,
        remote: null,
        openedBecause: { cause: 'body-unread', detail: "c1 was still holding request 1's unread body" },
      },
      { kind: 'request-ended', t: 50, conn: 'c1', request: 'r1', reused: false, status: 200, error: null, timings: timings(1000) },
      { kind: 'request-ended', t: 60, conn: 'c2', request: 'r2', reused: false, status: 200, error: null, timings: timings(1000) },
      {
        kind: 'request-ended',
        t: 90,
        conn: 'c1',
        request: 'r3',
        reused: true,
        status: 200,
        error: null,
        timings: timings(3000),
        waitedForPoolUs: 32_500,
      },
    ];
    const rows = requestRows(events);
    expect(rows.map((row) => row.why?.cause ?? null)).toEqual(['first', 'body-unread', null]);
    expect(rows[1]?.why).toEqual({ cause: 'body-unread', label: 'body not read', detail: "c1 was still holding request 1's unread body" });
    expect(rows[2]?.waitedForPoolMs).toBe(32.5);
    expect(describeRow(rows[1]!)).toBe("Request 2 opened c2 — body not read: c1 was still holding request 1's unread body.");
    expect(describeRow(rows[2]!)).toBe('Request 3 reused c1 after waiting 32.5 ms for a free connection (the pool was full).');
    // a handshake on the timeline stands for the request that dialled it
    expect(rowOfItem(rows, 'c2/handshake@10')?.request).toBe('r2');
    expect(rowOfItem(rows, 'r3')?.request).toBe('r3');
    expect(rowOfItem(rows, 'c9/close')).toBeNull();
  });

  it('formats ms with the precision a learner can read', () => {
    expect(formatMs(null)).toBe('–');
    expect(formatMs(0.4213)).toBe('0.42');
    expect(formatMs(12.34)).toBe('12.3');
    expect(formatMs(1204.4)).toBe('1 204');
  });
});

describe('sessionFromStream', () => {
  it('builds a session from what streamed so far, events in time order', () => {
    const session = sessionFromStream(
      {
        epochMs: 1_700_000_000_000,
        connections: [{ id: 'c1', label: 'c1', local: null, remote: null }],
        events: [
          { kind: 'request-started', t: 50, request: 'r2' },
          { kind: 'request-started', t: 10, request: 'r1' },
        ],
      },
      'http-lab',
      'run',
    );
    expect(session.events.map((event) => event.t)).toEqual([10, 50]);
    expect(session).toMatchObject({ schemaVersion: 1, kind: 'http-lab', epochMs: 1_700_000_000_000, connections: [{ id: 'c1' }] });
    expect(sessionFromStream({ epochMs: null, connections: [], events: [] }, 'tcp-lab', 'x').epochMs).toBe(0);
  });
});
