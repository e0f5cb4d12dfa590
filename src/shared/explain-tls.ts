/**
 * Which TLS explanations (texts: explain-tls-text.ts) a run over HTTPS shows, with its measured
 * figures filled in: what each new connection paid (TCP connect, then the TLS handshake), how many
 * requests one handshake served, and whether later handshakes resumed a session. The lab's panel
 * (from the run's connections) and the reports (from the session's trace) give the same input, so
 * both read the same sentences.
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import type { HttpRunResult } from './api-http';
import { minimumConnections } from './connection-cause';
import { median } from './counting';
import { renderExplanation, type ExplainValues, type RenderedExplanation } from './explain';
import type { TlsExplainKind } from './explain-tls-text';
import { handshakeMsText, type ConnectionTls } from './tls-handshake';

export interface TlsConnectionInput {
  /** ms of the TCP connect; null when not measured */
  connectMs: number | null;
  /** null: this connection did not speak TLS */
  tls: ConnectionTls | null;
}

export interface TlsRunInput {
  /** the run's connections, in the order they opened (the first one cannot resume) */
  connections: readonly TlsConnectionInput[];
  /** requests the run sent */
  requests: number;
  /** connections these requests would need with keep-alive on and every body read (connection-cause.ts minimumConnections); null = not known */
  keptAliveConnections: number | null;
  /** the client's TLS session cache (maxCachedSessions); null = not known */
  maxCachedSessions: number | null;
}

export interface TlsFinding {
  kind: TlsExplainKind;
  values: ExplainValues;
}

/** ms as the CLI and the connection details print them ("0.55", "2.7", "38"); null stays unknown */
function msText(ms: number | null): string | null {
  return ms === null ? null : handshakeMsText(ms);
}

function numbers(values: readonly (number | null)[]): number[] {
  return values.filter((value): value is number => value !== null);
}

/** The version most connections agreed ("TLS 1.3"); null when none finished its handshake. */
function commonVersion(connections: readonly { tls: ConnectionTls }[]): string | null {
  const counts = new Map<string, number>();
  for (const { tls } of connections) if (tls.version !== null) counts.set(tls.version, (counts.get(tls.version) ?? 0) + 1);
  return [...counts.entries()].sort((left, right) => right[1] - left[1])[0]?.[0] ?? null;
}

/** The TLS explanations a run shows and their values; empty when no connection spoke TLS. */
export function tlsFindings(input: TlsRunInput): TlsFinding[] {
  const secure = input.connections.filter(
    (connection): connection is { connectMs: number | null; tls: ConnectionTls } => connection.tls !== null,
  );
  if (secure.length === 0) return [];
  const found: TlsFinding[] = [];
  const count = secure.length;
  const connectMs = median(numbers(secure.map((connection) => connection.connectMs)));
  const handshakeMs = median(numbers(secure.map((connection) => connection.tls.handshakeMs)));
  const version = commonVersion(secure);
  const reused = Math.max(0, input.requests - count);
  if (reused > 0 && (input.keptAliveConnections === null || count <= input.keptAliveConnections)) {
    found.push({
      kind: 'tls-handshake-reused',
      values: {
        connections: count,
        requests: input.requests,
        reused,
        connectMs: msText(connectMs),
        handshakeMs: msText(handshakeMs),
        version,
        medianOf: count > 1 ? count : null,
      },
    });
  } else if (count > 1) {
    const setupTimes = secure.flatMap((connection) => [connection.connectMs, connection.tls.handshakeMs]);
    // a sum with a part unmeasured would understate the cost: then it is not stated
    const setupMs = setupTimes.includes(null) ? null : numbers(setupTimes).reduce((sum, ms) => sum + ms, 0);
    const keptAlive = input.keptAliveConnections;
    const avoidable = keptAlive === null ? 0 : count - keptAlive;
    found.push({
      kind: 'tls-handshakes',
      values: {
        connections: count,
        connectMs: msText(connectMs),
        handshakeMs: msText(handshakeMs),
        version,
        setupMs: msText(setupMs),
        ...(avoidable > 0 ? { keptAlive, requests: input.requests } : {}),
      },
    });
  }
  found.push(...resumptionFindings(secure, version, input.maxCachedSessions));
  return found;
}

/** Resumed or not: only the handshakes after the first can resume (the first has no session to offer). */
function resumptionFindings(
  secure: readonly { tls: ConnectionTls }[],
  version: string | null,
  maxCachedSessions: number | null,
): TlsFinding[] {
  const later = secure.slice(1);
  if (later.length === 0) return [];
  const resumed = secure.filter((connection) => connection.tls.resumed);
  const full = secure.filter((connection) => !connection.tls.resumed);
  if (resumed.length === 0) {
    return [
      {
        kind: 'tls-full-handshakes',
        values: {
          later: later.length,
          version,
          handshakeMs: msText(median(numbers(full.map((connection) => connection.tls.handshakeMs)))),
          maxCachedSessions: maxCachedSessions === 0 ? 0 : null,
        },
      },
    ];
  }
  const fullTimes = numbers(full.map((connection) => connection.tls.handshakeMs));
  return [
    {
      kind: 'tls-resumption',
      values: {
        // "All 9" reads better than "9 of the 9"
        resumedShare: resumed.length === later.length ? `All ${later.length}` : `${resumed.length} of the ${later.length}`,
        resumedMs: msText(median(numbers(resumed.map((connection) => connection.tls.handshakeMs)))),
        fullMs: msText(median(fullTimes)),
        fullCount: fullTimes.length > 1 ? fullTimes.length : null,
      },
    },
  ];
}

/** The TLS explanations of a run, rendered (empty when no connection spoke TLS). */
export function explainTlsRun(input: TlsRunInput): RenderedExplanation[] {
  return tlsFindings(input).map((finding) => renderExplanation(finding.kind, finding.values));
}

/** The TLS explanations of an HTTP/1 lab run (the app's cards, the CLI's summary lines). */
export function explainHttpRunTls(result: HttpRunResult): RenderedExplanation[] {
  const { config } = result;
  const undici = config.client === 'undici';
  const requests = result.requests.length;
  return explainTlsRun({
    connections: result.connections,
    requests,
    // the fewest connections for these requests, kept alive with every body read, at this concurrency and limit
    keptAliveConnections: minimumConnections({
      requests,
      concurrency: config.concurrency,
      keepAlive: true,
      body: 'drain',
      poolLimit: undici ? config.undici.connections : config.agent.maxSockets,
    }),
    maxCachedSessions: config.maxCachedSessions,
  });
}
