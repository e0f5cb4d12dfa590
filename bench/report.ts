/**
 * How long a report of a 3 M-packet capture takes to render and write, and how
 * big it is. The bundle is what the capture analysis hands the report for such
 * a file — 5,000 streams of ~600 packets, aggregated per stream — plus a long
 * HTTP-lab session (20,000 requests on 100 connections) so the session
 * timeline's bounds are exercised too. Target: every format in < 2 s.
 *
 * Run alone: `node --import tsx bench/report.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderReport, writeFileAtomically } from '../src/main/engine/report/write-report';
import { createReportBundle, type ReportBundle, type ReportCapture, type ReportFormat } from '../src/shared/report-model';
import { TRACE_SCHEMA_VERSION, type Session, type TraceEvent } from '../src/shared/trace';

const STREAMS = 5000;
const PACKETS_PER_STREAM = 600;
const SESSION_REQUESTS = 20_000;
const SESSION_CONNECTIONS = 100;
export const REPORT_TARGET_MS = 2000;

function bigCapture(): ReportCapture {
  const streams: ReportCapture['streams'] = Array.from({ length: STREAMS }, (_, index) => {
    const probing = index % 13 === 0;
    return {
      stream: index,
      a: `10.0.${index >> 8}.${index & 255}:${40000 + (index % 20000)}`,
      b: '10.1.0.1:80',
      firstTime: 1_700_000_000 + index * 0.7,
      lastTime: 1_700_000_000 + index * 0.7 + 900,
      packets: PACKETS_PER_STREAM,
      end: index % 9 === 0 ? 'rst' : index % 5 === 0 ? 'open' : 'fin',
      httpRequests: index % 4,
      keepAlives: probing ? 11 : 0,
      keepAliveAcks: probing ? 10 : 0,
      probeSpacingS: probing ? 75 : null,
      inferred: { idleS: probing ? 120 : null, intervalS: probing ? 75 : null, probes: null },
    };
  });
  return {
    file: 'generated-3M.pcap',
    format: 'pcap',
    packets: STREAMS * PACKETS_PER_STREAM,
    warnings: [],
    streams,
    flagCounts: { keep_alive: 4235, keep_alive_ack: 3850, retransmission: 120 },
    findings: ['keepalive-probe', 'keepalive-ack', 'retransmission', 'connection-reused', 'fin-vs-rst'],
  };
}

function bigSession(): Session {
  const events: TraceEvent[] = [];
  const connections = Array.from({ length: SESSION_CONNECTIONS }, (_, index) => ({
    id: `c${index}`,
    label: `conn ${index}`,
    local: { address: '127.0.0.1', port: 50000 + index },
    remote: { address: '127.0.0.1', port: 8080 },
  }));
  for (const connection of connections)
    events.push({ t: 0, kind: 'conn-opened', conn: connection.id, via: 'new', local: connection.local, remote: connection.remote });
  for (let index = 0; index < SESSION_REQUESTS; index += 1) {
    const conn = `c${index % SESSION_CONNECTIONS}`;
    const t = 1000 + index * 500; // µs: one request every 0.5 ms across the pool
    events.push({ t, kind: 'request-started', conn, request: `r${index}` });
    events.push({
      t: t + 400,
      kind: 'request-ended',
      conn,
      request: `r${index}`,
      reused: index >= SESSION_CONNECTIONS,
      status: 200,
      error: null,
      timings: { queuedUs: 5, connectUs: null, firstByteUs: 300, totalUs: 400 },
    });
  }
  const endUs = 1000 + SESSION_REQUESTS * 500 + 10_000_000;
  for (const connection of connections) events.push({ t: endUs, kind: 'conn-closed', conn: connection.id, how: 'fin', by: 'remote' });
  return {
    schemaVersion: TRACE_SCHEMA_VERSION,
    id: 'bench',
    kind: 'http-lab',
    title: 'bench: 20,000 requests on 100 connections',
    epochMs: 0,
    settings: { keepAlive: true, body: 'drain' },
    connections,
    events,
    summary: {},
  };
}

export interface ReportBenchRow {
  format: ReportFormat;
  renderMs: number;
  writeMs: number;
  bytes: number;
}

export interface ReportBenchResult {
  packets: number;
  streams: number;
  sessionRequests: number;
  rows: ReportBenchRow[];
  /** worst render + write over the formats, ms */
  worstMs: number;
  targetMs: number;
  pass: boolean;
}

export async function benchReport(): Promise<ReportBenchResult> {
  const bundle: ReportBundle = createReportBundle({
    app: {
      appVersion: 'bench',
      platform: process.platform,
      nodeVersion: process.versions.node,
      keepaliveDefaults: { timeS: null, intervalS: null, probes: null, source: 'bench' },
    },
    captures: [bigCapture()],
    sessions: [bigSession()],
  });
  const folder = mkdtempSync(join(tmpdir(), 'bench-report-'));
  const rows: ReportBenchRow[] = [];
  try {
    for (const format of ['html', 'md', 'json'] as const) {
      const renderStarted = performance.now();
      const text = renderReport(bundle, format);
      const rendered = performance.now();
      const bytes = await writeFileAtomically(join(folder, `report.${format}`), text, false);
      rows.push({ format, renderMs: rendered - renderStarted, writeMs: performance.now() - rendered, bytes });
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const worstMs = Math.max(...rows.map((row) => row.renderMs + row.writeMs));
  return {
    packets: STREAMS * PACKETS_PER_STREAM,
    streams: STREAMS,
    sessionRequests: SESSION_REQUESTS,
    rows,
    worstMs,
    targetMs: REPORT_TARGET_MS,
    pass: worstMs < REPORT_TARGET_MS,
  };
}

export function formatReportBench(result: ReportBenchResult): string {
  const lines = [
    `report of a ${result.packets.toLocaleString('en-US')}-packet capture (${result.streams.toLocaleString('en-US')} streams) + a ${result.sessionRequests.toLocaleString('en-US')}-request session`,
  ];
  for (const row of result.rows)
    lines.push(
      `  ${row.format.padEnd(5)} render ${row.renderMs.toFixed(0).padStart(5)} ms  write ${row.writeMs.toFixed(0).padStart(4)} ms  ${(row.bytes / 1024).toFixed(0).padStart(6)} KiB`,
    );
  lines.push(`  worst ${result.worstMs.toFixed(0)} ms (target < ${result.targetMs} ms): ${result.pass ? 'ok' : 'TOO SLOW'}`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatReportBench(await benchReport()));
}
