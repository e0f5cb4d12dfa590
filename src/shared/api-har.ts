/**
 * The HAR room's part of the contract (composed in api.ts): open a browser's HAR file
 * (HTTP Archive 1.2, http://www.softwareishard.com/blog/har-12-spec/) as connections and
 * the requests on them, tell what kind of file a path holds, and write an HTTP lab run
 * as a HAR file.
 *
 * `connection` in a HAR means different things to different writers: a socket id for
 * Chrome-family DevTools and chrome-har, the server port for Firefox and Firebug, a
 * client port for Fiddler, nothing at all for Safari's cache hits, IE11, Playwright or
 * Charles. Where the file holds no connection id the importer infers connections from
 * the origin, the server address and the timings (`connect`/`ssl` are -1 on a reused
 * connection), and marks them `inferred`.
 */
import { z } from 'zod';
import { method } from './api-method';
import { ExampleIdSchema } from './example-captures';
import { HarCauseSchema, HarConnectionLimitSchema, HarPoolWaitSchema } from './har-cause';
import { SessionSchema } from './trace';

export const HttpVersionFamilySchema = z.enum(['h1', 'h2', 'h3', 'unknown']);
export type HttpVersionFamily = z.infer<typeof HttpVersionFamilySchema>;

const ms = z.number();
const nullableMs = z.number().nullable();

/** HAR 1.2 timings of one entry, ms; null where the file says -1 (not applicable) or leaves it out. */
export const HarTimingsSchema = z.object({
  blocked: nullableMs,
  dns: nullableMs,
  connect: nullableMs,
  /** included in `connect` (HAR 1.2) */
  ssl: nullableMs,
  send: nullableMs,
  wait: nullableMs,
  receive: nullableMs,
  /** the entry's `time`: the sum of the others, ms */
  total: ms,
});

export const HarRequestSchema = z.object({
  /** the entry's position in the file's `log.entries` (0-based) */
  index: z.number().int().min(0),
  /** ISO 8601, as the file gives it */
  startedDateTime: z.string(),
  /** ms after the file's earliest entry */
  startMs: ms,
  method: z.string(),
  url: z.string(),
  /** scheme://host[:port] */
  origin: z.string(),
  status: z.number().nullable(),
  pageref: z.string().nullable(),
  httpVersion: HttpVersionFamilySchema,
  /** the connection that carried it; null when it never went to the network (cache hit, blocked, failed) */
  connection: z.string().nullable(),
  /** its connection carried an earlier entry of this file, or was set up before it (connect -1) */
  reused: z.boolean().nullable(),
  /** why its connection was opened, on the entry that opened it; null on a reused connection */
  cause: HarCauseSchema.nullable(),
  /** the cause in one sentence with this file's values filled in */
  causeDetail: z.string().nullable(),
  /** `all-busy`: the entries (by index) that kept every connection to the origin busy */
  busyWith: z.array(z.number().int()),
  /** waited for a free HTTP/1.1 connection (`connectionLimit` was reached); null = it did not */
  waitedForPool: HarPoolWaitSchema.nullable(),
  timings: HarTimingsSchema,
});
export type HarRequest = z.infer<typeof HarRequestSchema>;

export const HarConnectionSchema = z.object({
  /** the file's connection id, or "inferred-N" */
  id: z.string(),
  /** true when the file holds no connection id for it: worked out from origin, address and timings */
  inferred: z.boolean(),
  origin: z.string(),
  httpVersion: HttpVersionFamilySchema,
  /** server IP address when the file gives one */
  serverIPAddress: z.string().nullable(),
  /** entries it carried */
  requests: z.number().int().min(0),
  requestIndexes: z.array(z.number().int()),
  /** the entry that opened it; null when it was set up before the first entry that used it */
  openedBy: z.number().int().nullable(),
  cause: HarCauseSchema.nullable(),
  /** ms of TCP connect + TLS (HAR's `connect`, which includes `ssl`); null when not set up in the file */
  setupMs: nullableMs,
  /** ms of the TLS handshake alone; null when none */
  tlsMs: nullableMs,
  /** entries it carried for other origins: HTTP/2 reuses a connection for another host on the same address and certificate (RFC 9113 §9.1.1) */
  otherOrigins: z.number().int().min(0),
  /** most entries in flight on it at once (> 1: multiplexed, as h2 and h3 do) */
  maxConcurrent: z.number().int().min(0),
});
export type HarConnection = z.infer<typeof HarConnectionSchema>;

export const HarOriginSchema = z.object({
  origin: z.string(),
  connectionsOpened: z.number().int().min(0),
  requests: z.number().int().min(0),
  reused: z.number().int().min(0),
  /** reused / requests on the network, 0..1 */
  reuseRatio: z.number(),
  /** ms spent on connect + TLS for this origin's new connections */
  setupMs: ms,
  /** ms of connect + TLS the reused requests did not pay (reused × mean setup of the origin) */
  savedMs: ms,
  /** ms of connect + TLS of connections opened while one to the origin sat idle */
  couldHaveSavedMs: ms,
  httpVersions: z.array(HttpVersionFamilySchema),
});
export type HarOrigin = z.infer<typeof HarOriginSchema>;

export const HarPageSchema = z.object({
  id: z.string(),
  title: z.string(),
  startedDateTime: z.string(),
  /** ms to onLoad, null when the file has none */
  onLoadMs: nullableMs,
  entries: z.number().int().min(0),
});

export const HarImportSchema = z.object({
  format: z.literal('har'),
  /** the file's name (no folders) */
  file: z.string(),
  creator: z.object({ name: z.string(), version: z.string() }),
  browser: z.object({ name: z.string(), version: z.string() }).nullable(),
  /** how connections were found: "recorded" ids, "inferred" from timings, or a "mixed" file */
  connectionSource: z.enum(['recorded', 'inferred', 'mixed']),
  /** why, in one sentence naming the writer */
  connectionNote: z.string(),
  /** the HTTP/1.1 connections per origin that `waitedForPool` is measured against, and whose limit it is */
  connectionLimit: HarConnectionLimitSchema,
  pages: z.array(HarPageSchema),
  /** what was skipped or doubted, one sentence each */
  warnings: z.array(z.string()),
  connections: z.array(HarConnectionSchema),
  /** in startedDateTime order (ties keep file order) */
  requests: z.array(HarRequestSchema),
  origins: z.array(HarOriginSchema),
  /** the same as a trace: a lane per connection, for the timeline and reports */
  session: SessionSchema,
});
export type HarImport = z.infer<typeof HarImportSchema>;

export const FileKindSchema = z.enum(['pcap', 'pcapng', 'har', 'unknown']);
export type FileKind = z.infer<typeof FileKindSchema>;

const path = z.string().min(1).max(4096);

export const harMethods = {
  /** What a file holds, by its first bytes (never its name): a capture, a HAR, or neither. */
  'file.detect': method(z.object({ path }).strict(), z.object({ kind: FileKindSchema })),
  'har.open': method(z.object({ path, jobId: z.string().min(1).max(64).optional() }).strict(), HarImportSchema),
  /** Opens one of the bundled example HAR files (src/shared/example-hars.ts) by id; the engine knows where they are. */
  'har.openExample': method(
    z.object({ exampleId: ExampleIdSchema, jobId: z.string().min(1).max(64).optional() }).strict(),
    HarImportSchema,
  ),
  /** An HTTP lab run (its session) as HAR 1.2 text; the web mode offers it as a download. */
  'har.render': method(z.object({ session: SessionSchema }).strict(), z.object({ text: z.string(), suggestedName: z.string() })),
  /** Writes it where the Electron save dialog pointed, atomically; refuses to overwrite unless `force`. */
  'har.save': method(
    z.object({ session: SessionSchema, path, force: z.boolean().default(false) }).strict(),
    z.object({ path: z.string(), bytes: z.number().int().min(0) }),
  ),
};
