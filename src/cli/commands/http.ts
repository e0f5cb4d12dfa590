/**
 * `keepalive-lab http`: one run of the HTTP keep-alive lab, headless.
 * Without --url the embedded server is the target. Every failure a user can
 * cause (bad flag, bad URL, refused port, non-HTTP peer, bad certificate) ends
 * with one clear line; the run itself always ends (per-request timeout, Ctrl-C).
 */
import { z } from 'zod';
import { describeZodError } from '../../shared/api';
import type { HttpRunConfig, HttpRunResult } from '../../shared/api-http';
import { runHttpLoop } from '../../main/lab/http-loop';
import { runHttpLoopWithCapture } from '../../main/services/http-capture';
import { captureFlag } from '../capture-flag';
import { captureText } from '../capture-text';
import { explainErrorCode } from '../../main/lab/http-request-types';
import { HTTP_PRESETS, resolveHttpConfig, UnknownPresetError } from '../../main/lab/http-scenarios';
import { intFlag, parseFlags } from '../args';
import { REPORT_FLAGS, REPORT_HELP, writeReportFlag } from '../report-flag';
import { CliError, type CliIo } from '../io';
import { protocolFlag, runHttp2Command } from './http2';

export const HTTP_USAGE = `Usage: keepalive-lab http [--url URL] [--requests N] [--concurrency C] [--interval-ms M]
       [--client agent|undici] [--keepalive on|off] [--body drain|ignore|destroy|partial]
       [--timeout-ms T] [--preset NAME] [--capture [FILE]] [--json] [--report FILE [--force]]
Without --url the embedded server on a random loopback port is the target.
--capture records the run's own packets with tcpdump (saved to FILE when given) and
matches them to its connections: probes, FIN/RST and the frames of each request.
--protocol h2 runs the HTTP/2 lab instead (see keepalive-lab http --protocol h2 --help).
Presets: ${HTTP_PRESETS.map((preset) => preset.name).join(', ')}
${REPORT_HELP}`;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new CliError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export function configFromFlags(argv: string[]): {
  config: HttpRunConfig;
  json: boolean;
  help: boolean;
  report: { report?: string; force?: boolean };
} {
  const { values } = parseFlags(argv, {
    ...REPORT_FLAGS,
    url: { type: 'string' },
    requests: { type: 'string' },
    concurrency: { type: 'string' },
    'interval-ms': { type: 'string' },
    client: { type: 'string' },
    keepalive: { type: 'string' },
    body: { type: 'string' },
    'timeout-ms': { type: 'string' },
    preset: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  const overrides: Record<string, unknown> = {};
  if (values.url !== undefined) {
    if (!URL.canParse(values.url) || !/^https?:$/.test(new URL(values.url).protocol)) {
      throw new CliError(`--url must be an http:// or https:// URL (got "${values.url}")`);
    }
    overrides.url = values.url;
  }
  if (values.requests !== undefined) overrides.requests = intFlag('requests', values.requests, 10, 1, 10_000);
  if (values.concurrency !== undefined) overrides.concurrency = intFlag('concurrency', values.concurrency, 1, 1, 256);
  if (values['interval-ms'] !== undefined) overrides.intervalMs = intFlag('interval-ms', values['interval-ms'], 0, 0, 600_000);
  if (values['timeout-ms'] !== undefined) overrides.timeoutMs = intFlag('timeout-ms', values['timeout-ms'], 10_000, 1, 600_000);
  const client = oneOf('client', values.client, ['agent', 'undici'] as const);
  if (client) overrides.client = client;
  const keepalive = oneOf('keepalive', values.keepalive, ['on', 'off'] as const);
  if (keepalive) {
    overrides.agent = { keepAlive: keepalive === 'on' };
    overrides.undici = { pipelining: keepalive === 'on' ? 1 : 0 };
  }
  const body = oneOf('body', values.body, ['drain', 'ignore', 'destroy', 'partial'] as const);
  if (body) overrides.body = body;
  try {
    return {
      config: resolveHttpConfig(values.preset, overrides),
      json: values.json ?? false,
      help: values.help ?? false,
      report: { report: values.report, force: values.force },
    };
  } catch (error) {
    if (error instanceof UnknownPresetError) throw new CliError(error.message);
    if (error instanceof z.ZodError) throw new CliError(describeZodError(error));
    throw error;
  }
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
      ...(request.frames !== undefined ? { stream: request.stream ?? null, frames: request.frames } : {}),
    })),
    connectionsOpened: result.connectionsOpened,
    reused: result.reused,
    handshakesSaved: result.handshakesSaved,
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

function toText(result: HttpRunResult): string {
  const lines = result.requests.map((request) => {
    const what = request.error ? `error: ${request.error}` : `${request.status}`;
    const how = request.reused === null ? 'no connection' : request.reused ? 'reused' : 'new';
    return `#${String(request.index).padStart(3)} ${what.padEnd(16)} ${(request.local ?? '-').padEnd(22)} ${how.padEnd(6)} ${request.ms.total ?? '-'} ms`;
  });
  const first = result.connections[0];
  return (
    `${result.target}\n${lines.join('\n')}\n` +
    `connections opened ${result.connectionsOpened}, reused ${result.reused}, max open ${result.maxOpen}, open at end ${result.openAtEnd}\n` +
    (first ? `timers: ${first.overlay.verdict.reason}\n` : '') +
    result.notes.map((note) => `note: ${note}\n`).join('') +
    captureText(result.capture)
  );
}

export async function runHttpCommand(argv: string[], io: CliIo): Promise<number> {
  const { protocol, rest } = protocolFlag(argv);
  if (protocol === 'h2') return runHttp2Command(rest, io);
  const capture = captureFlag(rest);
  const { config, json, help, report } = configFromFlags(capture.rest);
  if (help) {
    io.stdout(HTTP_USAGE);
    return 0;
  }
  const result = capture.enabled
    ? await runHttpLoopWithCapture(config, { signal: io.signal }, { saveTo: capture.file })
    : await runHttpLoop(config, { signal: io.signal });
  io.stdout(json ? `${JSON.stringify(toCliJson(result), null, 2)}\n` : toText(result));
  await writeReportFlag(report, { sessions: [result.session] }, io);
  const failed = result.requests.filter((request) => request.error !== null);
  if (failed.length > 0 && failed.length === result.requests.length) {
    const first = failed[0];
    const explanation = explainErrorCode(first?.errorCode ?? null);
    throw new CliError(
      `all ${failed.length} requests to ${result.target} failed: ${first?.error ?? 'unknown error'}${explanation ? ` — ${explanation}` : ''}`,
    );
  }
  return 0;
}
