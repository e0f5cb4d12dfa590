/**
 * A matched stream's packets as `wire-seen` trace events on its lab connection's lane:
 * handshake, keep-alive probes and their ACKs, zero-window probes, retransmissions, FIN, RST,
 * and the first packet of each HTTP message. Side `a` is the lab connection's local end.
 */
import type { TraceEvent, WireMark } from '@shared/trace';
import {
  ANALYSIS_FAST_RETRANSMISSION,
  ANALYSIS_KEEP_ALIVE,
  ANALYSIS_KEEP_ALIVE_ACK,
  ANALYSIS_RETRANSMISSION,
  ANALYSIS_SPURIOUS_RETRANSMISSION,
  ANALYSIS_ZERO_WINDOW,
  ANALYSIS_ZERO_WINDOW_PROBE,
  ANALYSIS_ZERO_WINDOW_PROBE_ACK,
} from '../capture/tcp-flags';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../capture/types';
import type { WireSegment } from './wire-log';

type WireSeen = Extract<TraceEvent, { kind: 'wire-seen' }>;

const ANY_RETRANSMISSION = ANALYSIS_RETRANSMISSION | ANALYSIS_FAST_RETRANSMISSION | ANALYSIS_SPURIOUS_RETRANSMISSION;

/** The marks one segment puts on a lane, most telling first (a FIN can also be a retransmission). */
export function marksOf(segment: WireSegment): WireMark[] {
  const marks: WireMark[] = [];
  const flags = segment.tcpFlags;
  if (flags & TCP_SYN) marks.push(flags & TCP_ACK ? 'handshake' : 'syn');
  if (segment.analysis & ANALYSIS_KEEP_ALIVE) marks.push('keepalive-probe');
  if (segment.analysis & ANALYSIS_KEEP_ALIVE_ACK) marks.push('keepalive-ack');
  if (segment.analysis & ANALYSIS_ZERO_WINDOW_PROBE) marks.push('zero-window-probe');
  if (segment.analysis & ANALYSIS_ZERO_WINDOW_PROBE_ACK) marks.push('zero-window-probe-ack');
  if (segment.analysis & ANALYSIS_ZERO_WINDOW) marks.push('zero-window');
  if (segment.analysis & ANY_RETRANSMISSION && !(segment.analysis & ANALYSIS_KEEP_ALIVE)) marks.push('retransmission');
  if (flags & TCP_FIN) marks.push('fin');
  if (flags & TCP_RST) marks.push('rst');
  if (segment.http !== null) marks.push('data');
  return marks;
}

/** µs since the session epoch of a packet stamped `timeMs` (ms since 1970); never before 0. */
export function sessionTime(epochMs: number, timeMs: number): number {
  return Math.max(0, Math.round((timeMs - epochMs) * 1000));
}

export function wireEventsFor(segment: WireSegment, conn: string, localKey: string, epochMs: number): WireSeen[] {
  const from = segment.source === localKey ? 'a' : 'b';
  const t = sessionTime(epochMs, segment.timeMs);
  return marksOf(segment).map((mark) => ({ kind: 'wire-seen', conn, mark, source: 'capture', frame: segment.frame, from, t }));
}

export interface LaneFigures {
  conn: string;
  stream: number;
  packets: number;
  /** keep-alive probes, as tshark flags them */
  keepAlives: number;
  keepAliveAcks: number;
  /** ms since 1970 of each probe, in order */
  probeTimesMs: number[];
  /** which side sent the probes ('a' = the lab connection's local end) */
  probesFrom: 'a' | 'b' | 'both' | null;
  retransmissions: number;
  end: 'fin' | 'rst' | 'open';
}

export function laneFigures(conn: string, stream: number, segments: WireSegment[], localKey: string): LaneFigures {
  const probeTimesMs: number[] = [];
  const probeSides = new Set<'a' | 'b'>();
  let keepAliveAcks = 0;
  let retransmissions = 0;
  let end: LaneFigures['end'] = 'open';
  for (const segment of segments) {
    if (segment.analysis & ANALYSIS_KEEP_ALIVE) {
      probeTimesMs.push(segment.timeMs);
      probeSides.add(segment.source === localKey ? 'a' : 'b');
    }
    if (segment.analysis & ANALYSIS_KEEP_ALIVE_ACK) keepAliveAcks += 1;
    if (segment.analysis & ANY_RETRANSMISSION && !(segment.analysis & ANALYSIS_KEEP_ALIVE)) retransmissions += 1;
    if (segment.tcpFlags & TCP_RST) end = 'rst';
    else if (segment.tcpFlags & TCP_FIN && end === 'open') end = 'fin';
  }
  const probesFrom = probeSides.size === 0 ? null : probeSides.size === 2 ? 'both' : ([...probeSides][0] ?? null);
  return {
    conn,
    stream,
    packets: segments.length,
    keepAlives: probeTimesMs.length,
    keepAliveAcks,
    probeTimesMs,
    probesFrom,
    retransmissions,
    end,
  };
}
