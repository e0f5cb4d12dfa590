/**
 * A stream's HTTP/1 requests and FIN/RST segments (the engine's `StreamEvents`) → what its lane
 * draws, in the HTTP lab's marks and words: request bars coloured as the lab colours them — the first
 * request on a captured connection paid for its handshake ("new"), every later one reused it — and
 * FIN/RST ticks saying who sent them. Pure.
 */
import type { StreamEvents, StreamRequest } from '@shared/api-capture';
import type { Mark, Span } from '../timeline/timeline-model';
import type { StreamRow } from './capture-model';
import { markIdOf } from './capture-timeline';
import { formatCount, formatDuration } from './format';

/** What a request's place on its connection says, in words (the tooltip's detail, after the request's number). */
export const REQUEST_ROLE = {
  opened: 'opened this connection (new handshake)',
  reused: 'reused the connection',
  unknown: 'its connection opened before the capture began, so new or reused is not known',
  unknownCut: 'the capture missed part of a request on this connection, which may have come first, so new or reused is not known',
} as const;

/**
 * true = reused, false = paid for a new connection, null = the capture cannot say: no SYN (it opened
 * before the capture began), or a request seen only in part (a gap) may have been the first.
 */
export function requestReused(request: Pick<StreamRequest, 'n'>, row: Pick<StreamRow, 'synSeen' | 'httpPartialRequests'>): boolean | null {
  if (request.n > 1) return true;
  return row.synSeen && !row.httpPartialRequests ? false : null;
}

/** What request 1's place on its connection says, in words. */
function firstRole(row: Pick<StreamRow, 'synSeen' | 'httpPartialRequests'>): string {
  if (!row.synSeen) return REQUEST_ROLE.unknown;
  return row.httpPartialRequests ? REQUEST_ROLE.unknownCut : REQUEST_ROLE.opened;
}

/** Each request as a bar from its header block's frame to its response's (a thin bar at the request when no response was captured). */
export function requestSpans(row: StreamRow, events: StreamEvents): Span[] {
  return events.requests.map((request): Span => {
    const reused = requestReused(request, row);
    const role = reused === true ? REQUEST_ROLE.reused : firstRole(row);
    const startUs = request.time * 1e6;
    const endUs = request.responseTime === null ? startUs : Math.max(startUs, request.responseTime * 1e6);
    return {
      // the packet's id: selecting the request's packet in the list outlines its bar
      id: markIdOf(row.stream, request.frame),
      kind: 'request',
      startUs,
      endUs,
      reused,
      frame: request.frame,
      detail: `request ${request.n} on stream ${row.stream} — ${role} · ${exchangeWords(request)}`,
    };
  });
}

/** "GET /a HTTP/1.1 → 200 · response headers 12 ms later (frames 4 → 6)", "GET /a HTTP/1.1 · no response captured (frame 4)" */
function exchangeWords(request: StreamRequest): string {
  const line = request.line ?? 'start line not kept';
  if (request.responseFrame === null || request.responseTime === null) return `${line} · no response captured (frame ${request.frame})`;
  const status = request.status === null ? '' : ` → ${request.status}`;
  const afterS = Math.max(0, request.responseTime - request.time);
  return `${line}${status} · response headers ${formatDuration(afterS)} later (frames ${request.frame} → ${request.responseFrame})`;
}

/** The endpoint that sent a FIN or RST: the stream's `a` or `b`. */
function senderOf(row: Pick<StreamRow, 'a' | 'b'>, from: 'a' | 'b'): string {
  return from === 'a' ? row.a : row.b;
}

/** Each FIN and RST segment as a tick, saying who sent it; ids match the packet's (`s3#f120`), so selecting the packet outlines it. */
export function endMarks(row: StreamRow, events: StreamEvents): Mark[] {
  return events.ends.map((end) => ({
    id: markIdOf(row.stream, end.frame),
    kind: end.kind,
    t: end.time * 1e6,
    frame: end.frame,
    detail: `from ${senderOf(row, end.from)}`,
  }));
}

/**
 * The lane's requests and ends in one sentence for the screen-reader summary and the lane's tooltip:
 * "request 1 opened this connection (new handshake), requests 2–5 reused it; FIN from 10.0.0.1:80, FIN from 10.0.0.2:5123".
 * Empty for a lane with neither.
 */
export function laneEventWords(row: StreamRow, events: StreamEvents): string {
  const parts: string[] = [];
  const requests = events.requests;
  const first = requests[0];
  if (first) {
    const reused = requests.filter((request) => request.n > 1);
    if (first.n === 1)
      parts.push(requestReused(first, row) === false ? `request 1 ${REQUEST_ROLE.opened}` : `request 1: ${firstRole(row)}`);
    if (reused.length > 0) {
      const from = reused[0]!.n;
      const to = reused.at(-1)!.n;
      parts.push(from === to ? `request ${from} reused it` : `requests ${from}–${to} reused it`);
    }
  }
  if (events.requestsLeftOut > 0)
    parts.push(`${formatCount(events.requestsLeftOut)} more ${events.requestsLeftOut === 1 ? 'request' : 'requests'} not drawn here`);
  // the marks are per frame (as tshark lists http.request frames); a frame may complete two requests (a smuggled one)
  const sharing = row.httpRequests - requests.length - events.requestsLeftOut;
  if (sharing > 0)
    parts.push(
      `${formatCount(sharing)} more ${sharing === 1 ? 'request shares a frame' : 'requests share frames'} with another (one mark a frame)`,
    );
  const requestWords = parts.join(', ');
  // in the order first sent, each kind and sender once: "FIN from a, 3 RSTs from b" (a reset storm stays one phrase)
  const counts = new Map<string, number>();
  for (const end of events.ends) {
    const key = `${end.kind === 'fin' ? 'FIN' : 'RST'}\u0000${senderOf(row, end.from)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const ends = [...counts].map(([key, count]) => {
    const [kind, sender] = key.split('\u0000');
    return `${count === 1 ? kind : `${count} ${kind}s`} from ${sender}`;
  });
  if (events.endsLeftOut > 0) ends.push(`${formatCount(events.endsLeftOut)} more FIN or RST segments`);
  return [requestWords, ends.join(', ')].filter(Boolean).join('; ');
}
