/**
 * The TLS explanations of a session in a report (explain-tls.ts, the same the app shows for a
 * run): each connection's TCP connect and TLS handshake from the trace's `handshake-completed`
 * and `tls-handshake` events, and the client settings that say how few connections would do.
 */
import { minimumConnections } from '@shared/connection-cause';
import type { ExplainKind, ExplainValues } from '@shared/explain';
import { tlsFindings, type TlsFinding } from '@shared/explain-tls';
import type { SessionFigures } from '@shared/report-model';
import type { Session } from '@shared/trace';
import { plural } from '@shared/counting';

/** The client settings the TLS findings read (session-figures.ts tlsSettings); null = not in the session's settings. */
export interface TlsClientSettings {
  concurrency: number | null;
  /** maxSockets (agent) or connections (undici); null = no limit */
  poolLimit: number | null;
  maxCachedSessions: number | null;
}

/** The TLS findings of a session; empty for a cleartext one. `perConnection` is in opening order (session-figures.ts). */
export function sessionTlsFindings(session: Session, figures: SessionFigures, settings: TlsClientSettings): TlsFinding[] {
  if (!figures.perConnection.some((connection) => connection.tls !== null)) return [];
  const { concurrency } = settings;
  return tlsFindings({
    connections: figures.perConnection,
    requests: figures.requests,
    keptAliveConnections:
      session.kind === 'http-lab' && concurrency !== null
        ? minimumConnections({
            requests: figures.requests,
            concurrency,
            keepAlive: true,
            body: 'drain',
            poolLimit: settings.poolLimit,
          })
        : null,
    maxCachedSessions: settings.maxCachedSessions,
  });
}

/** A TLS finding's values, and the figures behind it; null when `kind` is not a TLS finding of this session. */
export function tlsFindingValues(
  kind: ExplainKind,
  session: Session,
  figures: SessionFigures,
  settings: TlsClientSettings,
): { values: ExplainValues; seenHere: string } | null {
  const finding = sessionTlsFindings(session, figures, settings).find((candidate) => candidate.kind === kind);
  if (!finding) return null;
  const secure = figures.perConnection.filter((connection) => connection.tls !== null);
  const resumed = secure.filter((connection) => connection.tls?.resumed === true).length;
  return {
    values: finding.values,
    seenHere: `${plural(secure.length, 'TLS handshake')}, ${resumed} resumed, for ${plural(figures.requests, 'request')}.`,
  };
}

/** The TLS kinds of a session, for its findings list. */
export function tlsFindingKinds(session: Session, figures: SessionFigures, settings: TlsClientSettings): ExplainKind[] {
  return sessionTlsFindings(session, figures, settings).map((finding) => finding.kind);
}
