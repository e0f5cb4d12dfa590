import { describe, expect, it } from 'vitest';
import { captureFindings, summarizeCapture } from '@engine/report/capture-figures';
import { findSetting, summarizeSession } from '@engine/report/session-figures';
import { median } from '@shared/counting';
import { SessionSchema } from '@shared/trace';
import { captureFromOracle, drainedSession, ignoredBodySession } from './fixtures';

describe('summarizeSession', () => {
  it('drained bodies: 10 requests on 1 connection, 9 reused, idle gaps and probe spacing', () => {
    const session = drainedSession();
    expect(SessionSchema.parse(session)).toEqual(session);
    const figures = summarizeSession(session);
    expect(figures.headline).toBe('10 requests, 1 connection, 9 reused, 3 keep-alive probes');
    expect([figures.requests, figures.connections, figures.reusedRequests, figures.failedRequests]).toEqual([10, 1, 9, 0]);
    const [connection] = figures.perConnection;
    expect(connection?.via).toBe('new');
    expect(connection?.closedHow).toBe('fin');
    expect(connection?.closedBy).toBe('remote');
    // 9 gaps of 50 ms between one response's end and the next request's start
    expect(connection?.idleGapsS).toHaveLength(9);
    for (const gap of connection?.idleGapsS ?? []) expect(gap).toBeCloseTo(0.05, 6);
    expect(connection?.probes).toBe(3);
    expect(connection?.probeAcks).toBe(3);
    expect(connection?.probeSpacingS).toBeCloseTo(1.0001, 6);
    expect(connection?.keepalive).toEqual({ enabled: true, idleS: 1, intervalS: 1, count: 10 });
    expect(figures.findings).toEqual(['connection-reused', 'new-connection', 'keepalive-probe', 'keepalive-ack']);
  });

  it('ignored bodies: 10 connections for 10 requests, explained as an undrained body', () => {
    const figures = summarizeSession(ignoredBodySession());
    expect(figures.headline).toBe('10 requests, 10 connections, 0 reused');
    expect(figures.perConnection.map((connection) => connection.requests)).toEqual(new Array(10).fill(1));
    expect(figures.perConnection.every((connection) => connection.closedHow === 'rst')).toBe(true);
    expect(figures.findings).toContain('new-connection-body-not-drained');
    expect(figures.findings).not.toContain('connection-reused');
    expect(figures.findings).toContain('fin-vs-rst');
  });

  it('keep-alive off is told apart from an undrained body', () => {
    const session = ignoredBodySession();
    const figures = summarizeSession({ ...session, settings: { ...session.settings, keepAlive: false, body: 'drain' } });
    expect(figures.findings).toContain('keepalive-off');
    expect(figures.findings).not.toContain('new-connection-body-not-drained');
  });

  it('a reused connection that fails with ECONNRESET is the stale race', () => {
    const session = drainedSession();
    const events = session.events.map((event) =>
      event.kind === 'request-ended' && event.request === 'r10' ? { ...event, status: null, error: 'ECONNRESET: socket hang up' } : event,
    );
    const figures = summarizeSession({ ...session, events });
    expect(figures.failedRequests).toBe(1);
    expect(figures.findings).toContain('stale-race');
    expect(figures.headline).toContain('1 failed');
  });

  it('a request counts as queued when the pool queued it (waitedForPoolUs), not for a slow start alone', () => {
    const session = drainedSession();
    const limited = { ...session.settings, agent: { maxSockets: 1 } };
    // 5 ms before its socket, but the agent did not queue it: the client's own event loop, not the limit
    const slowStart = session.events.map((event) =>
      event.kind === 'request-ended' && event.request === 'r5' ? { ...event, timings: { ...event.timings, queuedUs: 5000 } } : event,
    );
    const slow = summarizeSession({ ...session, events: slowStart, settings: limited });
    expect(slow.poolWaits).toBe(0);
    expect(slow.findings).not.toContain('queued-above-max-sockets');
    const queued = slowStart.map((event) =>
      event.kind === 'request-ended' && event.request === 'r5' ? { ...event, waitedForPoolUs: 5000 } : event,
    );
    const waited = summarizeSession({ ...session, events: queued, settings: limited });
    expect(waited.poolWaits).toBe(1);
    expect(waited.findings).toContain('queued-above-max-sockets');
  });

  it('small helpers: median and settings lookup one level deep', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(findSetting({ agent: { keepAlive: false } }, ['keepalive'])).toBe(false);
  });
});

describe('summarizeCapture (ndpi__ocsp.pcapng, figures from tshark)', () => {
  it('counts probes, requests and reuse as tshark does', () => {
    const figures = summarizeCapture(captureFromOracle('ndpi__ocsp.pcapng'));
    expect(figures).toMatchObject({
      packets: 344,
      streams: 10,
      httpRequests: 18,
      reusedRequests: 8,
      keepAlives: 97,
      keepAliveAcks: 97,
      endedFin: 10,
      endedRst: 0,
    });
    expect(figures.headline).toBe(
      '344 packets on 10 connections; 97 keep-alive probes on 9 connections; 18 HTTP requests on 10 connections, 8 reused',
    );
  });

  it('suggests the findings its flags and streams call for', () => {
    const capture = captureFromOracle('ndpi__ocsp.pcapng');
    expect(captureFindings(capture)).toEqual(['keepalive-probe', 'keepalive-ack', 'connection-reused']);
    expect(captureFindings({ flagCounts: { zero_window: 2, window_full: 1 }, streams: [] }, true)).toEqual([
      'zero-window',
      'capture-mid-connection',
    ]);
  });
});
