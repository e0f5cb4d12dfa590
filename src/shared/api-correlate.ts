/**
 * Capture ↔ lab correlation in the contract (composed in api.ts): the `capture` block a lab
 * run carries when it ran with live capture on, and `capture.correlate`, which joins a saved
 * session with a capture of it taken elsewhere (by the user's own tcpdump).
 */
import { z } from 'zod';
import { method } from './api-method';
import { SessionSchema } from './trace';

export const CaptureFindingSchema = z.object({
  /** unmatched-connection | request-count-differs | reused-but-new-handshake | new-but-reused-on-wire | close-crossed-request | unanswered-probes | close-differs */
  code: z.string(),
  conn: z.string().nullable(),
  stream: z.number().nullable(),
  /** tshark frame numbers that show it */
  frames: z.array(z.number()),
  message: z.string(),
});

export const CaptureLaneSchema = z.object({
  conn: z.string(),
  stream: z.number(),
  packets: z.number(),
  keepAlives: z.number(),
  keepAliveAcks: z.number(),
  /** ms since 1970 of each keep-alive probe */
  probeTimesMs: z.array(z.number()),
  /** 'a' = the lab connection's local end */
  probesFrom: z.enum(['a', 'b', 'both']).nullable(),
  retransmissions: z.number(),
  end: z.enum(['fin', 'rst', 'open']),
});

export const RequestFramesSchema = z.object({
  request: z.string(),
  conn: z.string().nullable(),
  stream: z.number().nullable(),
  /** 0-based position among the HTTP requests on its stream; null when the wire has no such request */
  onStream: z.number().nullable(),
  /** every frame that carried the request and its response, in order */
  frames: z.array(z.number()),
  requestFrames: z.array(z.number()),
  responseFrames: z.array(z.number()),
});
export type RequestFrames = z.infer<typeof RequestFramesSchema>;

/**
 * The run's connections that spoke TLS: their HTTP requests and responses are encrypted, so the
 * capture cannot say which frames carried which request; their handshakes travel in clear and are read.
 */
export const EncryptedTrafficSchema = z.object({
  /** matched lab connections whose stream carried TLS */
  connections: z.number(),
  /** the lab's requests on them: none can be matched to frames */
  requests: z.number(),
  /** TLS handshakes (ClientHellos) the capture read on their streams */
  handshakes: z.number(),
  /** of those, how many resumed a session (the ServerHello accepted a pre-shared key or session id) */
  resumed: z.number(),
  /** "TLS 1.3", "TLS 1.2", from the first ServerHello read; null when none was */
  version: z.string().nullable(),
});
export type EncryptedTraffic = z.infer<typeof EncryptedTrafficSchema>;

export const CorrelatedCaptureSchema = z.object({
  status: z.literal('captured'),
  /** the saved pcap, when one was asked for */
  file: z.string().nullable(),
  /** tcpdump's filter (live capture) */
  filter: z.string().nullable(),
  packets: z.number(),
  streams: z.number(),
  /** lab connections matched to exactly one stream */
  matched: z.number(),
  /** lab connections with no stream */
  unmatched: z.number(),
  keepAlives: z.number(),
  findings: z.array(CaptureFindingSchema),
  connections: z.array(z.object({ conn: z.string(), stream: z.number(), offsetMs: z.number().nullable() })),
  unmatchedConnections: z.array(z.string()),
  /** streams no lab connection claimed (e.g. other traffic on the same port) */
  unmatchedStreams: z.array(z.number()),
  lanes: z.array(CaptureLaneSchema),
  requests: z.array(RequestFramesSchema),
  warnings: z.array(z.string()),
  /** present when some of the run's connections spoke TLS (their requests are not matched to frames) */
  encrypted: EncryptedTrafficSchema.optional(),
});
export type CorrelatedCapture = z.infer<typeof CorrelatedCaptureSchema>;

export const CaptureUnavailableSchema = z.object({
  status: z.literal('unavailable'),
  code: z.enum(['missing', 'not-permitted', 'failed']),
  message: z.string(),
  /** what to do so it works next time */
  howToEnable: z.string(),
});

export const RunCaptureSchema = z.discriminatedUnion('status', [CorrelatedCaptureSchema, CaptureUnavailableSchema]);
export type RunCapture = z.infer<typeof RunCaptureSchema>;

export const correlateMethods = {
  /** A saved session (a file written by the lab, or the session itself) + a capture file of it → the correlated session. */
  'capture.correlate': method(
    z
      .object({
        sessionPath: z.string().min(1).max(4096).optional(),
        session: SessionSchema.optional(),
        capturePath: z.string().min(1).max(4096),
        /** cancel with `job.cancel` */
        jobId: z.string().min(1).max(64).optional(),
      })
      .strict()
      .refine((params) => (params.sessionPath === undefined) !== (params.session === undefined), {
        message: 'give exactly one of sessionPath and session',
      }),
    z.object({ session: SessionSchema, capture: CorrelatedCaptureSchema }),
  ),
};
