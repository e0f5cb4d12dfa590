/**
 * What the wire showed, in the compact form correlation needs: one row per TCP segment
 * (frame, time, stream, direction, TCP flags, payload length, Wireshark analysis bits, and
 * whether the payload starts an HTTP/1 message) plus per-stream summaries.
 *
 * Built by the capture engine's own pieces — the decoder, the Wireshark-equivalent
 * TcpAnalyzer (tshark stream numbering) and the StreamSummarizer — fed record by record, so a
 * live tcpdump pipe and a file give the same rows. Lab captures are small; a cap keeps an
 * imported multi-million-packet file from holding every row.
 */
import { createDecoder } from '../capture/decode';
import { StreamSummarizer } from '../capture/stream-summarizer';
import type { StreamSummary } from '../capture/stream-summaries';
import { TcpAnalyzer } from '../capture/tcp-analysis';
import {
  ANALYSIS_FAST_RETRANSMISSION,
  ANALYSIS_KEEP_ALIVE,
  ANALYSIS_RETRANSMISSION,
  ANALYSIS_SPURIOUS_RETRANSMISSION,
} from '../capture/tcp-flags';
import { endpointText } from '../capture/tcp-stream-state';
import type { CaptureRecord } from '../capture/types';
import { pairKey } from './match';

/** Rows kept at most (≈100 bytes each): far above any lab run, bounded for imported files. */
export const MAX_WIRE_SEGMENTS = 1_000_000;

/** A request line or a status line at the start of a payload (RFC 9112 §3, §4). */
const REQUEST_START = /^[A-Z][A-Z-]{0,19} \S+ HTTP\/1\.[019]\r\n/;
const RESPONSE_START = /^HTTP\/1\.[019] \d{3}/;
/** An interim (1xx) status line; 101 Switching Protocols is the request's final answer (RFC 9110 §15.2) */
const INTERIM_START = /^HTTP\/1\.[019] 1(?!01)\d\d/;
/** Bytes of payload looked at for a start line */
const START_LINE_PEEK_BYTES = 256;
/** Segments whose bytes were already seen (their HTTP start would count twice). */
const REPEATED_BYTES = ANALYSIS_KEEP_ALIVE | ANALYSIS_RETRANSMISSION | ANALYSIS_FAST_RETRANSMISSION | ANALYSIS_SPURIOUS_RETRANSMISSION;

const latin1 = new TextDecoder('latin1');

export interface WireSegment {
  /** tshark frame number, 1-based */
  frame: number;
  /** ms since 1970 (µs resolution) */
  timeMs: number;
  /** tcp.stream, tshark numbering */
  stream: number;
  /** sender "address:port" ("[v6]:port") */
  source: string;
  destination: string;
  /** TCP_* header bits */
  tcpFlags: number;
  /** tcp.len */
  payloadLength: number;
  /** ANALYSIS_* bits (tcp-flags.ts) */
  analysis: number;
  /** the payload starts an HTTP/1 request, a final response, or an interim (1xx) response */
  http: 'request' | 'response' | 'interim' | null;
}

export interface WireStream {
  stream: number;
  /** endpoint of the stream's first captured segment */
  a: string;
  b: string;
  firstFrame: number;
  /** ms since 1970 */
  firstTimeMs: number;
  lastTimeMs: number;
  packets: number;
  synSeen: boolean;
  end: 'fin' | 'rst' | 'open';
  httpRequests: number;
  keepAlives: number;
  keepAliveAcks: number;
  /** median seconds between consecutive probes from one side; null under two probes */
  probeSpacingS: number | null;
  /** the TLS handshakes read on the stream (capture/tls.ts); null when it carried no TLS */
  tls: { handshakes: number; resumed: number; version: string | null } | null;
}

export interface WireCapture {
  /** every frame read, TCP or not */
  packets: number;
  segments: WireSegment[];
  streams: WireStream[];
  /** rows dropped past MAX_WIRE_SEGMENTS */
  segmentsDropped: number;
}

export function toWireStream(summary: StreamSummary): WireStream {
  return {
    stream: summary.stream,
    a: summary.a,
    b: summary.b,
    firstFrame: summary.firstFrame,
    firstTimeMs: summary.firstTime * 1000,
    lastTimeMs: summary.lastTime * 1000,
    packets: summary.packets,
    synSeen: summary.synSeen,
    end: summary.end,
    httpRequests: summary.httpRequests,
    keepAlives: summary.keepAlives,
    keepAliveAcks: summary.keepAliveAcks,
    probeSpacingS: summary.probeSpacing?.median ?? null,
    tls: summary.tls ? { handshakes: summary.tls.handshakes, resumed: summary.tls.resumed, version: summary.tls.version } : null,
  };
}

function httpStart(data: Uint8Array, offset: number, length: number): WireSegment['http'] {
  if (length === 0) return null;
  const head = latin1.decode(data.subarray(offset, offset + Math.min(length, START_LINE_PEEK_BYTES)));
  if (INTERIM_START.test(head)) return 'interim';
  if (RESPONSE_START.test(head)) return 'response';
  if (REQUEST_START.test(head)) return 'request';
  return null;
}

/** Consumes capture records in file order; `onSegment` sees each row as it is made (live marks). */
export class WireLog {
  private readonly decoder = createDecoder({ reuse: true });
  private readonly analyzer = new TcpAnalyzer();
  private readonly summarizer = new StreamSummarizer();
  private readonly segments: WireSegment[] = [];
  private packets = 0;
  private dropped = 0;

  /**
   * `onSegment` sees each row as it is made; `keepPairs` (order-free 4-tuple keys, match.ts
   * pairKey) keeps only the rows of those connections — an imported capture holds much else.
   */
  constructor(
    private readonly onSegment?: (segment: WireSegment) => void,
    private readonly keepPairs?: ReadonlySet<string>,
  ) {}

  readonly onRecord = (record: CaptureRecord): void => {
    this.packets += 1;
    const decoded = this.decoder.decode(record);
    if (!decoded.ok) return;
    const segment = decoded.segment;
    const analysable = segment.shortHeader !== true;
    const evidence = this.analyzer.analyze(segment, analysable);
    this.summarizer.add(segment, evidence.stream, evidence.flags, evidence.fromA);
    const row: WireSegment = {
      frame: segment.frame,
      timeMs: segment.tsSec * 1000 + segment.tsNsec / 1e6,
      stream: evidence.stream,
      source: endpointText(segment.src, segment.srcPort),
      destination: endpointText(segment.dst, segment.dstPort),
      tcpFlags: segment.flags,
      payloadLength: segment.payloadLength,
      analysis: evidence.flags,
      http: evidence.flags & REPEATED_BYTES ? null : httpStart(segment.data, segment.payloadOffset, segment.capturedPayloadLength),
    };
    if (this.keepPairs && !this.keepPairs.has(pairKey(row.source, row.destination))) return;
    if (this.segments.length < MAX_WIRE_SEGMENTS) this.segments.push(row);
    else this.dropped += 1;
    this.onSegment?.(row);
  };

  finish(): WireCapture {
    return {
      packets: this.packets,
      segments: this.segments,
      streams: this.summarizer.finish(this.decoder.addresses).toArray().map(toWireStream),
      segmentsDropped: this.dropped,
    };
  }
}
