/**
 * What a HAR import's trace Session carries for its report, beside its events: per connection the
 * facts a HAR states and a trace has no field for (HTTP version, set up in the file or before it,
 * why it was opened, its connect time with TLS as a part of it), the file's writer note, warnings
 * and connection limit. Kept in `session.settings[HAR_FACTS_SETTING]` so a saved JSON report keeps
 * them (`report --from`); the HAR report (src/main/engine/report/har-report.ts) reads them back.
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import { z } from 'zod';
import { HarCauseSchema, HarConnectionLimitSchema } from './har-cause';

export const HAR_FACTS_SETTING = 'har';

const HarVersionSchema = z.enum(['h1', 'h2', 'h3', 'unknown']);

const HarConnectionFactsSchema = z.object({
  /** the trace connection id */
  id: z.string(),
  httpVersion: HarVersionSchema,
  /** true when the file holds no id for it: worked out from origin, address and timings */
  inferred: z.boolean(),
  /** the entry (its index in the file) whose timings show it being set up; null: set up before the file */
  openedBy: z.number().int().nullable(),
  cause: HarCauseSchema.nullable(),
  /** the cause in one sentence with the file's values */
  causeDetail: z.string().nullable(),
  /** ms of connect as HAR 1.2 defines it: TCP (QUIC for h3) + TLS; null when not set up in the file */
  connectMs: z.number().nullable(),
  /** ms of TLS, a part of connectMs; null when the file gives none */
  tlsMs: z.number().nullable(),
  /** most entries in flight on it at once */
  maxConcurrent: z.number().int().min(0),
});
export type HarConnectionFacts = z.infer<typeof HarConnectionFactsSchema>;

const HarReportFactsSchema = z.object({
  /** who wrote `connection` and what it holds, in one sentence */
  connectionNote: z.string(),
  connectionSource: z.enum(['recorded', 'inferred', 'mixed']),
  /** the connections per origin pool waits were measured against */
  connectionLimit: HarConnectionLimitSchema,
  /** entries that never used the network (cache hits, blocked or failed before sending) */
  offNetwork: z.number().int().min(0),
  warnings: z.array(z.string()),
  connections: z.array(HarConnectionFactsSchema),
});
export type HarReportFacts = z.infer<typeof HarReportFactsSchema>;

/** The HAR facts of a session, or null for any other session (or a report saved before they existed). */
export function harReportFacts(session: { kind: string; settings: Record<string, unknown> }): HarReportFacts | null {
  if (session.kind !== 'har') return null;
  const parsed = HarReportFactsSchema.safeParse(session.settings[HAR_FACTS_SETTING]);
  return parsed.success ? parsed.data : null;
}

function msText(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1) return ms.toFixed(2);
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}

/**
 * HAR 1.2's connect (TCP + TLS; for HTTP/3 a QUIC handshake over UDP, TLS inside it) with TLS as
 * its part: "98 ms: TCP 32 + TLS 66", "40 ms: TCP only (no TLS)", "45 ms QUIC handshake over UDP
 * (TLS 35 ms of it)", "none in the file: set up before it". One wording for the report, the CLI
 * and the HAR view.
 */
export function harConnectText(connection: {
  httpVersion: string;
  openedBy: number | null;
  setupMs: number | null;
  tlsMs: number | null;
}): string {
  if (connection.openedBy === null) return 'none in the file: set up before it';
  if (connection.setupMs === null) return 'not recorded';
  const total = `${msText(connection.setupMs)} ms`;
  const tls = connection.tlsMs;
  if (connection.httpVersion === 'h3')
    return `${total} QUIC handshake over UDP${tls !== null && tls > 0 ? ` (TLS ${msText(tls)} ms of it)` : ''}`;
  if (tls === null) return `${total}: TCP only (no TLS)`;
  return `${total}: TCP ${msText(Math.max(0, connection.setupMs - tls))} + TLS ${msText(tls)}`;
}
