/**
 * What the capture timeline draws on a stream's lane besides the annotated packets: its HTTP/1
 * requests (the frame that completes each request's header block, paired with the frame that
 * completes its response's) and its FIN and RST segments, for the window of streams the timeline
 * asks for (`capture.streams` with `events`).
 *
 * Nothing is stored for it: the packet table already marks every packet's HTTP header block
 * (PACKET_HTTP_REQUEST / _RESPONSE), its side (PACKET_FROM_A) and its TCP flags, so one pass over the
 * frames the window's streams span finds them — at most the capture's packets (3 M packets: a few
 * ms), bounded per stream in what it returns.
 */
import { MAX_END_SEGMENTS, type CaptureStream, type StreamEvents, type StreamRequest } from '@shared/api-capture';
import { PACKET_FROM_A, PACKET_HTTP_REQUEST, PACKET_HTTP_RESPONSE, type PacketTable } from './packet-table';
import type { StartLines } from './start-lines';
import { TCP_FIN, TCP_RST } from './types';

/** Characters of a start line sent with a request: a tooltip line, not the whole URL. */
const MAX_LINE_CHARACTERS = 120;

export interface StreamEventsQuery {
  /** most requests listed a stream (see `requestCap`) */
  maxRequests: number;
  /** list only requests in [fromS, toS], seconds since the capture's first packet */
  range?: { fromS: number; toS: number };
}

interface Draft {
  events: StreamEvents;
  /** whole requests seen so far on the stream (the next one's `n` is this plus one) */
  requests: number;
  /** the latest request: its place in `events.requests` (-1 when it is not listed), and whether a response answered it */
  latest: number;
  latestAnswered: boolean;
}

/**
 * The cap on each stream's listed requests that lists at most `budget` over `counts` (each stream's
 * requests): every stream lists all of its own up to it, so one busy stream among quiet ones still
 * lists many (water-filling). 0 when the budget is smaller than the streams that have requests.
 */
export function requestCap(counts: readonly number[], budget: number): number {
  const sorted = [...counts].sort((left, right) => left - right);
  let left = budget;
  for (let index = 0; index < sorted.length; index++) {
    const share = Math.floor(left / (sorted.length - index));
    const count = sorted[index]!;
    if (count > share) return share;
    left -= count;
  }
  return sorted.at(-1) ?? 0;
}

/** The events of `streams` (each one's `firstFrame` … `lastFrame`), in their order. */
export function streamEvents(
  analysis: { table: PacketTable; httpStartLines: StartLines },
  streams: readonly Pick<CaptureStream, 'stream' | 'firstFrame' | 'lastFrame'>[],
  query: StreamEventsQuery,
): StreamEvents[] {
  const table = analysis.table;
  const drafts = new Map<number, Draft>();
  let fromIndex = table.length;
  let toIndex = 0;
  for (const stream of streams) {
    drafts.set(stream.stream, {
      events: { stream: stream.stream, requests: [], requestsLeftOut: 0, ends: [], endsLeftOut: 0 },
      requests: 0,
      latest: -1,
      latestAnswered: true,
    });
    fromIndex = Math.min(fromIndex, stream.firstFrame - 1);
    toIndex = Math.max(toIndex, stream.lastFrame);
  }
  toIndex = Math.min(toIndex, table.length);
  for (let index = fromIndex; index < toIndex; index++) {
    const marks = table.marks[index]!;
    const tcpFlags = table.tcpFlags[index]!;
    if ((marks & (PACKET_HTTP_REQUEST | PACKET_HTTP_RESPONSE)) === 0 && (tcpFlags & (TCP_FIN | TCP_RST)) === 0) continue;
    const draft = drafts.get(table.stream[index]!);
    if (draft === undefined) continue;
    const frame = index + 1;
    const time = table.time[index]!;
    if (marks & PACKET_HTTP_REQUEST) addRequest(draft, frame, time, analysis.httpStartLines, query);
    else if (marks & PACKET_HTTP_RESPONSE) addResponse(draft, frame, time, analysis.httpStartLines);
    if (tcpFlags & (TCP_FIN | TCP_RST)) {
      const ends = draft.events.ends;
      if (ends.length >= MAX_END_SEGMENTS) draft.events.endsLeftOut += 1;
      // a segment with both bits is a reset: the connection is gone, whatever else it says
      else ends.push({ kind: tcpFlags & TCP_RST ? 'rst' : 'fin', frame, time, from: marks & PACKET_FROM_A ? 'a' : 'b' });
    }
  }
  return streams.map((stream) => drafts.get(stream.stream)!.events);
}

function addRequest(draft: Draft, frame: number, time: number, lines: StartLines, query: StreamEventsQuery): void {
  draft.requests += 1;
  draft.latestAnswered = false;
  draft.latest = -1;
  const listed = draft.events.requests;
  const inRange = query.range === undefined || (time >= query.range.fromS && time <= query.range.toS);
  if (!inRange || listed.length >= query.maxRequests) {
    draft.events.requestsLeftOut += 1;
    return;
  }
  const line = lines.get(frame)?.trimEnd() ?? null;
  const request: StreamRequest = {
    n: draft.requests,
    frame,
    time,
    line: line === null ? null : line.slice(0, MAX_LINE_CHARACTERS),
    responseFrame: null,
    responseTime: null,
    status: null,
  };
  draft.latest = listed.push(request) - 1;
}

/**
 * A final response answers the latest request before it, when that one has no answer yet (as tshark
 * pairs them: `http.request_in`, epan/dissectors/packet-http.c). So a response lost from the capture
 * leaves its request without one instead of shifting every later pair; a response before any request
 * (the capture began mid-exchange) answers none.
 */
function addResponse(draft: Draft, frame: number, time: number, lines: StartLines): void {
  if (draft.latestAnswered) return;
  const status = statusOf(lines.get(frame));
  // 1xx is an interim response (RFC 9110 §15.2): the final one still comes
  if (status !== null && status >= 100 && status < 200) return;
  draft.latestAnswered = true;
  const request = draft.events.requests[draft.latest];
  if (request === undefined) return;
  request.responseFrame = frame;
  request.responseTime = time;
  request.status = status;
}

/** "HTTP/1.1 200 OK" → 200; null for no line or another shape. */
function statusOf(line: string | undefined): number | null {
  const match = line === undefined ? null : /^HTTP\/\d(?:\.\d)? (\d{3})\b/.exec(line);
  return match ? Number(match[1]) : null;
}
