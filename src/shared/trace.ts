/**
 * The trace model: every experiment and every capture becomes a `Session` —
 * connections with a stable id and their 4-tuple, and a time-ordered list of
 * events. The timeline, the explanations, the reports and the CLI are views of it.
 *
 * Times: a session has one wall-clock epoch (`epochMs`, ms since 1970) and every
 * event carries `t`, µs since that epoch (monotonic within a session).
 *
 * Pure TypeScript: imported by main, preload, renderer and CLI alike.
 */
import { z } from 'zod';
import { NewConnectionSchema } from './connection-cause';

export const TRACE_SCHEMA_VERSION = 1;

export const EndpointSchema = z.object({
  /** IPv4 dotted quad or IPv6 text form (no brackets). */
  address: z.string(),
  port: z.number().int().min(0).max(65535),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

/** Where a value in force came from. */
export const ValueSourceSchema = z.enum(['lab', 'libuv-default', 'os-default', 'node-default', 'capture-inferred', 'unknown']);
export type ValueSource = z.infer<typeof ValueSourceSchema>;

export const KeepaliveSettingsSchema = z.object({
  enabled: z.boolean(),
  /** seconds of idle before the first probe (TCP_KEEPIDLE) */
  idleS: z.number().nullable(),
  /** seconds between unanswered probes (TCP_KEEPINTVL) */
  intervalS: z.number().nullable(),
  /** unanswered probes before the kernel gives up (TCP_KEEPCNT) */
  count: z.number().nullable(),
  /** TCP_USER_TIMEOUT in ms; 0 = kernel default */
  userTimeoutMs: z.number().nullable(),
  source: z.object({
    enabled: ValueSourceSchema,
    idleS: ValueSourceSchema,
    intervalS: ValueSourceSchema,
    count: ValueSourceSchema,
    userTimeoutMs: ValueSourceSchema,
  }),
});
export type KeepaliveSettings = z.infer<typeof KeepaliveSettingsSchema>;

/** What was seen on the wire (from a capture) or reported by the kernel (timers). */
export const WireMarkSchema = z.enum([
  'syn',
  'handshake',
  'data',
  'keepalive-probe',
  'keepalive-ack',
  'zero-window-probe',
  'zero-window-probe-ack',
  'zero-window',
  'retransmission',
  'fin',
  'rst',
]);
export type WireMark = z.infer<typeof WireMarkSchema>;

export const CloseHowSchema = z.enum(['fin', 'rst', 'timeout', 'error', 'open']);
export type CloseHow = z.infer<typeof CloseHowSchema>;

export const RequestTimingsSchema = z.object({
  /** µs from request start until a connection was assigned (queueing) */
  queuedUs: z.number().nullable(),
  /** µs spent on the TCP handshake (null when the connection was reused) */
  connectUs: z.number().nullable(),
  /** µs from request start to the first response byte */
  firstByteUs: z.number().nullable(),
  /** µs from request start to the end (body done, destroyed or error) */
  totalUs: z.number().nullable(),
});
export type RequestTimings = z.infer<typeof RequestTimingsSchema>;

const base = { t: z.number(), conn: z.string().optional() };

export const TraceEventSchema = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('conn-opened'),
    conn: z.string(),
    via: z.enum(['new', 'pool', 'capture']),
    local: EndpointSchema.nullable(),
    remote: EndpointSchema.nullable(),
    /** why the client dialled it (HTTP lab), decided from its state at the moment it dialled */
    openedBecause: NewConnectionSchema.optional(),
  }),
  z.object({ ...base, kind: z.literal('handshake-completed'), conn: z.string(), us: z.number().nullable() }),
  /** a TLS handshake after the TCP connect (`t` is when it finished): its cost in µs, the version and ALPN it agreed, and whether it resumed a session */
  z.object({
    ...base,
    kind: z.literal('tls-handshake'),
    conn: z.string(),
    us: z.number().nullable(),
    /** "TLS 1.3", "TLS 1.2" */
    version: z.string().nullable(),
    alpn: z.string().nullable(),
    resumed: z.boolean(),
  }),
  z.object({
    ...base,
    kind: z.literal('conn-closed'),
    conn: z.string(),
    how: CloseHowSchema,
    by: z.enum(['local', 'remote', 'unknown']),
    reason: z.string().optional(),
  }),
  z.object({ ...base, kind: z.literal('half-open-detected'), conn: z.string(), reason: z.string() }),
  z.object({ ...base, kind: z.literal('request-started'), conn: z.string().optional(), request: z.string(), label: z.string().optional() }),
  z.object({
    ...base,
    kind: z.literal('request-ended'),
    conn: z.string().optional(),
    request: z.string(),
    reused: z.boolean().nullable(),
    status: z.number().nullable(),
    error: z.string().nullable(),
    timings: RequestTimingsSchema,
    /** the response body was left unread: the connection stays busy (not idle) until it is released */
    bodyUnread: z.boolean().optional(),
    /** µs the request waited because the pool was at its limit (maxSockets / connections); absent = it did not wait */
    waitedForPoolUs: z.number().optional(),
  }),
  z.object({ ...base, kind: z.literal('pool-waited'), request: z.string().optional(), waiting: z.number() }),
  z.object({ ...base, kind: z.literal('pool-acquired'), conn: z.string(), reused: z.boolean(), waitedUs: z.number() }),
  z.object({ ...base, kind: z.literal('pool-released'), conn: z.string(), kept: z.boolean(), reason: z.string().optional() }),
  z.object({ ...base, kind: z.literal('pool-evicted'), conn: z.string(), reason: z.string() }),
  z.object({ ...base, kind: z.literal('bytes-copied'), conn: z.string(), direction: z.enum(['sent', 'received']), bytes: z.number() }),
  z.object({
    ...base,
    kind: z.literal('wire-seen'),
    conn: z.string(),
    mark: WireMarkSchema,
    source: z.enum(['capture', 'kernel']),
    /** tshark frame number (1-based) when from a capture */
    frame: z.number().optional(),
    from: z.enum(['a', 'b']).optional(),
  }),
  z.object({
    ...base,
    kind: z.literal('kernel-timer-read'),
    conn: z.string(),
    state: z.string(),
    timer: z.string(),
    nextMs: z.number().nullable(),
    probes: z.number(),
  }),
  z.object({ ...base, kind: z.literal('settings-applied'), conn: z.string().optional(), keepalive: KeepaliveSettingsSchema }),
  /** an HTTP/2 control frame a lab client sent or received: a PING (keep-alive, with its round trip) or a GOAWAY */
  z.object({
    ...base,
    kind: z.literal('http2-frame'),
    conn: z.string(),
    frame: z.enum(['ping', 'goaway']),
    /** for the tooltip, e.g. "RTT 0.2 ms" or "ENHANCE_YOUR_CALM, last stream 5, too_many_pings" */
    detail: z.string(),
  }),
  z.object({ ...base, kind: z.literal('note-logged'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
]);
export type TraceEvent = z.infer<typeof TraceEventSchema>;

export const ConnectionSchema = z.object({
  /** stable id for the connection's whole life, e.g. "c3" or "s12" (capture stream 12) */
  id: z.string(),
  label: z.string(),
  local: EndpointSchema.nullable(),
  remote: EndpointSchema.nullable(),
  /** TCP stream index (tshark numbering) when known from a capture */
  stream: z.number().optional(),
});
export type Connection = z.infer<typeof ConnectionSchema>;

/** `har`: a browser's HAR file (src/shared/api-har.ts), its entries as requests on connections */
export const SessionKindSchema = z.enum(['http-lab', 'tcp-lab', 'capture', 'har']);

export const SessionSchema = z.object({
  schemaVersion: z.literal(TRACE_SCHEMA_VERSION),
  id: z.string(),
  kind: SessionKindSchema,
  title: z.string(),
  /** wall clock of t = 0, ms since 1970 */
  epochMs: z.number(),
  settings: z.record(z.string(), z.unknown()),
  connections: z.array(ConnectionSchema),
  events: z.array(TraceEventSchema),
  /** headline figures, domain specific (e.g. connectionsOpened, reused) */
  summary: z.record(z.string(), z.unknown()),
});
export type Session = z.infer<typeof SessionSchema>;

/** Omit that keeps a union a union (plain Omit merges the members). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Compile-time exhaustiveness guard for `switch (event.kind)`. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/**
 * Collects events for one session. The clock is injected so the same code runs
 * in Node, the browser and tests; `nowUs` must be monotonic.
 */
export class TraceRecorder {
  readonly epochMs: number;
  readonly connections = new Map<string, Connection>();
  readonly events: TraceEvent[] = [];
  private readonly startUs: number;
  private readonly listeners = new Set<(event: TraceEvent) => void>();

  constructor(
    private readonly nowUs: () => number,
    epochMs: number,
  ) {
    this.epochMs = epochMs;
    this.startUs = nowUs();
  }

  /** µs since the session epoch */
  now(): number {
    return this.nowUs() - this.startUs;
  }

  addConnection(connection: Connection): void {
    this.connections.set(connection.id, connection);
  }

  /** Records an event stamped now (or at `t` when given). */
  record<E extends TraceEvent = TraceEvent>(event: (DistributiveOmit<E, 't'> | Omit<E, 't'>) & { t?: number }): E {
    const full = { ...event, t: event.t ?? this.now() } as unknown as E;
    this.events.push(full);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  onEvent(listener: (event: TraceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  toSession(meta: {
    id: string;
    kind: Session['kind'];
    title: string;
    settings: Record<string, unknown>;
    summary: Record<string, unknown>;
  }): Session {
    return {
      schemaVersion: TRACE_SCHEMA_VERSION,
      ...meta,
      epochMs: this.epochMs,
      connections: [...this.connections.values()],
      events: [...this.events].sort((a, b) => a.t - b.t),
    };
  }
}
