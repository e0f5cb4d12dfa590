/**
 * A real loopback capture for the bench: tcpdump on `lo` records HTTP/1.1 keep-alive traffic
 * that Node generates in two child processes (an http server on 127.0.0.1 port 0, and a client
 * with many keep-alive connections), until tcpdump has its packet count (-c) or time runs out.
 *
 * The client's connections make small requests back to back; each connection is closed after a
 * random number of requests (usually `Connection: close`, a FIN; every 8th one by
 * `socket.resetAndDestroy()`, an RST) and reopened, so the capture has many streams. A few more
 * connections make one request and then sit idle with TCP keepalive at 1 s, so the kernel's
 * keep-alive probes and their ACKs appear in the capture too.
 *
 *   node --import tsx bench/make-loopback-capture.ts FILE [PACKETS]
 *
 * Returns null (reason on stderr) when tcpdump is missing or cannot capture on `lo`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { writeSyntheticCapture } from './make-capture';

/** ms to wait for tcpdump's "listening on" line, or for the server child's port */
const START_TIMEOUT_MS = 10_000;
/** ms to wait for a child to exit after being told to stop, before SIGKILL */
const STOP_TIMEOUT_MS = 5_000;
/** tcpdump's kernel buffer, KiB (-B): 64 MiB absorbs the bursts while the workload has the CPU */
const CAPTURE_BUFFER_KIB = 65_536;
/** snap length, bytes (-s): whole frames, as tcpdump's default */
const SNAP_LENGTH_BYTES = 262_144;
/** busy keep-alive connections open at once */
const BUSY_CONNECTIONS = 32;
/** requests on one connection before it is closed and reopened: uniform in [MIN, MAX] */
const MIN_REQUESTS_PER_CONNECTION = 20;
const MAX_REQUESTS_PER_CONNECTION = 400;
/** every Nth closed connection ends with an RST instead of a FIN */
const RESET_EVERY = 8;
/** idle connections with TCP keepalive on, and their idle time before the first probe, ms */
const PROBED_CONNECTIONS = 6;
const KEEPALIVE_IDLE_MS = 1_000;
/** how every response starts: the client counts responses by it */
const RESPONSE_START = 'HTTP/1.1 ';

export interface LoopbackCaptureOptions {
  /** tcpdump stops after this many packets (-c) */
  packets: number;
  /** give up (and keep what was captured) after this many ms */
  timeoutMs: number;
}

export interface LoopbackCaptureResult {
  /** packets tcpdump wrote to the file */
  packets: number;
  /** file size, bytes */
  bytes: number;
  source: 'tcpdump';
  /** tcpdump's "packets dropped by kernel" figure; null when it printed none */
  droppedByKernel: number | null;
  /** time from the workload's start to tcpdump's exit, ms */
  milliseconds: number;
  /** true when the timeout stopped the capture before its packet count */
  timedOut: boolean;
  /** pids of tcpdump and the workload children, all exited by the time this resolves */
  pids: number[];
}

const self = fileURLToPath(import.meta.url);

/** Each child's 'close' (exited, stdio drained: tcpdump's statistics are in), recorded at spawn. */
const closings = new WeakMap<ChildProcess, Promise<void>>();

function tracked(child: ChildProcess): ChildProcess {
  closings.set(child, new Promise((resolve) => child.once('close', () => resolve())));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return closings.get(child) ?? Promise.resolve();
}

/** Signals `child` and waits for its exit; SIGKILL after STOP_TIMEOUT_MS. */
async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const done = exited(child);
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS)));
  if ((await Promise.race([done, late])) === 'late') {
    child.kill('SIGKILL');
    await done;
  }
  clearTimeout(timer);
}

/** Resolves with the first stdout or stderr line matching `pattern`; rejects on exit or timeout. */
function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what}: nothing within ${START_TIMEOUT_MS} ms ${seen.trim()}`)), START_TIMEOUT_MS);
    child[stream]?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what}: exited with ${code}: ${seen.trim().split('\n').pop() ?? ''}`));
    });
  });
}

/** A workload child: `--workload-server` or `--workload-client PORT`. Stdin is a pipe; its end stops the child. */
function spawnWorkload(...args: string[]): ChildProcess {
  return tracked(spawn(process.execPath, ['--import', 'tsx', self, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }));
}

/** Captures real loopback HTTP keep-alive traffic into `file` (classic pcap); null when tcpdump cannot run. */
export async function captureLoopbackTraffic(file: string, options: LoopbackCaptureOptions): Promise<LoopbackCaptureResult | null> {
  const children: ChildProcess[] = [];
  try {
    const server = spawnWorkload('--workload-server');
    children.push(server);
    server.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`workload server: ${chunk.toString()}`));
    const port = Number((await waitForLine(server, 'stdout', /port (\d+)\n/, 'workload server'))[1]);
    // no -U and no --immediate-mode: the file is read only after tcpdump exits, and block-batched
    // delivery with buffered writes costs far fewer syscalls; with -B 64 MiB nothing was dropped
    const tcpdump = tracked(
      spawn(
        'tcpdump',
        [
          '-i',
          'lo',
          '-n',
          '-w',
          file,
          '-s',
          String(SNAP_LENGTH_BYTES),
          '-B',
          String(CAPTURE_BUFFER_KIB),
          '-c',
          String(options.packets),
          `tcp and port ${port}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      ),
    );
    children.push(tcpdump);
    let tcpdumpErrors = '';
    tcpdump.stderr?.on('data', (chunk: Buffer) => (tcpdumpErrors += chunk.toString()));
    try {
      await waitForLine(tcpdump, 'stderr', /listening on/, 'tcpdump');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'tcpdump is not installed' : (error as Error).message;
      process.stderr.write(`loopback capture unavailable: ${reason}\n`);
      return null;
    }
    const started = performance.now();
    // the client's own bound: the parent's timeout plus the time to stop
    const client = spawnWorkload('--workload-client', String(port), String(options.timeoutMs + STOP_TIMEOUT_MS));
    children.push(client);
    client.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`workload client: ${chunk.toString()}`));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      exited(tcpdump).then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), options.timeoutMs))),
    ]);
    clearTimeout(timer);
    await stopChild(tcpdump, 'SIGINT');
    const milliseconds = performance.now() - started;
    const captured = /(\d+) packets? captured/.exec(tcpdumpErrors);
    const dropped = /(\d+) packets? dropped by kernel/.exec(tcpdumpErrors);
    if (!captured) throw new Error(`tcpdump printed no packet count: ${tcpdumpErrors.trim()}`);
    return {
      packets: Number(captured[1]),
      bytes: statSync(file).size,
      source: 'tcpdump',
      droppedByKernel: dropped ? Number(dropped[1]) : null,
      milliseconds,
      timedOut,
      pids: children.map((child) => child.pid ?? -1),
    };
  } finally {
    // tcpdump first, then the client (so it sees no refused connections), then the server; stdin's end stops a workload child
    const [server, tcpdump, client] = children;
    for (const [child, signal] of [
      [tcpdump, 'SIGINT'],
      [client, 'SIGTERM'],
      [server, 'SIGTERM'],
    ] as const) {
      if (child === undefined) continue;
      child.stdin?.end();
      await stopChild(child, signal);
    }
  }
}

export interface BenchCapture {
  source: 'tcpdump' | 'synthetic';
  packets: number;
  bytes: number;
  /** one line for the bench output: which source, how many packets, how long, drops */
  description: string;
}

/** The bench's capture: tcpdump on loopback where it can (bounded by `timeoutMs`), else (or with `synthetic`) the synthetic writer. */
export async function makeBenchCapture(
  file: string,
  packets: number,
  options: { synthetic: boolean; timeoutMs: number },
): Promise<BenchCapture> {
  const captured = options.synthetic ? null : await captureLoopbackTraffic(file, { packets, timeoutMs: options.timeoutMs });
  if (captured !== null) {
    const stopped = captured.timedOut ? ` (stopped by the ${options.timeoutMs / 1000} s timeout)` : '';
    const description = `source: tcpdump on lo, ${captured.packets.toLocaleString('en-US')} packets in ${(captured.milliseconds / 1000).toFixed(1)} s${stopped}, ${captured.droppedByKernel ?? 'unknown'} dropped by kernel`;
    return { source: 'tcpdump', packets: captured.packets, bytes: captured.bytes, description };
  }
  const bytes = writeSyntheticCapture(file, packets);
  const why = options.synthetic ? '--synthetic' : 'tcpdump unavailable';
  return {
    source: 'synthetic',
    packets,
    bytes,
    description: `source: synthetic writer (${why}), ${packets.toLocaleString('en-US')} packets`,
  };
}

/** The workload's server: small JSON responses, keep-alive never timed out (the probed connections idle for the whole run). */
function runServer(): void {
  const server = http.createServer((request, response) => {
    const body = `{"ok":${request.url?.length ?? 0}}`;
    // small responses (no Date header) keep the file nearer the reference's ~100 bytes per packet
    response.sendDate = false;
    response.writeHead(200, { 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
  server.keepAliveTimeout = 0;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    process.stdout.write(`port ${address.port}\n`);
  });
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

/** Counts `needle` in `carry + text`; returns the count and the carry for the next chunk (a needle may straddle two). */
function countAcross(carry: string, text: string, needle: string): { count: number; carry: string } {
  const joined = carry + text;
  let count = 0;
  // bounded by the text: every match moves `at` forward by the needle's length
  for (let at = joined.indexOf(needle); at !== -1; at = joined.indexOf(needle, at + needle.length)) count++;
  return { count, carry: joined.slice(-(needle.length - 1)) };
}

/**
 * One busy keep-alive connection: a request, its response, the next request, … (one in flight,
 * so every request and response is its own segment). After `lifetime` requests it is closed:
 * the last request says `Connection: close` (the server's FIN), or — every RESET_EVERY-th
 * connection — the client resets it after the response. `onClosed` then opens the next (told
 * whether any response came, so a refused connection does not reopen in a loop).
 */
function openBusyConnection(port: number, path: string, reset: boolean, onClosed: (answered: boolean) => void): void {
  const lifetime =
    MIN_REQUESTS_PER_CONNECTION + Math.floor(Math.random() * (MAX_REQUESTS_PER_CONNECTION - MIN_REQUESTS_PER_CONNECTION + 1));
  const request = (close: boolean): string =>
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`;
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let answered = 0;
  let carry = '';
  socket.once('connect', () => socket.write(request(false)));
  socket.on('data', (chunk: Buffer) => {
    const counted = countAcross(carry, chunk.toString('latin1'), RESPONSE_START);
    carry = counted.carry;
    answered += counted.count;
    if (counted.count === 0 || answered >= lifetime) {
      if (answered >= lifetime && reset && !socket.destroyed) socket.resetAndDestroy();
      return;
    }
    socket.write(request(!reset && answered === lifetime - 1));
  });
  socket.on('error', () => {});
  socket.once('close', () => onClosed(answered > 0));
}

/** Idle connections with TCP keepalive at KEEPALIVE_IDLE_MS: one request each, then the kernel's probes. */
function openProbedConnections(port: number): net.Socket[] {
  return Array.from({ length: PROBED_CONNECTIONS }, (_, index) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET /idle/${index} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
    socket.setKeepAlive(true, KEEPALIVE_IDLE_MS);
    socket.on('data', () => {});
    socket.on('error', () => {});
    return socket;
  });
}

/**
 * The workload's client: raw sockets speaking HTTP/1.1 (a Node http.Agent client tops out near
 * 11,000 packets/s here, this one about 50,000). Stops when stdin ends or after `maxMilliseconds`.
 */
function runClient(port: number, maxMilliseconds: number): void {
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
  setTimeout(() => process.exit(0), maxMilliseconds).unref();
  openProbedConnections(port);
  let opened = 0;
  const open = (worker: number): void => {
    const connection = ++opened;
    openBusyConnection(port, `/items/${worker}/${connection}`, connection % RESET_EVERY === 0, (answered) => {
      if (answered) open(worker);
      else process.stderr.write(`connection ${connection} closed unanswered; worker ${worker} stops\n`);
    });
  };
  for (let worker = 0; worker < BUSY_CONNECTIONS; worker++) open(worker);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--workload-server') return runServer();
  if (argv[0] === '--workload-client') return runClient(Number(argv[1]), Number(argv[2]));
  if (argv[0] === undefined) throw new Error('usage: make-loopback-capture.ts FILE [PACKETS]');
  const result = await captureLoopbackTraffic(argv[0], { packets: Number(argv[1] ?? 3_040_000), timeoutMs: 10 * 60 * 1000 });
  if (result === null) process.exitCode = 1;
  else console.log(JSON.stringify(result));
}

if (process.argv[1] && self === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
