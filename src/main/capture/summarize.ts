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

export type StreamEnd = 'rst' | 'fin' | 'open';

export interface InferredKeepalive {
  /** which endpoint sent the probes */
  prober: 'a' | 'b';
  /** seconds of silence before the first probe (≈ TCP_KEEPIDLE) */
  idleSeconds: number | null;
  /** median seconds between unanswered probes (≈ TCP_KEEPINTVL) */
  intervalSeconds: number | null;
  /** unanswered probes before the connection was reset (≈ TCP_KEEPCNT), when the capture shows it */
  probesBeforeGiveUp: number | null;
}

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
  probeSpacing: { min: number; median: number; max: number } | null;
  keepalive: InferredKeepalive | null;
}

interface Probe {
  time: number;
  fromA: boolean;
  answered: boolean;
  /** seconds since the prober's side last saw non-probe traffic on the stream */
  idleBefore: number;
}

interface StreamAccumulator {
  summary: StreamSummary;
  addressA: string;
  portA: number;
  /** created on the stream's first payload */
  http: Http1Stream | null;
  finFromA: boolean;
  finFromB: boolean;
  rst: boolean;
  /** time of the last segment that was neither a probe nor a probe ACK */
  lastActivity: number;
  probes: Probe[];
  /** an unanswered-probe run ended by RST: its length */
  probesBeforeReset: number | null;
}

export class StreamSummarizer {
  private readonly streams: StreamAccumulator[] = [];

  /** Adds a segment after the analysis gave it `stream` and `analysisFlags`. */
  add(segment: TcpSegment, stream: number, analysisFlags: number): void {
    const time = segment.tsSec + segment.tsNsec / 1e9;
    let accumulator = this.streams[stream];
    if (accumulator === undefined) {
      accumulator = newAccumulator(stream, segment, time);
      this.streams[stream] = accumulator;
    }
    const summary = accumulator.summary;
    const fromA = segment.src === accumulator.addressA && segment.srcPort === accumulator.portA;
    summary.maxIdleGap = Math.max(summary.maxIdleGap, time - summary.lastTime);
    summary.lastFrame = segment.frame;
    summary.lastTime = time;
    summary.packets += 1;
    if (fromA) {
      summary.packetsAtoB += 1;
      summary.payloadAtoB += segment.payloadLength;
    } else {
      summary.packetsBtoA += 1;
      summary.payloadBtoA += segment.payloadLength;
    }
    if (segment.flags & TCP_SYN) summary.synSeen = true;
    if (segment.flags & TCP_FIN) {
      if (fromA) accumulator.finFromA = true;
      else accumulator.finFromB = true;
    }
    if (segment.flags & TCP_RST) {
      accumulator.rst = true;
      const unanswered = trailingUnanswered(accumulator.probes);
      if (unanswered > 0 && accumulator.probesBeforeReset === null) accumulator.probesBeforeReset = unanswered;
    }
    summary.end = accumulator.rst ? 'rst' : accumulator.finFromA || accumulator.finFromB ? 'fin' : 'open';
    // a closed stream carries no new HTTP messages: free its parsers (big captures hold 100 k+ streams)
    if (summary.end === 'rst' || (accumulator.finFromA && accumulator.finFromB)) accumulator.http?.release();
    this.trackProbes(accumulator, analysisFlags, fromA, time);
    const claimedPort = PORTS_CLAIMED_BY_OTHER_DISSECTORS.has(segment.srcPort) || PORTS_CLAIMED_BY_OTHER_DISSECTORS.has(segment.dstPort);
    if (segment.capturedPayloadLength > 0 && !(analysisFlags & NOT_FOR_HTTP) && !claimedPort) {
      const payload = segment.data.subarray(segment.payloadOffset, segment.payloadOffset + segment.capturedPayloadLength);
      accumulator.http ??= new Http1Stream();
      accumulator.http.feed(fromA ? 'a' : 'b', segment.seq, payload);
    }
  }

  private trackProbes(accumulator: StreamAccumulator, analysisFlags: number, fromA: boolean, time: number): void {
    const summary = accumulator.summary;
    if (analysisFlags & ANALYSIS_KEEP_ALIVE) {
      summary.keepAlives += 1;
      accumulator.probes.push({ time, fromA, answered: false, idleBefore: time - accumulator.lastActivity });
      return;
    }
    if (analysisFlags & ANALYSIS_KEEP_ALIVE_ACK) {
      summary.keepAliveAcks += 1;
      const last = accumulator.probes[accumulator.probes.length - 1];
      if (last !== undefined && last.fromA !== fromA) last.answered = true;
      return;
    }
    accumulator.lastActivity = time;
  }

  /** The summaries, in stream order, with the inferred settings filled in. */
  finish(): StreamSummary[] {
    const result: StreamSummary[] = [];
    for (const accumulator of this.streams) {
      if (accumulator === undefined) continue;
      const summary = accumulator.summary;
      summary.httpRequests = accumulator.http?.requests ?? 0;
      summary.httpResponses = accumulator.http?.responses ?? 0;
      summary.probeSpacing = probeSpacing(accumulator.probes);
      summary.keepalive = inferKeepalive(accumulator.probes, accumulator.probesBeforeReset);
      result.push(summary);
    }
    return result;
  }
}

function newAccumulator(stream: number, segment: TcpSegment, time: number): StreamAccumulator {
  return {
    addressA: segment.src,
    portA: segment.srcPort,
    summary: {
      stream,
      a: endpointText(segment.src, segment.srcPort),
      b: endpointText(segment.dst, segment.dstPort),
      firstFrame: segment.frame,
      lastFrame: segment.frame,
      firstTime: time,
      lastTime: time,
      packets: 0,
      packetsAtoB: 0,
      packetsBtoA: 0,
      payloadAtoB: 0,
      payloadBtoA: 0,
      synSeen: false,
      end: 'open',
      maxIdleGap: 0,
      httpRequests: 0,
      httpResponses: 0,
      keepAlives: 0,
      keepAliveAcks: 0,
      probeSpacing: null,
      keepalive: null,
    },
    http: null,
    finFromA: false,
    finFromB: false,
    rst: false,
    lastActivity: time,
    probes: [],
    probesBeforeReset: null,
  };
}

function trailingUnanswered(probes: Probe[]): number {
  let count = 0;
  for (let index = probes.length - 1; index >= 0 && probes[index]?.answered === false; index--) count += 1;
  return count;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

function gapsFrom(probes: Probe[], fromA: boolean, afterUnansweredOnly: boolean): number[] {
  const mine = probes.filter((probe) => probe.fromA === fromA);
  const gaps: number[] = [];
  for (let index = 1; index < mine.length; index++) {
    const previous = mine[index - 1];
    const current = mine[index];
    if (previous === undefined || current === undefined) continue;
    if (afterUnansweredOnly && previous.answered) continue;
    gaps.push(current.time - previous.time);
  }
  return gaps;
}

function probeSpacing(probes: Probe[]): StreamSummary['probeSpacing'] {
  const gaps = [...gapsFrom(probes, true, false), ...gapsFrom(probes, false, false)];
  const middle = median(gaps);
  if (middle === null) return null;
  return { min: Math.min(...gaps), median: middle, max: Math.max(...gaps) };
}

/**
 * A Linux prober waits `idle` after the last traffic, then probes every `interval` while
 * unanswered, and resets after `count` unanswered probes. An answered probe restarts the idle wait.
 */
function inferKeepalive(probes: Probe[], probesBeforeReset: number | null): InferredKeepalive | null {
  const first = probes[0];
  if (first === undefined) return null;
  const fromA = probes.filter((probe) => probe.fromA).length * 2 >= probes.length;
  const mine = probes.filter((probe) => probe.fromA === fromA);
  const answeredGaps = gapsFrom(probes, fromA, false).filter((_, index) => mine[index]?.answered === true);
  const idleCandidates = [mine[0]?.idleBefore ?? 0, ...answeredGaps];
  return {
    prober: fromA ? 'a' : 'b',
    idleSeconds: median(idleCandidates),
    intervalSeconds: median(gapsFrom(probes, fromA, true)),
    probesBeforeGiveUp: probesBeforeReset,
  };
}
