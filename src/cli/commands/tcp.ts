/**
 * `keepalive-lab tcp echo|mux|pool|proxy|keepalive` — the TCP lab from the
 * command line, same engine as the app (src/main/lab). `--json` prints the
 * summary as one JSON document; without it, a few lines for a person.
 */
import { startEchoServer, type Target } from '../../main/lab/echo-server';
import { runHalfOpenScenario } from '../../main/lab/half-open';
import { startProxy } from '../../main/lab/proxy';
import {
  runKeepaliveExperiment,
  runMuxExperiment,
  runPoolExperiment,
  type KeepaliveExperimentOptions,
} from '../../main/lab/tcp-experiments';
import type { LoadSummary } from '../../shared/api-tcp';
import { runHalfOpenWithCapture, runKeepaliveWithCapture } from '../../main/correlate/tcp-capture';
import { intFlag, parseFlags } from '../args';
import { captureFlag } from '../capture-flag';
import { captureText } from '../capture-text';
import { REPORT_FLAGS, writeReportFlag } from '../report-flag';
import { CliError, type CliIo } from '../io';

const USAGE = `Usage:
  keepalive-lab tcp echo [--port P] [--delay-ms D] [--drop-every N]
  keepalive-lab tcp mux --requests N --concurrency C [--timeout-ms T] [--target host:port] [--json]
  keepalive-lab tcp pool --size S --requests N --concurrency C [--timeout-ms T] [--target host:port] [--json]
  keepalive-lab tcp proxy --listen P --upstream host:port [--pool S] [--high-water-mark BYTES]
  keepalive-lab tcp keepalive --idle-s I [--interval-s I] [--count N] [--user-timeout-ms T] --hold-s H [--close fin|rst] [--target host:port] [--capture [FILE]] [--json] [--report FILE [--force]]
  keepalive-lab tcp half-open [--idle-s I] [--interval-s I] [--count N] [--capture [FILE]] [--json]   (Linux, root: network namespaces)
Without --target / --upstream, an embedded echo server on a random loopback port is used.
--capture records the experiment's own packets with tcpdump (saved to FILE when given): the probes on the wire.
`;

/** "127.0.0.1:8080" or "[::1]:8080" → { host, port }; a CliError naming the flag otherwise. */
export function parseTarget(flag: string, text: string): Target {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) throw new CliError(`--${flag} must be host:port (got "${text}")`);
  return { host, port };
}

function required(name: string, value: string | undefined): string {
  if (value === undefined) throw new CliError(`--${name} is required (see keepalive-lab tcp --help)`);
  return value;
}

/** Resolves when the user presses Ctrl-C (the CLI's signal aborts). */
function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

function printLoad(io: CliIo, summary: LoadSummary, json: boolean): number {
  if (json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    io.stdout(
      `${summary.mode}: ${summary.ok}/${summary.requests} ok, ${summary.timedOut} timed out (${summary.lateReplies} late replies ignored), ${summary.failed} failed\n` +
        `${summary.connectionsOpened} connection(s) opened, ${summary.requestsPerSecond} requests/s, p50 ${summary.ms.p50 ?? '-'} ms, p99 ${summary.ms.p99 ?? '-'} ms (target ${summary.target})\n`,
    );
  }
  return 0;
}

const loadFlags = {
  requests: { type: 'string' },
  concurrency: { type: 'string' },
  'timeout-ms': { type: 'string' },
  target: { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function runEcho(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { port: { type: 'string' }, 'delay-ms': { type: 'string' }, 'drop-every': { type: 'string' } });
  const echo = await startEchoServer({
    port: intFlag('port', values.port, 0, 0, 65535),
    delayMs: intFlag('delay-ms', values['delay-ms'], 0, 0, 600_000),
    dropEveryNth: intFlag('drop-every', values['drop-every'], 0, 0, 1_000_000),
  });
  io.stdout(`echo server listening on ${echo.host}:${echo.port} (JSON lines: {"uid","val"} → {"uid","val","ts"}); Ctrl-C to stop\n`);
  await untilAborted(io.signal);
  io.stdout(`${JSON.stringify(echo.stats())}\n`);
  await echo.close();
  return 0;
}

async function runMux(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, loadFlags);
  const summary = (
    await runMuxExperiment({
      requests: intFlag('requests', required('requests', values.requests), 0, 1, 1_000_000),
      concurrency: intFlag('concurrency', required('concurrency', values.concurrency), 0, 1, 10_000),
      timeoutMs: intFlag('timeout-ms', values['timeout-ms'], 0, 0, 600_000),
      target: values.target === undefined ? undefined : parseTarget('target', values.target),
      signal: io.signal,
    })
  ).summary;
  return printLoad(io, summary, values.json ?? false);
}

async function runPool(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, { ...loadFlags, size: { type: 'string' } });
  const summary = (
    await runPoolExperiment({
      size: intFlag('size', required('size', values.size), 0, 1, 1000),
      requests: intFlag('requests', required('requests', values.requests), 0, 1, 1_000_000),
      concurrency: intFlag('concurrency', required('concurrency', values.concurrency), 0, 1, 10_000),
      timeoutMs: intFlag('timeout-ms', values['timeout-ms'], 0, 0, 600_000),
      target: values.target === undefined ? undefined : parseTarget('target', values.target),
      signal: io.signal,
    })
  ).summary;
  return printLoad(io, summary, values.json ?? false);
}

async function runProxy(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, {
    listen: { type: 'string' },
    upstream: { type: 'string' },
    pool: { type: 'string' },
    'high-water-mark': { type: 'string' },
  });
  const listenPort = intFlag('listen', required('listen', values.listen), 0, 0, 65535);
  const embedded = values.upstream === undefined ? await startEchoServer() : null;
  const upstream =
    values.upstream === undefined
      ? { host: embedded?.host ?? '127.0.0.1', port: embedded?.port ?? 0 }
      : parseTarget('upstream', values.upstream);
  try {
    const proxy = await startProxy({
      listenPort,
      upstream,
      poolSize: intFlag('pool', values.pool, 4, 1, 1000),
      highWaterMark: intFlag('high-water-mark', values['high-water-mark'], 64 * 1024, 1024, 16 * 1024 * 1024),
    });
    io.stdout(
      `proxy listening on ${proxy.host}:${proxy.port} → ${upstream.host}:${upstream.port}${embedded ? ' (embedded echo server)' : ''}; Ctrl-C to stop\n`,
    );
    await untilAborted(io.signal);
    const { recent: _recent, ...stats } = proxy.stats();
    io.stdout(`${JSON.stringify(stats)}\n`);
    await proxy.close();
  } finally {
    await embedded?.close();
  }
  return 0;
}

async function runKeepalive(argv: string[], io: CliIo): Promise<number> {
  const capture = captureFlag(argv);
  const { values } = parseFlags(capture.rest, {
    'idle-s': { type: 'string' },
    'interval-s': { type: 'string' },
    count: { type: 'string' },
    'user-timeout-ms': { type: 'string' },
    'hold-s': { type: 'string' },
    close: { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
    ...REPORT_FLAGS,
  });
  const close = values.close ?? 'fin';
  if (close !== 'fin' && close !== 'rst') throw new CliError(`--close must be fin or rst (got "${close}")`);
  const holdText = required('hold-s', values['hold-s']);
  const holdS = Number(holdText);
  if (!Number.isFinite(holdS) || holdS < 0 || holdS > 3600)
    throw new CliError(`--hold-s must be a number of seconds from 0 to 3600 (got "${holdText}")`);
  const optionalInt = (name: string, value: string | undefined, max: number): number | undefined =>
    value === undefined ? undefined : intFlag(name, value, 0, name === 'user-timeout-ms' ? 0 : 1, max);
  const experiment: KeepaliveExperimentOptions = {
    idleS: intFlag('idle-s', required('idle-s', values['idle-s']), 0, 1, 7200),
    intervalS: optionalInt('interval-s', values['interval-s'], 3600),
    count: optionalInt('count', values.count, 127),
    userTimeoutMs: optionalInt('user-timeout-ms', values['user-timeout-ms'], 3_600_000),
    holdS,
    close,
    target: values.target === undefined ? undefined : parseTarget('target', values.target),
    signal: io.signal,
  };
  const {
    summary,
    session,
    capture: captured,
  } = capture.enabled
    ? await runKeepaliveWithCapture(experiment, { saveTo: capture.file })
    : { ...(await runKeepaliveExperiment(experiment)), capture: undefined };
  await writeReportFlag(values, { sessions: [session] }, io);
  if (values.json) {
    io.stdout(`${JSON.stringify(captured ? { ...summary, capture: captured } : summary, null, 2)}\n`);
    return 0;
  }
  const { settings } = summary;
  io.stdout(
    `${summary.local} → ${summary.remote}: keepalive idle ${settings.idleS} s (${settings.source.idleS}), interval ${settings.intervalS ?? '?'} s (${settings.source.intervalS}), ` +
      `count ${settings.count ?? '?'} (${settings.source.count}), user timeout ${settings.userTimeoutMs ?? '?'} ms (${settings.source.userTimeoutMs})\n`,
  );
  for (const row of summary.timers)
    io.stdout(`  +${row.atMs} ms  ${row.state}  timer ${row.timer}  next ${row.nextMs ?? '-'} ms  probes ${row.probes}\n`);
  io.stdout(`probes inferred at ${summary.probesInferredAtMs.join(', ') || 'none'} ms; closed by ${summary.closedBy.toUpperCase()}\n`);
  for (const note of summary.notes) io.stdout(`note: ${note}\n`);
  io.stdout(captureText(captured));
  return 0;
}

async function runHalfOpen(argv: string[], io: CliIo): Promise<number> {
  const capture = captureFlag(argv);
  const { values } = parseFlags(capture.rest, {
    'idle-s': { type: 'string' },
    'interval-s': { type: 'string' },
    count: { type: 'string' },
    json: { type: 'boolean' },
  });
  const scenario = {
    idleS: intFlag('idle-s', values['idle-s'], 1, 1, 60),
    intervalS: intFlag('interval-s', values['interval-s'], 1, 1, 60),
    count: intFlag('count', values.count, 3, 1, 20),
    signal: io.signal,
  };
  const { summary, capture: captured } = capture.enabled
    ? await runHalfOpenWithCapture(scenario, { saveTo: capture.file })
    : { ...(await runHalfOpenScenario(scenario)), capture: undefined };
  if (values.json) io.stdout(`${JSON.stringify(captured ? { ...summary, capture: captured } : summary, null, 2)}\n`);
  else if (!summary.available) io.stdout(`half-open scenario not available: ${summary.reason ?? summary.error}\n`);
  else {
    io.stdout(
      `peer vanished; keepalive idle ${summary.idleS} s, ${summary.count} probes × ${summary.intervalS} s: expected give-up after ${summary.expectedGiveUpMs} ms\n` +
        `kernel gave up after ${summary.gaveUpAfterMs ?? '-'} ms with ${summary.error ?? 'no error'} (${summary.probesSeen} unanswered probes seen by ss)\n` +
        captureText(captured),
    );
  }
  return summary.available ? 0 : 1;
}

export async function runTcpCommand(argv: string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === '--help' || subcommand === 'help' || rest.includes('--help')) {
    io.stdout(USAGE);
    return subcommand === undefined ? 1 : 0;
  }
  try {
    return await dispatch(subcommand, rest, io);
  } catch (error) {
    // socket errors (ECONNREFUSED, EADDRINUSE, …) are the user's to fix: one line, no stack
    const code = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof CliError) && typeof code === 'string' && code.startsWith('E'))
      throw new CliError(`tcp ${subcommand}: ${(error as Error).message}`);
    throw error;
  }
}

function dispatch(subcommand: string, rest: string[], io: CliIo): Promise<number> {
  switch (subcommand) {
    case 'echo':
      return runEcho(rest, io);
    case 'mux':
      return runMux(rest, io);
    case 'pool':
      return runPool(rest, io);
    case 'proxy':
      return runProxy(rest, io);
    case 'keepalive':
      return runKeepalive(rest, io);
    case 'half-open':
      return runHalfOpen(rest, io);
    default:
      throw new CliError(`unknown tcp command "${subcommand}" (echo, mux, pool, proxy, keepalive, half-open)`);
  }
}
