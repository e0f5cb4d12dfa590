/**
 * HTTP/1 exchanges on one stream, by frame: the i-th request line the client sent and the
 * i-th final status line the server sent form exchange i (HTTP/1.1 answers in order, RFC 9112 §9.3);
 * an interim 1xx response (100 Continue) belongs to the exchange it precedes; payload that
 * continues a message belongs to it. A segment is classified by how it starts: two messages
 * coalesced into one segment count as one. Then the lab's requests on a connection,
 * in the order it sent them, are paired with the exchanges on the connection's stream.
 */
import type { RequestFrames } from '@shared/api-correlate';
import type { Session } from '@shared/trace';
import { ANALYSIS_KEEP_ALIVE } from '../capture/tcp-flags';
import type { WireSegment } from './wire-log';

export interface WireExchange {
  /** frames of the request (client → server payload) */
  requestFrames: number[];
  /** frames of the response (server → client payload) */
  responseFrames: number[];
  /** ms since 1970 of the request's first frame */
  requestTimeMs: number;
}

/** `segments` of one stream in frame order; `clientKey` the endpoint that sends requests. */
export function wireExchanges(segments: WireSegment[], clientKey: string): WireExchange[] {
  const exchanges: WireExchange[] = [];
  /** final responses seen */
  let responses = 0;
  /** the exchange whose response the server is sending */
  let answering = -1;
  for (const segment of segments) {
    if (segment.payloadLength === 0 || segment.analysis & ANALYSIS_KEEP_ALIVE) continue;
    if (segment.source === clientKey) {
      if (segment.http === 'request') exchanges.push({ requestFrames: [segment.frame], responseFrames: [], requestTimeMs: segment.timeMs });
      else exchanges[exchanges.length - 1]?.requestFrames.push(segment.frame);
      continue;
    }
    if (segment.http === 'response') answering = responses++;
    else if (segment.http === 'interim') answering = responses;
    exchanges[answering]?.responseFrames.push(segment.frame);
  }
  return exchanges;
}

export interface LabRequest {
  request: string;
  conn: string | null;
  reused: boolean | null;
  error: string | null;
  /** µs since the session epoch when the lab started it */
  startedT: number;
}

/** The lab's requests (from request-started / request-ended), in the order they started. */
export function labRequests(session: Session): LabRequest[] {
  const started = new Map<string, number>();
  const requests: LabRequest[] = [];
  for (const event of session.events) {
    if (event.kind === 'request-started') started.set(event.request, event.t);
  }
  for (const event of session.events) {
    if (event.kind !== 'request-ended') continue;
    requests.push({
      request: event.request,
      conn: event.conn ?? null,
      reused: event.reused,
      error: event.error,
      startedT: started.get(event.request) ?? event.t,
    });
  }
  return requests.sort((left, right) => left.startedT - right.startedT);
}

/** Pairs each lab request with the exchange at the same position on its connection's stream. */
export function pairRequests(
  requests: LabRequest[],
  streamOf: Map<string, number>,
  exchangesOf: Map<number, WireExchange[]>,
): RequestFrames[] {
  const position = new Map<string, number>();
  return requests.map((request) => {
    const stream = request.conn === null ? undefined : streamOf.get(request.conn);
    if (request.conn === null || stream === undefined) {
      return {
        request: request.request,
        conn: request.conn,
        stream: null,
        onStream: null,
        frames: [],
        requestFrames: [],
        responseFrames: [],
      };
    }
    const index = position.get(request.conn) ?? 0;
    position.set(request.conn, index + 1);
    const exchange = exchangesOf.get(stream)?.[index];
    if (!exchange)
      return { request: request.request, conn: request.conn, stream, onStream: null, frames: [], requestFrames: [], responseFrames: [] };
    const frames = [...exchange.requestFrames, ...exchange.responseFrames].sort((left, right) => left - right);
    return {
      request: request.request,
      conn: request.conn,
      stream,
      onStream: index,
      frames,
      requestFrames: exchange.requestFrames,
      responseFrames: exchange.responseFrames,
    };
  });
}
