/**
 * The capture domain's part of the contract (composed in api.ts): open a pcap/pcapng file, get its
 * streams and Wireshark-equivalent annotations, page through packets by frame, and fetch
 * level-of-detail bins for the timeline. `capture.open` takes an optional `jobId` (cancel with
 * `job.cancel`; progress arrives as `job-progressed` in bytes).
 */
import { z } from 'zod';
import { method } from './api-method';
import { ExampleIdSchema } from './example-captures';
import { ANALYSIS_FLAG_NAMES } from './analysis-flag-names';

const CaptureId = z.string().min(1).max(64);

export const AnalysisFlagNameSchema = z.enum(ANALYSIS_FLAG_NAMES);

export const InferredKeepaliveSchema = z.object({
  prober: z.enum(['a', 'b']),
  /** seconds of silence before the first probe (≈ TCP_KEEPIDLE) */
  idleSeconds: z.number().nullable(),
  /** median seconds between unanswered probes (≈ TCP_KEEPINTVL) */
  intervalSeconds: z.number().nullable(),
  /** unanswered probes before a reset (≈ TCP_KEEPCNT), when the capture shows it */
  probesBeforeGiveUp: z.number().nullable(),
});

/** One TLS handshake as the capture shows it (the rest of TLS is encrypted). */
export const TlsHandshakeSchema = z.object({
  /** frame of the ClientHello */
  frame: z.number(),
  /** 'unknown' when no ServerHello was captured */
  kind: z.enum(['full', 'resumed', 'unknown']),
  /** server name the client asked for; null when it sent none (as for an IP address) */
  sni: z.string().nullable(),
  /** application protocols the client offered, e.g. ["h2", "http/1.1"] */
  alpnOffered: z.array(z.string()),
  /** the server's choice; null when not visible (TLS 1.3 encrypts it) or none */
  alpn: z.string().nullable(),
  /** "TLS 1.3", "TLS 1.2", …; null without a ServerHello */
  version: z.string().nullable(),
  /** ClientHello to the client's last handshake flight, ms */
  handshakeMs: z.number().nullable(),
});

export const TlsSummarySchema = z.object({
  /** the endpoint (a or b) that sent the ClientHello */
  clientSide: z.enum(['a', 'b']),
  handshakes: z.number(),
  resumed: z.number(),
  /** the first handshake's values */
  sni: z.string().nullable(),
  alpn: z.string().nullable(),
  version: z.string().nullable(),
  handshakeMs: z.number().nullable(),
  /** the first 16 handshakes */
  list: z.array(TlsHandshakeSchema),
});

/** Cleartext HTTP/2 (h2c) on one connection. */
export const Http2SummarySchema = z.object({
  /** requests: client HEADERS frames that opened a stream */
  requests: z.number(),
  /** most HTTP/2 streams open at once on the connection */
  maxConcurrentStreams: z.number(),
  /** PINGs sent (ACKs not counted) */
  pings: z.number(),
  pingList: z.array(z.object({ from: z.enum(['client', 'server']), frame: z.number(), time: z.number(), rttMs: z.number().nullable() })),
  goaway: z.array(
    z.object({
      from: z.enum(['client', 'server']),
      frame: z.number(),
      time: z.number(),
      /** the highest stream id the sender may have processed */
      lastStreamId: z.number(),
      errorCode: z.number(),
      /** NO_ERROR, ENHANCE_YOUR_CALM, … */
      error: z.string(),
    }),
  ),
  rstStreams: z.number(),
});

export const CaptureStreamSchema = z.object({
  stream: z.number(),
  /** `ip:port` of the sender of the stream's first captured segment (IPv6 in brackets) */
  a: z.string(),
  b: z.string(),
  firstFrame: z.number(),
  lastFrame: z.number(),
  /** seconds since 1970 */
  firstTime: z.number(),
  lastTime: z.number(),
  packets: z.number(),
  packetsAtoB: z.number(),
  packetsBtoA: z.number(),
  payloadAtoB: z.number(),
  payloadBtoA: z.number(),
  synSeen: z.boolean(),
  end: z.enum(['rst', 'fin', 'open']),
  /** seconds */
  maxIdleGap: z.number(),
  /** whole requests and responses, as tshark counts them */
  httpRequests: z.number(),
  httpResponses: z.number(),
  /** requests seen in part (their bytes were not all captured): not in httpRequests, as tshark does not count them */
  httpPartialRequests: z.number().optional(),
  keepAlives: z.number(),
  keepAliveAcks: z.number(),
  /** probes and ACKs that were `-i any` copies of the segment before: counted above, left out of probeSpacing and keepalive */
  duplicateProbesIgnored: z.number().optional(),
  /** seconds between consecutive probes from one side */
  probeSpacing: z.object({ min: z.number(), median: z.number(), max: z.number() }).nullable(),
  keepalive: InferredKeepaliveSchema.nullable(),
  /** present when the stream carried TLS */
  tls: TlsSummarySchema.optional(),
  /** present when the stream carried cleartext HTTP/2 */
  http2: Http2SummarySchema.optional(),
});
export type CaptureStream = z.infer<typeof CaptureStreamSchema>;

export const CaptureHintSchema = z.object({
  code: z.enum(['mid-connection', 'duplicates', 'snaplen-cut', 'time-order', 'time-gap', 'tls-reconnects', 'wireshark-port']),
  count: z.number(),
  message: z.string(),
});

/** One flagged frame that stands for the rest, with the values its rule compared (see AnnotationReasonSchema). */
export const FlagExampleSchema = z.object({
  frame: z.number(),
  stream: z.number().nullable(),
  /** TCP payload bytes */
  payload: z.number(),
  values: z.record(z.string(), z.number()),
});
export type FlagExample = z.infer<typeof FlagExampleSchema>;

export const CaptureSummarySchema = z.object({
  captureId: CaptureId,
  path: z.string(),
  /** the file's name as the person knows it (capture.open's `name`, else the path's last part) */
  name: z.string().optional(),
  format: z.enum(['pcap', 'pcapng']),
  linkTypes: z.array(z.string()),
  packets: z.number(),
  tcpSegments: z.number(),
  /** reader problems (cut short, corrupt length): every complete packet before them was analysed */
  warnings: z.array(z.string()),
  hints: z.array(CaptureHintSchema),
  /** seconds since 1970 of frame 1; packet and bin times are seconds after it */
  startTime: z.number(),
  /** seconds from the first to the last packet */
  duration: z.number(),
  /**
   * groups of packets far apart in time (a merged capture, a clock jump), in time order; absent or
   * empty when the packets form one group. Views fit to one group at a time (a 'time-gap' hint says so).
   */
  timeGroups: z
    .array(
      z.object({
        /** seconds after frame 1's time (negative for a group before it) */
        startS: z.number(),
        endS: z.number(),
        packets: z.number(),
        firstFrame: z.number(),
        lastFrame: z.number(),
      }),
    )
    .optional(),
  /**
   * every stream, in stream order; only the first `streamWindow` of them when capture.open was asked
   * for a window (the page pages the rest with `capture.streams`), so check `streamCount`
   */
  streams: z.array(CaptureStreamSchema),
  /** how many TCP streams the capture has (absent from summaries made before paging: then `streams.length`) */
  streamCount: z.number().optional(),
  /** sums over every stream, so a windowed summary still shows them */
  streamTotals: z
    .object({
      httpRequests: z.number(),
      /** requests seen in part (not in httpRequests, as tshark does not count them) */
      httpPartialRequests: z.number(),
      /** streams that carried more than one HTTP request: connection reuse */
      reusedStreams: z.number(),
      /** streams that carried TLS: their HTTP requests are encrypted, not counted (absent from older summaries) */
      tlsStreams: z.number().optional(),
    })
    .optional(),
  /** frames carrying each flag */
  flagCounts: z.record(z.string(), z.number()),
  /** per flag, its first frame and the values compared there: reports fill their explanations from it */
  examples: z.record(z.string(), FlagExampleSchema).optional(),
});
export type CaptureSummary = z.infer<typeof CaptureSummarySchema>;

export const AnnotationReasonSchema = z.object({
  flag: z.union([AnalysisFlagNameSchema, z.literal('near-miss')]),
  /** the rule that fired and the values it compared, in words */
  text: z.string(),
  /** those values by the names the explanation templates use (seq, nextExpected, payload, ack, window, …) */
  values: z.record(z.string(), z.number()),
});

export const PacketRowSchema = z.object({
  frame: z.number(),
  /** seconds since the capture's first packet */
  time: z.number(),
  /** tcp.stream, null for a frame without TCP */
  stream: z.number().nullable(),
  /** TCP header flags as the header's bit mask (src/shared/tcp-header-flags.ts), e.g. 0x12 for SYN ACK */
  tcpFlags: z.number().int().min(0).max(0xff),
  /** TCP payload bytes */
  payload: z.number(),
  flags: z.array(AnalysisFlagNameSchema),
  /** the rule behind each flag, and why a probe look-alike is not one */
  reasons: z.array(AnnotationReasonSchema),
  /** Wireshark's Info column: "[TCP Keep-Alive] 54154 → 80 [ACK] Seq=394 Ack=703 Win=63616 Len=0", "GET /ocsp HTTP/1.1" */
  info: z.string().optional(),
  /** the packet completes the header block of an HTTP request or response (where Wireshark shows its start line) */
  http: z.enum(['request', 'response']).nullable().optional(),
});
export type PacketRow = z.infer<typeof PacketRowSchema>;

export const TimelineBinSchema = z.object({
  /** seconds since the first packet */
  start: z.number(),
  packets: z.number(),
  payloadBytes: z.number(),
  keepAlives: z.number(),
  keepAliveAcks: z.number(),
  retransmissions: z.number(),
  otherFlagged: z.number(),
});

/** The order of a window of streams (`capture.streams`); ties keep stream order. */
export const StreamSortSchema = z
  .object({
    /** start: first packet's time; probes: keep-alive probes plus their ACKs */
    key: z.enum(['stream', 'start', 'packets', 'requests', 'probes']),
    direction: z.enum(['ascending', 'descending']),
  })
  .strict();
export type StreamSort = z.infer<typeof StreamSortSchema>;

/** Which streams a window holds; every given condition must hold. */
export const StreamFilterSchema = z
  .object({
    /** a stream number ("12" or "#12") or part of an endpoint ("127.0.0.1:8080", "[::1]") */
    text: z.string().max(200).optional(),
    /** only these stream numbers (the packet list asks for the endpoints of the streams on its page) */
    streams: z.array(z.number().int().min(0)).max(5000).optional(),
    end: z.enum(['rst', 'fin', 'open']).optional(),
    /** only streams with at least one whole HTTP request */
    withRequests: z.boolean().optional(),
    /** only streams with keep-alive probes or their ACKs */
    withProbes: z.boolean().optional(),
    /**
     * only streams whose span overlaps [from, to] (first packet at or before `to`, last at or after
     * `from`), seconds since 1970 as `firstTime` and `lastTime`: the timeline asks for the lanes of
     * the range it shows
     */
    timeRange: z
      .object({ from: z.number(), to: z.number() })
      .strict()
      .refine((range) => range.from <= range.to, { message: 'timeRange.from must not be after timeRange.to' })
      .optional(),
  })
  .strict();
export type StreamFilter = z.infer<typeof StreamFilterSchema>;

/** One HTTP/1 request of a stream, at the frame that completes its header block (where tshark's `http.request` is). */
export const StreamRequestSchema = z.object({
  /** its place among the stream's whole requests, 1-based: request 1 paid for the connection when the stream's SYN was captured */
  n: z.number(),
  frame: z.number(),
  /** seconds since the capture's first packet */
  time: z.number(),
  /** the start line ("GET /a HTTP/1.1"), when the analysis kept it; at most 120 characters */
  line: z.string().nullable(),
  /** the frame that completes its response's header block (the n-th final response: HTTP/1.1 answers in order), null when none was captured */
  responseFrame: z.number().nullable(),
  responseTime: z.number().nullable(),
  /** the response's status code, when its start line was kept */
  status: z.number().nullable(),
});
export type StreamRequest = z.infer<typeof StreamRequestSchema>;

/** A FIN or RST segment of a stream. */
export const StreamEndSegmentSchema = z.object({
  kind: z.enum(['fin', 'rst']),
  frame: z.number(),
  /** seconds since the capture's first packet */
  time: z.number(),
  /** the side that sent it (`a` or `b` of the stream) */
  from: z.enum(['a', 'b']),
});

/** What the timeline draws on one stream's lane besides the annotated packets (`capture.streams` with `events`). */
export const StreamEventsSchema = z.object({
  stream: z.number(),
  /** in frame order; within the filter's timeRange when it has one, and the stream's share of `events.maxRequests` */
  requests: z.array(StreamRequestSchema),
  /** whole requests of the stream not in `requests` (outside the time range, or past the cap) */
  requestsLeftOut: z.number(),
  /** in frame order, at most MAX_END_SEGMENTS */
  ends: z.array(StreamEndSegmentSchema),
  /** FIN and RST segments past MAX_END_SEGMENTS */
  endsLeftOut: z.number(),
});
export type StreamEvents = z.infer<typeof StreamEventsSchema>;

/** Most requests one window's events list (`events.maxRequests`): the lanes of one window stay a bounded answer (about 2 MB of JSON). */
export const MAX_EVENT_REQUESTS = 20_000;
/** Most FIN and RST segments a stream's events list. */
export const MAX_END_SEGMENTS = 16;

/** Most streams one `capture.streams` window or a capture.open's `streamWindow` holds. */
export const MAX_STREAM_WINDOW = 5000;

export const captureMethods = {
  'capture.open': method(
    z
      .object({
        path: z.string().min(1).max(4096),
        /** the file's name as the person chose it (a web-mode upload is stored under another name) */
        name: z.string().min(1).max(255).optional(),
        jobId: z.string().min(1).max(64).optional(),
        /** return only the first this many streams (by number) in `streams`; absent: every stream */
        streamWindow: z.number().int().min(0).max(MAX_STREAM_WINDOW).optional(),
      })
      .strict(),
    CaptureSummarySchema,
  ),
  /** Opens one of the bundled example captures (src/shared/example-captures.ts) by id; the engine knows where they are. */
  'capture.openExample': method(
    z
      .object({
        exampleId: ExampleIdSchema,
        jobId: z.string().min(1).max(64).optional(),
        streamWindow: z.number().int().min(0).max(MAX_STREAM_WINDOW).optional(),
      })
      .strict(),
    CaptureSummarySchema,
  ),
  /**
   * A window of the capture's streams under a sort and a filter (both done in the engine). Without
   * `limit`, every matching stream (the CLI and reports); the page always gives one.
   */
  'capture.streams': method(
    z
      .object({
        captureId: CaptureId,
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(MAX_STREAM_WINDOW).optional(),
        sort: StreamSortSchema.optional(),
        filter: StreamFilterSchema.optional(),
        /**
         * also each stream's HTTP/1 requests and FIN/RST segments, in `events` (the timeline's lanes):
         * those in the filter's timeRange when it has one, at most `maxRequests` over the window,
         * shared so that each stream lists all of its own up to a cap common to every stream
         */
        events: z
          .object({ maxRequests: z.number().int().min(1).max(MAX_EVENT_REQUESTS) })
          .strict()
          .optional(),
      })
      .strict(),
    z.object({
      streams: z.array(CaptureStreamSchema),
      /** with `events` asked for: one entry per stream of `streams`, in the same order */
      events: z.array(StreamEventsSchema).optional(),
      /** streams matching the filter (the list's length) */
      total: z.number(),
      /** position of `streams[0]` in that list */
      offset: z.number(),
    }),
  ),
  'capture.packets': method(
    z
      .object({
        captureId: CaptureId,
        fromFrame: z.number().int().min(1),
        count: z.number().int().min(1).max(5000),
        filter: z
          .object({ stream: z.number().int().min(0).optional(), flaggedOnly: z.boolean().optional() })
          .strict()
          .optional(),
      })
      .strict(),
    z.object({ rows: z.array(PacketRowSchema), nextFrame: z.number().nullable() }),
  ),
  /**
   * The flagged packets of frames [fromFrame, …) in columns, up to `count` of them: what the timeline
   * draws and the packet list filters, without the reasons (`capture.packets` gives those per page).
   * A 3 M-packet capture can have half a million; as rows with reasons they were 260 bytes each.
   */
  'capture.flagged': method(
    z.object({ captureId: CaptureId, fromFrame: z.number().int().min(1), count: z.number().int().min(1).max(100_000) }).strict(),
    z.object({
      frames: z.array(z.number()),
      /** seconds since the capture's first packet */
      times: z.array(z.number()),
      /** tcp.stream, -1 for a frame without TCP */
      streams: z.array(z.number()),
      /** TCP header flag bits: FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128 */
      tcpFlags: z.array(z.number()),
      /** TCP payload bytes */
      payloads: z.array(z.number()),
      /** each packet's flags, as an index into `flagSets` (a capture has few distinct sets) */
      flagSet: z.array(z.number()),
      flagSets: z.array(z.array(AnalysisFlagNameSchema)),
      nextFrame: z.number().nullable(),
    }),
  ),
  'capture.bins': method(
    z
      .object({
        captureId: CaptureId,
        /** seconds since the first packet */
        from: z.number().min(0),
        to: z.number().min(0),
        bins: z.number().int().min(1).max(10_000),
        stream: z.number().int().min(0).optional(),
      })
      .strict(),
    z.object({ bins: z.array(TimelineBinSchema) }),
  ),
  'capture.close': method(z.object({ captureId: CaptureId }).strict(), z.object({ closed: z.boolean() })),
  /** The Info column of some frames (a page of a filtered list, whose rows come from `capture.flagged`). */
  'capture.info': method(
    z.object({ captureId: CaptureId, frames: z.array(z.number().int().min(1)).max(5000) }).strict(),
    z.object({
      rows: z.array(z.object({ frame: z.number(), info: z.string(), http: z.enum(['request', 'response']).nullable() })),
    }),
  ),
};
