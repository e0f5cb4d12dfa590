/**
 * The tcp domain's part of the contract (composed in api.ts): the TCP lab on real
 * loopback sockets. Long runs take an optional `jobId` (cancel with `job.cancel`)
 * and stream `trace-appended` / `stats-updated` / `job-progressed` events under it.
 */
import { z } from 'zod';
import { RunCaptureSchema } from './api-correlate';
import { method } from './api-method';
import { DeadPeerDetectionSchema } from './dead-peer';
import { KeepaliveSettingsSchema, SessionSchema } from './trace';

const JobId = z.string().min(1).max(64).optional();
/** live capture (api-correlate.ts): tcpdump on the experiment's own port, correlated with its connection */
const captureParams = { capture: z.boolean().optional(), saveCapture: z.boolean().optional() };
const Port = z.number().int().min(0).max(65535);
const TargetSchema = z.object({ host: z.string().min(1).max(255), port: z.number().int().min(1).max(65535) }).strict();
const EchoBehaviourSchema = z
  .object({
    /** ms before each response */
    delayMs: z.number().int().min(0).max(60_000).optional(),
    /** drop every Nth response (0 = never) */
    dropEveryNth: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();

export const LoadSummarySchema = z.object({
  mode: z.enum(['mux', 'pool', 'per-request']),
  requests: z.number(),
  ok: z.number(),
  timedOut: z.number(),
  failed: z.number(),
  lateReplies: z.number(),
  connectionsOpened: z.number(),
  requestsPerSecond: z.number(),
  durationMs: z.number(),
  ms: z.object({ p50: z.number().nullable(), p99: z.number().nullable() }),
  target: z.string(),
  cancelled: z.boolean(),
  errors: z.array(z.string()),
});
export type LoadSummary = z.infer<typeof LoadSummarySchema>;

const loadParams = {
  jobId: JobId,
  requests: z.number().int().min(1).max(1_000_000),
  concurrency: z.number().int().min(1).max(10_000),
  /** per-request timeout in ms (0 = none) */
  timeoutMs: z.number().int().min(0).max(600_000).optional(),
  target: TargetSchema.optional(),
  server: EchoBehaviourSchema.optional(),
};

export const TimerSampleSchema = z.object({
  atMs: z.number(),
  state: z.string(),
  timer: z.string(),
  nextMs: z.number().nullable(),
  probes: z.number(),
});

export const KeepaliveSummarySchema = z.object({
  local: z.string(),
  remote: z.string(),
  settings: KeepaliveSettingsSchema.pick({ idleS: true, intervalS: true, count: true, userTimeoutMs: true, source: true }),
  timers: z.array(TimerSampleSchema),
  probesInferredAtMs: z.array(z.number()),
  closedBy: z.enum(['fin', 'rst']),
  kernelTimers: z.string(),
  notes: z.array(z.string()),
  cancelled: z.boolean(),
  /** when a silent peer would be noticed with these settings */
  deadPeerDetection: DeadPeerDetectionSchema,
});

export const HalfOpenSummarySchema = z.object({
  available: z.boolean(),
  reason: z.string().nullable(),
  topology: z
    .object({
      clientNetns: z.string(),
      serverNetns: z.string(),
      clientInterface: z.string(),
      serverAddress: z.string(),
      serverPort: z.number(),
    })
    .nullable(),
  idleS: z.number(),
  intervalS: z.number(),
  count: z.number(),
  /** TCP_USER_TIMEOUT set on the client socket, ms; null = not set */
  userTimeoutMs: z.number().nullable(),
  expectedGiveUpMs: z.number(),
  gaveUpAfterMs: z.number().nullable(),
  error: z.string().nullable(),
  probesSeen: z.number(),
  /** ms on the session's clock (the timeline's) when the peer vanished; null: it never did */
  peerVanishedAtMs: z.number().nullable().default(null),
  /** ms on the session's clock when keepalive was switched on (gaveUpAfterMs counts from here) */
  keepaliveOnAtMs: z.number().nullable().default(null),
  /** ms on the session's clock when the kernel gave up: keepaliveOnAtMs + gaveUpAfterMs */
  gaveUpAtMs: z.number().nullable().default(null),
  /** the expected give-up time as a formula (its `ms` is expectedGiveUpMs) */
  deadPeerDetection: DeadPeerDetectionSchema,
});

export const KernelTimerRowSchema = z.object({
  state: z.string(),
  local: z.string(),
  remote: z.string(),
  timer: z.enum(['off', 'retransmit', 'keepalive', 'time-wait', 'zero-window-probe', 'unknown']),
  nextMs: z.number().nullable(),
  probes: z.number(),
  inode: z.number().nullable(),
  source: z.enum(['ss', 'proc']),
});

export const PoolStatsSchema = z.object({
  size: z.number(),
  idle: z.number(),
  inUse: z.number(),
  dialling: z.number(),
  waiting: z.number(),
  created: z.number(),
  reused: z.number(),
  evicted: z.number(),
});

const ListenerSchema = z.object({ id: z.string(), host: z.string(), port: z.number() });

export const tcpMethods = {
  'tcp.runMux': method(z.object(loadParams).strict(), z.object({ session: SessionSchema, summary: LoadSummarySchema })),
  'tcp.runPool': method(
    z
      .object({ ...loadParams, size: z.number().int().min(1).max(1000), acquireTimeoutMs: z.number().int().min(0).max(600_000).optional() })
      .strict(),
    z.object({ session: SessionSchema, summary: LoadSummarySchema.extend({ pool: PoolStatsSchema }) }),
  ),
  'tcp.runKeepalive': method(
    z
      .object({
        jobId: JobId,
        idleS: z.number().int().min(1).max(7200),
        intervalS: z.number().int().min(1).max(3600).optional(),
        count: z.number().int().min(1).max(127).optional(),
        userTimeoutMs: z.number().int().min(0).max(3_600_000).optional(),
        holdS: z.number().min(0).max(3600),
        close: z.enum(['fin', 'rst']).default('fin'),
        target: TargetSchema.optional(),
        ...captureParams,
      })
      .strict(),
    z.object({ session: SessionSchema, summary: KeepaliveSummarySchema, capture: RunCaptureSchema.optional() }),
  ),
  /** Linux + root only; otherwise `summary.available` is false and `summary.reason` says what is needed. */
  'tcp.runHalfOpen': method(
    z
      .object({
        jobId: JobId,
        idleS: z.number().int().min(1).max(60).default(1),
        intervalS: z.number().int().min(1).max(60).default(1),
        count: z.number().int().min(1).max(20).default(3),
        /** TCP_USER_TIMEOUT, ms (0 = not set): when set, the kernel gives up at the first keepalive check at or after it */
        userTimeoutMs: z.number().int().min(0).max(60_000).default(0),
        ...captureParams,
      })
      .strict(),
    z.object({ session: SessionSchema, summary: HalfOpenSummarySchema, capture: RunCaptureSchema.optional() }),
  ),
  /** Whether tcp.runHalfOpen can run here: a control stays visible, disabled with the reason and the fix, when not. */
  'tcp.halfOpenCheck': method(
    z.object({}).strict(),
    z.object({ available: z.boolean(), reason: z.string().nullable(), fix: z.string().nullable() }),
  ),
  'tcp.startEcho': method(
    z
      .object({
        port: Port.default(0),
        maxLineBytes: z
          .number()
          .int()
          .min(16)
          .max(64 * 1024 * 1024)
          .optional(),
      })
      .extend(EchoBehaviourSchema.shape)
      .strict(),
    ListenerSchema,
  ),
  'tcp.stopEcho': method(
    z.object({ id: z.string() }).strict(),
    /** stats: what the server answered, timed out and dropped (null when it was not running) */
    z.object({ stopped: z.boolean(), stats: z.record(z.string(), z.unknown()).nullable() }),
  ),
  'tcp.startProxy': method(
    z
      .object({
        listenPort: Port.default(0),
        /** omitted: an embedded echo server is started as the upstream */
        upstream: TargetSchema.optional(),
        poolSize: z.number().int().min(1).max(1000).default(4),
        highWaterMark: z
          .number()
          .int()
          .min(1024)
          .max(16 * 1024 * 1024)
          .optional(),
      })
      .strict(),
    ListenerSchema.extend({ upstream: z.string() }),
  ),
  'tcp.stopProxy': method(
    z.object({ id: z.string() }).strict(),
    z.object({ stopped: z.boolean(), stats: z.record(z.string(), z.unknown()).nullable() }),
  ),
  'tcp.kernelTimers': method(
    z.object({}).strict(),
    z.discriminatedUnion('available', [
      z.object({ available: z.literal(true), rows: z.array(KernelTimerRowSchema) }),
      z.object({ available: z.literal(false), reason: z.string() }),
    ]),
  ),
};
