import { describe, expect, it } from 'vitest';
import { connectionOpenTimes, endpointKey, matchConnections, pairKey } from '@engine/correlate/match';
import { EPOCH_MS, WireBuilder, connection, opened, session } from './fixtures';

const SERVER = '127.0.0.1:8080';

describe('matchConnections', () => {
  it('matches each lab connection to the stream with its 4-tuple, either direction', () => {
    const c1 = connection('c1', 40001);
    const c2 = connection('c2', 40002);
    const wire = new WireBuilder()
      .handshake(0, '127.0.0.1:40001', SERVER, 1)
      // stream 1 first seen from the server side: still the same 4-tuple
      .segment(1, SERVER, '127.0.0.1:40002', 5, 0x10)
      .build();
    const result = matchConnections(
      session([c1, c2], [opened('c1', 1, c1.local, c1.remote), opened('c2', 5, c2.local, c2.remote)]),
      wire.streams,
    );
    expect(result.matched.map(({ conn, stream }) => [conn, stream])).toEqual([
      ['c1', 0],
      ['c2', 1],
    ]);
    expect(result.unmatchedConnections).toEqual([]);
    expect(result.unmatchedStreams).toEqual([]);
  });

  it('gives a reused 4-tuple to the connection that opened closest in time, one stream each', () => {
    const first = connection('c1', 40001);
    const second = connection('c2', 40001);
    const wire = new WireBuilder().handshake(0, '127.0.0.1:40001', SERVER, 10).handshake(1, '127.0.0.1:40001', SERVER, 5000).build();
    const lab = session([second, first], [opened('c2', 4999, second.local, second.remote), opened('c1', 9, first.local, first.remote)]);
    const result = matchConnections(lab, wire.streams);
    expect(Object.fromEntries(result.matched.map(({ conn, stream }) => [conn, stream]))).toEqual({ c1: 0, c2: 1 });
    const offsets = result.matched.map((match) => match.offsetMs);
    expect(offsets).toEqual([1, 1]);
  });

  it('reports connections without a stream and streams without a connection', () => {
    const c1 = connection('c1', 40001);
    const wire = new WireBuilder().handshake(0, '127.0.0.1:49999', SERVER, 1).build();
    const result = matchConnections(session([c1], [opened('c1', 1, c1.local, c1.remote)]), wire.streams);
    expect(result.matched).toEqual([]);
    expect(result.unmatchedConnections).toEqual(['c1']);
    expect(result.unmatchedStreams).toEqual([0]);
  });

  it('skips connections whose endpoints the lab never learned', () => {
    const lab = session([{ id: 'c1', label: 'c1', local: null, remote: null }], []);
    const result = matchConnections(lab, new WireBuilder().handshake(0, '127.0.0.1:1', SERVER, 1).build().streams);
    expect(result).toEqual({ matched: [], unmatchedConnections: [], unmatchedStreams: [0] });
  });
});

describe('endpoint keys', () => {
  it('writes IPv4-mapped IPv6 as IPv4 and IPv6 in brackets, like the capture engine', () => {
    expect(endpointKey({ address: '::ffff:127.0.0.1', port: 80 })).toBe('127.0.0.1:80');
    expect(endpointKey({ address: '::1', port: 443 })).toBe('[::1]:443');
    expect(pairKey('b:1', 'a:2')).toBe(pairKey('a:2', 'b:1'));
  });

  it('takes a connection open time from conn-opened, in ms since 1970', () => {
    const c1 = connection('c1', 1);
    const times = connectionOpenTimes(
      session([c1], [{ kind: 'note-logged', level: 'info', message: 'x', t: 0 }, opened('c1', 2.5, c1.local, c1.remote)]),
    );
    expect(times.get('c1')).toBe(EPOCH_MS + 2.5);
  });
});
