/**
 * Shapes what a run observed into the contract's HttpRunResult: per-request rows
 * with the reuse verdict cross-checked across independent signals, per-connection
 * timer overlays, and the headline figures.
 */
import type { ConnectionSurprise, HttpConnectionResult, HttpRequestResult, HttpRunConfig, HttpRunResult } from '@shared/api-http';
import { listWords, minimumConnections } from '@shared/connection-cause';
import { deadPeerFromSeconds } from '@shared/dead-peer';
import type { KeepaliveSettings } from '@shared/trace';
import type { DemoHttpServer } from './demo-http-server';
import type { TrackedConnection } from './http-connections';
import type { HttpRecorder } from './http-recorder';
import { poolWaitUs } from './http-exchange';
import type { RequestOutcome } from './http-request-types';
import { timerOverlay } from './http-timer-overlay';

const toMs = (us: number | null) => (us === null ? null : Math.round(us) / 1000);

/** Socket identity is the ground truth on our side; the other signals are cross-checks. */
export function reusedVerdict(outcome: RequestOutcome): boolean | null {
  if (outcome.connection === null) return null;
  return outcome.identityReused ?? outcome.reusedSocket ?? outcome.diagnosticsReused;
}

export function toRequestResult(
  index: number,
  round: number,
  outcome: RequestOutcome,
  retried: boolean,
  server: DemoHttpServer | null,
  runId: string,
): HttpRequestResult {
  const labId = `${runId}-${index}${retried ? '-retry1' : ''}`;
  const served = server?.servedFor(labId);
  const signals = {
    identity: outcome.identityReused,
    reusedSocket: outcome.reusedSocket,
    diagnostics: outcome.diagnosticsReused,
    server: served ? served.reused : null,
  };
  const reused = reusedVerdict(outcome);
  const waitedUs = poolWaitUs(outcome);
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
    ...(reused === false && outcome.connection ? { newConnection: outcome.connection.openedBecause } : {}),
    ...(waitedUs !== null ? { waitedForPool: { ms: toMs(waitedUs) ?? 0 } } : {}),
  };
}

/** The cross-check signals, as a person would name them. */
const SIGNAL_WORDS: Record<string, string> = {
  identity: 'the socket object itself',
  reusedSocket: 'Node’s req.reusedSocket flag',
  diagnostics: 'undici’s connection events',
  server: 'the server’s own record',
};

/**
 * The signals that disagree with the verdict, as notes: one note for each signal, what it said and
 * what the client did ("Requests 3, 4 and 9: …"), not one per request — a run queued behind
 * maxSockets gives the same disagreement for every queued request.
 */
export function crossCheckNotes(results: HttpRequestResult[]): string[] {
  const groups = new Map<string, { signal: string; said: boolean; reused: boolean; requests: HttpRequestResult[] }>();
  for (const result of results) {
    if (result.reused === null) continue;
    for (const [signal, value] of Object.entries(result.reuseSignals)) {
      if (value === null || value === result.reused) continue;
      const key = `${signal}|${value}|${result.reused}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { signal, said: value, reused: result.reused, requests: [] }));
      group.requests.push(result);
    }
  }
  return [...groups.values()].map(({ signal, said, reused, requests }) => {
    const one = requests.length === 1;
    const which = `${one ? 'Request' : 'Requests'} ${listWords(requests.map((request) => String(request.index)))}`;
    // Node's Agent sets req.reusedSocket only when addRequest hands over an idle socket (reuseSocket);
    // a request queued behind maxSockets gets a freed socket from the 'free' handler, and keeps false
    const why =
      signal === 'reusedSocket' && !said && reused && requests.every((request) => request.waitedForPool !== undefined)
        ? ` (Node sets the flag only when a request takes an idle socket at once; ${one ? 'this one' : 'these'} waited in the agent’s queue for a socket another request freed)`
        : '';
    return `${which}: ${SIGNAL_WORDS[signal] ?? signal} said ${one ? 'it' : 'they'} went out on ${said ? 'a reused' : 'a new'} connection, but the client sent ${one ? 'it' : 'each'} on ${reused ? 'a socket it had used before' : 'a socket it had just opened'}${why}; the lab goes by the socket.`;
  });
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

/** Where the client socket's TCP keepalive figures come from, or why it has none (see kernelKeepalive). */
function kernelSourceWords(config: HttpRunConfig, kernel: KeepaliveSettings | null): string {
  if (kernel === null) return '';
  if (!kernel.enabled)
    return config.client === 'agent' && config.agent.keepAlive
      ? 'an https.Agent turns it on only when a connection goes back to its pool, and this one never did'
      : 'the agent’s keepAlive is off';
  const idle = kernel.source.idleS === 'node-default' ? 'undici’s default keepAliveInitialDelay' : 'the agent’s keepAliveMsecs';
  return `the idle time is ${idle}; the interval and count were read from the socket`;
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
        source: kernelSourceWords(config, kernel),
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
      openedBecause: connection.openedBecause,
      requestIndexes: [...connection.requestIndexes],
      httpVersion: '1.1' as const,
      connectMs: toMs(connection.connectedUs - connection.connectStartUs),
      tls: connection.tls,
    };
  });
  const reused = results.filter((result) => result.reused === true).length;
  const errors = results.filter((result) => result.error !== null).length;
  const first = connections[0];
  if (first) recorder.note('info', `${first.id}: ${first.overlay.verdict.reason}`);
  const notes = [...input.notes, ...crossCheckNotes(results)];
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
    surprise: connectionSurprise(config, connections),
    deadPeerDetection: deadPeerOf(input.overlays[0]?.connection),
    session: recorder.trace.toSession({
      id: input.runId,
      kind: 'http-lab',
      title: `HTTP ${config.client} ${config.body} ×${config.requests} → ${input.target}`,
      settings: config,
      summary,
    }),
  };
}

/**
 * The shortest idle timeout either side keeps a connection by, ms (the first connection's overlay: the client's
 * own or from the server's hint, and the embedded server's keepAliveTimeout); null = no limit known.
 */
function shortestIdleTimeoutMs(connections: readonly Pick<HttpConnectionResult, 'overlay'>[]): number | null {
  const overlay = connections[0]?.overlay;
  const limits = [overlay?.clientIdleTimeoutMs, overlay?.serverKeepAliveTimeoutMs].filter(
    (ms): ms is number => typeof ms === 'number' && ms > 0,
  );
  return limits.length === 0 ? null : Math.min(...limits);
}

/**
 * More connections than the client settings need: the headline, naming why each extra one was dialled.
 * A pause between requests at least as long as an idle timeout means that timeout closes the kept
 * connection on purpose: a new connection per request is then what the settings ask for, not a surprise.
 */
export function connectionSurprise(
  config: HttpRunConfig,
  connections: readonly Pick<HttpConnectionResult, 'id' | 'openedBecause' | 'overlay'>[],
): ConnectionSurprise | null {
  const undici = config.client === 'undici';
  const idleTimeoutMs = shortestIdleTimeoutMs(connections);
  const pauseOutlivesTimeout = config.intervalMs > 0 && idleTimeoutMs !== null && config.intervalMs >= idleTimeoutMs;
  const minimum = minimumConnections({
    requests: config.requests,
    concurrency: config.concurrency,
    keepAlive: undici ? config.undici.pipelining > 0 : config.agent.keepAlive,
    body: config.body,
    poolLimit: undici ? config.undici.connections : config.agent.maxSockets,
    pauseOutlivesTimeout,
  });
  if (connections.length <= minimum) return null;
  // the dials the settings call for are the first, those made because every connection was busy, and (when the
  // pause outlives an idle timeout) those replacing a timed-out connection, up to the minimum
  const intended = new Set(['first', 'all-busy', ...(pauseOutlivesTimeout ? ['closed-by-client', 'closed-by-server'] : [])]);
  let expected = 0;
  const extra = connections.flatMap((connection) => {
    const { cause } = connection.openedBecause;
    if (intended.has(cause) && expected < minimum) {
      expected += 1;
      return [];
    }
    return [{ connection: connection.id, openedBecause: connection.openedBecause }];
  });
  const requests = `${config.requests} request${config.requests === 1 ? '' : 's'}`;
  return {
    minimum,
    opened: connections.length,
    headline: `${connections.length} connections for ${requests} where ${minimum} would do`,
    extra,
  };
}

function deadPeerOf(connection: TrackedConnection | undefined): HttpRunResult['deadPeerDetection'] {
  const settings = connection?.keepalive;
  return settings ? deadPeerFromSeconds(settings) : null;
}
