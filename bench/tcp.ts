/**
 * `npm run bench` (TCP part), side by side in one run on loopback:
 * - one multiplexed connection vs a pooled set vs a new connection per request,
 *   same requests and concurrency against the embedded JSON-lines echo server
 *   (requests/s, p50/p99 latency in ms; the lab's recording included);
 * - bulk throughput through the proxy (pooled upstream, copy both ways) vs a
 *   direct connection, to a raw byte-echo server (MiB/s, counting both directions).
 */
import net from 'node:net';
import { startProxy } from '../src/main/engine/lab/proxy';
import type { LoadSummary } from '../src/shared/api-tcp';
import { runMuxExperiment, runPerRequestExperiment, runPoolExperiment } from '../src/main/engine/lab/tcp-experiments';

export interface TcpLoadRow {
  kind: 'load';
  mode: LoadSummary['mode'];
  requests: number;
  concurrency: number;
  connectionsOpened: number;
  requestsPerSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  errors: number;
}

export interface TcpThroughputRow {
  kind: 'throughput';
  path: 'direct' | 'proxy';
  /** MiB sent up (the same comes back) */
  mebibytes: number;
  /** MiB/s counting both directions */
  mebibytesPerSecond: number;
  ms: number;
}

export interface TcpBenchResult {
  rows: Array<TcpLoadRow | TcpThroughputRow>;
  text: string;
}

const DEFAULT_REQUESTS = 5000;
const DEFAULT_CONCURRENCY = 32;
const POOL_SIZE = 8;
/** bytes per line in the throughput run */
const CHUNK_BYTES = 64 * 1024;

function loadRow(summary: LoadSummary, concurrency: number): TcpLoadRow {
  return {
    kind: 'load',
    mode: summary.mode,
    requests: summary.requests,
    concurrency,
    connectionsOpened: summary.connectionsOpened,
    requestsPerSecond: summary.requestsPerSecond,
    p50Ms: summary.ms.p50,
    p99Ms: summary.ms.p99,
    errors: summary.failed + summary.timedOut,
  };
}

/** Sends `mebibytes` of newline-terminated chunks, half-closes, and waits for all of it back. */
function pushThrough(port: number, mebibytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const total = mebibytes * 1024 * 1024;
    const chunk = Buffer.alloc(CHUNK_BYTES, 0x61);
    chunk[CHUNK_BYTES - 1] = 0x0a;
    const started = performance.now();
    let received = 0;
    const socket = net.connect(port, '127.0.0.1', () => {
      let sent = 0;
      const write = (): void => {
        while (sent < total) {
          sent += CHUNK_BYTES;
          if (!socket.write(chunk)) return void socket.once('drain', write);
        }
        socket.end();
      };
      write();
    });
    socket.on('data', (data: Buffer) => (received += data.length));
    socket.once('error', reject);
    socket.once('close', () =>
      received >= total ? resolve(performance.now() - started) : reject(new Error(`only ${received} of ${total} bytes came back`)),
    );
  });
}

async function throughput(mebibytes: number): Promise<TcpThroughputRow[]> {
  // a raw echo: bytes back as they come, FIN after the client's FIN
  const server = net.createServer({ allowHalfOpen: true }, (socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const proxy = await startProxy({ upstream: { host: '127.0.0.1', port }, poolSize: 2, highWaterMark: 64 * 1024 });
  try {
    const rows: TcpThroughputRow[] = [];
    for (const [path, target] of [
      ['direct', port],
      ['proxy', proxy.port],
    ] as const) {
      await pushThrough(target, 4);
      const ms = await pushThrough(target, mebibytes);
      rows.push({ kind: 'throughput', path, mebibytes, ms: Math.round(ms), mebibytesPerSecond: Math.round(((2 * mebibytes) / ms) * 1000) });
    }
    return rows;
  } finally {
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

function format(rows: TcpBenchResult['rows']): string {
  const lines = [
    'TCP lab: one multiplexed connection vs a pool vs a connection per request (JSON-lines echo, loopback)',
    'mode          requests  conc  opened    req/s   p50 ms   p99 ms  errors',
  ];
  for (const row of rows) {
    if (row.kind !== 'load') continue;
    lines.push(
      `${row.mode.padEnd(12)} ${String(row.requests).padStart(9)} ${String(row.concurrency).padStart(5)} ${String(row.connectionsOpened).padStart(7)} ${String(row.requestsPerSecond).padStart(8)} ${(row.p50Ms ?? Number.NaN).toFixed(3).padStart(8)} ${(row.p99Ms ?? Number.NaN).toFixed(3).padStart(8)} ${String(row.errors).padStart(7)}`,
    );
  }
  lines.push('', 'TCP proxy throughput vs direct (raw byte echo, both directions counted)', 'path      MiB each way      ms    MiB/s');
  for (const row of rows) {
    if (row.kind !== 'throughput') continue;
    lines.push(
      `${row.path.padEnd(9)} ${String(row.mebibytes).padStart(12)} ${String(row.ms).padStart(7)} ${String(row.mebibytesPerSecond).padStart(8)}`,
    );
  }
  return lines.join('\n');
}

export async function benchTcp(opts: { requests?: number; concurrency?: number; mebibytes?: number } = {}): Promise<TcpBenchResult> {
  const requests = opts.requests ?? DEFAULT_REQUESTS;
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  // warm the JIT on every path so the first measured mode is not penalised
  await runMuxExperiment({ requests: 200, concurrency });
  await runPoolExperiment({ requests: 200, concurrency, size: POOL_SIZE });
  await runPerRequestExperiment({ requests: 100, concurrency });
  const rows: TcpBenchResult['rows'] = [
    loadRow((await runMuxExperiment({ requests, concurrency })).summary, concurrency),
    loadRow((await runPoolExperiment({ requests, concurrency, size: POOL_SIZE })).summary, concurrency),
    loadRow((await runPerRequestExperiment({ requests, concurrency })).summary, concurrency),
    ...(await throughput(opts.mebibytes ?? 64)),
  ];
  return { rows, text: format(rows) };
}
