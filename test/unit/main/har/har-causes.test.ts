/**
 * Why a connection was opened, on small HARs written here so each rule is seen alone:
 * first, all busy (with the overlapping entries), closed by the server ("Connection: close"),
 * unexplained (an idle one existed), h2 → h3 after Alt-Svc, and HTTP/1.1's six-per-host wait.
 */
import { describe, expect, it } from 'vitest';
import { importHar } from '@engine/har/import-har';
import { parseHarText } from '@engine/har/read-har';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

interface Spec {
  at: number;
  ms: number;
  connection?: string;
  connect?: number;
  blocked?: number;
  url?: string;
  version?: string;
  close?: boolean;
}

function har(creator: string, specs: Spec[]) {
  const entries = specs.map((spec) => ({
    startedDateTime: new Date(T0 + spec.at).toISOString(),
    time: (spec.blocked ?? 0) + Math.max(0, spec.connect ?? 0) + spec.ms,
    request: { method: 'GET', url: spec.url ?? 'https://example.org/', httpVersion: spec.version ?? 'HTTP/1.1', headers: [] },
    response: { status: 200, httpVersion: spec.version ?? 'HTTP/1.1', headers: spec.close ? [{ name: 'Connection', value: 'close' }] : [] },
    timings: { blocked: spec.blocked ?? 0, dns: -1, connect: spec.connect ?? -1, ssl: -1, send: 0, wait: spec.ms, receive: 0 },
    serverIPAddress: '192.0.2.1',
    ...(spec.connection ? { connection: spec.connection } : {}),
  }));
  return importHar(
    parseHarText(JSON.stringify({ log: { version: '1.2', creator: { name: creator, version: '1' }, entries } })),
    'test.har',
  );
}

const chrome = (specs: Spec[]) => har('WebInspector', specs);

describe('HAR causes', () => {
  it('first, then all-busy with the overlapping entries', () => {
    const result = chrome([
      { at: 0, ms: 100, connection: '1', connect: 10 },
      { at: 5, ms: 100, connection: '2', connect: 10 },
      { at: 200, ms: 10, connection: '1' },
    ]);
    const [first, second, third] = result.requests;
    expect(first?.cause).toBe('first');
    expect(second?.cause).toBe('all-busy');
    expect(second?.busyWith).toEqual([0]);
    expect(second?.causeDetail).toMatch(/^the only other connection to \S+ was carrying requests \(#0\) when #1/);
    expect(third).toMatchObject({ reused: true, cause: null, connection: '1' });
    expect(result.origins[0]).toMatchObject({
      connectionsOpened: 2,
      requests: 3,
      reused: 1,
      setupMs: 20,
      savedMs: 10,
      couldHaveSavedMs: 0,
    });
  });

  it('closed-by-server when the idle connection answered "Connection: close"', () => {
    const result = chrome([
      { at: 0, ms: 10, connection: '1', connect: 10, close: true },
      { at: 100, ms: 10, connection: '2', connect: 10 },
    ]);
    expect(result.connections.map((connection) => connection.cause)).toEqual(['first', 'closed-by-server']);
  });

  it('unexplained when an idle connection existed, and its setup counts as could-have-saved', () => {
    const result = chrome([
      { at: 0, ms: 10, connection: '1', connect: 10 },
      { at: 100, ms: 10, connection: '2', connect: 12 },
    ]);
    expect(result.connections[1]?.cause).toBe('unexplained');
    expect(result.requests[1]?.causeDetail).toMatch(/1 \(idle 80 ms\)/);
    expect(result.origins[0]?.couldHaveSavedMs).toBe(12);
  });

  it('h2: a second connection while one is open is unexplained; h3 after h2 names Alt-Svc', () => {
    const result = chrome([
      { at: 0, ms: 50, connection: '1', connect: 10, version: 'h2' },
      { at: 1, ms: 50, connection: '1', version: 'h2' },
      { at: 2, ms: 50, connection: '1', version: 'h2' },
      { at: 100, ms: 10, connect: 10, version: 'h3' },
    ]);
    expect(result.connections[0]).toMatchObject({ httpVersion: 'h2', maxConcurrent: 3, requests: 3 });
    expect(result.connections[1]).toMatchObject({ inferred: true, httpVersion: 'h3', cause: 'unexplained' });
    expect(result.requests[3]?.causeDetail).toMatch(/Alt-Svc/);
  });

  it('HTTP/1.1: the seventh request waits for one of six busy connections', () => {
    const specs: Spec[] = Array.from({ length: 6 }, (_, index) => ({ at: index, ms: 100, connection: String(index + 1), connect: 5 }));
    specs.push({ at: 10, ms: 10, connection: '1', blocked: 95 });
    const result = chrome(specs);
    expect(result.connections.map((connection) => connection.cause)).toEqual([
      'first',
      'all-busy',
      'all-busy',
      'all-busy',
      'all-busy',
      'all-busy',
    ]);
    const seventh = result.requests.find((request) => request.index === 6);
    expect(seventh?.waitedForPool).toEqual({ ms: 95, busyConnections: 6 });
    expect(seventh?.causeDetail).toMatch(
      /queued 95 ms: all 6 connections to https:\/\/example.org were busy, and it was sent only when 1 finished/,
    );
  });

  it('infers connections from timings where the writer records none (Firefox: 0 ms connect on reuse)', () => {
    const result = har('Firefox', [
      { at: 0, ms: 10, connect: 20 },
      { at: 50, ms: 10, connect: 0 },
      { at: 55, ms: 50, connect: -1 },
      { at: 60, ms: 10, connect: 15 },
    ]);
    // no connect time on the third entry: it reused one, and with none free, the one that freed first
    expect(result.connections.map((connection) => [connection.id, connection.inferred, connection.requests])).toEqual([
      ['inferred-1', true, 3],
      ['inferred-2', true, 1],
    ]);
    expect(result.requests.map((request) => request.reused)).toEqual([false, true, true, false]);
    expect(result.connections[1]?.cause).toBe('all-busy');
    expect(result.connectionNote).toMatch(/server port, not a connection/);
  });
});
