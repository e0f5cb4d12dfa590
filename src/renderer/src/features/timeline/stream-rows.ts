/**
 * HTTP/2 lanes: many requests run at once on one connection as streams, and bars drawn on one row
 * would hide each other. A connection lane whose requests overlap keeps its handshake, life, PING
 * and GOAWAY marks, and its streams move to rows right under it ("↳ streams 1, 11, 21"), each row
 * holding streams that do not overlap (greedy interval partitioning, fewest rows). The rows sort
 * with their connection under every lane order (same sort keys; their ids follow the connection's).
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import type { Lane, Span } from './timeline-model';

/** "1, 3, … 19" for many stream ids, all of them for a few. */
function idList(ids: number[]): string {
  return ids.length <= 4 ? ids.join(', ') : `${ids.slice(0, 2).join(', ')}, … ${ids.at(-1)}`;
}

/** The stream id a request span's detail names ("stream 5 GET /r/2 → 200"), or null. */
function streamId(span: Span): number | null {
  const match = /^stream (\d+)\b/.exec(span.detail ?? '');
  return match ? Number(match[1]) : null;
}

export function splitStreamRows(lane: Lane): Lane[] {
  const requests = lane.spans.filter((span) => span.kind === 'request').sort((a, b) => a.startUs - b.startUs);
  const rows: Span[][] = [];
  for (const request of requests) {
    const row = rows.find((candidate) => (candidate.at(-1)?.endUs ?? Number.NEGATIVE_INFINITY) <= request.startUs);
    if (row) row.push(request);
    else rows.push([request]);
  }
  if (rows.length <= 1) return [lane];
  const waitIds = new Set(requests.map((request) => `${request.id}/queued`));
  const waitsOf = (row: Span[]) =>
    lane.spans.filter((span) => span.kind === 'pool-wait' && row.some((request) => span.id === `${request.id}/queued`));
  const connection: Lane = {
    ...lane,
    // the connection's own row: handshake, waits for a stream slot, marks; idle gaps between overlapping streams mean nothing here
    spans: lane.spans
      .filter((span) => span.kind === 'handshake' || span.kind === 'tls-handshake' || (span.kind === 'pool-wait' && !waitIds.has(span.id)))
      .map((span) =>
        span.kind === 'pool-wait'
          ? {
              ...span,
              detail:
                `a stream waiting for a free slot (the server's concurrent-stream limit), not for a connection: ${span.detail ?? ''}`.replace(
                  /: $/,
                  '',
                ),
            }
          : span,
      ),
  };
  const streamRows = rows.map((row, index): Lane => {
    const ids = row.map(streamId).filter((id): id is number => id !== null);
    return {
      id: `${lane.id}/streams-${index + 1}`,
      label: ids.length > 0 ? `↳ stream${ids.length === 1 ? '' : 's'} ${idList(ids)}` : '↳ streams',
      // a narrow label column (Compare) keeps the ids, which tell the rows apart, and drops the word
      ...(ids.length > 0 ? { shortLabel: `↳ ${idList(ids)}` } : {}),
      ...(lane.group !== undefined ? { group: lane.group } : {}),
      streamsOf: lane.id,
      ...(lane.http2 !== undefined ? { http2: lane.http2 } : {}),
      sortKeys: lane.sortKeys,
      life: { startUs: row[0]?.startUs ?? lane.life.startUs, endUs: row.at(-1)?.endUs ?? lane.life.endUs },
      spans: [...waitsOf(row), ...row].sort((a, b) => a.startUs - b.startUs),
      marks: [],
    };
  });
  return [connection, ...streamRows];
}
