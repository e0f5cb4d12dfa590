import { describe, expect, it } from 'vitest';
import { correlateSession } from '@engine/correlate/correlate-session';
import { wireExchanges } from '@engine/correlate/http-frames';
import { ACK, KEEP_ALIVE, PSH, WireBuilder, connection, opened, request, session } from './fixtures';

const SERVER = '127.0.0.1:8080';
const CLIENT = '127.0.0.1:40001';
const c1 = connection('c1', 40001);

describe('findings', () => {
  it('flags a "new" request that the wire shows as the second on its stream, and counts that differ', () => {
    const wire = new WireBuilder()
      .handshake(0, CLIENT, SERVER, 1)
      .exchange(0, CLIENT, SERVER, 10)
      .exchange(0, CLIENT, SERVER, 20)
      .exchange(0, CLIENT, SERVER, 30)
      .build();
    const lab = session([c1], [opened('c1', 1, c1.local, c1.remote), ...request('r1', 'c1', 9, false), ...request('r2', 'c1', 19, false)]);
    const codes = correlateSession(lab, wire).findings.map((finding) => finding.code);
    expect(codes).toEqual(['request-count-differs', 'new-but-reused-on-wire']);
  });

  it('names a lab connection the capture never saw', () => {
    const lab = session([c1], [opened('c1', 1, c1.local, c1.remote)]);
    const result = correlateSession(lab, new WireBuilder().build());
    expect(result.findings).toMatchObject([{ code: 'unmatched-connection', conn: 'c1', stream: null }]);
    expect(result.unmatchedConnections).toEqual(['c1']);
  });

  it('counts probes nobody answered even without a reset', () => {
    const wire = new WireBuilder()
      .handshake(0, CLIENT, SERVER, 1)
      .segment(0, CLIENT, SERVER, 1001, ACK, 0, { analysis: KEEP_ALIVE })
      .segment(0, CLIENT, SERVER, 2001, ACK, 0, { analysis: KEEP_ALIVE })
      .build();
    const [finding] = correlateSession(session([c1], [opened('c1', 1, c1.local, c1.remote)]), wire).findings;
    expect(finding?.code).toBe('unanswered-probes');
    expect(finding?.message).toBe('2 keep-alive probes went unanswered over 1 s (the peer does not answer)');
  });
});

describe('wireExchanges', () => {
  it('gives continuation segments to the message they continue, and skips probes', () => {
    const wire = new WireBuilder()
      .segment(0, CLIENT, SERVER, 1, PSH | ACK, 1000, { http: 'request' }) // 1
      .segment(0, CLIENT, SERVER, 1.1, PSH | ACK, 500) // 2: rest of the request body
      .segment(0, SERVER, CLIENT, 2, PSH | ACK, 300, { http: 'response' }) // 3
      .segment(0, CLIENT, SERVER, 900, ACK, 1, { analysis: KEEP_ALIVE }) // 4: a probe with one garbage byte
      .segment(0, SERVER, CLIENT, 2.5, PSH | ACK, 300) // 5
      .build();
    expect(wireExchanges(wire.segments, CLIENT)).toEqual([
      { requestFrames: [1, 2], responseFrames: [3, 5], requestTimeMs: wire.segments[0]?.timeMs },
    ]);
  });

  it('gives a 100 Continue to the request it answers, not to the next one', () => {
    const wire = new WireBuilder()
      .segment(0, CLIENT, SERVER, 1, PSH | ACK, 100, { http: 'request' }) // 1: POST with Expect: 100-continue
      .segment(0, SERVER, CLIENT, 2, PSH | ACK, 25, { http: 'interim' }) // 2: 100 Continue
      .segment(0, CLIENT, SERVER, 3, PSH | ACK, 1000) // 3: the body
      .segment(0, SERVER, CLIENT, 4, PSH | ACK, 200, { http: 'response' }) // 4: 200 OK
      .segment(0, CLIENT, SERVER, 5, PSH | ACK, 100, { http: 'request' }) // 5: GET
      .segment(0, SERVER, CLIENT, 6, PSH | ACK, 200, { http: 'response' }) // 6: 200 OK
      .build();
    expect(wireExchanges(wire.segments, CLIENT).map(({ requestFrames, responseFrames }) => ({ requestFrames, responseFrames }))).toEqual([
      { requestFrames: [1, 3], responseFrames: [2, 4] },
      { requestFrames: [5], responseFrames: [6] },
    ]);
  });
});
