/**
 * The report bundle: everything a session report holds — the app and OS it ran
 * on, the lab sessions (their whole trace) and the captures analysed — with a
 * `schemaVersion` so a saved JSON report can be re-rendered later
 * (`keepalive-lab report --from report.json --out report.html`).
 *
 * The `*FiguresSchema`s are what the renderers derive from the bundle; the JSON
 * report carries them under `derived` so the numbers a reader sees in the HTML
 * can be checked against the JSON. They are recomputed on every render, so
 * `derived` is ignored on input.
 */
import { ConnectionTlsSchema } from './tls-handshake';
import { NewConnectionSchema } from './connection-cause';
import { z } from 'zod';
import { EXPLAIN_KINDS } from './explain';
import { CloseHowSchema, SessionSchema } from './trace';
import { ReportComparisonSchema, type ReportComparison } from './report-comparison';

export const REPORT_SCHEMA_VERSION = 1;

export const ReportFormatSchema = z.enum(['html', 'md', 'json']);
export type ReportFormat = z.infer<typeof ReportFormatSchema>;

export const ExplainKindSchema = z.enum(EXPLAIN_KINDS);

/** Same shape as api.ts's KeepaliveDefaults (not imported: api.ts imports this file). */
export const ReportKeepaliveDefaultsSchema = z.object({
  timeS: z.number().nullable(),
  intervalS: z.number().nullable(),
  probes: z.number().nullable(),
  source: z.string(),
});

/** The part of `app.getInfo`'s Info a report keeps (extra fields are dropped). */
export const ReportAppSchema = z.object({
  appVersion: z.string(),
  platform: z.string(),
  nodeVersion: z.string(),
  keepaliveDefaults: ReportKeepaliveDefaultsSchema,
});
export type ReportApp = z.infer<typeof ReportAppSchema>;

const count = z.number().int().min(0);

export const ReportStreamSchema = z.object({
  /** tcp.stream index (tshark numbering) */
  stream: count,
  /** "ip:port" of the sender of the stream's first captured segment (IPv6 in brackets) */
  a: z.string(),
  b: z.string(),
  /** seconds since 1970 */
  firstTime: z.number(),
  /** seconds since 1970 */
  lastTime: z.number(),
  packets: count,
  end: z.enum(['fin', 'rst', 'open']),
  httpRequests: count,
  /** requests seen in part (bytes not all captured): not in httpRequests, as tshark does not count them */
  httpPartialRequests: count.optional(),
  keepAlives: count,
  keepAliveAcks: count,
  /** median seconds between consecutive keep-alive probes; null with fewer than 2 */
  probeSpacingS: z.number().nullable(),
  /** keepalive settings inferred from the probes (null when the capture cannot tell) */
  inferred: z.object({ idleS: z.number().nullable(), intervalS: z.number().nullable(), probes: z.number().nullable() }),
});
export type ReportStream = z.infer<typeof ReportStreamSchema>;

export const ReportCaptureSchema = z.object({
  file: z.string(),
  /** "pcap" | "pcapng" (free text: readers may add variants) */
  format: z.string(),
  packets: count,
  warnings: z.array(z.string()),
  streams: z.array(ReportStreamSchema),
  /** frames per tshark flag name (keep_alive, retransmission, ...) */
  flagCounts: z.record(z.string(), count),
  /** explanation kinds worth reading for this capture */
  findings: z.array(ExplainKindSchema),
  /**
   * When the capture's timestamps fall in groups far apart (a merged capture, a clock that jumped):
   * the busiest group, in the streams' time (seconds since 1970). The timeline and the Opened column
   * fit to it, as the app's timeline shows one group at a time; absent when the packets form one group.
   */
  mainGroup: z.object({ startS: z.number(), endS: z.number(), packets: count }).optional(),
  /** per tshark flag, its first frame and the values its rule compared (fills the explanation) */
  examples: z
    .record(z.string(), z.object({ frame: count, stream: count.nullable(), payload: count, values: z.record(z.string(), z.number()) }))
    .optional(),
});
export type ReportCapture = z.infer<typeof ReportCaptureSchema>;

export const ConnectionFiguresSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** "address:port" or null when unknown */
  local: z.string().nullable(),
  remote: z.string().nullable(),
  via: z.enum(['new', 'pool', 'capture', 'unknown']),
  /** seconds since the session epoch */
  openedS: z.number().nullable(),
  closedS: z.number().nullable(),
  closedHow: CloseHowSchema,
  closedBy: z.enum(['local', 'remote', 'unknown']),
  requests: count,
  /** requests after the first on this connection (the handshakes saved) */
  reusedRequests: count,
  failedRequests: count,
  /** idle gaps between one request's end and the next request's start, seconds */
  idleGapsS: z.array(z.number()),
  probes: count,
  probeAcks: count,
  /** median seconds between consecutive probes */
  probeSpacingS: z.number().nullable(),
  zeroWindowProbes: count,
  retransmissions: count,
  keepalive: z
    .object({ enabled: z.boolean(), idleS: z.number().nullable(), intervalS: z.number().nullable(), count: z.number().nullable() })
    .nullable(),
  /** why the client opened it (HTTP lab runs); null when the trace does not say */
  openedBecause: NewConnectionSchema.nullable().default(null),
  /** ms of the TCP connect, when the trace timed it */
  connectMs: z.number().nullable().default(null),
  /** over TLS: the handshake after the TCP connect (HTTP lab runs); null over plain TCP or when not recorded */
  tls: ConnectionTlsSchema.nullable().default(null),
});
export type ConnectionFigures = z.infer<typeof ConnectionFiguresSchema>;

export const SessionFiguresSchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  kind: z.string(),
  /** seconds from the epoch to the last event */
  durationS: z.number(),
  requests: count,
  connections: count,
  reusedRequests: count,
  failedRequests: count,
  probes: count,
  /** requests the pool queued because every connection it may open was busy (src/shared/pool-waits.ts) */
  poolWaits: count,
  headline: z.string(),
  findings: z.array(ExplainKindSchema),
  perConnection: z.array(ConnectionFiguresSchema),
  /** an HTTP/2 lab run's own figures (its streams, PINGs and GOAWAYs); absent for any other session */
  // for an HTTP/2 run, `reusedRequests` above counts streams after the first on their connection (no handshake of their own)
  // and `poolWaits` stays 0: its waits are for a stream slot, counted here in `waitedForSlot`
  http2: z
    .object({
      streams: count,
      maxConcurrentStreams: count,
      serverStreamLimit: z.number().nullable(),
      waitedForSlot: count,
      longestWaitMs: z.number().nullable(),
      pings: count,
      medianPingRttMs: z.number().nullable(),
      goaways: count,
      retried: count,
    })
    .optional(),
});
export type SessionFigures = z.infer<typeof SessionFiguresSchema>;

export const CaptureFiguresSchema = z.object({
  file: z.string(),
  packets: count,
  streams: count,
  httpRequests: count,
  /** requests after the first on their stream */
  reusedRequests: count,
  keepAlives: count,
  keepAliveAcks: count,
  streamsWithProbes: count,
  endedFin: count,
  endedRst: count,
  stillOpen: count,
  headline: z.string(),
});
export type CaptureFigures = z.infer<typeof CaptureFiguresSchema>;

export const ReportDerivedSchema = z.object({
  sessions: z.array(SessionFiguresSchema),
  captures: z.array(CaptureFiguresSchema),
});
export type ReportDerived = z.infer<typeof ReportDerivedSchema>;

export const ReportBundleSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  /** ISO 8601 */
  createdAt: z.string(),
  app: ReportAppSchema,
  /** runs compared side by side (CLI --compare, the app's Compare view), each pair's sessions in `sessions`; shown before them; absent: none */
  comparisons: z.array(ReportComparisonSchema).optional(),
  sessions: z.array(SessionSchema),
  captures: z.array(ReportCaptureSchema),
  /** written by the JSON renderer for readers; recomputed (not trusted) on input */
  derived: ReportDerivedSchema.optional(),
});
export type ReportBundle = z.infer<typeof ReportBundleSchema>;

/** Builds a bundle from the parts; `app` may be a full Info (extra fields dropped). */
export function createReportBundle(parts: {
  app: ReportApp;
  sessions?: z.input<typeof SessionSchema>[];
  captures?: ReportCapture[];
  comparisons?: ReportComparison[];
  createdAt?: Date;
}): ReportBundle {
  return ReportBundleSchema.parse({
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: (parts.createdAt ?? new Date()).toISOString(),
    app: parts.app,
    ...(parts.comparisons?.length ? { comparisons: parts.comparisons } : {}),
    sessions: parts.sessions ?? [],
    captures: parts.captures ?? [],
  });
}

/** The file name a report of this bundle suggests, e.g. "keepalive-lab-2026-11-25T18-50-00.html". */
export function suggestedReportName(bundle: Pick<ReportBundle, 'createdAt'>, format: ReportFormat): string {
  const stamp = bundle.createdAt
    .replace(/\.\d+Z$/, '')
    .replace(/[:]/g, '-')
    .replace(/[^0-9A-Za-z-]/g, '-');
  return `keepalive-lab-${stamp}.${format}`;
}
