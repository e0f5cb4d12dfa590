/**
 * `npm run bench` (HTTP part): what a kept connection saves. For the embedded
 * server and nginx side by side, sequential requests on one reused connection
 * versus a new connection per request (keep-alive off): requests/s, p50 and p99.
 * Measured through the lab itself (http.Agent, drained bodies), so the figures
 * include the lab's own recording.
 */
import { HttpRunConfigSchema, type HttpRunResult } from '../src/shared/api-http';
import { runHttpLoop } from '../src/main/engine/lab/http-loop';
import { nginxAvailable, startNginx, type NginxServer } from '../src/main/engine/lab/http-nginx';

export interface HttpBenchRow {
  target: 'embedded' | 'nginx';
  connections: 'reused' | 'new';
  requests: number;
  connectionsOpened: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface HttpBenchResult {
  rows: HttpBenchRow[];
  /** why a target is missing, if one is */
  skipped: string[];
  text: string;
}

/** sequential requests per measured run */
const DEFAULT_REQUESTS = 500;
/** requests before measuring, so JIT and the first handshake are out of the figures */
const WARMUP_REQUESTS = 20;

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function toRow(target: HttpBenchRow['target'], connections: HttpBenchRow['connections'], result: HttpRunResult): HttpBenchRow {
  const totals = result.requests.map((request) => request.ms.total ?? Number.NaN).sort((a, b) => a - b);
  const spanMs = totals.reduce((sum, value) => sum + value, 0);
  return {
    target,
    connections,
    requests: result.requests.length,
    connectionsOpened: result.connectionsOpened,
    requestsPerSecond: Math.round((result.requests.length / spanMs) * 1000),
    p50Ms: Math.round(percentile(totals, 0.5) * 1000) / 1000,
    p99Ms: Math.round(percentile(totals, 0.99) * 1000) / 1000,
    errors: result.errors,
  };
}

async function measure(url: string | null, keepAlive: boolean, requests: number): Promise<HttpRunResult> {
  const config = HttpRunConfigSchema.parse({ url, requests, agent: { keepAlive }, server: { bodyBytes: 6 } });
  // No periodic kernel cross-check of the open count while measuring latency: a /proc scan (5–10 ms) would land in some requests.
  await runHttpLoop({ ...config, requests: WARMUP_REQUESTS }, { sampleOpenSockets: false });
  return runHttpLoop(config, { sampleOpenSockets: false });
}

function format(rows: HttpBenchRow[], skipped: string[]): string {
  const header = 'target    connections  requests  opened   req/s   p50 ms   p99 ms  errors';
  const lines = rows.map(
    (row) =>
      `${row.target.padEnd(9)} ${row.connections.padEnd(12)} ${String(row.requests).padStart(8)} ${String(row.connectionsOpened).padStart(7)} ${String(row.requestsPerSecond).padStart(7)} ${row.p50Ms.toFixed(3).padStart(8)} ${row.p99Ms.toFixed(3).padStart(8)} ${String(row.errors).padStart(7)}`,
  );
  return [
    'HTTP keep-alive: reused vs new connections (sequential, http.Agent, drained 6-byte bodies)',
    header,
    ...lines,
    ...skipped.map((reason) => `skipped: ${reason}`),
  ].join('\n');
}

export async function benchHttp(opts: { nginxUrl?: string; requests?: number } = {}): Promise<HttpBenchResult> {
  const requests = opts.requests ?? DEFAULT_REQUESTS;
  const rows: HttpBenchRow[] = [];
  const skipped: string[] = [];
  let nginx: NginxServer | null = null;
  try {
    let nginxUrl = opts.nginxUrl ?? null;
    if (!nginxUrl && nginxAvailable()) {
      nginx = await startNginx({ keepaliveTimeoutS: 60 });
      nginxUrl = nginx.url;
    }
    if (!nginxUrl) skipped.push('nginx: /usr/sbin/nginx not installed and no nginxUrl given');
    const targets: Array<[HttpBenchRow['target'], string | null]> = [['embedded', null]];
    if (nginxUrl) targets.push(['nginx', nginxUrl]);
    for (const keepAlive of [true, false]) {
      for (const [target, url] of targets) {
        rows.push(toRow(target, keepAlive ? 'reused' : 'new', await measure(url, keepAlive, requests)));
      }
    }
  } finally {
    await nginx?.stop();
  }
  return { rows, skipped, text: format(rows, skipped) };
}
