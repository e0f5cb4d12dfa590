/**
 * Stream summaries built while the analysis runs: endpoints as the oracle defines them (a = source
 * of the stream's first captured segment), first/last frame and time, packets and payload bytes each
 * way, how it ended, the longest idle gap, HTTP/1 requests, keep-alive probes, their spacing, and the
 * keepalive settings they imply (Linux: tcp_keepalive_time / _intvl / _probes).
 */
import type { AddressBook } from './address-book';
import { Http1Stream } from './http1';
import { Http2Conversation, startsWithPreface, startsWithSettings, type Http2FrameObserver } from './http2';
import { HTTP_PORTS, looksLikeTlsRecord, TLS_PORTS, TlsConversation, type TlsHandshakeObserver } from './tls';
import {
  ANALYSIS_FAST_RETRANSMISSION,
  ANALYSIS_KEEP_ALIVE,
  ANALYSIS_KEEP_ALIVE_ACK,
  ANALYSIS_OUT_OF_ORDER,
  ANALYSIS_RETRANSMISSION,
  ANALYSIS_SPURIOUS_RETRANSMISSION,
} from './tcp-flags';
import { ProbeStatistics } from './probe-stats';
import { END_FIN, END_OPEN, END_RST, PROBER_A, PROBER_B, PROBER_NONE, StreamSummaries } from './stream-summaries';
import {
  NONE,
  PROBE_ANSWERED,
  PROBE_FROM_A,
  ProbeColumns,
  STREAM_FIN_FROM_A,
  STREAM_FIN_FROM_B,
  STREAM_HTTP_RELEASED,
  STREAM_RST,
  STREAM_SEEN,
  STREAM_SYN,
  StreamColumns,
} from './stream-columns';
import type { TcpSegment } from './types';
import { TCP_FIN, TCP_RST, TCP_SYN } from './types';

/** A segment completed an HTTP header block (the last one, when it completed several). */
export interface HttpHeaderSeen {
  readonly request: boolean;
  /** the start line, e.g. "GET /ocsp HTTP/1.1" (at most 240 characters): decoded when read, so read it before the next `add` */
  readonly startLine: string;
}

/** The one HttpHeaderSeen `add` returns (no object per header block): valid until the next `add`. */
class LastHeaderBlock implements HttpHeaderSeen {
  http: Http1Stream | null = null;
  get request(): boolean {
    return this.http?.lastStartWasRequest ?? false;
  }
  get startLine(): string {
    return this.http?.lastStartLine ?? '';
  }
}

/** Segments whose bytes tshark does not hand to HTTP again (already seen, or out of order). */
export const NOT_FOR_HTTP =
  ANALYSIS_KEEP_ALIVE | ANALYSIS_RETRANSMISSION | ANALYSIS_FAST_RETRANSMISSION | ANALYSIS_SPURIOUS_RETRANSMISSION | ANALYSIS_OUT_OF_ORDER;

/**
 * Well-known ports whose own tshark dissector claims the bytes before the HTTP heuristics run
 * (SSH, TLS, mail, FTP, telnet): an HTTP request sent there is not counted as HTTP by tshark.
 */
const PORTS_CLAIMED_BY_OTHER_DISSECTORS = new Set([21, 22, 23, 25, 110, 143, 443, 465, 587, 993, 995]);
/** the same as a table indexed by port: a byte read instead of two Set lookups per payload segment */
const CLAIMED_PORT = new Uint8Array(65536);
for (const port of PORTS_CLAIMED_BY_OTHER_DISSECTORS) CLAIMED_PORT[port] = 1;

/** What a stream's first payload bytes said it carries: undecided (bits: side a / b seen), TLS, HTTP/2, neither. */
const APP_SEEN_A = 1;
const APP_SEEN_B = 2;
const APP_TLS = 4;
const APP_HTTP2 = 5;
const APP_NEITHER = 6;

/** Optional observers of what the TLS and HTTP/2 readers found, frame by frame (the tests compare them with tshark). */
export interface SummarizerObservers {
  tlsHandshake?: (stream: number, ...rest: Parameters<TlsHandshakeObserver>) => void;
  http2Frame?: (stream: number, ...rest: Parameters<Http2FrameObserver>) => void;
}

/**
 * Running per-stream state lives in typed columns (stream-columns.ts), not an object graph per
 * stream: big captures hold 100 k+ streams. `finish` hands the columns over as StreamSummaries;
 * objects are made from them only when asked for.
 */
export class StreamSummarizer {
  private readonly columns = new StreamColumns();
  private readonly probes = new ProbeColumns();
  private readonly statistics = new ProbeStatistics(this.probes);
  /** APP_* per stream */
  private application = new Uint8Array(1024);
  /** the TLS or HTTP/2 reader of the few streams that carry one */
  private readonly readers = new Map<number, TlsConversation | Http2Conversation>();
  private readonly lastHeaderBlock = new LastHeaderBlock();

  constructor(private readonly observers: SummarizerObservers = {}) {}

  /** Room for `streams` streams and `probes` probes in one step (each a no-op when there is room). */
  reserve(streams: number, probes: number): void {
    this.columns.reserve(streams);
    this.probes.reserve(probes);
  }

  /** Keep-alive probes so far. */
  get probeCount(): number {
    return this.probes.length;
  }

  /**
   * Adds a segment after the analysis gave it `stream`, `analysisFlags` and its side (`fromA`).
   * `duplicate`: a copy of the segment before (a capture on `-i any`), which says nothing about timers.
   * Returns the header block the segment completed (a reused object: read it before the next call), or null.
   */
  add(segment: TcpSegment, stream: number, analysisFlags: number, fromA: boolean, duplicate = false): HttpHeaderSeen | null {
    const time = segment.time;
    const columns = this.columns;
    columns.ensure(stream);
    let state = columns.state[stream]!;
    if ((state & STREAM_SEEN) === 0) {
      state = STREAM_SEEN;
      columns.firstFrame[stream] = segment.frame;
      columns.firstTime[stream] = time;
      columns.lastTime[stream] = time;
      columns.lastActivity[stream] = time;
      columns.addressA[stream] = segment.srcAddress;
      columns.portA[stream] = segment.srcPort;
      columns.addressB[stream] = segment.dstAddress;
      columns.portB[stream] = segment.dstPort;
      columns.probesBeforeReset[stream] = NONE;
      columns.lastProbe[stream] = NONE;
    }
    columns.maxIdleGap[stream] = Math.max(columns.maxIdleGap[stream]!, time - columns.lastTime[stream]!);
    columns.lastFrame[stream] = segment.frame;
    columns.lastTime[stream] = time;
    if (fromA) {
      columns.packetsAtoB[stream]! += 1;
      columns.payloadAtoB[stream]! += segment.payloadLength;
    } else {
      columns.packetsBtoA[stream]! += 1;
      columns.payloadBtoA[stream]! += segment.payloadLength;
    }
    const flags = segment.flags;
    if (flags & TCP_SYN) state |= STREAM_SYN;
    if (flags & TCP_FIN) state |= fromA ? STREAM_FIN_FROM_A : STREAM_FIN_FROM_B;
    if (flags & TCP_RST) {
      state |= STREAM_RST;
      const unanswered = this.trailingUnanswered(stream);
      if (unanswered > 0 && columns.probesBeforeReset[stream] === NONE) columns.probesBeforeReset[stream] = unanswered;
    }
    // a closed stream carries no new HTTP messages: free its parsers (big captures hold 100 k+ streams)
    const closed = (state & STREAM_RST) !== 0 || (state & BOTH_FINS) === BOTH_FINS;
    if (closed) state = this.releaseHttp(stream, state);
    columns.state[stream] = state;
    if (duplicate) this.countDuplicate(stream, analysisFlags);
    else this.trackProbes(segment, stream, analysisFlags, fromA);
    if (segment.capturedPayloadLength > 0 && !(analysisFlags & NOT_FOR_HTTP)) this.readApplication(segment, stream, fromA);
    if (segment.capturedPayloadLength > 0 && !(analysisFlags & NOT_FOR_HTTP) && !claimedPort(segment)) {
      let http = columns.http[stream];
      if (http === undefined && (state & STREAM_HTTP_RELEASED) === 0) {
        http = new Http1Stream();
        columns.http[stream] = http;
      }
      if (http !== undefined) {
        const start = segment.payloadOffset;
        const before = http.headerBlocks;
        // the sequence number as a signed 32-bit number: the parser only uses differences, and an
        // unsigned one from 2^31 up would be passed on as a new heap number for every other segment
        http.feedRange(fromA ? 'a' : 'b', segment.seq | 0, segment.data, start, start + segment.capturedPayloadLength);
        if (http.headerBlocks !== before) {
          this.lastHeaderBlock.http = http;
          return this.lastHeaderBlock;
        }
      }
    }
    return null;
  }

  /**
   * TLS and HTTP/2. TLS as tshark decides it: a TLS port, or else (on a port HTTP does not own) the
   * first payload segment that starts like a TLS record, tried until HTTP/1 has claimed the stream.
   * HTTP/2: the first payload of a side is the client's preface or a server's opening SETTINGS frame.
   * Then the stream's reader reads it.
   */
  private readApplication(segment: TcpSegment, stream: number, fromA: boolean): void {
    if (stream >= this.application.length) {
      const grown = new Uint8Array(Math.max(stream + 1, this.application.length * 2));
      grown.set(this.application);
      this.application = grown;
    }
    const state = this.application[stream]!;
    if (state === APP_NEITHER) return;
    const data = segment.data;
    const start = segment.payloadOffset;
    const end = start + segment.capturedPayloadLength;
    const direction = fromA ? 'a' : 'b';
    let reader = this.readers.get(stream);
    if (state < APP_TLS) {
      const side = fromA ? APP_SEEN_A : APP_SEEN_B;
      const firstOfSide = (state & side) === 0;
      const source = segment.srcPort;
      const destination = segment.dstPort;
      const tlsPort = TLS_PORTS.has(source) || TLS_PORTS.has(destination);
      const httpPort = HTTP_PORTS.has(source) || HTTP_PORTS.has(destination);
      if (tlsPort || (!httpPort && looksLikeTlsRecord(data, start, end))) {
        reader = this.newTlsReader(stream);
        this.application[stream] = APP_TLS;
      } else if (firstOfSide && (startsWithPreface(data, start, end) || startsWithSettings(data, start, end))) {
        reader = this.newHttp2Reader(stream);
        this.application[stream] = APP_HTTP2;
      } else {
        const http = this.columns.http[stream];
        const claimedByHttp = httpPort || (http !== undefined && http.requests + http.responses > 0);
        this.application[stream] = claimedByHttp ? APP_NEITHER : state | side;
        return;
      }
      this.readers.set(stream, reader);
    }
    if (reader instanceof Http2Conversation) reader.start(direction, startsWithPreface(data, start, end));
    reader?.feed(direction, segment.seq, data, start, end, segment.frame, segment.time);
  }

  /**
   * The readers are made apart from readApplication: a function whose closures capture `stream`
   * allocates their scope on every call, and readApplication runs for every payload segment.
   */
  private newTlsReader(stream: number): TlsConversation {
    const observer = this.observers.tlsHandshake;
    return new TlsConversation(observer && ((frame, type) => observer(stream, frame, type)));
  }

  private newHttp2Reader(stream: number): Http2Conversation {
    const observer = this.observers.http2Frame;
    return new Http2Conversation(observer && ((frame, type) => observer(stream, frame, type)));
  }

  /** Keeps a closed stream's HTTP counts and drops its parser; returns the new state bits. */
  private releaseHttp(stream: number, state: number): number {
    const columns = this.columns;
    const http = columns.http[stream];
    if (http === undefined) return state;
    http.release();
    columns.httpRequests[stream] = http.requests;
    columns.httpResponses[stream] = http.responses;
    columns.httpPartialRequests[stream] = http.partialRequests;
    columns.http[stream] = undefined;
    return state | STREAM_HTTP_RELEASED;
  }

  /**
   * A copy of the previous segment, 50 µs after it: counted as tshark counts it, but neither a probe
   * of its own (its "spacing" would be the copy delay) nor activity (it would end the idle time).
   */
  private countDuplicate(stream: number, analysisFlags: number): void {
    const columns = this.columns;
    if (analysisFlags & ANALYSIS_KEEP_ALIVE) columns.keepAlives[stream]! += 1;
    else if (analysisFlags & ANALYSIS_KEEP_ALIVE_ACK) columns.keepAliveAcks[stream]! += 1;
    else return;
    columns.duplicateProbes[stream]! += 1;
  }

  /** Takes the segment, not its time: a time passed to a call that is not inlined is a heap number made per packet. */
  private trackProbes(segment: TcpSegment, stream: number, analysisFlags: number, fromA: boolean): void {
    const columns = this.columns;
    const time = segment.time;
    if (analysisFlags & ANALYSIS_KEEP_ALIVE) {
      columns.keepAlives[stream]! += 1;
      columns.lastProbe[stream] = this.probes.push(time, time - columns.lastActivity[stream]!, fromA, columns.lastProbe[stream]!);
      return;
    }
    if (analysisFlags & ANALYSIS_KEEP_ALIVE_ACK) {
      columns.keepAliveAcks[stream]! += 1;
      const last = columns.lastProbe[stream]!;
      if (last !== NONE && ((this.probes.state[last]! & PROBE_FROM_A) !== 0) !== fromA) this.probes.state[last]! |= PROBE_ANSWERED;
      return;
    }
    columns.lastActivity[stream] = time;
  }

  /** Unanswered probes at the end of the stream's probe list. */
  private trailingUnanswered(stream: number): number {
    const probes = this.probes;
    let count = 0;
    for (
      let index = this.columns.lastProbe[stream]!;
      index !== NONE && (probes.state[index]! & PROBE_ANSWERED) === 0;
      index = probes.previous[index]!
    ) {
      count += 1;
    }
    return count;
  }

  /**
   * The summaries as columns (stream-summaries.ts), with the probe spacing and inferred settings
   * filled in; `addresses` names the address ids. Stream indexes are dense: every stream the
   * analysis numbered was added here.
   */
  finish(addresses: Pick<AddressBook, 'count' | 'text'>): StreamSummaries {
    const columns = this.columns;
    const count = columns.count;
    const summaries = new StreamSummaries();
    summaries.length = count;
    summaries.addresses = Array.from({ length: addresses.count }, (_, id) => addresses.text(id));
    summaries.addressA = columns.addressA.subarray(0, count);
    summaries.addressB = columns.addressB.subarray(0, count);
    summaries.portA = columns.portA.subarray(0, count);
    summaries.portB = columns.portB.subarray(0, count);
    summaries.firstFrame = columns.firstFrame.subarray(0, count);
    summaries.lastFrame = columns.lastFrame.subarray(0, count);
    summaries.firstTime = columns.firstTime.subarray(0, count);
    summaries.lastTime = columns.lastTime.subarray(0, count);
    summaries.packetsAtoB = columns.packetsAtoB.subarray(0, count);
    summaries.packetsBtoA = columns.packetsBtoA.subarray(0, count);
    summaries.payloadAtoB = columns.payloadAtoB.subarray(0, count);
    summaries.payloadBtoA = columns.payloadBtoA.subarray(0, count);
    summaries.maxIdleGap = columns.maxIdleGap.subarray(0, count);
    summaries.keepAlives = columns.keepAlives.subarray(0, count);
    summaries.keepAliveAcks = columns.keepAliveAcks.subarray(0, count);
    summaries.duplicateProbesIgnored = columns.duplicateProbes.subarray(0, count);
    summaries.httpRequests = columns.httpRequests.subarray(0, count);
    summaries.httpResponses = columns.httpResponses.subarray(0, count);
    summaries.httpPartialRequests = columns.httpPartialRequests.subarray(0, count);
    summaries.synSeen = new Uint8Array(count);
    summaries.end = new Uint8Array(count);
    summaries.spacingMin = new Float64Array(count).fill(NaN);
    summaries.spacingMedian = new Float64Array(count).fill(NaN);
    summaries.spacingMax = new Float64Array(count).fill(NaN);
    summaries.prober = new Int8Array(count).fill(PROBER_NONE);
    summaries.idleSeconds = new Float64Array(count).fill(NaN);
    summaries.intervalSeconds = new Float64Array(count).fill(NaN);
    summaries.probesBeforeGiveUp = new Int32Array(count).fill(-1);
    for (const [stream, reader] of this.readers) {
      if (reader instanceof TlsConversation) {
        const tls = reader.summary();
        if (tls) summaries.tls.set(stream, tls);
      } else {
        const http2 = reader.summary();
        if (http2) summaries.http2.set(stream, http2);
      }
    }
    const statistics = this.statistics;
    for (let stream = 0; stream < count; stream++) {
      const state = columns.state[stream]!;
      summaries.synSeen[stream] = (state & STREAM_SYN) !== 0 ? 1 : 0;
      summaries.end[stream] = state & STREAM_RST ? END_RST : state & (STREAM_FIN_FROM_A | STREAM_FIN_FROM_B) ? END_FIN : END_OPEN;
      const http = columns.http[stream];
      if (http !== undefined) {
        // still open at the end of the capture: a message not yet whole never will be
        http.finish();
        summaries.httpRequests[stream] = http.requests;
        summaries.httpResponses[stream] = http.responses;
        summaries.httpPartialRequests[stream] = http.partialRequests;
      }
      if (statistics.load(columns.lastProbe[stream]!) === 0) continue;
      const spacing = statistics.spacing();
      if (spacing !== null) {
        summaries.spacingMin[stream] = spacing.min;
        summaries.spacingMedian[stream] = spacing.median;
        summaries.spacingMax[stream] = spacing.max;
      }
      const probesBeforeReset = columns.probesBeforeReset[stream]!;
      const inferred = statistics.infer(probesBeforeReset === NONE ? null : probesBeforeReset);
      if (inferred !== null) {
        summaries.prober[stream] = inferred.prober === 'a' ? PROBER_A : PROBER_B;
        summaries.idleSeconds[stream] = inferred.idleSeconds ?? NaN;
        summaries.intervalSeconds[stream] = inferred.intervalSeconds ?? NaN;
        summaries.probesBeforeGiveUp[stream] = inferred.probesBeforeGiveUp ?? -1;
      }
    }
    return summaries;
  }
}

const BOTH_FINS = STREAM_FIN_FROM_A | STREAM_FIN_FROM_B;

function claimedPort(segment: TcpSegment): boolean {
  return CLAIMED_PORT[segment.srcPort] === 1 || CLAIMED_PORT[segment.dstPort] === 1;
}
