/**
 * Stream summaries built while the analysis runs: endpoints as the oracle defines them (a = source
 * of the stream's first captured segment), first/last frame and time, packets and payload bytes each
 * way, how it ended, the longest idle gap, HTTP/1 requests, keep-alive probes, their spacing, and the
 * keepalive settings they imply (Linux: tcp_keepalive_time / _intvl / _probes).
 */
import { Http1Stream } from './http1';
import {
  ANALYSIS_FAST_RETRANSMISSION,
  ANALYSIS_KEEP_ALIVE,
  ANALYSIS_KEEP_ALIVE_ACK,
  ANALYSIS_OUT_OF_ORDER,
  ANALYSIS_RETRANSMISSION,
  ANALYSIS_SPURIOUS_RETRANSMISSION,
} from './tcp-flags';
import { endpointText } from './tcp-stream-state';
import { ProbeStatistics, type InferredKeepalive, type ProbeSpacing } from './probe-stats';
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

/** Segments whose bytes tshark does not hand to HTTP again (already seen, or out of order). */
const NOT_FOR_HTTP =
  ANALYSIS_KEEP_ALIVE | ANALYSIS_RETRANSMISSION | ANALYSIS_FAST_RETRANSMISSION | ANALYSIS_SPURIOUS_RETRANSMISSION | ANALYSIS_OUT_OF_ORDER;

/**
 * Well-known ports whose own tshark dissector claims the bytes before the HTTP heuristics run
 * (SSH, TLS, mail, FTP, telnet): an HTTP request sent there is not counted as HTTP by tshark.
 */
const PORTS_CLAIMED_BY_OTHER_DISSECTORS = new Set([21, 22, 23, 25, 110, 143, 443, 465, 587, 993, 995]);
/** the same as a table indexed by port: a byte read instead of two Set lookups per payload segment */
const CLAIMED_PORT = new Uint8Array(65536);
for (const port of PORTS_CLAIMED_BY_OTHER_DISSECTORS) CLAIMED_PORT[port] = 1;

export type StreamEnd = 'rst' | 'fin' | 'open';
export type { InferredKeepalive, ProbeSpacing };

export interface StreamSummary {
  stream: number;
  a: string;
  b: string;
  firstFrame: number;
  lastFrame: number;
  /** seconds since 1970 */
  firstTime: number;
  lastTime: number;
  packets: number;
  packetsAtoB: number;
  packetsBtoA: number;
  /** TCP payload bytes (sum of tcp.len) */
  payloadAtoB: number;
  payloadBtoA: number;
  synSeen: boolean;
  end: StreamEnd;
  /** longest gap between two packets of the stream, seconds */
  maxIdleGap: number;
  httpRequests: number;
  httpResponses: number;
  keepAlives: number;
  keepAliveAcks: number;
  /** seconds between consecutive probes from the same side: min / median / max; null under two probes */
  probeSpacing: ProbeSpacing | null;
  keepalive: InferredKeepalive | null;
}

/**
 * Running per-stream state lives in typed columns (stream-columns.ts), not an object graph per
 * stream: big captures hold 100 k+ streams. Summary objects are built once, in `finish`.
 */
export class StreamSummarizer {
  private readonly columns = new StreamColumns();
  private readonly probes = new ProbeColumns();
  private readonly statistics = new ProbeStatistics(this.probes);

  /** Adds a segment after the analysis gave it `stream` and `analysisFlags`. */
  add(segment: TcpSegment, stream: number, analysisFlags: number): void {
    const time = segment.tsSec + segment.tsNsec / 1e9;
    const columns = this.columns;
    columns.ensure(stream);
    let state = columns.state[stream]!;
    if ((state & STREAM_SEEN) === 0) {
      state = STREAM_SEEN;
      columns.firstFrame[stream] = segment.frame;
      columns.firstTime[stream] = time;
      columns.lastTime[stream] = time;
      columns.lastActivity[stream] = time;
      columns.addressA[stream] = segment.src;
      columns.portA[stream] = segment.srcPort;
      columns.addressB[stream] = segment.dst;
      columns.portB[stream] = segment.dstPort;
      columns.probesBeforeReset[stream] = NONE;
      columns.lastProbe[stream] = NONE;
    }
    const fromA = segment.src === columns.addressA[stream] && segment.srcPort === columns.portA[stream];
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
    this.trackProbes(stream, analysisFlags, fromA, time);
    if (segment.capturedPayloadLength > 0 && !(analysisFlags & NOT_FOR_HTTP) && !claimedPort(segment)) {
      let http = columns.http[stream];
      if (http === undefined && (state & STREAM_HTTP_RELEASED) === 0) {
        http = new Http1Stream();
        columns.http[stream] = http;
      }
      if (http !== undefined) {
        const start = segment.payloadOffset;
        http.feedRange(fromA ? 'a' : 'b', segment.seq, segment.data, start, start + segment.capturedPayloadLength);
      }
    }
  }

  /** Keeps a closed stream's HTTP counts and drops its parser; returns the new state bits. */
  private releaseHttp(stream: number, state: number): number {
    const columns = this.columns;
    const http = columns.http[stream];
    if (http === undefined) return state;
    http.release();
    columns.httpRequests[stream] = http.requests;
    columns.httpResponses[stream] = http.responses;
    columns.http[stream] = undefined;
    return state | STREAM_HTTP_RELEASED;
  }

  private trackProbes(stream: number, analysisFlags: number, fromA: boolean, time: number): void {
    const columns = this.columns;
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
    for (let index = this.columns.lastProbe[stream]!; index !== NONE && (probes.state[index]! & PROBE_ANSWERED) === 0; index = probes.previous[index]!) {
      count += 1;
    }
    return count;
  }

  /** The summaries, in stream order, with the inferred settings filled in. */
  finish(): StreamSummary[] {
    const result: StreamSummary[] = [];
    for (let stream = 0; stream < this.columns.count; stream++) {
      if ((this.columns.state[stream]! & STREAM_SEEN) !== 0) result.push(this.summary(stream));
    }
    return result;
  }

  private summary(stream: number): StreamSummary {
    const columns = this.columns;
    const state = columns.state[stream]!;
    const http = columns.http[stream];
    const statistics = this.statistics;
    statistics.load(columns.lastProbe[stream]!);
    const probesBeforeReset = columns.probesBeforeReset[stream]!;
    const packetsAtoB = columns.packetsAtoB[stream]!;
    const packetsBtoA = columns.packetsBtoA[stream]!;
    return {
      stream,
      a: endpointText(columns.addressA[stream] ?? '', columns.portA[stream]!),
      b: endpointText(columns.addressB[stream] ?? '', columns.portB[stream]!),
      firstFrame: columns.firstFrame[stream]!,
      lastFrame: columns.lastFrame[stream]!,
      firstTime: columns.firstTime[stream]!,
      lastTime: columns.lastTime[stream]!,
      packets: packetsAtoB + packetsBtoA,
      packetsAtoB,
      packetsBtoA,
      payloadAtoB: columns.payloadAtoB[stream]!,
      payloadBtoA: columns.payloadBtoA[stream]!,
      synSeen: (state & STREAM_SYN) !== 0,
      end: state & STREAM_RST ? 'rst' : state & (STREAM_FIN_FROM_A | STREAM_FIN_FROM_B) ? 'fin' : 'open',
      maxIdleGap: columns.maxIdleGap[stream]!,
      httpRequests: http?.requests ?? columns.httpRequests[stream]!,
      httpResponses: http?.responses ?? columns.httpResponses[stream]!,
      keepAlives: columns.keepAlives[stream]!,
      keepAliveAcks: columns.keepAliveAcks[stream]!,
      probeSpacing: statistics.spacing(),
      keepalive: statistics.infer(probesBeforeReset === NONE ? null : probesBeforeReset),
    };
  }
}

const BOTH_FINS = STREAM_FIN_FROM_A | STREAM_FIN_FROM_B;

function claimedPort(segment: TcpSegment): boolean {
  return CLAIMED_PORT[segment.srcPort] === 1 || CLAIMED_PORT[segment.dstPort] === 1;
}
