/**
 * Where the lab's account and the wire disagree, or where the wire shows what the lab could
 * not: a "reused" request that went out after a new handshake, request counts that differ,
 * the server's FIN that crossed a reused request (the stale-connection race), probes nobody
 * answered before the kernel gave up, a close the lab called FIN that left as RST.
 */
import { ANALYSIS_KEEP_ALIVE, ANALYSIS_KEEP_ALIVE_ACK } from '../capture/tcp-flags';
import { TCP_FIN, TCP_RST, TCP_SYN } from '../capture/types';
import type { RequestFrames } from '@shared/api-correlate';
import { plural } from '@shared/counting';
import type { LabRequest, WireExchange } from './http-frames';
import type { WireSegment } from './wire-log';

export type FindingCode =
  | 'unmatched-connection'
  | 'request-count-differs'
  | 'reused-but-new-handshake'
  | 'new-but-reused-on-wire'
  | 'close-crossed-request'
  | 'unanswered-probes'
  | 'close-differs';

export interface Finding {
  code: FindingCode;
  conn: string | null;
  stream: number | null;
  /** frames that show it */
  frames: number[];
  message: string;
}

export interface LaneContext {
  conn: string;
  stream: number;
  localKey: string;
  segments: WireSegment[];
  exchanges: WireExchange[];
  /** how the lab says the connection closed, if it recorded it */
  labClose: { how: string; by: string } | null;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function requestFindings(lane: LaneContext, requests: LabRequest[], paired: RequestFrames[]): Finding[] {
  const findings: Finding[] = [];
  const mine = requests.filter((request) => request.conn === lane.conn);
  if (mine.length !== lane.exchanges.length) {
    findings.push({
      code: 'request-count-differs',
      conn: lane.conn,
      stream: lane.stream,
      frames: lane.exchanges.flatMap((exchange) => exchange.requestFrames.slice(0, 1)),
      message: `${lane.conn}: the lab sent ${plural(mine.length, 'request')} on it, the capture shows ${lane.exchanges.length} on stream ${lane.stream}`,
    });
  }
  const syn = lane.segments.find((segment) => segment.tcpFlags & TCP_SYN);
  for (const request of mine) {
    const frames = paired.find((pair) => pair.request === request.request);
    if (!frames || frames.onStream === null) continue;
    if (request.reused === true && frames.onStream === 0 && syn) {
      findings.push({
        code: 'reused-but-new-handshake',
        conn: lane.conn,
        stream: lane.stream,
        frames: [syn.frame, ...frames.requestFrames.slice(0, 1)],
        message: `${request.request}: the client said "reused", but on the wire it is the first request after a new handshake (SYN in frame ${syn.frame})`,
      });
    }
    if (request.reused === false && frames.onStream > 0) {
      findings.push({
        code: 'new-but-reused-on-wire',
        conn: lane.conn,
        stream: lane.stream,
        frames: frames.requestFrames.slice(0, 1),
        message: `${request.request}: the client said "new connection", but the capture shows request ${frames.onStream + 1} on stream ${lane.stream}, with no handshake before it`,
      });
    }
  }
  return findings;
}

/** The stale race on the wire: a request that got no response, and the server's FIN or RST near it. */
export function raceFindings(lane: LaneContext, paired: RequestFrames[]): Finding[] {
  const serverClose = lane.segments.find((segment) => segment.source !== lane.localKey && segment.tcpFlags & (TCP_FIN | TCP_RST));
  if (!serverClose) return [];
  const findings: Finding[] = [];
  for (const exchange of lane.exchanges) {
    if (exchange.responseFrames.length > 0 || exchange.requestFrames.length === 0) continue;
    const request = paired.find((pair) => pair.conn === lane.conn && pair.requestFrames[0] === exchange.requestFrames[0]);
    const name = request?.request ?? 'a request';
    const deltaMs = round(exchange.requestTimeMs - serverClose.timeMs);
    const kind = serverClose.tcpFlags & TCP_RST ? 'RST' : 'FIN';
    const order =
      deltaMs >= 0
        ? `went out ${deltaMs} ms after the server's ${kind} (frame ${serverClose.frame}): the ${kind} was already on its way when the client reused the connection`
        : `went out ${-deltaMs} ms before the server's ${kind} (frame ${serverClose.frame}), which answered it instead of a response`;
    findings.push({
      code: 'close-crossed-request',
      conn: lane.conn,
      stream: lane.stream,
      frames: [...exchange.requestFrames.slice(0, 1), serverClose.frame].sort((left, right) => left - right),
      message: `${name} on ${lane.conn} (frame ${exchange.requestFrames[0]}) got no response: it ${order} — the stale keep-alive race`,
    });
  }
  return findings;
}

/** Runs of probes with no ACK from the other side; ended by an RST from the prober = the kernel gave up. */
export function probeFindings(lane: LaneContext): Finding[] {
  const findings: Finding[] = [];
  let run: WireSegment[] = [];
  const flush = (ending: WireSegment | null) => {
    if (run.length === 0) return;
    const first = run[0];
    const gaveUp = ending !== null && ending.tcpFlags & TCP_RST && ending.source === first?.source;
    const spanS = first ? round((run[run.length - 1]!.timeMs - first.timeMs) / 1000) : 0;
    findings.push({
      code: 'unanswered-probes',
      conn: lane.conn,
      stream: lane.stream,
      frames: [...run.map((segment) => segment.frame), ...(gaveUp && ending ? [ending.frame] : [])],
      message: gaveUp
        ? `${plural(run.length, 'keep-alive probe')} went unanswered over ${spanS} s, then the kernel gave up: RST in frame ${ending?.frame} (the peer is gone; the application sees ETIMEDOUT)`
        : `${plural(run.length, 'keep-alive probe')} went unanswered over ${spanS} s (the peer does not answer)`,
    });
    run = [];
  };
  for (const segment of lane.segments) {
    if (segment.analysis & ANALYSIS_KEEP_ALIVE) {
      if (run.length > 0 && run[0]?.source !== segment.source) flush(null);
      run.push(segment);
    } else if (run.length > 0 && segment.source !== run[0]?.source) {
      // any answer from the other side (a probe ACK or data) ends the run
      run = [];
    } else if (segment.tcpFlags & (TCP_RST | TCP_FIN)) flush(segment);
    else if (!(segment.analysis & ANALYSIS_KEEP_ALIVE_ACK) && segment.payloadLength > 0) run = [];
  }
  flush(null);
  return findings;
}

/** The lab said FIN, the wire shows its side sent RST (or the reverse). */
export function closeFindings(lane: LaneContext): Finding[] {
  if (!lane.labClose || lane.labClose.by !== 'local' || (lane.labClose.how !== 'fin' && lane.labClose.how !== 'rst')) return [];
  const ours = lane.segments.filter((segment) => segment.source === lane.localKey);
  const rst = ours.find((segment) => segment.tcpFlags & TCP_RST);
  const fin = ours.find((segment) => segment.tcpFlags & TCP_FIN);
  if (lane.labClose.how === 'fin' && rst && !fin) {
    return [
      {
        code: 'close-differs',
        conn: lane.conn,
        stream: lane.stream,
        frames: [rst.frame],
        message: `${lane.conn}: the lab closed it normally, but its side sent RST (frame ${rst.frame}), not FIN: a socket closed with unread data in its receive buffer is reset (RFC 2525 §2.17)`,
      },
    ];
  }
  if (lane.labClose.how === 'rst' && !rst && fin) {
    return [
      {
        code: 'close-differs',
        conn: lane.conn,
        stream: lane.stream,
        frames: [fin.frame],
        message: `${lane.conn}: the lab asked for RST, but its side sent FIN (frame ${fin.frame})`,
      },
    ];
  }
  return [];
}
