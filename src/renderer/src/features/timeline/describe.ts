/**
 * Words for what the timeline shows: the hover tooltip of a hit, the one-line
 * summary of a lane for screen readers, and finding the item a `selectedId` names.
 */
import { FAILED_ON_REUSE_WORDS, REUSED_WORD } from '@shared/connection-states';
import { CAUSE_WORDS } from '@shared/connection-cause';
import type { Hit } from './hit-test';
import { REQUEST_WORDS } from './draw-style';
import { laneIndex } from './lane-index';
import { formatTime } from './scale';
import {
  MARK_KIND_CODE,
  HTTP2_WORDS,
  MARK_KIND_LABEL,
  MARK_KINDS,
  SPAN_KIND_LABEL,
  type Lane,
  type Mark,
  type Span,
  type TimelineModel,
} from './timeline-model';

export interface HitDescription {
  title: string;
  lines: string[];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function spanTitle(span: Span, http2: boolean): string {
  if (http2) return http2SpanTitle(span);
  if (span.kind !== 'request') return SPAN_KIND_LABEL[span.kind];
  if (span.failed === true) return span.reused === true ? `request ${FAILED_ON_REUSE_WORDS}` : 'failed request';
  if (span.reused === true) return REQUEST_WORDS.reused;
  if (span.reused === false) return REQUEST_WORDS.new;
  return REQUEST_WORDS.unknown;
}

/** An HTTP/2 lane's span: streams, and waits for a stream slot (HTTP2_WORDS). */
function http2SpanTitle(span: Span): string {
  if (span.kind === 'pool-wait') return HTTP2_WORDS.waiting;
  if (span.kind === 'idle') return HTTP2_WORDS.idle;
  if (span.kind !== 'request') return SPAN_KIND_LABEL[span.kind];
  if (span.failed === true) return HTTP2_WORDS.failedRequest;
  if (span.reused === true) return HTTP2_WORDS.reusedRequest;
  if (span.reused === false) return HTTP2_WORDS.newRequest;
  return 'stream';
}

/** Tooltip text; times are shown relative to `originUs` (the axis zero); `probes` false: the lanes cannot carry TCP keep-alive probes (a HAR), so no count of them. */
export function describeHit(hit: Hit, originUs: number, probes = true): HitDescription {
  switch (hit.kind) {
    case 'mark': {
      const { mark } = hit;
      const lines = [`at ${formatTime(mark.t - originUs)}`, hit.lane.label];
      if (mark.frame !== undefined) lines.splice(1, 0, `frame ${mark.frame}`);
      if (mark.detail) lines.push(mark.detail);
      return { title: MARK_KIND_LABEL[mark.kind], lines };
    }
    case 'span': {
      const { span } = hit;
      // a span with no length is an instant (a captured request whose response was not captured): no "lasted 0 µs"
      const lasted = span.endUs > span.startUs ? [`lasted ${formatTime(span.endUs - span.startUs)}`] : [];
      const lines = [`${lasted.length > 0 ? 'from' : 'at'} ${formatTime(span.startUs - originUs)}`, ...lasted, hit.lane.label];
      if (span.detail) lines.push(span.detail);
      const why = hit.lane.openedBecause;
      if (why && (span.kind === 'handshake' || span.kind === 'tls-handshake' || (span.kind === 'request' && span.reused === false)))
        lines.push(`new because ${why.detail}`);
      return { title: spanTitle(span, hit.lane.http2 === true), lines };
    }
    case 'bin': {
      const counts = MARK_KINDS.flatMap((kind) => {
        const count = hit.counts[kind];
        return count ? [plural(count, MARK_KIND_LABEL[kind])] : [];
      });
      return {
        title: counts.join(', '),
        lines: [`${formatTime(hit.fromUs - originUs)} – ${formatTime(hit.toUs - originUs)}`, hit.lane.label, 'zoom in to see each packet'],
      };
    }
    case 'lane': {
      const why = hit.lane.openedBecause;
      // the tooltip gives the cause in full, so the summary line leaves it out
      const lines = [
        laneSummary(hit.lane, !why, probes),
        ...(why ? [`opened because ${why.detail}`] : []),
        ...(hit.lane.group ? [hit.lane.group] : []),
        ...(hit.lane.pinned ? [hit.lane.pinned] : []),
      ];
      return { title: hit.lane.label, lines };
    }
  }
}

/**
 * "2 requests (1 reused), 3 keep-alive probes, ended by FIN, opened: body not read" (the cause unless
 * `withCause` is false; no probe count when `probes` is false). "Reused" counts requests that completed on the kept connection, as the counters
 * do; one that failed there is "failed on reuse" (src/shared/connection-states.ts).
 */
export function laneSummary(lane: Lane, withCause = true, probes = true): string {
  if (lane.http2 === true) return http2LaneSummary(lane);
  const requests = lane.spans.filter((span) => span.kind === 'request');
  const reused = requests.filter((span) => span.reused === true && span.failed !== true).length;
  const failedOnReuse = requests.filter((span) => span.reused === true && span.failed === true).length;
  const notes = [reused > 0 ? `${reused} ${REUSED_WORD}` : '', failedOnReuse > 0 ? `${failedOnReuse} ${FAILED_ON_REUSE_WORDS}` : ''];
  const note = notes.filter(Boolean).join(', ');
  const parts = [`${plural(lane.sortKeys.requests, 'request')}${note ? ` (${note})` : ''}`];
  // a HAR (or any source that cannot see packets) records no probes: "0 keep-alive probes" would claim it looked
  if (probes) parts.push(plural(lane.sortKeys.probes, 'keep-alive probe'));
  if (lane.spans.some((span) => span.kind === 'body-unread')) parts.push(`${SPAN_KIND_LABEL['body-unread']} after its last request`);
  const marks = laneIndex(lane).marks;
  // HTTP/2 lanes: their PINGs and GOAWAY, counted (a lane without them says nothing about them)
  for (const kind of ['ping', 'goaway'] as const) {
    const count = marks.kind.filter((code) => code === MARK_KIND_CODE[kind]).length;
    if (count > 0) parts.push(plural(count, MARK_KIND_LABEL[kind]));
  }
  const lastKind = MARK_KINDS[marks.kind[marks.kind.length - 1] ?? 255];
  if (lastKind === 'fin' || lastKind === 'rst') parts.push(`ended by ${MARK_KIND_LABEL[lastKind]}`);
  else if (lane.life.endUs === null) parts.push('still open');
  const why = lane.openedBecause;
  if (withCause && why && why.cause !== 'first') parts.push(`opened: ${CAUSE_WORDS[why.cause].label}`);
  return lane.note ? `${parts.join(', ')}; ${lane.note}` : parts.join(', ');
}

/** "20 streams, 3 HTTP/2 PINGs, 1 HTTP/2 GOAWAY, ended by FIN": streams, not reuse; no TCP probe counts (none are recorded here). */
function http2LaneSummary(lane: Lane): string {
  const streams = lane.spans.filter((span) => span.kind === 'request');
  const failed = streams.filter((span) => span.failed === true).length;
  // a row of streams counts its own; the connection's sort key counts every stream of the connection
  const count = lane.streamsOf === undefined ? lane.sortKeys.requests : streams.length;
  const parts = [
    `${plural(count, 'stream')}${lane.streamsOf === undefined ? '' : ` of ${lane.streamsOf}`}${failed > 0 ? ` (${failed} failed)` : ''}`,
  ];
  const marks = laneIndex(lane).marks;
  for (const kind of ['ping', 'goaway'] as const) {
    const count = marks.kind.filter((code) => code === MARK_KIND_CODE[kind]).length;
    if (count > 0) parts.push(plural(count, MARK_KIND_LABEL[kind]));
  }
  const lastKind = MARK_KINDS[marks.kind[marks.kind.length - 1] ?? 255];
  if (lastKind === 'fin' || lastKind === 'rst') parts.push(`ended by ${MARK_KIND_LABEL[lastKind]}`);
  else if (lane.life.endUs === null) parts.push('still open');
  return parts.join(', ');
}

export interface SelectedItem {
  laneId: string;
  startUs: number;
  endUs: number;
  item: Mark | Span;
}

/**
 * The span or mark whose id is `id`. Ids of column-only marks are
 * "<lane>#f<frame>" or "<lane>#<index>", and are resolved in the lane's columns.
 */
export function findSelected(model: TimelineModel, id: string): SelectedItem | null {
  for (const lane of model.lanes) {
    for (const span of lane.spans) if (span.id === id) return { laneId: lane.id, startUs: span.startUs, endUs: span.endUs, item: span };
    for (const mark of lane.marks) if (mark.id === id) return { laneId: lane.id, startUs: mark.t, endUs: mark.t, item: mark };
    if (lane.columns && id.startsWith(`${lane.id}#`)) {
      const mark = columnMark(lane, id.slice(lane.id.length + 1));
      if (mark) return { laneId: lane.id, startUs: mark.t, endUs: mark.t, item: mark };
    }
  }
  return null;
}

function columnMark(lane: Lane, suffix: string): Mark | null {
  const columns = lane.columns;
  if (!columns) return null;
  const byFrame = suffix.startsWith('f');
  const wanted = Number(byFrame ? suffix.slice(1) : suffix);
  if (!Number.isInteger(wanted)) return null;
  const position = byFrame ? columns.frame.indexOf(wanted) : wanted;
  const t = columns.t[position];
  const kind = MARK_KINDS[columns.kind[position] ?? 255];
  if (position < 0 || t === undefined || !kind) return null;
  const frame = columns.frame[position] || undefined;
  return { id: `${lane.id}#${suffix}`, kind, t, frame };
}
