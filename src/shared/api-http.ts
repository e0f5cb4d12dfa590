/**
 * The http domain's part of the contract (composed in api.ts): the HTTP
 * keep-alive lab. One run = N requests from one client configuration against
 * the embedded server (default) or any http(s) URL, recorded as a Session.
 */
import { z } from 'zod';
import { RunCaptureSchema } from './api-correlate';
import { method } from './api-method';
import { NewConnectionSchema, PoolWaitSchema } from './connection-cause';
import { DeadPeerDetectionSchema } from './dead-peer';
import { SessionSchema } from './trace';
import { ConnectionTlsSchema } from './tls-handshake';

const milliseconds = (max: number) => z.number().int().min(0).max(max);

/** The embedded server (src/main/engine/lab/demo-http-server.ts); ignored when `url` is set. */
export const HttpServerConfigSchema = z
  .object({
    /** ms a kept connection may stay idle before the server closes it (Node's default is 5000) */
    keepAliveTimeoutMs: milliseconds(600_000).default(5000),
    /** ms the server waits for a complete request head */
    headersTimeoutMs: z.number().int().min(1).max(600_000).default(60_000),
    /** send `Keep-Alive: timeout=<s>` like Node's server does; nginx does not by default */
    keepAliveHint: z.boolean().default(true),
    /** response body size, bytes */
    bodyBytes: z
      .number()
      .int()
      .min(0)
      .max(64 * 1024 * 1024)
      .default(1024),
    /** Transfer-Encoding: chunked instead of Content-Length */
    chunked: z.boolean().default(false),
    /** bytes per body write */
    chunkBytes: z
      .number()
      .int()
      .min(1)
      .max(16 * 1024 * 1024)
      .default(16 * 1024),
    /** ms before the response head is sent */
    headersDelayMs: milliseconds(60_000).default(0),
    /** ms between body writes */
    chunkDelayMs: milliseconds(60_000).default(0),
    /** answer every Nth response (1-based, per server) with `Connection: close`; 0 = never */
    closeEveryNth: z.number().int().min(0).max(1_000_000).default(0),
    /**
     * Deterministic stale-connection race: a connection idle for keepAliveTimeoutMs is not
     * closed by a timer; the server closes it (FIN or RST) when the next request arrives on
     * it, without answering — as if its FIN had crossed the client's request on the wire.
     */
    staleRace: z.enum(['off', 'fin', 'rst']).default('off'),
  })
  .strict();
export type HttpServerConfig = z.output<typeof HttpServerConfigSchema>;

export const HttpAgentConfigSchema = z
  .object({
    keepAlive: z.boolean().default(true),
    /** initial TCP keepalive delay for kept sockets, ms (floored to whole seconds by Node) */
    keepAliveMsecs: z.number().int().min(0).max(86_400_000).default(1000),
    /** per origin; null = Infinity */
    maxSockets: z.number().int().min(1).max(10_000).nullable().default(null),
    maxFreeSockets: z.number().int().min(0).max(10_000).default(256),
    /** socket timeout, ms: also the free-socket idle timeout; null = none */
    timeoutMs: z.number().int().min(1).max(86_400_000).nullable().default(null),
    scheduling: z.enum(['lifo', 'fifo']).default('lifo'),
  })
  .strict();

export const HttpUndiciConfigSchema = z
  .object({
    /** idle connection timeout, ms (undici default 4000; a server hint may lower it) */
    keepAliveTimeoutMs: z.number().int().min(1).max(86_400_000).default(4000),
    /** connections per origin; null = unlimited */
    connections: z.number().int().min(1).max(10_000).nullable().default(null),
    /** requests in flight per connection; 0 disables keep-alive */
    pipelining: z.number().int().min(0).max(100).default(1),
  })
  .strict();

export const HttpBodyModeSchema = z.enum(['drain', 'ignore', 'destroy', 'partial']);

/** rounds: `concurrency` requests start together, the next round when all have ended; steady: a new request starts as soon as one ends */
export const HttpScheduleSchema = z.enum(['rounds', 'steady']);
export type HttpSchedule = z.infer<typeof HttpScheduleSchema>;

/** most requests in one run */
export const HTTP_MAX_REQUESTS = 100_000;
export type HttpBodyMode = z.infer<typeof HttpBodyModeSchema>;

export const HttpRunConfigSchema = z
  .object({
    /** http(s) URL; null = the embedded server */
    url: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .default(null),
    server: HttpServerConfigSchema.prefault({}),
    /** the embedded server speaks HTTPS with a certificate made for this run, which the client trusts (and only it); ignored when `url` is set (its scheme decides) */
    tls: z.boolean().default(false),
    /** TLS sessions the client keeps to resume later connections (Node's https.Agent and undici's `maxCachedSessions`, default 100); 0 = every new connection pays a full handshake */
    maxCachedSessions: z.number().int().min(0).max(10_000).default(100),
    requests: z.number().int().min(1).max(HTTP_MAX_REQUESTS).default(10),
    concurrency: z.number().int().min(1).max(256).default(1),
    /** how requests start: in rounds of `concurrency`, or steadily `concurrency` in flight */
    schedule: HttpScheduleSchema.default('rounds'),
    /** ms to wait between rounds of `concurrency` requests (steady: between a slot's requests) */
    intervalMs: milliseconds(600_000).default(0),
    /** ms per request, from start to the end of its body */
    timeoutMs: z.number().int().min(1).max(600_000).default(10_000),
    method: z.enum(['GET', 'POST']).default('GET'),
    client: z.enum(['agent', 'undici']).default('agent'),
    agent: HttpAgentConfigSchema.prefault({}),
    undici: HttpUndiciConfigSchema.prefault({}),
    /** drain: read to the end; ignore: never read (held until the run ends); destroy: abort; partial: read partialBytes then abort */
    body: HttpBodyModeSchema.default('drain'),
    partialBytes: z
      .number()
      .int()
      .min(0)
      .max(64 * 1024 * 1024)
      .default(1024),
    /** retry once when a reused connection fails with a reset (the Node docs' `reusedSocket` pattern) */
    retryReusedReset: z.boolean().default(false),
    /** let one event-loop turn pass (await setImmediate) after each response before the next request: undici's pool then has the connection back */
    yieldBeforeNextRequest: z.boolean().default(false),
  })
  .strict();
export type HttpRunConfig = z.output<typeof HttpRunConfigSchema>;
export type HttpRunConfigInput = z.input<typeof HttpRunConfigSchema>;

const nullableMs = z.number().nullable();

export const HttpRequestResultSchema = z.object({
  index: z.number(),
  /** rounds: the round it started in; steady: how many requests its slot had started, this one included */
  round: z.number(),
  status: z.number().nullable(),
  /** message as the client gave it, e.g. "socket hang up" */
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  /** connection id ("c1", …) shared with the session */
  connection: z.string().nullable(),
  /** local address:port of the client socket */
  local: z.string().nullable(),
  reused: z.boolean().nullable(),
  /** the independent signals the verdict `reused` was cross-checked against */
  reuseSignals: z.object({
    identity: z.boolean().nullable(),
    reusedSocket: z.boolean().nullable(),
    diagnostics: z.boolean().nullable(),
    server: z.boolean().nullable(),
  }),
  retried: z.boolean(),
  bodyBytesRead: z.number(),
  ms: z.object({ queued: nullableMs, connect: nullableMs, firstByte: nullableMs, total: nullableMs }),
  /** with live capture: the TCP stream (tshark numbering) that carried it */
  stream: z.number().nullable().optional(),
  /** with live capture: the frames of the request and its response */
  frames: z.array(z.number()).optional(),
  /** present when this request dialled a new connection: why */
  newConnection: NewConnectionSchema.optional(),
  /** present when this request waited for a pool slot (maxSockets / connections reached) */
  waitedForPool: PoolWaitSchema.optional(),
});
export type HttpRequestResult = z.infer<typeof HttpRequestResultSchema>;

export const TimerOverlaySchema = z.object({
  /** ms the client keeps this connection idle before closing it; null = no limit */
  clientIdleTimeoutMs: nullableMs,
  clientIdleSource: z.string(),
  /** ms the server keeps it idle; null = unknown */
  serverKeepAliveTimeoutMs: nullableMs,
  /** the raw `Keep-Alive` header the server sent, if any */
  keepAliveHint: z.string().nullable(),
  kernel: z.object({ enabled: z.boolean(), idleS: nullableMs, intervalS: nullableMs, count: nullableMs, source: z.string() }),
  verdict: z.object({
    first: z.enum(['client', 'server', 'kernel', 'nobody']),
    afterMs: nullableMs,
    reason: z.string(),
  }),
});
export type TimerOverlay = z.infer<typeof TimerOverlaySchema>;

export const HttpConnectionResultSchema = z.object({
  id: z.string(),
  local: z.string().nullable(),
  remote: z.string().nullable(),
  requests: z.number(),
  closed: z.object({ how: z.enum(['fin', 'rst', 'error', 'open', 'released']), by: z.enum(['local', 'remote', 'unknown']) }),
  overlay: TimerOverlaySchema,
  /** why the client dialled it */
  openedBecause: NewConnectionSchema,
  /** the requests it carried, by number (retries count under their request's number) */
  requestIndexes: z.array(z.number()),
  /** the HTTP/1 lab speaks HTTP/1.1 only (the HTTP/2 lab has its own result) */
  httpVersion: z.literal('1.1'),
  /** ms of the TCP connect (SYN to established) */
  connectMs: z.number().nullable(),
  /** over https: the TLS handshake on top of the TCP connect; null over http */
  tls: ConnectionTlsSchema.nullable(),
});
export type HttpConnectionResult = z.infer<typeof HttpConnectionResultSchema>;

export const HttpServerRequestSchema = z.object({
  index: z.number(),
  /** server-side socket id ("s1", …) */
  socket: z.string(),
  clientPort: z.number().nullable(),
  /** this socket had served a request before */
  reused: z.boolean(),
  action: z.enum(['answered', 'answered-and-closed', 'race-closed']),
});

export const ConnectionSurpriseSchema = z.object({
  /** the fewest connections these client settings allow */
  minimum: z.number(),
  opened: z.number(),
  /** one sentence with the numbers filled in, e.g. "2 connections for 10 requests where 1 would do" */
  headline: z.string(),
  /** the connections the settings did not call for (beyond the first and the all-busy ones up to `minimum`), with why each was dialled */
  extra: z.array(z.object({ connection: z.string(), openedBecause: NewConnectionSchema })),
});
export type ConnectionSurprise = z.infer<typeof ConnectionSurpriseSchema>;

export const HttpRunResultSchema = z.object({
  config: HttpRunConfigSchema,
  target: z.string(),
  requests: z.array(HttpRequestResultSchema),
  connections: z.array(HttpConnectionResultSchema),
  connectionsOpened: z.number(),
  reused: z.number(),
  /** connections the handshake of which a reuse saved (= reused) */
  handshakesSaved: z.number(),
  /** most sockets to the target open at once, counted like lsof (/proc/self/fd + /proc/net/tcp) */
  maxOpen: z.number(),
  /** sockets to the target still open after the last request, before release */
  openAtEnd: z.number(),
  /** after release: should be 0 */
  openAfterRelease: z.number(),
  errors: z.number(),
  durationMs: z.number(),
  server: z.object({ requests: z.array(HttpServerRequestSchema) }).nullable(),
  notes: z.array(z.string()),
  /** more connections than these settings need: the headline, with the cause of each extra one; null = no surprise */
  surprise: ConnectionSurpriseSchema.nullable(),
  /** when a silent peer would be noticed on the client's sockets, for the keepalive settings in force (first connection); null = no connection */
  deadPeerDetection: DeadPeerDetectionSchema.nullable(),
  session: SessionSchema,
  /** present when the run asked for live capture: what tcpdump saw, matched to the run's connections */
  capture: RunCaptureSchema.optional(),
});
export type HttpRunResult = z.infer<typeof HttpRunResultSchema>;

export const HttpPresetSchema = z.object({
  name: z.string(),
  title: z.string(),
  lesson: z.string(),
  config: z.record(z.string(), z.unknown()),
  /** a second configuration worth comparing side by side */
  contrast: z.object({ title: z.string(), config: z.record(z.string(), z.unknown()) }).nullable(),
});
export type HttpPreset = z.infer<typeof HttpPresetSchema>;

const jobId = z.string().min(1).max(64).optional();
const runInput = z
  .object({
    config: z.record(z.string(), z.unknown()).optional(),
    preset: z.string().max(64).optional(),
    /** the name the person chose the run by (a scenario's title): the session keeps it; default: the preset's title, else a description of the config */
    title: z.string().min(1).max(200).optional(),
    jobId,
    /** capture the run's own packets with tcpdump and correlate them with its connections */
    capture: z.boolean().optional(),
    /** also keep the pcap (in the engine's data folder); implies capture */
    saveCapture: z.boolean().optional(),
  })
  .strict();

export const HttpDifferenceSchema = z.object({ field: z.string(), a: z.unknown(), b: z.unknown() });

export const httpMethods = {
  /** `config` is checked against HttpRunConfigSchema after merging onto the preset, if any */
  'http.run': method(runInput, HttpRunResultSchema),
  'http.compare': method(
    z.object({ a: runInput.omit({ jobId: true }), b: runInput.omit({ jobId: true }), jobId }).strict(),
    z.object({ a: HttpRunResultSchema, b: HttpRunResultSchema, differences: z.array(HttpDifferenceSchema) }),
  ),
  'http.presets': method(z.object({}).strict(), z.array(HttpPresetSchema)),
};
