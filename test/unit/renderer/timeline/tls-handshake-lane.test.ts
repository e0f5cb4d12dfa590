/**
 * A connection over TLS, as the learner reads it: the timeline lane draws the TLS handshake after
 * the TCP one, the selected request's sentence names both costs, and the words are the ones the
 * CLI and the report use.
 */
import { describe, expect, it } from 'vitest';
import { tlsHandshakeSentence, tlsShortText, tlsVersionName } from '@shared/tls-handshake';
import { TRACE_SCHEMA_VERSION, type Session, type TraceEvent } from '@shared/trace';
import { sessionToTimeline } from '@renderer/features/timeline/session-to-timeline';
import { describeRow, requestRows, rowOfItem } from '@renderer/features/lab/request-rows';

const endpoint = { address: '127.0.0.1', port: 443 };
const timings = (connectUs: number | null) => ({ queuedUs: 0, connectUs, firstByteUs: 3000, totalUs: 4000 });
const events: TraceEvent[] = [
  { kind: 'conn-opened', conn: 'c1', via: 'new', local: null, remote: endpoint, openedBecause: { cause: 'first', detail: 'the first request' }, t: 0 },
  { kind: 'handshake-completed', conn: 'c1', us: 300, t: 300 },
  { kind: 'tls-handshake', conn: 'c1', us: 2100, version: 'TLS 1.3', alpn: null, resumed: false, t: 2400 },
  { kind: 'request-started', request: 'r1', label: 'GET / #1', t: 0 },
  { kind: 'request-ended', request: 'r1', conn: 'c1', reused: false, status: 200, error: null, timings: timings(300), t: 4000 },
  { kind: 'request-started', request: 'r2', label: 'GET / #2', t: 5000 },
  { kind: 'request-ended', request: 'r2', conn: 'c1', reused: true, status: 200, error: null, timings: timings(null), t: 6000 },
]; // prettier-ignore

const session: Session = {
  schemaVersion: TRACE_SCHEMA_VERSION,
  id: 'tls',
  kind: 'http-lab',
  title: 'TLS',
  epochMs: 0,
  settings: {},
  connections: [{ id: 'c1', label: 'c1 :50000', local: null, remote: endpoint }],
  events,
  summary: {},
};

describe('a TLS connection on the timeline and in the request detail', () => {
  it('draws the TLS handshake as its own span, right after the TCP handshake', () => {
    const lane = sessionToTimeline(session).lanes[0]!;
    const tcp = lane.spans.find((span) => span.kind === 'handshake')!;
    const tls = lane.spans.find((span) => span.kind === 'tls-handshake')!;
    expect([tcp.startUs, tcp.endUs]).toEqual([0, 300]);
    expect([tls.startUs, tls.endUs]).toEqual([300, 2400]);
    expect(tls.detail).toBe('TLS 1.3, full handshake, 2.1 ms');
  });

  it('says what the new connection cost, and that a reused one cost neither', () => {
    const rows = requestRows(events);
    expect(describeRow(rows[0]!)).toBe(
      'Request 1 opened c1 — first: the first request. TLS 1.3 handshake: 2.1 ms on top of the 0.30 ms TCP connect; resumed: no (a full handshake); ALPN: none agreed.',
    );
    expect(describeRow(rows[1]!)).toBe('Request 2 reused c1: no TCP connect and no TLS handshake to pay.');
    // picking the TLS span on the timeline selects the request that dialled the connection
    const tlsSpan = sessionToTimeline(session).lanes[0]!.spans.find((span) => span.kind === 'tls-handshake')!;
    expect(rowOfItem(rows, tlsSpan.id)?.request).toBe('r1');
  });

  it('names versions as the RFCs do and words a resumed handshake', () => {
    expect(tlsVersionName('TLSv1.3')).toBe('TLS 1.3');
    expect(tlsVersionName('TLSv1.2')).toBe('TLS 1.2');
    expect(tlsVersionName(null)).toBeNull();
    const resumed = { version: 'TLS 1.2', alpn: 'http/1.1', resumed: true, handshakeMs: 0.42 };
    expect(tlsShortText(resumed)).toBe('TLS 1.2, resumed, 0.42 ms');
    expect(tlsHandshakeSentence(resumed, 12.3)).toBe(
      'TLS 1.2 handshake: 0.42 ms on top of the 12 ms TCP connect; resumed: yes (an earlier session was reused: no certificate this time); ALPN: http/1.1',
    );
  });
});
