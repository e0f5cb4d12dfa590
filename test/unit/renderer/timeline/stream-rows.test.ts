/** HTTP/2 stream rows: overlapping streams of one connection go to the fewest rows without overlap, under their connection. */
import { describe, expect, it } from 'vitest';
import { laneSummary } from '@renderer/features/timeline/describe';
import { splitStreamRows } from '@renderer/features/timeline/stream-rows';
import type { Lane, Span } from '@renderer/features/timeline/timeline-model';

const request = (stream: number, startUs: number, endUs: number): Span => ({
  id: `r${stream}`,
  kind: 'request',
  startUs,
  endUs,
  reused: stream !== 1,
  detail: `stream ${stream} GET /r/${stream} → 200`,
});

function lane(spans: Span[]): Lane {
  return {
    id: 'c1',
    label: 'c1 :5000 · TLS 1.3 h2',
    group: '127.0.0.1:443',
    sortKeys: { start: 0, requests: spans.length, probes: 0 },
    life: { startUs: 0, endUs: 1000 },
    spans: [{ id: 'c1/handshake', kind: 'handshake', startUs: 0, endUs: 10, reused: null }, ...spans],
    marks: [{ id: 'c1/ping@50', kind: 'ping', t: 50 }],
  };
}

describe('splitStreamRows', () => {
  it('leaves a connection whose streams never overlap as one lane', () => {
    const single = lane([request(1, 10, 20), request(3, 20, 30), request(5, 40, 50)]);
    expect(splitStreamRows(single)).toEqual([single]);
  });

  it('puts overlapping streams on the fewest rows under the connection, which keeps its handshake and marks', () => {
    // three at once at first, then one after the first ends: 3 rows
    const [connection, ...rows] = splitStreamRows(lane([request(1, 10, 100), request(3, 10, 60), request(5, 10, 80), request(7, 60, 90)]));
    expect(connection!.spans.map((span) => span.kind)).toEqual(['handshake']);
    expect(connection!.marks.map((mark) => mark.kind)).toEqual(['ping']);
    expect(rows.map((row) => row.label)).toEqual(['↳ stream 1', '↳ streams 3, 7', '↳ stream 5']);
    expect(rows.every((row) => row.streamsOf === 'c1' && row.group === '127.0.0.1:443' && row.sortKeys === connection!.sortKeys)).toBe(
      true,
    );
    expect(rows.map((row) => row.id)).toEqual(['c1/streams-1', 'c1/streams-2', 'c1/streams-3']);
  });

  it('a row counts its own streams, not its connection’s, and has a short label that keeps the ids for a narrow column', () => {
    const h2 = { ...lane([request(1, 10, 100), request(3, 10, 60), request(5, 10, 80), request(7, 60, 90)]), http2: true };
    const [connection, ...rows] = splitStreamRows(h2);
    expect(laneSummary(connection!)).toMatch(/^4 streams, /);
    expect(rows.map((row) => laneSummary(row))).toEqual(['1 stream of c1', '2 streams of c1', '1 stream of c1']);
    expect(rows.map((row) => row.shortLabel)).toEqual(['↳ 1', '↳ 3, 7', '↳ 5']);
  });
});
