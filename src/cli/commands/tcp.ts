/**
 * `keepalive-lab tcp echo|mux|pool|proxy|keepalive|half-open` — the TCP lab from the command
 * line, through the same service and contract as the app (src/cli/engine.ts); each subcommand's
 * flags come from its method's params schema. `--json` prints the summary as one JSON document;
 * without it, a few lines for a person.
 */
import { methods } from '@shared/api';
import type { LoadSummary } from '@shared/api-tcp';
import { deadPeerLine } from '@shared/dead-peer';
import { valueSourceText } from '@shared/keepalive-settings-text';
import { captureFlag } from '../capture-flag';
import { captureText } from '../capture-text';
import { moveSavedCapture, withEngine, type CliEngine } from '../engine';
import { plural } from '@shared/counting';
import { CliError, type CliIo } from '../io';
import { REPORT_FLAGS, writeReportFlag } from '../report-flag';
import { flagsHelp, parseSchemaFlags, schemaFlags } from '../schema-flags';

const HELP_HINT = 'keepalive-lab tcp --help';
const JSON_FLAG = { json: { type: 'boolean' } } as const;

/** Each subcommand's flags, derived from the params schema of the method it calls (src/shared/api-tcp.ts). */
const FLAGS = {
  echo: schemaFlags(methods['tcp.startEcho'].params, ['port', 'delayMs', ['dropEveryNth', 'drop-every']]),
  mux: schemaFlags(methods['tcp.runMux'].params, ['requests', 'concurrency', 'timeoutMs', 'target']),
  pool: schemaFlags(methods['tcp.runPool'].params, ['size', 'requests', 'concurrency', 'timeoutMs', 'acquireTimeoutMs', 'target']),
  proxy: schemaFlags(methods['tcp.startProxy'].params, [['listenPort', 'listen'], 'upstream', ['poolSize', 'pool'], 'highWaterMark']),
  keepalive: schemaFlags(methods['tcp.runKeepalive'].params, ['idleS', 'intervalS', 'count', 'userTimeoutMs', 'holdS', 'close', 'target']),
  'half-open': schemaFlags(methods['tcp.runHalfOpen'].params, ['idleS', 'intervalS', 'count', 'userTimeoutMs']),
};

const USAGE = `Usage: keepalive-lab tcp echo|mux|pool|proxy|keepalive|half-open [flags]
Without --target / --upstream, an embedded echo server on a random loopback port is used.
mux, pool, keepalive and half-open take --json (the summary as one JSON document);
keepalive and half-open take --capture [FILE]: the experiment's own packets recorded with tcpdump
(saved to FILE when given), the probes on the wire; keepalive also takes --report FILE [--force].
half-open needs Linux and root (network namespaces).
${Object.entries(FLAGS)
  .map(([name, flags]) => `\nkeepalive-lab tcp ${name}\n${flagsHelp(flags)}`)
  .join('')}`;

/** Resolves when the user presses Ctrl-C (the CLI's signal aborts). */
function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

function printLoad(io: CliIo, summary: LoadSummary, json: boolean): number {
  if (json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    io.stdout(
      `${summary.mode}: ${summary.ok}/${summary.requests} ok, ${summary.timedOut} timed out (${summary.lateReplies} late replies ignored), ${summary.failed} failed\n` +
        `${plural(summary.connectionsOpened, 'connection')} opened, ${summary.requestsPerSecond} requests/s, p50 ${summary.ms.p50 ?? '-'} ms, p99 ${summary.ms.p99 ?? '-'} ms (target ${summary.target})\n`,
    );
  }
  return 0;
}

async function runEcho(argv: string[], io: CliIo, engine: CliEngine): Promise<number> {
  const { params } = parseSchemaFlags(argv, FLAGS.echo, {}, HELP_HINT);
  const echo = await engine.callWithFlags('tcp.startEcho', params);
  io.stdout(`echo server listening on ${echo.host}:${echo.port} (JSON lines: {"uid","val"} → {"uid","val","ts"}); Ctrl-C to stop\n`);
  await untilAborted(io.signal);
  const stopped = await engine.call('tcp.stopEcho', { id: echo.id });
  io.stdout(`${JSON.stringify(stopped.stats)}\n`);
  return 0;
}

async function runLoad(which: 'mux' | 'pool', argv: string[], io: CliIo, engine: CliEngine): Promise<number> {
  const { params, values } = parseSchemaFlags(argv, FLAGS[which], JSON_FLAG, HELP_HINT);
  const method = which === 'mux' ? 'tcp.runMux' : 'tcp.runPool';
  const { summary } = await engine.callWithFlags(method, { ...params, jobId: engine.jobId });
  return printLoad(io, summary, values.json ?? false);
}

async function runProxy(argv: string[], io: CliIo, engine: CliEngine): Promise<number> {
  const { params } = parseSchemaFlags(argv, FLAGS.proxy, {}, HELP_HINT);
  const proxy = await engine.callWithFlags('tcp.startProxy', params);
  const embedded = params.upstream === undefined ? ' (embedded echo server)' : '';
  io.stdout(`proxy listening on ${proxy.host}:${proxy.port} → ${proxy.upstream}${embedded}; Ctrl-C to stop\n`);
  await untilAborted(io.signal);
  const { stats } = await engine.call('tcp.stopProxy', { id: proxy.id });
  const { recent: _recent, ...figures } = stats ?? {};
  io.stdout(`${JSON.stringify(figures)}\n`);
  return 0;
}

async function runKeepalive(argv: string[], io: CliIo, engine: CliEngine): Promise<number> {
  const capture = captureFlag(argv);
  const { params, values } = parseSchemaFlags(capture.rest, FLAGS.keepalive, { ...JSON_FLAG, ...REPORT_FLAGS }, HELP_HINT);
  const run = await engine.callWithFlags('tcp.runKeepalive', {
    ...params,
    jobId: engine.jobId,
    capture: capture.enabled,
    saveCapture: capture.file !== null,
  });
  const { summary, session } = run;
  const captured = await moveSavedCapture(run.capture, capture.file);
  await writeReportFlag(values, { sessions: [session] }, io);
  if (values.json) {
    io.stdout(`${JSON.stringify(captured ? { ...summary, capture: captured } : summary, null, 2)}\n`);
    return 0;
  }
  const { settings } = summary;
  io.stdout(
    `${summary.local} → ${summary.remote}: keepalive idle ${settings.idleS} s (${valueSourceText(settings.source.idleS)}), ` +
      `interval ${settings.intervalS ?? '?'} s (${valueSourceText(settings.source.intervalS)}), ` +
      `count ${settings.count ?? '?'} (${valueSourceText(settings.source.count)}), ` +
      `user timeout ${settings.userTimeoutMs === 0 ? 'not set (0 ms)' : `${settings.userTimeoutMs ?? '?'} ms`} (${valueSourceText(settings.source.userTimeoutMs)})\n`,
  );
  for (const row of summary.timers)
    io.stdout(`  +${row.atMs} ms  ${row.state}  timer ${row.timer}  next ${row.nextMs ?? '-'} ms  probes ${row.probes}\n`);
  io.stdout(`probes inferred at ${summary.probesInferredAtMs.join(', ') || 'none'} ms; closed by ${summary.closedBy.toUpperCase()}\n`);
  const deadPeer = summary.deadPeerDetection;
  io.stdout(`${deadPeerLine(deadPeer)}\n`);
  for (const note of summary.notes) io.stdout(`note: ${note}\n`);
  io.stdout(captureText(captured));
  return 0;
}

async function runHalfOpen(argv: string[], io: CliIo, engine: CliEngine): Promise<number> {
  const capture = captureFlag(argv);
  const { params, values } = parseSchemaFlags(capture.rest, FLAGS['half-open'], JSON_FLAG, HELP_HINT);
  const run = await engine.callWithFlags('tcp.runHalfOpen', {
    ...params,
    jobId: engine.jobId,
    capture: capture.enabled,
    saveCapture: capture.file !== null,
  });
  const { summary } = run;
  const captured = await moveSavedCapture(run.capture, capture.file);
  if (values.json) io.stdout(`${JSON.stringify(captured ? { ...summary, capture: captured } : summary, null, 2)}\n`);
  else if (!summary.available) io.stdout(`half-open scenario not available: ${summary.reason ?? summary.error}\n`);
  else {
    io.stdout(
      `peer vanished; expected give-up after ${summary.expectedGiveUpMs} ms (${summary.deadPeerDetection.formula})\n` +
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
  const run = subcommandRunner(subcommand);
  try {
    return await withEngine(io, (engine) => run(rest, io, engine));
  } catch (error) {
    // the engine's failures (ECONNREFUSED, EADDRINUSE, …) are the user's to fix: one line naming the subcommand
    if (error instanceof CliError && !error.message.startsWith('--')) throw new CliError(`tcp ${subcommand}: ${error.message}`);
    throw error;
  }
}

function subcommandRunner(subcommand: string): (argv: string[], io: CliIo, engine: CliEngine) => Promise<number> {
  switch (subcommand) {
    case 'echo':
      return runEcho;
    case 'mux':
      return (argv, io, engine) => runLoad('mux', argv, io, engine);
    case 'pool':
      return (argv, io, engine) => runLoad('pool', argv, io, engine);
    case 'proxy':
      return runProxy;
    case 'keepalive':
      return runKeepalive;
    case 'half-open':
      return runHalfOpen;
    default:
      throw new CliError(`unknown tcp command "${subcommand}" (echo, mux, pool, proxy, keepalive, half-open)`);
  }
}
