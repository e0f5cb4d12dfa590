import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaptureSummary } from '@shared/api-capture';
import { TraceRecorder } from '@shared/trace';
import { SessionLog } from '@engine/session-log';
import { captureSummaryToReport } from '@engine/report/capture-to-report';
import { bundleRows } from '@renderer/features/report/report-rows';
import { createReportBundle } from '@shared/report-model';

function labSession(id: string) {
  let now = 0;
  const recorder = new TraceRecorder(() => (now += 100), 1_700_000_000_000);
  recorder.addConnection({
    id: 'c1',
    label: 'conn 1',
    local: { address: '127.0.0.1', port: 50000 },
    remote: { address: '127.0.0.1', port: 8080 },
  });
  recorder.record({ kind: 'conn-opened', conn: 'c1', via: 'new', local: null, remote: null });
  for (let i = 0; i < 3; i++) {
    recorder.record({ kind: 'request-started', conn: 'c1', request: `r${i}` });
    recorder.record({
      kind: 'request-ended',
      conn: 'c1',
      request: `r${i}`,
      reused: i > 0,
      status: 200,
      error: null,
      timings: { queuedUs: 0, connectUs: null, firstByteUs: 50, totalUs: 90 },
    });
  }
  return recorder.toSession({ id, kind: 'http-lab', title: `run ${id}`, settings: {}, summary: {} });
}

// The oracle's streams of a real capture, shaped as capture.open returns them.
const oracle = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../../shared/captures/public/ndpi__ocsp.pcapng.tshark.json'), 'utf8'),
);
const summary: CaptureSummary = {
  captureId: 'x1',
  path: '/tmp/captures/ndpi__ocsp.pcapng',
  format: 'pcapng',
  linkTypes: ['ETHERNET'],
  packets: oracle.packets,
  tcpSegments: oracle.packets,
  warnings: [],
  hints: [],
  startTime: Number(oracle.streams[0].firstTime),
  duration: 1,
  flagCounts: { keep_alive: oracle.counts.keep_alive, keep_alive_ack: oracle.counts.keep_alive_ack },
  streams: oracle.streams.map((s: Record<string, number | string | boolean>) => ({
    stream: s['stream'],
    a: s['a'],
    b: s['b'],
    firstFrame: s['firstFrame'],
    lastFrame: s['lastFrame'],
    firstTime: Number(s['firstTime']),
    lastTime: Number(s['lastTime']),
    packets: s['packets'],
    packetsAtoB: 0,
    packetsBtoA: 0,
    payloadAtoB: 0,
    payloadBtoA: 0,
    synSeen: true,
    end: s['end'],
    maxIdleGap: 0,
    httpRequests: s['httpRequests'],
    httpResponses: s['httpResponses'],
    keepAlives: s['keepAlives'],
    keepAliveAcks: s['keepAliveAcks'],
    probeSpacing: null,
    keepalive: null,
  })),
};

describe('the session log behind "Export report"', () => {
  it('keeps sessions from results (top level and one level down) and captures from capture.open', () => {
    const log = new SessionLog();
    log.observe('http.run', { session: labSession('a') });
    log.observe('http.compare', { a: { session: labSession('b') }, b: { session: labSession('c') }, differences: [] });
    log.observe('http.run', { session: { not: 'a session' } });
    log.observe('capture.open', summary);
    log.observe('report.render', { session: labSession('ignored') });
    const { sessions, captures } = log.snapshot();
    expect(sessions.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(captures).toHaveLength(1);
    expect(captures[0]!.file).toBe('ndpi__ocsp.pcapng');
    expect(captures[0]!.streams.reduce((n, s) => n + s.keepAlives, 0)).toBe(oracle.counts.keep_alive);
    expect(captures[0]!.findings).toContain('keepalive-probe');
    log.clear();
    expect(log.snapshot()).toEqual({ sessions: [], captures: [] });
  });

  it('is bounded: the oldest entries go first', () => {
    const log = new SessionLog();
    for (let i = 0; i < 60; i++) log.observe('http.run', { session: labSession(`s${i}`) });
    const ids = log.snapshot().sessions.map((s) => s.id);
    expect(ids).toHaveLength(50);
    expect(ids[0]).toBe('s10');
  });

  it('lists one row per run and capture with their headline figures', () => {
    const bundle = createReportBundle({
      app: {
        appVersion: '0',
        platform: 'linux',
        nodeVersion: '20',
        keepaliveDefaults: { timeS: 7200, intervalS: 75, probes: 9, source: 'x' },
      },
      sessions: [labSession('a')],
      captures: [captureSummaryToReport(summary)],
    });
    const rows = bundleRows(bundle);
    expect(rows[0]).toMatchObject({ title: 'run a', kind: 'HTTP lab', headline: '3 requests, 1 connection, 2 reused' });
    expect(rows[1]!.headline).toBe(
      `${oracle.packets} packets, ${oracle.streamCount} streams, ${oracle.counts.keep_alive} keep-alive probes, 18 HTTP requests`,
    );
  });
});
