/**
 * The HTTP/2 lab's part of the contract (composed in api.ts): N requests over `node:http2`
 * sessions against the lab's own HTTP/2 server (over TLS with ALPN "h2", or h2c) or any URL,
 * recorded as a Session whose lanes are connections and whose requests are streams.
 */
import { z } from 'zod';
import { method } from './api-method';
import { SessionSchema } from './trace';

const milliseconds = (max: number) => z.number().int().min(0).max(max);

/** The embedded server (src/main/engine/lab/http2-server.ts); ignored when `url` is set. */
export const Http2ServerSettingsSchema = z
  .object({
    /** SETTINGS_MAX_CONCURRENT_STREAMS the server announces (RFC 9113 §6.5.2) */
    maxConcurrentStreams: z.number().int().min(1).max(1000).default(100),
    /** ms a connection may carry no stream before the server sends GOAWAY NO_ERROR; null: never */
    idleTimeoutMs: z.number().int().min(1).max(600_000).nullable().default(null),
    /** PINGs allowed per `pingWindowMs` before GOAWAY ENHANCE_YOUR_CALM "too_many_pings"; null: answer every PING */
    maxPingsPerWindow: z.number().int().min(0).max(10_000).nullable().default(null),
    pingWindowMs: z.number().int().min(1).max(600_000).default(1000),
    /** response body size, bytes */
    responseBytes: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024)
      .default(2000),
    /** ms before each response is sent */
    delayMs: milliseconds(60_000).default(0),
  })
  .strict();

export const Http2RunConfigSchema = z
  .object({
    /** https:// (h2 over TLS, ALPN) or http:// (h2c, prior knowledge) URL of any HTTP/2 server; null = the embedded server */
    url: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .default(null),
    /** the embedded server over TLS (h2) or in cleartext (h2c); ignored when `url` is set (its scheme decides) */
    tls: z.boolean().default(true),
    /** the client: `node:http2` sessions driven by the lab, or undici's Pool with `allowH2` (its own queueing, PINGs and GOAWAY handling) */
    client: z.enum(['node-http2', 'undici']).default('node-http2'),
    server: Http2ServerSettingsSchema.prefault({}),
    requests: z.number().int().min(1).max(10_000).default(10),
    /** requests in flight at once (a new one starts as one ends) */
    concurrency: z.number().int().min(1).max(256).default(1),
    /** drain: read each body to the end; ignore: leave it unread until the run ends */
    body: z.enum(['drain', 'ignore']).default('drain'),
    /** ms between the client's PINGs on each open connection; null: no PINGs */
    pingIntervalMs: z.number().int().min(10).max(600_000).nullable().default(null),
    /** ms to wait before each request after the first of each worker */
    pauseMs: milliseconds(600_000).default(0),
    /** offer the previous connection's TLS session to the next one */
    resumeSessions: z.boolean().default(true),
    /** wait for the server's SETTINGS before a new connection's first request */
    waitForSettings: z.boolean().default(true),
    /** ms a request may take before it is cancelled */
    timeoutMs: z.number().int().min(1).max(600_000).default(10_000),
  })
  .strict();
export type Http2RunConfig = z.output<typeof Http2RunConfigSchema>;

export const Http2TlsSchema = z.object({
  /** "TLS 1.3", "TLS 1.2" */
  version: z.string().nullable(),
  /** the protocol ALPN chose ("h2") */
  alpn: z.string().nullable(),
  /** the handshake resumed an earlier session (no certificate exchange) */
  resumed: z.boolean(),
  /** ms from TCP connected to TLS done */
  handshakeMs: z.number().nullable(),
});

export const Http2ConnectionResultSchema = z.object({
  /** "c1", … shared with the session */
  id: z.string(),
  httpVersion: z.literal('2'),
  localPort: z.number(),
  openedBecause: z.enum(['first', 'after-goaway', 'after-error']),
  /** ms since the run's start */
  openedAtMs: z.number(),
  /** TCP connect, ms */
  connectMs: z.number().nullable(),
  /** null on h2c */
  tls: Http2TlsSchema.nullable(),
  /** SETTINGS_MAX_CONCURRENT_STREAMS the server announced; null when none arrived (or unlimited) */
  serverMaxConcurrentStreams: z.number().nullable(),
  requests: z.number(),
  /** most streams of this run in flight at once on it, as the client counts them */
  maxConcurrent: z.number(),
  pings: z.array(z.object({ atMs: z.number(), rttMs: z.number().nullable() })),
  goaway: z
    .object({ atMs: z.number(), errorCode: z.number(), error: z.string(), lastStreamId: z.number().nullable(), debug: z.string() })
    .nullable(),
  closedAtMs: z.number().nullable(),
});
export type Http2ConnectionResult = z.infer<typeof Http2ConnectionResultSchema>;

export const Http2RequestResultSchema = z.object({
  index: z.number(),
  /** "c1", …; null when it never reached a connection */
  connection: z.string().nullable(),
  /** HTTP/2 stream id (1, 3, 5, … on each connection); null when it never got one */
  stream: z.number().nullable(),
  /**
   * who gave `stream`: the client (`node:http2`), or the embedded server's record of the stream it
   * answered the path on (undici does not expose stream ids); null: not known
   */
  streamFrom: z.enum(['client', 'server']).nullable(),
  /** ms since the run's start */
  startMs: z.number(),
  /** ms waited for a stream slot (the server's concurrent-stream limit); null when not known, or when the run could not exceed the limit */
  queuedMs: z.number().nullable(),
  endMs: z.number().nullable(),
  status: z.number().nullable(),
  bytes: z.number(),
  /** a second attempt of a request the server refused or had not processed before GOAWAY */
  retried: z.boolean(),
  error: z.string().nullable(),
});
export type Http2RequestResult = z.infer<typeof Http2RequestResultSchema>;

export const Http2RunResultSchema = z.object({
  config: Http2RunConfigSchema,
  /** the URL the client connected to */
  target: z.string(),
  connections: z.array(Http2ConnectionResultSchema),
  requests: z.array(Http2RequestResultSchema),
  /** requests answered (status, no error), counted once per request index */
  answered: z.number(),
  /** attempts that ended in an error (a refused stream sent again counts here once) */
  errors: z.number(),
  /** most streams of this run in flight at once on one connection */
  maxConcurrentStreams: z.number(),
  /** requests that started while their connection already had as many streams in flight as the server allows */
  waitedForSlot: z.number(),
  /** ms, the longest wait for a stream slot; null when not known */
  longestWaitMs: z.number().nullable(),
  durationMs: z.number(),
  /** what the embedded server saw per connection; null against a URL */
  server: z
    .array(
      z.object({
        remotePort: z.number(),
        streams: z.number(),
        maxConcurrent: z.number(),
        pings: z.number(),
        goaway: z
          .object({
            errorCode: z.number(),
            reason: z.enum(['idle', 'too-many-pings']),
            /** the highest stream id it had received */ lastStreamId: z.number(),
          })
          .nullable(),
      }),
    )
    .nullable(),
  session: SessionSchema,
});
export type Http2RunResult = z.infer<typeof Http2RunResultSchema>;

export const Http2PresetSchema = z.object({
  name: z.string(),
  title: z.string(),
  /** what the preset shows, before it runs */
  lesson: z.string(),
  config: z.record(z.string(), z.unknown()),
});
export type Http2Preset = z.infer<typeof Http2PresetSchema>;

export const http2Methods = {
  /** `config` is checked against Http2RunConfigSchema after merging onto the preset, if any */
  'http2.run': method(
    z
      .object({
        config: z.record(z.string(), z.unknown()).optional(),
        preset: z.string().max(64).optional(),
        jobId: z.string().min(1).max(64).optional(),
      })
      .strict(),
    Http2RunResultSchema,
  ),
  'http2.presets': method(z.object({}).strict(), z.array(Http2PresetSchema)),
};
