/**
 * `npm run bench` (load part), on loopback, bounded in count and time:
 * - the proxy holds PROXY_CONNECTIONS concurrent client connections, each with its own pooled
 *   upstream to the echo server, every one having exchanged a line and still open;
 * - one multiplexing client carries MUX_IN_FLIGHT requests in flight at once on one connection
 *   (the echo server delays each reply so all are outstanding together), and all come back.
 * Memory figures (RSS and V8 heap, MiB) are taken at rest before and at the peak of each.
 * Run alone: `node --import tsx bench/load.ts`.
 */
import net, { type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { startEchoServer } from '../src/main/engine/lab/echo-server';
import { MuxClient } from '../src/main/engine/lab/mux-client';
import { startProxy } from '../src/main/engine/lab/proxy';

export const PROXY_CONNECTIONS = 1000;
export const MUX_IN_FLIGHT = 10_000;
/** ms the echo server holds each reply back so that every mux request is in flight at once */
const MUX_REPLY_DELAY_MS = 1500;
/** ms each part may take before it is abandoned (a failed figure, never a hang) */
const PART_BUDGET_MS = 30_000;
/** clients opened at once while ramping up the proxy, so the accept queue (somaxconn) never overflows */
const RAMP_BATCH = 100;

export interface MemoryFigures {
  rssMiB: number;
  heapUsedMiB: number;
}

export interface ProxyLoadFigures {
  target: number;
  /** client connections open through the proxy at the peak, each having had its reply */
  held: number;
  /** the proxy's own count of active clients at the peak */
  proxyActive: number;
  upstreamPoolSize: number;
  failed: number;
  rampMs: number;
  before: MemoryFigures;
  peak: MemoryFigures;
}

export interface MuxLoadFigures {
  target: number;
  /** requests pending on the one connection at the peak */
  peakInFlight: number;
  ok: number;
  failed: number;
  ms: number;
  before: MemoryFigures;
  peak: MemoryFigures;
}

export interface LoadBenchResult {
  proxy: ProxyLoadFigures;
  mux: MuxLoadFigures;
  text: string;
}

const MIB = 2 ** 20;

function memory(): MemoryFigures {
  const usage = process.memoryUsage();
  return { rssMiB: Math.round((usage.rss / MIB) * 10) / 10, heapUsedMiB: Math.round((usage.heapUsed / MIB) * 10) / 10 };
}

/** Opens one client through the proxy, exchanges one line, and keeps the socket open. */
function openHeldClient(port: number, index: number, deadline: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => fail(), Math.max(1, deadline - Date.now()));
    let reply = '';
    function fail(): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(null);
    }
    socket.on('error', fail);
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (!reply.includes('\n')) return;
      clearTimeout(timer);
      socket.off('error', fail);
      socket.on('error', () => undefined);
      resolve(reply.includes(`"u${index}"`) ? socket : (socket.destroy(), null));
    });
    socket.write(`${JSON.stringify({ uid: `u${index}`, val: `v${index}` })}\n`);
  });
}

export async function benchProxyLoad(connections = PROXY_CONNECTIONS): Promise<ProxyLoadFigures> {
  const echo = await startEchoServer();
  const proxy = await startProxy({ upstream: { host: echo.host, port: echo.port }, poolSize: connections, idleTimeoutMs: 60_000 });
  const held: Socket[] = [];
  let failed = 0;
  try {
    const before = memory();
    const started = Date.now();
    const deadline = started + PART_BUDGET_MS;
    for (let first = 0; first < connections && Date.now() < deadline; first += RAMP_BATCH) {
      const batch = Array.from({ length: Math.min(RAMP_BATCH, connections - first) }, (_, offset) =>
        openHeldClient(proxy.port, first + offset, deadline),
      );
      for (const socket of await Promise.all(batch)) {
        if (socket) held.push(socket);
        else failed += 1;
      }
    }
    const rampMs = Date.now() - started;
    const stats = proxy.stats();
    return {
      target: connections,
      held: held.filter((socket) => !socket.destroyed).length,
      proxyActive: stats.active,
      upstreamPoolSize: stats.pool.size,
      failed,
      rampMs,
      before,
      peak: memory(),
    };
  } finally {
    for (const socket of held) socket.destroy();
    await proxy.close();
    await echo.close();
  }
}

export async function benchMuxLoad(inFlight = MUX_IN_FLIGHT): Promise<MuxLoadFigures> {
  const echo = await startEchoServer({ delayMs: MUX_REPLY_DELAY_MS });
  const client = await MuxClient.connect({ host: echo.host, port: echo.port, maxPending: inFlight, timeoutMs: PART_BUDGET_MS });
  try {
    const before = memory();
    const started = Date.now();
    const replies = Array.from({ length: inFlight }, (_, index) =>
      client.send(`v${index}`).then(
        () => true,
        () => false,
      ),
    );
    // every request is written before the first delayed reply can come back
    const peakInFlight = client.stats().pending;
    const peak = memory();
    const outcomes = await Promise.all(replies);
    const ok = outcomes.filter(Boolean).length;
    return { target: inFlight, peakInFlight, ok, failed: inFlight - ok, ms: Date.now() - started, before, peak };
  } finally {
    await client.close('rst');
    await echo.close();
  }
}

export function formatLoadBench(proxy: ProxyLoadFigures, mux: MuxLoadFigures): string {
  return [
    'load (loopback)',
    `  proxy: ${proxy.held}/${proxy.target} client connections held (proxy active ${proxy.proxyActive}, upstream pool ${proxy.upstreamPoolSize}, ${proxy.failed} failed), ramp ${proxy.rampMs} ms; RSS ${proxy.before.rssMiB} → ${proxy.peak.rssMiB} MiB, heap ${proxy.before.heapUsedMiB} → ${proxy.peak.heapUsedMiB} MiB`,
    `  mux:   ${mux.peakInFlight}/${mux.target} requests in flight on one connection, ${mux.ok} ok, ${mux.failed} failed in ${mux.ms} ms; RSS ${mux.before.rssMiB} → ${mux.peak.rssMiB} MiB, heap ${mux.before.heapUsedMiB} → ${mux.peak.heapUsedMiB} MiB`,
  ].join('\n');
}

export async function benchLoad(): Promise<LoadBenchResult> {
  const proxy = await benchProxyLoad();
  const mux = await benchMuxLoad();
  return { proxy, mux, text: formatLoadBench(proxy, mux) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchLoad().then(
    (result) => process.stdout.write(`${result.text}\n`),
    (error: unknown) => {
      process.stderr.write(`bench load: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
