/**
 * Session (the trace model) → timeline model. One lane per connection; requests,
 * handshakes and waits in the pool become spans, the stretches between requests
 * (and after the last one, until the close) become idle spans — or busy (body
 * unread) spans when the request before left its response body unread, since
 * such a connection cannot take another request — and what the wire or the
 * kernel showed becomes marks.
 */
import type { NewConnection } from '@shared/connection-cause';
import { assertNever, type Connection, type Session, type TraceEvent, type WireMark } from '@shared/trace';
import { formatTime } from './scale';
import { tlsShortText } from '@shared/tls-handshake';
import { splitStreamRows } from './stream-rows';
import { drawnEndUs, type Lane, type Mark, type MarkKind, type Span, type TimelineModel } from './timeline-model';

/** Requests whose connection is never known land on this lane. */
export const UNASSIGNED_LANE_ID = '(no connection)';

/** Gaps between requests shorter than this are noise, not a learner-visible state (µs). */
const MIN_IDLE_US = 1;

interface OpenRequest {
  id: string;
  conn: string | undefined;
  startUs: number;
  label: string | undefined;
}

interface LaneDraft {
  id: string;
  connection: Connection | undefined;
  startUs: number | null;
  endUs: number | null;
  spans: Span[];
  marks: Mark[];
  requests: Span[];
  /** ids of requests that left their response body unread (the connection stays busy after them) */
  bodyUnread: Set<string>;
  /** a FIN/RST already came from the wire, so the close event adds none */
  wireEnd: boolean;
  closeHow: 'fin' | 'rst' | null;
  closeUs: number | null;
  openedBecause?: NewConnection;
}

/** The wire marks the timeline draws; the others (syn, data, zero-window, ...) are not instants a learner needs here. */
function wireMarkKind(mark: WireMark): MarkKind | null {
  switch (mark) {
    case 'keepalive-probe':
    case 'keepalive-ack':
    case 'zero-window-probe':
    case 'retransmission':
    case 'fin':
    case 'rst':
      return mark;
    case 'syn':
    case 'handshake':
    case 'data':
    case 'zero-window-probe-ack':
    case 'zero-window':
      return null;
    default:
      return assertNever(mark, 'wire mark');
  }
}

function endpointText(connection: Connection | undefined): string | undefined {
  const remote = connection?.remote;
  if (!remote) return undefined;
  return remote.address.includes(':') ? `[${remote.address}]:${remote.port}` : `${remote.address}:${remote.port}`;
}

export function sessionToTimeline(session: Session): TimelineModel {
  const connections = new Map(session.connections.map((connection) => [connection.id, connection]));
  const drafts = new Map<string, LaneDraft>();
  const draftOf = (id: string): LaneDraft => {
    let draft = drafts.get(id);
    if (!draft) {
      draft = {
        id,
        connection: connections.get(id),
        startUs: null,
        endUs: null,
        spans: [],
        marks: [],
        requests: [],
        bodyUnread: new Set(),
        wireEnd: false,
        closeHow: null,
        closeUs: null,
      };
      drafts.set(id, draft);
    }
    return draft;
  };
  const touch = (draft: LaneDraft, t: number): void => {
    draft.startUs = draft.startUs === null ? t : Math.min(draft.startUs, t);
  };

  const events = [...session.events].sort((a, b) => a.t - b.t);
  const openRequests = new Map<string, OpenRequest>();
  const usesPoolAcquired = events.some((event) => event.kind === 'pool-acquired');
  let lastUs = 0;
  let firstUs = Number.POSITIVE_INFINITY;

  for (const event of events) {
    // lanes still open and requests still in flight are drawn up to the last event of a connection or a
    // request: a note the run logged after its connections closed is on no lane
    if (event.conn !== undefined || ('request' in event && event.request !== undefined)) lastUs = Math.max(lastUs, event.t);
    firstUs = Math.min(firstUs, event.t);
    applyEvent(event);
  }

  function applyEvent(event: TraceEvent): void {
    switch (event.kind) {
      case 'conn-opened': {
        const draft = draftOf(event.conn);
        touch(draft, event.t);
        if (event.openedBecause) draft.openedBecause = event.openedBecause;
        return;
      }
      case 'handshake-completed': {
        const draft = draftOf(event.conn);
        const startUs = event.us !== null ? event.t - event.us : (draft.startUs ?? event.t);
        touch(draft, startUs);
        draft.spans.push({
          id: `${event.conn}/handshake@${event.t}`,
          kind: 'handshake',
          startUs,
          endUs: event.t,
          reused: null,
          detail: event.us !== null ? `${Math.round(event.us)} µs` : undefined,
        });
        return;
      }
      case 'tls-handshake': {
        // drawn after the TCP handshake it follows: the extra cost of a new connection over https
        const draft = draftOf(event.conn);
        const startUs = event.us !== null ? event.t - event.us : event.t;
        touch(draft, startUs);
        draft.spans.push({
          id: `${event.conn}/handshake@${event.t}/tls`,
          kind: 'tls-handshake',
          startUs,
          endUs: event.t,
          reused: null,
          detail:
            tlsShortText({
              version: event.version,
              alpn: event.alpn,
              resumed: event.resumed,
              handshakeMs: event.us === null ? null : event.us / 1000,
            }) + (event.alpn ? `, ALPN ${event.alpn}` : ''),
        });
        return;
      }
      case 'conn-closed': {
        const draft = draftOf(event.conn);
        touch(draft, event.t);
        draft.endUs = event.t;
        draft.closeUs = event.t;
        draft.closeHow = event.how === 'fin' || event.how === 'rst' ? event.how : null;
        return;
      }
      case 'request-started':
        openRequests.set(event.request, { id: event.request, conn: event.conn, startUs: event.t, label: event.label });
        return;
      case 'request-ended': {
        const started = openRequests.get(event.request);
        openRequests.delete(event.request);
        const conn = event.conn ?? started?.conn ?? UNASSIGNED_LANE_ID;
        const startUs = started?.startUs ?? event.t - (event.timings.totalUs ?? 0);
        const draft = draftOf(conn);
        touch(draft, startUs);
        const outcome = event.error ?? (event.status !== null ? String(event.status) : 'no status');
        const request: Span = {
          id: event.request,
          kind: 'request',
          startUs,
          endUs: event.t,
          reused: event.reused,
          ...(event.error !== null ? { failed: true } : {}),
          detail: `${started?.label ?? event.request} → ${outcome}`,
        };
        draft.requests.push(request);
        if (event.bodyUnread === true) draft.bodyUnread.add(event.request);
        // only a wait the pool imposed (pool-waits.ts): the µs before a request that dialled got its socket are not "waiting in the pool"
        const waitedUs = event.waitedForPoolUs;
        if (!usesPoolAcquired && waitedUs !== undefined && waitedUs > 0) {
          draft.spans.push({
            id: `${event.request}/queued`,
            kind: 'pool-wait',
            startUs,
            endUs: startUs + waitedUs,
            reused: null,
            detail: `queued ${formatTime(waitedUs)}`,
          });
        }
        return;
      }
      case 'pool-acquired': {
        if (event.waitedUs <= 0) return;
        const draft = draftOf(event.conn);
        touch(draft, event.t - event.waitedUs);
        draft.spans.push({
          id: `${event.conn}/wait@${event.t}`,
          kind: 'pool-wait',
          startUs: event.t - event.waitedUs,
          endUs: event.t,
          reused: event.reused,
          detail: `waited ${formatTime(event.waitedUs)}`,
        });
        return;
      }
      case 'wire-seen': {
        const kind = wireMarkKind(event.mark);
        if (!kind) return;
        const draft = draftOf(event.conn);
        touch(draft, event.t);
        if (kind === 'fin' || kind === 'rst') draft.wireEnd = true;
        const side = event.from ? `from ${event.from}` : undefined;
        const detail = [side, event.source === 'kernel' ? 'kernel timer' : undefined].filter(Boolean).join(', ') || undefined;
        draft.marks.push({
          id: event.frame !== undefined ? `${event.conn}#f${event.frame}` : `${event.conn}/${kind}@${event.t}`,
          kind,
          t: event.t,
          frame: event.frame,
          detail,
        });
        return;
      }
      case 'http2-frame': {
        const draft = draftOf(event.conn);
        touch(draft, event.t);
        draft.marks.push({ id: `${event.conn}/${event.frame}@${event.t}`, kind: event.frame, t: event.t, detail: event.detail });
        return;
      }
      case 'half-open-detected':
      case 'pool-waited':
      case 'pool-released':
      case 'pool-evicted':
      case 'bytes-copied':
      case 'kernel-timer-read':
      case 'settings-applied':
      case 'note-logged':
        return;
      default:
        assertNever(event, 'trace event');
    }
  }

  // Requests still in flight at the end of the session: drawn up to the last event.
  for (const open of openRequests.values()) {
    const draft = draftOf(open.conn ?? UNASSIGNED_LANE_ID);
    touch(draft, open.startUs);
    draft.requests.push({
      id: open.id,
      kind: 'request',
      startUs: open.startUs,
      endUs: lastUs,
      reused: null,
      detail: `${open.label ?? open.id} → in flight`,
    });
  }

  const finished = [...drafts.values()].map((draft) => finishLane(draft, lastUs));
  // HTTP/2 runs (settings.protocol "h2"): concurrent streams of a connection get rows under it
  const lanes =
    session.settings['protocol'] === 'h2' ? finished.map((lane): Lane => ({ ...lane, http2: true })).flatMap(splitStreamRows) : finished;
  const startUs = Number.isFinite(firstUs) ? Math.min(0, firstUs) : 0;
  return { lanes, startUs, endUs: Math.max(drawnEndUs(lanes) ?? lastUs, startUs + 1) };
}

function finishLane(draft: LaneDraft, sessionEndUs: number): Lane {
  const requests = [...draft.requests].sort((a, b) => a.startUs - b.startUs);
  const between: Span[] = [];
  const laneEndUs = draft.endUs ?? sessionEndUs;
  for (let index = 0; index < requests.length; index++) {
    const request = requests[index];
    if (!request) continue;
    const nextStartUs = requests[index + 1]?.startUs ?? laneEndUs;
    if (nextStartUs - request.endUs < MIN_IDLE_US) continue;
    if (draft.bodyUnread.has(request.id)) {
      between.push({
        id: `${draft.id}/body-unread@${request.endUs}`,
        kind: 'body-unread',
        startUs: request.endUs,
        endUs: nextStartUs,
        reused: null,
        detail: 'the response body was never read, so no other request can use this connection',
      });
    } else {
      between.push({ id: `${draft.id}/idle@${request.endUs}`, kind: 'idle', startUs: request.endUs, endUs: nextStartUs, reused: null });
    }
  }
  const marks = [...draft.marks];
  if (draft.closeHow && draft.closeUs !== null && !draft.wireEnd) {
    marks.push({ id: `${draft.id}/close`, kind: draft.closeHow, t: draft.closeUs, detail: 'connection closed' });
  }
  marks.sort((a, b) => a.t - b.t);
  const spans = [...draft.spans, ...requests, ...between].sort((a, b) => a.startUs - b.startUs);
  const startUs = draft.startUs ?? 0;
  return {
    id: draft.id,
    label: draft.connection?.label ?? draft.id,
    group: endpointText(draft.connection),
    sortKeys: { start: startUs, requests: requests.length, probes: marks.filter((mark) => mark.kind === 'keepalive-probe').length },
    life: { startUs, endUs: draft.endUs },
    ...(draft.openedBecause ? { openedBecause: draft.openedBecause } : {}),
    spans,
    marks,
  };
}
