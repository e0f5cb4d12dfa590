/**
 * `keepalive-lab http`: one run of the HTTP keep-alive lab, headless.
 * Without --url the embedded server is the target. Every failure a user can
 * cause (bad flag, bad URL, refused port, non-HTTP peer, bad certificate) ends
 * with one clear line; the run itself always ends (per-request timeout, Ctrl-C).
 */
import type { EngineEvent } from '@shared/api';
import { HttpAgentConfigSchema, HttpRunConfigSchema, HttpUndiciConfigSchema, type HttpRunResult } from '@shared/api-http';
import { CAUSE_WORDS } from '@shared/connection-cause';
import { tlsHandshakeSentence } from '@shared/tls-handshake';
import { explainHttpRunTls } from '@shared/explain-tls';
import { deadPeerLine } from '@shared/dead-peer';
import { captureFlag } from '../capture-flag';
import { COMPARE_HELP, compareFlag } from '../compare-flag';
import { captureText } from '../capture-text';
import { explainErrorCode } from '@shared/http-error-text';
import { moveSavedCapture, withEngine } from '../engine';
import { REPORT_FLAGS, REPORT_HELP, writeReportFlag } from '../report-flag';
import { HAR_FLAGS, HAR_HELP, refuseExistingHar, writeHarFlag } from '../har-flag';
import { CliError, type CliIo } from '../io';
import { flagsHelp, parseSchemaFlags, schemaFlags } from '../schema-flags';
import { protocolFlag, runHttp2Command } from './http2';
import { writeJson } from '../json-out';
import { poolWaits } from '@shared/pool-waits';
import { runFigures, waitedWords } from '@shared/run-figures';

/** The run settings a flag sets directly: names, bounds and defaults from the contract's schema. */
const CONFIG_FLAGS = schemaFlags(HttpRunConfigSchema, [
  'requests',
  'concurrency',
  'schedule',
  'intervalMs',
  'timeoutMs',
  'client',
  'body',
  'tls',
  'maxCachedSessions',
]);
/** Each client's cap on connections to one origin (see the usage text). */
const AGENT_FLAGS = schemaFlags(HttpAgentConfigSchema, ['maxSockets']);
const UNDICI_FLAGS = schemaFlags(HttpUndiciConfigSchema, ['connections']);

const httpUsage = (presets: string[]) => `Usage: keepalive-lab http [--url URL] [--requests N] [--concurrency C] [--interval-ms M]
       [--schedule rounds|steady] [--client agent|undici] [--keepalive on|off] [--body drain|ignore|destroy|partial]
       [--timeout-ms T] [--max-sockets N] [--connections N] [--tls] [--max-cached-sessions N]
       [--preset NAME] [--capture [FILE]] [--json] [--report FILE] [--har FILE] [--force] [--compare "FLAGS"]
Without --url the embedded server on a random loopback port is the target.
--max-sockets N caps the connections Node's http.Agent (--client agent, the default) opens to
one origin (its maxSockets); --connections N does the same for undici (--client undici, its
connections option); the word none (--max-sockets none) lifts a preset's cap. Requests above the cap wait for a connection
to come free: the run counts them and says how long they waited.
--tls makes the embedded server speak HTTPS with a certificate made for this run (the
client trusts that one only); an https:// --url is checked against the system's CAs.
--max-cached-sessions 0 turns TLS session resumption off: every new connection pays a
full handshake.
--schedule rounds (default) starts C requests together and the next C when all have
ended; steady starts a new one as soon as one ends.
--capture records the run's own packets with tcpdump (saved to FILE when given) and
matches them to its connections: probes, FIN/RST and the frames of each request.
--protocol h2 runs the HTTP/2 lab instead (see keepalive-lab http --protocol h2 --help).
${COMPARE_HELP}Presets: ${presets.join(', ')}
${flagsHelp([...CONFIG_FLAGS, ...AGENT_FLAGS, ...UNDICI_FLAGS])}${REPORT_HELP}${HAR_HELP}`;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new CliError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

/** http.run's cap on a session title */
const MAX_TITLE_CHARS = 200;
/** The flags that say where output goes, with a value: `--report FILE`, `--har FILE`. */
const OUTPUT_FILE_FLAGS = ['--report', '--har'];

/** The flags that set the run, without those that only say where its output goes (--json, --report FILE, --har FILE, --force). */
export function runFlagsOf(flags: readonly string[]): string[] {
  return flags.filter((arg, index) => {
    if (arg === '--json' || arg === '--force') return false;
    if (OUTPUT_FILE_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`))) return false;
    return !OUTPUT_FILE_FLAGS.includes(flags[index - 1] ?? '');
  });
}

/**
 * The run's input for `http.run`: a preset and the flags as overrides (the engine checks them against its schema).
 * A preset changed by other flags is no longer the preset its title names: its session (and report) goes by the flags.
 */
export function configFromFlags(argv: string[]): {
  input: { preset?: string; config: Record<string, unknown>; title?: string };
  json: boolean;
  help: boolean;
  report: { report?: string; force?: boolean };
  har: { har?: string; force?: boolean };
} {
  const { params, values } = parseSchemaFlags(
    argv,
    [...CONFIG_FLAGS, ...AGENT_FLAGS, ...UNDICI_FLAGS],
    {
      ...REPORT_FLAGS,
      ...HAR_FLAGS,
      url: { type: 'string' },
      keepalive: { type: 'string' },
      preset: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    'keepalive-lab http --help',
  );
  const { maxSockets, connections, ...settings } = params;
  const overrides: Record<string, unknown> = { ...settings };
  const agent: Record<string, unknown> = maxSockets === undefined ? {} : { maxSockets };
  const undici: Record<string, unknown> = connections === undefined ? {} : { connections };
  if (values.url !== undefined) {
    if (!URL.canParse(values.url) || !/^https?:$/.test(new URL(values.url).protocol)) {
      throw new CliError(`--url must be an http:// or https:// URL (got "${values.url}")`);
    }
    overrides.url = values.url;
  }
  const keepalive = oneOf('keepalive', values.keepalive, ['on', 'off'] as const);
  if (keepalive) {
    agent.keepAlive = keepalive === 'on';
    undici.pipelining = keepalive === 'on' ? 1 : 0;
  }
  // only what was given: a preset's other agent and undici settings stay (the engine merges them)
  if (Object.keys(agent).length > 0) overrides.agent = agent;
  if (Object.keys(undici).length > 0) overrides.undici = undici;
  const changed = values.preset !== undefined && Object.keys(overrides).length > 0;
  return {
    input: {
      preset: values.preset,
      config: overrides,
      ...(changed ? { title: runFlagsOf(argv).join(' ').slice(0, MAX_TITLE_CHARS) } : {}),
    },
    json: values.json ?? false,
    help: values.help ?? false,
    report: { report: values.report, force: values.force },
    har: { har: values.har, force: values.force },
  };
}

/** The JSON the issue specifies, plus the overlay verdicts and notes. */
export function toCliJson(result: HttpRunResult): Record<string, unknown> {
  return {
    config: result.config,
    target: result.target,
    requests: result.requests.map((request) => ({
      index: request.index,
      status: request.status,
      error: request.error,
      connection: request.local,
      connectionId: request.connection,
      reused: request.reused,
      retried: request.retried,
      ms: request.ms,
      ...(request.newConnection ? { newConnection: request.newConnection } : {}),
      ...(request.waitedForPool ? { waitedForPool: request.waitedForPool } : {}),
      ...(request.frames !== undefined ? { stream: request.stream ?? null, frames: request.frames } : {}),
    })),
    connections: result.connections.map((connection) => ({
      id: connection.id,
      local: connection.local,
      openedBecause: connection.openedBecause,
      /** the numbers of the requests it carried */
      requests: connection.requestIndexes,
      closed: connection.closed,
      httpVersion: connection.httpVersion,
      connectMs: connection.connectMs,
      ...(connection.tls ? { tls: connection.tls } : {}),
    })),
    surprise: result.surprise,
    deadPeerDetection: result.deadPeerDetection,
    connectionsOpened: result.connectionsOpened,
    reused: result.reused,
    handshakesSaved: result.handshakesSaved,
    /** requests the pool queued because every connection allowed was busy, and the longest wait in ms (pool-waits.ts) */
    poolWaits: poolWaits(result.session),
    maxOpen: result.maxOpen,
    openAtEnd: result.openAtEnd,
    openAfterRelease: result.openAfterRelease,
    errors: result.errors,
    verdicts: result.connections.map((connection) => ({ connection: connection.id, ...connection.overlay.verdict })),
    notes: result.notes,
    ...(result.capture ? { capture: result.capture } : {}),
    /** the whole trace, so `keepalive-lab correlate --session` can join it with a capture later */
    session: result.session,
  };
}

/** "new (first)", "reused, waited 32 ms for a free connection" */
function whyText(request: HttpRunResult['requests'][number]): string {
  const how = request.reused === null ? 'no connection' : request.reused ? 'reused' : 'new';
  const why = request.newConnection ? ` (${CAUSE_WORDS[request.newConnection.cause].label})` : '';
  const waited = request.waitedForPool ? `, waited ${request.waitedForPool.ms} ms for a free connection` : '';
  return `${how}${why}${waited}`;
}

function toText(result: HttpRunResult): string {
  const lines = result.requests.map((request) => {
    const what = request.error ? `error: ${request.error}` : `${request.status}`;
    return `#${String(request.index).padStart(3)} ${what.padEnd(16)} ${(request.local ?? '-').padEnd(22)} ${String(request.ms.total ?? '-').padStart(8)} ms  ${whyText(request)}`;
  });
  const opened = result.connections
    .filter((connection) => connection.openedBecause.cause !== 'first')
    .map((connection) => `  ${connection.id}: ${connection.openedBecause.detail}\n`);
  const secured = result.connections
    .filter((connection) => connection.tls)
    .map((connection) => `  ${connection.id}: ${tlsHandshakeSentence(connection.tls!, connection.connectMs)}\n`);
  const first = result.connections[0];
  const deadPeer = result.deadPeerDetection;
  return (
    `${result.target}\n${lines.join('\n')}\n` +
    `connections opened ${result.connectionsOpened}, reused ${result.reused}, max open ${result.maxOpen}, open at end ${result.openAtEnd}\n` +
    `requests that waited: ${waitedWords(runFigures({ protocol: 'http1', result }))}\n` +
    (result.surprise ? `surprise: ${result.surprise.headline}; see why below\n` : '') +
    (opened.length > 0 ? `why each new connection:\n${opened.join('')}` : '') +
    (secured.length > 0 ? `what each new connection cost:\n${secured.join('')}` : '') +
    explainHttpRunTls(result)
      .map((explanation) => `tls: ${explanation.whatYouSee}\n`)
      .join('') +
    (first ? `timers: ${first.overlay.verdict.reason}\n` : '') +
    (deadPeer ? `${deadPeerLine(deadPeer)}\n` : '') +
    result.notes.map((note) => `note: ${note}\n`).join('') +
    captureText(result.capture)
  );
}

/** runs at least this long in requests report their progress on stderr */
const PROGRESS_FROM_REQUESTS = 1000;
/** ms between progress lines */
const PROGRESS_EVERY_MS = 1000;

/** A line on stderr about once a second for a big run ("12,345 of 100,000 requests"), from the job's live stats; nothing for a small one. */
export function progressOnStderr(io: CliIo): (event: EngineEvent) => void {
  let lastMs = Date.now();
  return (event) => {
    if (event.kind !== 'stats-updated') return;
    const { done, total, connectionsOpened } = event.stats;
    if (typeof done !== 'number' || typeof total !== 'number' || total < PROGRESS_FROM_REQUESTS) return;
    if (Date.now() - lastMs < PROGRESS_EVERY_MS) return;
    lastMs = Date.now();
    io.stderr(
      `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} requests, ${Number(connectionsOpened ?? 0)} connections\n`,
    );
  };
}

/**
 * A cap given for the client the run did not use changed nothing: one line saying so (the client
 * may come from a preset, so this is known only once the engine has resolved the run's settings).
 */
export function unusedCapNote(given: Record<string, unknown>, client: HttpRunResult['config']['client']): string | null {
  const agent = given.agent as { maxSockets?: unknown } | undefined;
  const undici = given.undici as { connections?: unknown } | undefined;
  if (client === 'agent' && undici?.connections !== undefined)
    return "note: --connections is undici's cap and this run's client was Node's http.Agent (its cap is --max-sockets): it changed nothing\n";
  if (client === 'undici' && agent?.maxSockets !== undefined)
    return "note: --max-sockets is Node's http.Agent's cap and this run's client was undici (its cap is --connections): it changed nothing\n";
  return null;
}

export async function runHttpCommand(argv: string[], io: CliIo): Promise<number> {
  const compare = compareFlag(argv);
  if (compare.other !== null && !compare.rest.includes('--help')) {
    // loaded when used, as every command is (src/cli/main.ts); it imports this file's parsers
    const { runHttpCompare } = await import('./http-compare');
    return runHttpCompare(compare.rest, compare.other, io);
  }
  const { protocol, rest } = protocolFlag(compare.rest);
  if (protocol === 'h2') return runHttp2Command(rest, io);
  const capture = captureFlag(rest);
  const { input, json, help, report, har } = configFromFlags(capture.rest);
  if (help) {
    const presets = await withEngine(io, (engine) => engine.call('http.presets', {}));
    io.stdout(httpUsage(presets.map((preset) => preset.name)));
    return 0;
  }
  await refuseExistingHar(har);
  const result = await withEngine(io, async (engine) => {
    const stopProgress = engine.onJobEvent(progressOnStderr(io));
    try {
      const run = await engine.call('http.run', {
        ...input,
        jobId: engine.jobId,
        capture: capture.enabled,
        saveCapture: capture.file !== null,
      });
      return { ...run, capture: await moveSavedCapture(run.capture, capture.file) };
    } finally {
      stopProgress();
    }
  });
  if (json) writeJson(toCliJson(result), (piece) => io.stdout(piece));
  else io.stdout(toText(result));
  const capNote = unusedCapNote(input.config, result.config.client);
  if (capNote !== null) io.stderr(capNote);
  await writeReportFlag(report, { sessions: [result.session] }, io);
  await writeHarFlag(har, result.session, io);
  const failed = result.requests.filter((request) => request.error !== null);
  if (failed.length > 0 && failed.length === result.requests.length) {
    const first = failed[0];
    const explanation = explainErrorCode(first?.errorCode ?? null);
    throw new CliError(
      `${failed.length === 1 ? 'the only request' : `all ${failed.length} requests`} to ${result.target} failed: ${first?.error ?? 'unknown error'}${explanation ? ` — ${explanation}` : ''}`,
    );
  }
  return 0;
}
