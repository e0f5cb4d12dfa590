/**
 * One measured HTTP run in a process of its own (so its peak RSS is its own), for
 * bench/http-scale.ts. Prints one JSON line: wall ms, peak RSS, what it counted.
 *
 *   node --import tsx bench/http-scale-child.ts bare|lab agent|undici REQUESTS CONCURRENCY
 *
 * bare: a plain `http` server and a plain client loop in this process — http.Agent
 *   ({ keepAlive: true }) or an undici Agent — `concurrency` requests in flight, a new
 *   one as soon as one ends, bodies drained. No recording of any kind.
 * lab: `runHttpLoop` with what a learner sees switched on: the trace (every event
 *   handed to a listener, as the service does), the open-socket count with its kernel
 *   cross-check, and the embedded server's own record; steady schedule, same bodies.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { HttpRunConfigSchema } from '../src/shared/api-http';
import { runHttpLoop } from '../src/main/engine/lab/http-loop';
// The lab loads its undici client on demand; load it now, as the bare loop has undici loaded, so neither times a module load.
await import('../src/main/engine/lab/http-undici-client');

/** the embedded server's default body, bytes: both sides send the same */
const BODY_BYTES = 1024;
/** ms per request before it counts as failed */
const TIMEOUT_MS = 10_000;

export interface ChildFigures {
  ms: number;
  /** CPU ms (user + system) of the whole process over the run: steadier than wall time on a shared machine */
  cpuMs: number;
  peakRssMiB: number;
  requests: number;
  ok: number;
  connections: number;
  /** lab only: what the embedded server recorded, and the lsof-style maximum */
  served?: number;
  maxOpen?: number;
  traceEvents?: number;
}

type Counted = Omit<ChildFigures, 'peakRssMiB' | 'cpuMs'>;

async function bare(client: 'agent' | 'undici', requests: number, concurrency: number): Promise<Counted> {
  const body = Buffer.alloc(BODY_BYTES, 'k');
  const sockets = new Set<unknown>();
  const server = http.createServer((request, response) => {
    request.resume();
    response.setHeader('Content-Length', BODY_BYTES);
    response.end(body);
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const agent = new http.Agent({ keepAlive: true });
  const undici = new Agent();
  const one =
    client === 'agent'
      ? () =>
          new Promise<boolean>((resolve) => {
            const request = http.get(url, { agent, timeout: TIMEOUT_MS }, (response) => {
              response.resume();
              response.on('end', () => resolve(response.statusCode === 200));
              response.on('error', () => resolve(false));
            });
            request.on('error', () => resolve(false));
          })
      : async () => {
          try {
            const response = await undici.request({ origin: url, path: '/', method: 'GET', headersTimeout: TIMEOUT_MS });
            await response.body.dump({ limit: Infinity });
            return response.statusCode === 200;
          } catch {
            return false;
          }
        };
  let next = 0;
  let ok = 0;
  const started = performance.now();
  const slot = async () => {
    while (next < requests) {
      next += 1;
      if (await one()) ok += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, slot));
  const ms = performance.now() - started;
  agent.destroy();
  await undici.close();
  server.close();
  for (const socket of sockets) (socket as { destroy(): void }).destroy();
  return { ms, requests, ok, connections: sockets.size };
}

async function lab(client: 'agent' | 'undici', requests: number, concurrency: number): Promise<Counted> {
  const config = HttpRunConfigSchema.parse({ requests, concurrency, client, schedule: 'steady', timeoutMs: TIMEOUT_MS });
  let traceEvents = 0;
  const started = performance.now();
  const result = await runHttpLoop(config, { onEvent: () => void (traceEvents += 1), onStats: () => undefined });
  const ms = performance.now() - started;
  return {
    ms,
    requests: result.requests.length,
    ok: result.requests.filter((request) => request.status === 200).length,
    connections: result.connectionsOpened,
    served: result.server?.requests.length ?? 0,
    maxOpen: result.maxOpen,
    traceEvents,
  };
}

const [mode, client, requests, concurrency] = process.argv.slice(2);
if ((mode !== 'bare' && mode !== 'lab') || (client !== 'agent' && client !== 'undici')) {
  throw new Error('usage: http-scale-child.ts bare|lab agent|undici REQUESTS CONCURRENCY');
}
const cpuBefore = process.cpuUsage();
const figures = await (mode === 'bare' ? bare : lab)(client, Number(requests), Number(concurrency));
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
// resourceUsage().maxRSS is in KiB (getrusage ru_maxrss on Linux)
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ...figures, cpuMs, peakRssMiB } satisfies ChildFigures)}\n`);
