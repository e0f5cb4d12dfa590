import { describe, expect, it } from 'vitest';
import { correlateSession } from '@engine/correlate/correlate-session';
import type { TraceEvent } from '@shared/trace';
import { ACK, FIN, KEEP_ALIVE, KEEP_ALIVE_ACK, RST, WireBuilder, connection, opened, request, session } from './fixtures';

const SERVER = '127.0.0.1:8080';
const CLIENT = '127.0.0.1:40001';
const c1 = connection('c1', 40001);

function wireSeen(events: TraceEvent[]) {
  return events
    .filter((event) => event.kind === 'wire-seen')
    .map((event) => (event.kind === 'wire-seen' ? [event.frame, event.mark, event.from, event.conn] : null));
}

describe('correlateSession', () => {
  it('puts handshake, HTTP starts and FIN on the lane, and gives each request its frames', () => {
    const wire = new WireBuilder()
      .handshake(0, CLIENT, SERVER, 1) // frames 1-3
      .exchange(0, CLIENT, SERVER, 10) // 4-7
      .exchange(0, CLIENT, SERVER, 20) // 8-11
      .segment(0, CLIENT, SERVER, 30, FIN | ACK) // 12
      .build();
    const lab = session([c1], [opened('c1', 1, c1.local, c1.remote), ...request('r1', 'c1', 9, false), ...request('r2', 'c1', 19, true)]);
    const result = correlateSession(lab, wire);
    expect(result.session.connections[0]?.stream).toBe(0);
    expect(result.requests.map((entry) => [entry.request, entry.stream, entry.onStream, entry.frames])).toEqual([
      ['r1', 0, 0, [4, 5, 6]],
      ['r2', 0, 1, [8, 9, 10]],
    ]);
    expect(wireSeen(result.session.events)).toEqual([
      [1, 'syn', 'a', 'c1'],
      [2, 'handshake', 'b', 'c1'],
      [4, 'data', 'a', 'c1'],
      [5, 'data', 'b', 'c1'],
      [8, 'data', 'a', 'c1'],
      [9, 'data', 'b', 'c1'],
      [12, 'fin', 'a', 'c1'],
    ]);
    expect(result.findings).toEqual([]);
    const times = result.session.events.map((event) => event.t);
    expect(times).toEqual([...times].sort((left, right) => left - right));
  });

  it('flags a "reused" request that the wire shows after a new handshake, and the count that differs', () => {
    const c2 = connection('c2', 40002);
    const wire = new WireBuilder()
      .handshake(0, CLIENT, SERVER, 1)
      .exchange(0, CLIENT, SERVER, 10)
      .handshake(1, '127.0.0.1:40002', SERVER, 19)
      .exchange(1, '127.0.0.1:40002', SERVER, 20)
      .build();
    // the client claims r2 reused a connection, but it is the first request of a fresh stream
    const lab = session(
      [c1, c2],
      [
        opened('c1', 1, c1.local, c1.remote),
        opened('c2', 19, c2.local, c2.remote),
        ...request('r1', 'c1', 9, false),
        ...request('r2', 'c2', 19.5, true),
      ],
    );
    const result = correlateSession(lab, wire);
    const reused = result.findings.filter((finding) => finding.code === 'reused-but-new-handshake');
    expect(reused).toHaveLength(1);
    expect(reused[0]).toMatchObject({ conn: 'c2', stream: 1, frames: [8, 11] });
    expect(reused[0]?.message).toContain('new handshake');
    const notes = result.session.events.filter((event) => event.kind === 'note-logged');
    expect(notes).toHaveLength(1);
  });

  it('shows the stale race: the server FIN that crossed the reused request', () => {
    const wire = new WireBuilder()
      .handshake(0, CLIENT, SERVER, 1)
      .exchange(0, CLIENT, SERVER, 10) // 4-7
      .segment(0, CLIENT, SERVER, 400, 0x18, 100, { http: 'request' }) // 8: the reused request
      .segment(0, SERVER, CLIENT, 400.8, FIN | ACK) // 9: FIN instead of a response
      .segment(0, CLIENT, SERVER, 401, RST) // 10
      .build();
    const lab = session(
      [c1],
      [opened('c1', 1, c1.local, c1.remote), ...request('r1', 'c1', 9, false), ...request('r2', 'c1', 399, true, 'socket hang up')],
    );
    const result = correlateSession(lab, wire);
    const race = result.findings.find((finding) => finding.code === 'close-crossed-request');
    expect(race).toMatchObject({ conn: 'c1', stream: 0, frames: [8, 9] });
    expect(race?.message).toContain('0.8 ms before the server');
    expect(result.requests[1]).toMatchObject({ request: 'r2', requestFrames: [8], responseFrames: [] });
  });

  it('counts unanswered probes before the kernel gave up, and answered ones not at all', () => {
    const wire = new WireBuilder()
      .handshake(0, CLIENT, SERVER, 1)
      .segment(0, CLIENT, SERVER, 1001, ACK, 0, { analysis: KEEP_ALIVE }) // 4 answered
      .segment(0, SERVER, CLIENT, 1001.1, ACK, 0, { analysis: KEEP_ALIVE_ACK }) // 5
      .segment(0, CLIENT, SERVER, 2001, ACK, 0, { analysis: KEEP_ALIVE }) // 6 unanswered
      .segment(0, CLIENT, SERVER, 3001, ACK, 0, { analysis: KEEP_ALIVE }) // 7
      .segment(0, CLIENT, SERVER, 4001, ACK, 0, { analysis: KEEP_ALIVE }) // 8
      .segment(0, CLIENT, SERVER, 5001, RST | ACK) // 9 the kernel gives up
      .build();
    const lab = session([c1], [opened('c1', 1, c1.local, c1.remote)]);
    const result = correlateSession(lab, wire);
    const probes = result.findings.filter((finding) => finding.code === 'unanswered-probes');
    expect(probes).toHaveLength(1);
    expect(probes[0]?.frames).toEqual([6, 7, 8, 9]);
    expect(probes[0]?.message).toContain('3 keep-alive probes went unanswered over 2 s, then the kernel gave up');
    expect(result.lanes[0]).toMatchObject({ conn: 'c1', stream: 0, keepAlives: 4, keepAliveAcks: 1, probesFrom: 'a', end: 'rst' });
    const marks = wireSeen(result.session.events).filter((entry) => entry?.[1] === 'keepalive-probe' || entry?.[1] === 'keepalive-ack');
    expect(marks.map((entry) => entry?.[0])).toEqual([4, 5, 6, 7, 8]);
  });

  it('says when the lab closed normally but its side sent RST', () => {
    const wire = new WireBuilder()
      .handshake(0, CLIENT, SERVER, 1)
      .exchange(0, CLIENT, SERVER, 10)
      .segment(0, CLIENT, SERVER, 20, RST | ACK)
      .build();
    const closed: TraceEvent = { kind: 'conn-closed', conn: 'c1', how: 'fin', by: 'local', t: 20_000 };
    const result = correlateSession(session([c1], [opened('c1', 1, c1.local, c1.remote), ...request('r1', 'c1', 9, false), closed]), wire);
    expect(result.findings.map((finding) => finding.code)).toEqual(['close-differs']);
  });

  it('replaces earlier capture marks (the live ones) instead of doubling them, keeping kernel marks', () => {
    const wire = new WireBuilder().handshake(0, CLIENT, SERVER, 1).build();
    const live: TraceEvent = { kind: 'wire-seen', conn: 'c1', mark: 'syn', source: 'capture', frame: 1, from: 'a', t: 1000 };
    const kernel: TraceEvent = { kind: 'wire-seen', conn: 'c1', mark: 'keepalive-probe', source: 'kernel', from: 'a', t: 1500 };
    const result = correlateSession(session([c1], [opened('c1', 1, c1.local, c1.remote), live, kernel]), wire);
    const seen = result.session.events.filter((event) => event.kind === 'wire-seen');
    expect(seen.filter((event) => event.kind === 'wire-seen' && event.source === 'capture')).toHaveLength(2);
    expect(seen.filter((event) => event.kind === 'wire-seen' && event.source === 'kernel')).toHaveLength(1);
  });

  it('drops the kernel-inferred probe marks of a lane where the wire shows the real probes', () => {
    const wire = new WireBuilder()
      .handshake(0, CLIENT, SERVER, 1)
      .segment(0, CLIENT, SERVER, 1001, ACK, 0, { analysis: KEEP_ALIVE })
      .segment(0, SERVER, CLIENT, 1001.1, ACK, 0, { analysis: KEEP_ALIVE_ACK })
      .build();
    const inferred: TraceEvent = { kind: 'wire-seen', conn: 'c1', mark: 'keepalive-probe', source: 'kernel', from: 'a', t: 1_000_500 };
    const result = correlateSession(session([c1], [opened('c1', 1, c1.local, c1.remote), inferred]), wire);
    const probes = result.session.events.filter((event) => event.kind === 'wire-seen' && event.mark === 'keepalive-probe');
    expect(probes.map((event) => (event.kind === 'wire-seen' ? [event.source, event.frame] : null))).toEqual([['capture', 4]]);
  });
});
