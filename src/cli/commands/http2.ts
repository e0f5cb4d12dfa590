/**
 * `keepalive-lab http --protocol h2`: one run of the HTTP/2 lab, headless. Without --url the target
 * is the lab's own HTTP/2 server, over TLS with a certificate made for this run (ALPN "h2"), or in
 * cleartext with --h2c. `--json` prints `connections[]` (each `httpVersion: "2"`, over TLS with
 * `tls: {version, alpn, resumed, handshakeMs}`) and `requests[]` (each with its `stream` id).
 */
import type { Http2RunResult } from '@shared/api-http2';
import { explainHttp2Run } from '@shared/explain-http2';
import { intFlag, parseFlags } from '../args';
import { COMPARE_HELP } from '../compare-flag';
import { withEngine } from '../engine';
import { CliError, type CliIo } from '../io';
import { REPORT_FLAGS, REPORT_HELP, writeReportFlag } from '../report-flag';
import { writeJson } from '../json-out';

const http2Usage = (
  presets: string[],
): string => `Usage: keepalive-lab http --protocol h2 [--h2c] [--client node-http2|undici] [--url URL] [--requests N] [--concurrency C]
       [--body drain|ignore] [--ping-ms M] [--pause-ms M] [--resume on|off] [--wait-settings on|off]
       [--max-streams N] [--idle-timeout-ms M] [--max-pings N] [--ping-window-ms M]
       [--response-bytes B] [--delay-ms M] [--timeout-ms T] [--preset NAME] [--json] [--report FILE [--force]]
       [--compare "FLAGS"]
Without --url the lab's own HTTP/2 server on a random loopback port is the target: over TLS
(a certificate made for this run, ALPN h2), or in cleartext with --h2c. With --url, https:// is
h2 over TLS (the system's trusted certificates) and http:// is h2c with prior knowledge.
  --client NAME        node-http2 (default: node:http2 sessions, the lab retries refused streams)
                       or undici (its Pool with allowH2: its own queueing, PINGs and GOAWAY handling;
                       stream ids come from the lab's server, none against --url)
  --ping-ms M          the client PINGs each connection every M ms (HTTP/2's keep-alive)
  --pause-ms M         wait M ms before each request after the first
  --resume on|off      offer the previous connection's TLS session to the next (default on)
  --wait-settings on|off  wait for the server's SETTINGS before the first request (default on)
  --max-streams N      the server's SETTINGS_MAX_CONCURRENT_STREAMS (default 100)
  --idle-timeout-ms M  the server sends GOAWAY after M ms without streams (default never)
  --h2c                cleartext HTTP/2 with prior knowledge (no TLS) from the lab's own server
  --requests N         requests in the run, 1–10000 (default 10)
  --concurrency C      requests in flight at once, 1–256 (default 1)
  --body drain|ignore  read each response body to its end, or never (default drain)
  --max-pings N        the server answers more than N PINGs within one --ping-window-ms with
                       GOAWAY ENHANCE_YOUR_CALM "too_many_pings" (default: it answers every PING)
  --ping-window-ms M   the window --max-pings counts PINGs in (default 1000)
  --response-bytes B   the server's response body size in bytes (default 2000)
  --delay-ms M         the server waits M ms before each response (default 0)
  --timeout-ms T       ms a request may take from start to the end of its body (default 10000)
${COMPARE_HELP}Presets: ${presets.join(', ')}
${REPORT_HELP}`;

const FLAGS = {
  ...REPORT_FLAGS,
  protocol: { type: 'string' },
  h2c: { type: 'boolean' },
  client: { type: 'string' },
  url: { type: 'string' },
  requests: { type: 'string' },
  concurrency: { type: 'string' },
  body: { type: 'string' },
  'ping-ms': { type: 'string' },
  'pause-ms': { type: 'string' },
  resume: { type: 'string' },
  'wait-settings': { type: 'string' },
  'max-streams': { type: 'string' },
  'idle-timeout-ms': { type: 'string' },
  'max-pings': { type: 'string' },
  'ping-window-ms': { type: 'string' },
  'response-bytes': { type: 'string' },
  'delay-ms': { type: 'string' },
  'timeout-ms': { type: 'string' },
  preset: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/**
 * Reads `--protocol h1|h2` (or `--protocol=h2`) out of the http command's arguments: `h2` sends the
 * run here; `h1` (the default) leaves the rest to the HTTP/1 lab.
 */
export function protocolFlag(argv: string[]): { protocol: 'h1' | 'h2'; rest: string[] } {
  const rest: string[] = [];
  let protocol: string = 'h1';
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (arg === '--protocol') protocol = argv[++index] ?? '';
    else if (arg.startsWith('--protocol=')) protocol = arg.slice('--protocol='.length);
    else rest.push(arg);
  }
  if (protocol !== 'h1' && protocol !== 'h2') throw new CliError(`--protocol must be h1 or h2 (got "${protocol}")`);
  return { protocol, rest };
}

function onOff(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'on' && value !== 'off') throw new CliError(`--${name} must be on or off (got "${value}")`);
  return value === 'on';
}

export function http2ConfigFromFlags(argv: string[]) {
  const { values } = parseFlags(argv, FLAGS);
  const overrides: Record<string, unknown> = {};
  const server: Record<string, unknown> = {};
  if (values.url !== undefined) {
    if (!URL.canParse(values.url) || !/^https?:$/.test(new URL(values.url).protocol)) {
      throw new CliError(`--url must be an https:// (h2 over TLS) or http:// (h2c) URL (got "${values.url}")`);
    }
    if (values.h2c && new URL(values.url).protocol === 'https:') throw new CliError('--h2c is cleartext: give an http:// URL with it');
    overrides.url = values.url;
  }
  if (values.h2c) overrides.tls = false;
  if (values.client !== undefined) {
    if (values.client !== 'node-http2' && values.client !== 'undici')
      throw new CliError(`--client must be node-http2 or undici (got "${values.client}")`);
    overrides.client = values.client;
  }
  const int = (flag: keyof typeof values, min: number, max: number) => intFlag(flag, values[flag] as string, 0, min, max);
  if (values.requests !== undefined) overrides.requests = int('requests', 1, 10_000);
  if (values.concurrency !== undefined) overrides.concurrency = int('concurrency', 1, 256);
  if (values['ping-ms'] !== undefined) overrides.pingIntervalMs = int('ping-ms', 10, 600_000);
  if (values['pause-ms'] !== undefined) overrides.pauseMs = int('pause-ms', 0, 600_000);
  if (values['timeout-ms'] !== undefined) overrides.timeoutMs = int('timeout-ms', 1, 600_000);
  if (values.body !== undefined) {
    if (values.body !== 'drain' && values.body !== 'ignore') throw new CliError(`--body must be drain or ignore (got "${values.body}")`);
    overrides.body = values.body;
  }
  const resume = onOff('resume', values.resume);
  if (resume !== undefined) overrides.resumeSessions = resume;
  const wait = onOff('wait-settings', values['wait-settings']);
  if (wait !== undefined) overrides.waitForSettings = wait;
  if (values['max-streams'] !== undefined) server.maxConcurrentStreams = int('max-streams', 1, 1000);
  if (values['idle-timeout-ms'] !== undefined) server.idleTimeoutMs = int('idle-timeout-ms', 1, 600_000);
  if (values['max-pings'] !== undefined) server.maxPingsPerWindow = int('max-pings', 0, 10_000);
  if (values['ping-window-ms'] !== undefined) server.pingWindowMs = int('ping-window-ms', 1, 600_000);
  if (values['response-bytes'] !== undefined) server.responseBytes = int('response-bytes', 0, 16 * 1024 * 1024);
  if (values['delay-ms'] !== undefined) server.delayMs = int('delay-ms', 0, 60_000);
  if (Object.keys(server).length > 0) overrides.server = server;
  return {
    // the engine merges the flags onto the preset and checks the result against its schema
    input: { preset: values.preset, config: overrides },
    json: values.json ?? false,
    help: values.help ?? false,
    report: { report: values.report, force: values.force },
  };
}

const round = (ms: number | null) => (ms === null ? null : Math.round(ms * 100) / 100);

/** The JSON: `connections[]` with `httpVersion` and `tls`, requests with `stream`. */
export function toHttp2CliJson(result: Http2RunResult): Record<string, unknown> {
  return {
    config: result.config,
    target: result.target,
    httpVersion: '2',
    connections: result.connections.map((connection) => ({
      id: connection.id,
      httpVersion: connection.httpVersion,
      localPort: connection.localPort,
      openedBecause: connection.openedBecause,
      connectMs: round(connection.connectMs),
      ...(connection.tls ? { tls: { ...connection.tls, handshakeMs: round(connection.tls.handshakeMs) } } : {}),
      serverMaxConcurrentStreams: connection.serverMaxConcurrentStreams,
      requests: connection.requests,
      maxConcurrent: connection.maxConcurrent,
      pings: connection.pings.map((ping) => ({ atMs: round(ping.atMs), rttMs: round(ping.rttMs) })),
      goaway: connection.goaway,
    })),
    requests: result.requests.map((request) => ({
      index: request.index,
      connection: request.connection,
      stream: request.stream,
      streamFrom: request.streamFrom,
      status: request.status,
      error: request.error,
      retried: request.retried,
      queuedMs: round(request.queuedMs),
      ms: request.endMs === null ? null : round(request.endMs - request.startMs),
    })),
    connectionsOpened: result.connections.length,
    answered: result.answered,
    errors: result.errors,
    maxConcurrentStreams: result.maxConcurrentStreams,
    waitedForSlot: result.waitedForSlot,
    durationMs: round(result.durationMs),
    explanations: explainHttp2Run(result).map(({ kind, title, whatYouSee, why }) => ({ kind, title, whatYouSee, why })),
    session: result.session,
  };
}

function connectionLine(connection: Http2RunResult['connections'][number], server: Http2RunResult['server']): string {
  const tls = connection.tls
    ? `${connection.tls.version ?? 'TLS'}, ALPN ${connection.tls.alpn ?? 'none'}, ${connection.tls.resumed ? 'resumed' : 'full'} TLS handshake ${round(connection.tls.handshakeMs) ?? '-'} ms`
    : 'h2c (cleartext)';
  const goaway = connection.goaway
    ? `, GOAWAY ${connection.goaway.error} (last stream ${connection.goaway.lastStreamId ?? 'not exposed by undici'})`
    : '';
  const pings = connection.pings.length > 0 ? `, ${connection.pings.length} PING${connection.pings.length === 1 ? '' : 's'}` : '';
  const streams = `${connection.requests} stream${connection.requests === 1 ? '' : 's'}`;
  const served = server?.find((session) => session.remotePort === connection.localPort);
  const atOnce = served ? `the server worked on ${served.maxConcurrent} at once` : `${connection.maxConcurrent} in flight at once`;
  return `${connection.id} :${connection.localPort}  TCP connect ${round(connection.connectMs) ?? '-'} ms, ${tls}; ${streams}, ${atOnce}${pings}${goaway}`;
}

function toText(result: Http2RunResult): string {
  const explanations = explainHttp2Run(result).map((explanation) => `${explanation.whatYouSee}\n  why: ${explanation.why}`);
  return (
    `HTTP/2 to ${result.target}\n` +
    `${result.connections.map((connection) => connectionLine(connection, result.server)).join('\n')}\n` +
    `${result.answered} of ${result.config.requests} requests answered in ${Math.round(result.durationMs)} ms\n\n` +
    `${explanations.join('\n')}\n`
  );
}

export async function runHttp2Command(argv: string[], io: CliIo): Promise<number> {
  const { input, json, help, report } = http2ConfigFromFlags(argv);
  if (help) {
    const presets = await withEngine(io, (engine) => engine.call('http2.presets', {}));
    io.stdout(http2Usage(presets.map((preset) => preset.name)));
    return 0;
  }
  // the same door as the app and the web mode: Ctrl-C cancels the job as the app's Stop button does
  const result = await withEngine(io, (engine) => engine.callWithFlags('http2.run', { ...input, jobId: engine.jobId }));
  if (json) writeJson(toHttp2CliJson(result), (piece) => io.stdout(piece));
  else io.stdout(toText(result));
  await writeReportFlag(report, { sessions: [result.session] }, io);
  if (result.answered === 0) {
    throw new CliError(`no request to ${result.target} was answered: ${result.requests[0]?.error ?? 'no request ran'}`);
  }
  return 0;
}
