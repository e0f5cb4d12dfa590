/**
 * Shapes what a run observed into the contract's HttpRunResult: per-request rows
 * with the reuse verdict cross-checked across independent signals, per-connection
 * timer overlays, and the headline figures.
 */
import type { HttpConnectionResult, HttpRequestResult, HttpRunConfig, HttpRunResult } from '../../shared/api-http';
import type { DemoHttpServer } from './demo-http-server';
import type { TrackedConnection } from './http-connections';
import type { HttpRecorder } from './http-recorder';
import type { RequestOutcome } from './http-request-types';
import { timerOverlay } from './http-timer-overlay';

const toMs = (us: number | null) => (us === null ? null : Math.round(us) / 1000);

export function toRequestResult(
  index: number,
  round: number,
  outcome: RequestOutcome,
  retried: boolean,
  server: DemoHttpServer | null,
  runId: string,
): HttpRequestResult {
  const labId = `${runId}-${index}${retried ? '-retry1' : ''}`;
  const served = server?.served.find((request) => request.labId === labId);
  const signals = {
    identity: outcome.identityReused,
    reusedSocket: outcome.reusedSocket,
    diagnostics: outcome.diagnosticsReused,
    server: served ? served.reused : null,
  };
  // Socket identity is the ground truth on our side; the others are cross-checks.
  const reused = outcome.connection === null ? null : (signals.identity ?? signals.reusedSocket ?? signals.diagnostics);
  return {
    index,
    round,
    status: outcome.status,
    error: outcome.error,
    errorCode: outcome.errorCode,
    connection: outcome.connection?.id ?? null,
    local: outcome.connection?.local ?? null,
    reused,
    reuseSignals: signals,
    retried,
    bodyBytesRead: outcome.bodyBytesRead,
    ms: {
      queued: toMs(outcome.assignedUs === null ? null : outcome.assignedUs - outcome.startedUs),
      connect: toMs(outcome.connectStartUs === null || outcome.connectedUs === null ? null : outcome.connectedUs - outcome.connectStartUs),
      firstByte: toMs(outcome.firstByteUs === null ? null : outcome.firstByteUs - outcome.startedUs),
      total: toMs(outcome.endedUs - outcome.startedUs),
    },
  };
}

/** The signals that disagree with the verdict, as notes. */
export function crossCheckNotes(results: HttpRequestResult[]): string[] {
  const notes: string[] = [];
  for (const result of results) {
    if (result.reused === null) continue;
    for (const [signal, value] of Object.entries(result.reuseSignals)) {
      if (value !== null && value !== result.reused) {
        notes.push(
          `request ${result.index}: ${signal} says ${value ? 'reused' : 'new'} but socket identity says ${result.reused ? 'reused' : 'new'}`,
        );
      }
    }
  }
  return notes;
}

function longestGapMs(config: HttpRunConfig, results: HttpRequestResult[]): number | null {
  if (results.length < 2) return null;
  return config.intervalMs > 0 ? config.intervalMs : null;
}

export interface RunResultInput {
  config: HttpRunConfig;
  runId: string;
  target: string;
  recorder: HttpRecorder;
  results: HttpRequestResult[];
  overlays: { connection: TrackedConnection; idle: { ms: number | null; source: string } }[];
  server: DemoHttpServer | null;
  notes: string[];
  figures: { maxOpen: number; openAtEnd: number; openAfterRelease: number; durationMs: number };
}

export function buildRunResult(input: RunResultInput): HttpRunResult {
  const { config, results, recorder } = input;
  const gap = longestGapMs(config, results);
  const connections: HttpConnectionResult[] = input.overlays.map(({ connection, idle }) => {
    const kernel = connection.keepalive ?? null;
    const overlay = timerOverlay({
      client: idle,
      serverKeepAliveTimeoutMs: input.server ? input.server.config.keepAliveTimeoutMs : null,
      keepAliveHint: connection.keepAliveHint,
      kernel: {
        enabled: kernel?.enabled ?? false,
        idleS: kernel?.idleS ?? null,
        intervalS: kernel?.intervalS ?? null,
        count: kernel?.count ?? null,
        source: kernel ? `idle from ${kernel.source.idleS}, interval and count read back with getsockopt` : 'not read',
      },
      idleGapMs: gap,
    });
    return {
      id: connection.id,
      local: connection.local,
      remote: connection.remote,
      requests: connection.requests,
      closed: connection.closed ?? { how: 'open', by: 'unknown' },
      overlay,
    };
  });
  const reused = results.filter((result) => result.reused === true).length;
  const errors = results.filter((result) => result.error !== null).length;
  const first = connections[0];
  if (first) recorder.note('info', `${first.id}: ${first.overlay.verdict.reason}`);
  const notes = [...input.notes, ...crossCheckNotes(results)];
  if (config.client === 'undici' && config.body === 'drain' && errors === 0 && connections.length > config.concurrency) {
    notes.push(
      `undici opened ${connections.length} connections for concurrency ${config.concurrency}: a request sent right after a body ended found the connection not yet back in the pool`,
    );
  }
  for (const note of notes) recorder.note('warn', note);
  const summary = {
    connectionsOpened: connections.length,
    reused,
    handshakesSaved: reused,
    maxOpen: input.figures.maxOpen,
    openAtEnd: input.figures.openAtEnd,
    errors,
  };
  return {
    config,
    target: input.target,
    requests: results,
    connections,
    ...summary,
    openAfterRelease: input.figures.openAfterRelease,
    durationMs: Math.round(input.figures.durationMs),
    server: input.server
      ? {
          requests: input.server.served
            .filter((request) => request.labId?.startsWith(`${input.runId}-`))
            .map(({ labId: _labId, ...request }) => request),
        }
      : null,
    notes,
    session: recorder.trace.toSession({
      id: input.runId,
      kind: 'http-lab',
      title: `HTTP ${config.client} ${config.body} ×${config.requests} → ${input.target}`,
      settings: config,
      summary,
    }),
  };
}
