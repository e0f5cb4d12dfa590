/**
 * A Keepalive Lab export states the run's connection limit (`log._keepaliveLab`) and which
 * requests its pool queued (`_keepaliveLab.waitedForPoolMs`): the importer measures waits against
 * that limit, trusts the recorded ones, and ignores the fields in anyone else's file or when they
 * are not what the export writes. Small HARs written here, so each rule is seen alone.
 */
import { describe, expect, it } from 'vitest';
import { importHar } from '@engine/har/import-har';
import { parseHarText } from '@engine/har/read-har';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

interface Spec {
  at: number;
  ms: number;
  connection: string;
  connect?: number;
  blocked?: number;
  /** `_keepaliveLab.waitedForPoolMs`; absent when undefined */
  waited?: number | null;
}

function har(creator: string, specs: Spec[], labLog?: unknown) {
  const entries = specs.map((spec) => ({
    startedDateTime: new Date(T0 + spec.at).toISOString(),
    time: (spec.blocked ?? 0) + Math.max(0, spec.connect ?? 0) + spec.ms,
    request: { method: 'GET', url: 'http://127.0.0.1:8080/', httpVersion: 'HTTP/1.1', headers: [] },
    response: { status: 200, httpVersion: 'HTTP/1.1', headers: [] },
    timings: { blocked: spec.blocked ?? 0, dns: -1, connect: spec.connect ?? -1, ssl: -1, send: 0, wait: spec.ms, receive: 0 },
    serverIPAddress: '127.0.0.1',
    connection: spec.connection,
    ...(spec.waited === undefined ? {} : { _keepaliveLab: { connection: spec.connection, waitedForPoolMs: spec.waited } }),
  }));
  const log = {
    version: '1.2',
    creator: { name: creator, version: '1' },
    entries,
    ...(labLog === undefined ? {} : { _keepaliveLab: labLog }),
  };
  return importHar(parseHarText(JSON.stringify({ log })), 'test.har');
}

/** two connections busy for 100 ms, a third request queued 95 ms until c1 is free */
const QUEUED_BEHIND_TWO: Spec[] = [
  { at: 0, ms: 100, connection: 'c1', connect: 1 },
  { at: 1, ms: 100, connection: 'c2', connect: 1 },
  { at: 6, ms: 10, connection: 'c1', blocked: 95 },
];
const MAX_SOCKETS_2 = { connectionsPerOrigin: 2, limitSetting: 'maxSockets' };
const queuedIndexes = (result: ReturnType<typeof har>) =>
  result.requests.filter((request) => request.waitedForPool !== null).map((request) => request.index);

describe("a Keepalive Lab export's connection limit", () => {
  it("measures the timings against the run's limit, and a browser's file against 6", () => {
    const lab = har('keepalive-lab', QUEUED_BEHIND_TWO, MAX_SOCKETS_2);
    expect(lab.connectionLimit).toEqual({ perOrigin: 2, from: 'lab', setting: 'maxSockets' });
    expect(queuedIndexes(lab)).toEqual([2]);
    expect(lab.requests[2]?.waitedForPool).toEqual({ ms: 95, busyConnections: 2 });
    expect(lab.requests[2]?.causeDetail).toBe(
      "queued 95 ms: both connections to http://127.0.0.1:8080 were busy, and it was sent only when c1 finished its previous request (the run's maxSockets is 2).",
    );
    expect(lab.session.settings['maxConnections']).toBe(2);

    const browser = har('WebInspector', QUEUED_BEHIND_TWO, MAX_SOCKETS_2);
    expect(browser.connectionLimit).toEqual({ perOrigin: 6, from: 'browser', setting: null });
    expect(queuedIndexes(browser)).toEqual([]);
    expect(browser.session.settings['maxConnections']).toBe(6);
  });

  it('takes the waits the lab recorded over the timing rule, however short', () => {
    const specs: Spec[] = [
      { at: 0, ms: 100, connection: 'c1', connect: 1, waited: null },
      { at: 1, ms: 100, connection: 'c2', connect: 1, waited: null },
      // 0.4 ms is under the timing rule's 1 ms floor, but the lab saw its pool queue it
      { at: 101.6, ms: 10, connection: 'c1', blocked: 0.4, waited: 0.4 },
      // blocked 95 ms, yet the lab says its pool did not queue it (it waited for its own event loop)
      { at: 6, ms: 10, connection: 'c2', blocked: 95, waited: null },
    ];
    const result = har('keepalive-lab', specs, MAX_SOCKETS_2);
    expect(queuedIndexes(result)).toEqual([2]);
    expect(result.requests.find((request) => request.index === 2)?.waitedForPool).toEqual({ ms: 0.4, busyConnections: 2 });
  });

  it('a run without a limit: nothing is measured against one', () => {
    const result = har('keepalive-lab', QUEUED_BEHIND_TWO, { connectionsPerOrigin: null, limitSetting: 'connections' });
    expect(result.connectionLimit).toEqual({ perOrigin: null, from: 'lab', setting: 'connections' });
    expect(queuedIndexes(result)).toEqual([]);
    expect(result.session.settings['maxConnections']).toBeNull();
  });

  it('ignores a limit that is not what the export writes', () => {
    for (const junk of [
      { connectionsPerOrigin: 0, limitSetting: 'maxSockets' },
      { connectionsPerOrigin: 2.5, limitSetting: 'maxSockets' },
      { connectionsPerOrigin: '2', limitSetting: 'maxSockets' },
      { connectionsPerOrigin: 2, limitSetting: '<b>anything</b>' },
      { connectionsPerOrigin: 2 },
      'maxSockets=2',
    ]) {
      const result = har('keepalive-lab', QUEUED_BEHIND_TWO, junk);
      expect(result.connectionLimit, JSON.stringify(junk)).toEqual({ perOrigin: 6, from: 'browser', setting: null });
    }
  });

  it('reads startedDateTime below the millisecond where the file gives the digits', () => {
    const text = JSON.stringify({
      log: {
        version: '1.2',
        creator: { name: 'keepalive-lab', version: '1' },
        entries: ['2026-01-01T00:00:00.000250Z', '2026-01-01T01:00:00.0017504+01:00'].map((startedDateTime) => ({
          startedDateTime,
          time: 1,
          request: { method: 'GET', url: 'http://127.0.0.1:8080/', httpVersion: 'HTTP/1.1' },
          response: { status: 200, httpVersion: 'HTTP/1.1' },
          timings: { send: 0, wait: 1, receive: 0 },
          serverIPAddress: '127.0.0.1',
        })),
      },
    });
    expect(importHar(parseHarText(text), 'test.har').requests.map((request) => request.startMs)).toEqual([0, 1.5]);
  });
});
