/**
 * Report fixtures made the way the labs make them: a TraceRecorder with a
 * stepped clock (µs), recording what an HTTP-lab run against the embedded
 * server records. Plus a ReportCapture mapped from a public capture's tshark
 * oracle (ndpi__ocsp.pcapng: 344 packets, 10 streams, 97 keep-alives, 18 HTTP
 * requests of which 8 reuse a connection).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createReportBundle, type ReportApp, type ReportBundle, type ReportCapture } from '@shared/report-model';
import { TraceRecorder, type KeepaliveSettings, type Session, type TraceEvent } from '@shared/trace';

/** One event without its time, checked against its own kind (TraceRecorder.record's Omit is not distributive). */
type EventInput = TraceEvent extends infer Event ? (Event extends TraceEvent ? Omit<Event, 't'> : never) : never;

function record(recorder: TraceRecorder, event: EventInput): void {
  recorder.record(event as Omit<TraceEvent, 't'>);
}

export const repoRoot = resolve(import.meta.dirname, '../../../..');
export const publicCaptures = resolve(repoRoot, '../shared/captures/public');

export const FIXED_APP: ReportApp = {
  appVersion: '0.1.0',
  platform: 'linux/x64',
  nodeVersion: '20.20.2',
  keepaliveDefaults: { timeS: 7200, intervalS: 75, probes: 9, source: '/proc/sys/net/ipv4/tcp_keepalive_{time,intvl,probes}' },
};
export const FIXED_CREATED_AT = new Date('2026-11-25T18:00:00.000Z');

/** A clock the test advances by hand: µs. */
function steppedClock(): { nowUs: () => number; advanceMs: (ms: number) => void } {
  let nowUs = 1_000_000;
  return { nowUs: () => nowUs, advanceMs: (ms) => (nowUs += Math.round(ms * 1000)) };
}

const LAB_KEEPALIVE: KeepaliveSettings = {
  enabled: true,
  idleS: 1,
  intervalS: 1,
  count: 10,
  userTimeoutMs: null,
  source: { enabled: 'lab', idleS: 'lab', intervalS: 'libuv-default', count: 'libuv-default', userTimeoutMs: 'os-default' },
};

const SERVER = { address: '127.0.0.1', port: 41234 };

/** 10 sequential requests with drained bodies: 1 connection, 9 reused, then idle probes and the server's FIN. */
export function drainedSession(): Session {
  const clock = steppedClock();
  const recorder = new TraceRecorder(clock.nowUs, Date.UTC(2026, 10, 25, 17, 0, 0));
  recorder.addConnection({ id: 'c1', label: 'conn 1 (:50001)', local: { address: '127.0.0.1', port: 50001 }, remote: SERVER });
  record(recorder, { kind: 'settings-applied', keepalive: LAB_KEEPALIVE });
  for (let index = 1; index <= 10; index += 1) {
    const request = `r${index}`;
    record(recorder, { kind: 'request-started', request, conn: 'c1', label: `GET / #${index}` });
    if (index === 1) {
      record(recorder, { kind: 'conn-opened', conn: 'c1', via: 'new', local: { address: '127.0.0.1', port: 50001 }, remote: SERVER });
      clock.advanceMs(0.4);
      record(recorder, { kind: 'handshake-completed', conn: 'c1', us: 400 });
    }
    clock.advanceMs(2);
    record(recorder, {
      kind: 'request-ended',
      request,
      conn: 'c1',
      reused: index > 1,
      status: 200,
      error: null,
      timings: { queuedUs: 10, connectUs: index === 1 ? 400 : null, firstByteUs: 1500, totalUs: index === 1 ? 2400 : 2000 },
    });
    clock.advanceMs(50);
  }
  for (let probe = 0; probe < 3; probe += 1) {
    clock.advanceMs(1000);
    record(recorder, { kind: 'wire-seen', conn: 'c1', mark: 'keepalive-probe', source: 'kernel', from: 'a' });
    clock.advanceMs(0.1);
    record(recorder, { kind: 'wire-seen', conn: 'c1', mark: 'keepalive-ack', source: 'kernel', from: 'b' });
  }
  clock.advanceMs(1500);
  record(recorder, { kind: 'conn-closed', conn: 'c1', how: 'fin', by: 'remote', reason: 'server keepAliveTimeout' });
  return recorder.toSession({
    id: 'http-drained',
    kind: 'http-lab',
    title: 'HTTP lab: drained bodies',
    settings: {
      url: 'http://127.0.0.1:41234/',
      requests: 10,
      concurrency: 1,
      keepAlive: true,
      body: 'drain',
      serverKeepAliveTimeoutMs: 5000,
    },
    summary: { requests: 10, connectionsOpened: 1, reused: 9 },
  });
}

/** 10 sequential requests whose bodies were ignored: each opened its own connection; destroyed at the end. */
export function ignoredBodySession(): Session {
  const clock = steppedClock();
  const recorder = new TraceRecorder(clock.nowUs, Date.UTC(2026, 10, 25, 17, 5, 0));
  for (let index = 1; index <= 10; index += 1) {
    const conn = `c${index}`;
    const local = { address: '127.0.0.1', port: 50100 + index };
    recorder.addConnection({ id: conn, label: `conn ${index} (:${local.port})`, local, remote: SERVER });
    record(recorder, { kind: 'request-started', request: `r${index}`, conn, label: `GET /big #${index}` });
    record(recorder, { kind: 'conn-opened', conn, via: 'new', local, remote: SERVER });
    clock.advanceMs(0.4);
    record(recorder, { kind: 'handshake-completed', conn, us: 400 });
    clock.advanceMs(3);
    record(recorder, {
      kind: 'request-ended',
      request: `r${index}`,
      conn,
      reused: false,
      status: 200,
      error: null,
      timings: { queuedUs: 10, connectUs: 400, firstByteUs: 2000, totalUs: 3400 },
    });
    clock.advanceMs(20);
  }
  clock.advanceMs(100);
  for (let index = 1; index <= 10; index += 1)
    record(recorder, { kind: 'conn-closed', conn: `c${index}`, how: 'rst', by: 'local', reason: 'destroyed at the end of the run' });
  return recorder.toSession({
    id: 'http-ignored',
    kind: 'http-lab',
    title: 'HTTP lab: ignored bodies',
    settings: { url: 'http://127.0.0.1:41234/big', requests: 10, concurrency: 1, keepAlive: true, body: 'ignore', bodyBytes: 262144 },
    summary: { requests: 10, connectionsOpened: 10, reused: 0 },
  });
}

interface OracleStream {
  stream: number;
  a: string;
  b: string;
  firstTime: string;
  lastTime: string;
  packets: number;
  end: 'fin' | 'rst' | 'open';
  httpRequests: number;
  keepAlives: number;
  keepAliveAcks: number;
}

/** Maps a public capture's tshark oracle into a ReportCapture, as the lead will map the analyzer's output. */
export function captureFromOracle(name: string): ReportCapture {
  const oracle = JSON.parse(readFileSync(resolve(publicCaptures, `${name}.tshark.json`), 'utf8')) as {
    format: string;
    packets: number;
    tsharkErrors: string[];
    counts: Record<string, number>;
    streams: OracleStream[];
  };
  const findings: ReportCapture['findings'] = [];
  if ((oracle.counts['keep_alive'] ?? 0) > 0) findings.push('keepalive-probe', 'keepalive-ack');
  if (oracle.streams.some((stream) => stream.httpRequests > 1)) findings.push('connection-reused');
  if (oracle.streams.some((stream) => stream.end === 'rst')) findings.push('fin-vs-rst');
  return {
    file: name,
    format: oracle.format,
    packets: oracle.packets,
    warnings: oracle.tsharkErrors ?? [],
    streams: oracle.streams.map((stream) => ({
      stream: stream.stream,
      a: stream.a,
      b: stream.b,
      firstTime: Number(stream.firstTime),
      lastTime: Number(stream.lastTime),
      packets: stream.packets,
      end: stream.end,
      httpRequests: stream.httpRequests,
      keepAlives: stream.keepAlives,
      keepAliveAcks: stream.keepAliveAcks,
      probeSpacingS: null,
      inferred: { idleS: null, intervalS: null, probes: null },
    })),
    flagCounts: oracle.counts,
    findings,
  };
}

export function fixtureBundle(): ReportBundle {
  return createReportBundle({
    app: FIXED_APP,
    createdAt: FIXED_CREATED_AT,
    sessions: [drainedSession(), ignoredBodySession()],
    captures: [captureFromOracle('ndpi__ocsp.pcapng')],
  });
}
