/**
 * A captured stream's requests and FIN/RST segments on its lane: drawn with the HTTP lab's request
 * colours (the first request on a captured connection paid for it, the later ones reused it), in
 * words on hover and in the screen-reader summary, and un-dimming their legend entries.
 */
import { describe, expect, it } from 'vitest';
import type { StreamEvents } from '@shared/api-capture';
import type { StreamRow } from '@renderer/features/capture/capture-model';
import { captureTimelineInput, markIdOf } from '@renderer/features/capture/capture-timeline';
import { laneEventWords, REQUEST_ROLE, requestReused } from '@renderer/features/capture/lane-events';
import { binsToTimeline } from '@renderer/features/timeline/bins-to-timeline';
import { describeHit, findSelected, laneSummary } from '@renderer/features/timeline/describe';
import { spanColor } from '@renderer/features/timeline/draw-style';
import { hitTest } from '@renderer/features/timeline/hit-test';
import { AXIS_HEIGHT_PX, LABEL_WIDTH_PX, layoutRows, ROW_HEIGHT_PX } from '@renderer/features/timeline/lane-layout';
import { drawnLegendKeys } from '@renderer/features/timeline/legend-drawn';
import { MARK_KIND_CODE } from '@renderer/features/timeline/timeline-model';

const row = (stream: number, synSeen: boolean): StreamRow => ({
  stream,
  a: '10.0.0.2:51234',
  b: '10.0.0.1:80',
  firstFrame: 1,
  lastFrame: 20,
  startS: 0,
  endS: 2,
  packets: 20,
  end: 'fin',
  httpRequests: 3,
  keepAlives: 0,
  keepAliveAcks: 0,
  keepaliveIdleS: null,
  keepaliveIntervalS: null,
  keepaliveProbes: null,
  duplicateProbesIgnored: 0,
  synSeen,
  application: '',
});

const request = (n: number, frame: number, time: number, response: [number, number] | null) => ({
  n,
  frame,
  time,
  line: `GET /${n} HTTP/1.1`,
  responseFrame: response?.[0] ?? null,
  responseTime: response?.[1] ?? null,
  status: response ? 200 : null,
});

const events = (stream: number): StreamEvents => ({
  stream,
  requests: [request(1, 4, 0.1, [6, 0.112]), request(2, 8, 0.5, [10, 0.51]), request(3, 12, 1.0, null)],
  requestsLeftOut: 0,
  ends: [
    { kind: 'fin', frame: 17, time: 1.9, from: 'b' },
    { kind: 'fin', frame: 19, time: 1.95, from: 'a' },
  ],
  endsLeftOut: 0,
});

describe('a captured stream’s requests and ends on its lane', () => {
  const input = captureTimelineInput([row(3, true)], null, 2, null, null, new Map([[3, events(3)]]));
  const model = binsToTimeline(input);
  const lane = model.lanes[0]!;

  it('draws request 1 in the lab’s new-connection colour and the later ones in its reused colour, from request to response', () => {
    const requests = lane.spans.filter((span) => span.kind === 'request');
    expect(requests.map((span) => span.reused)).toEqual([false, true, true]);
    expect(requests.map((span) => spanColor(span))).toEqual(['new', 'reused', 'reused']);
    expect(requests[0]).toMatchObject({ startUs: 100_000, endUs: 112_000, frame: 4, id: markIdOf(3, 4) });
    // no response captured: an instant at the request
    expect(requests[2]).toMatchObject({ startUs: 1_000_000, endUs: 1_000_000 });
  });

  it('says what each request was on hover', () => {
    const first = describeHit({ kind: 'span', lane, span: lane.spans.find((span) => span.frame === 4)! }, 0);
    expect(first.title).toBe('request on a new connection');
    expect(first.lines).toContain(
      `request 1 on stream 3 — ${REQUEST_ROLE.opened} · GET /1 HTTP/1.1 → 200 · response headers 12 ms later (frames 4 → 6)`,
    );
    const last = describeHit({ kind: 'span', lane, span: lane.spans.find((span) => span.frame === 12)! }, 0);
    expect(last.title).toBe('request on a reused connection');
    expect(last.lines[0]).toBe('at 1.000000 s');
    expect(last.lines.some((line) => line.startsWith('lasted'))).toBe(false);
    expect(last.lines).toContain('request 3 on stream 3 — reused the connection · GET /3 HTTP/1.1 · no response captured (frame 12)');
  });

  it('draws each FIN with who sent it, found under the pointer and by the packet’s id', () => {
    const rows = layoutRows(model, 'start', false).rows;
    const window = { startUs: 0, endUs: 2_000_000, widthPx: 1000 };
    const y = AXIS_HEIGHT_PX + rows.findIndex((entry) => entry.kind === 'lane') * ROW_HEIGHT_PX + ROW_HEIGHT_PX / 2;
    // 2 ms a pixel: 1.95 s is 975 px in
    const hit = hitTest({ rows, window, scrollTopPx: 0 }, LABEL_WIDTH_PX + 975, y);
    expect(hit?.kind).toBe('mark');
    if (hit?.kind !== 'mark') return;
    expect(describeHit(hit, 0)).toEqual({ title: 'FIN', lines: ['at 1.950000 s', 'frame 19', lane.label, 'from 10.0.0.2:51234'] });
    expect(findSelected(model, markIdOf(3, 17))?.item).toMatchObject({ kind: 'fin', detail: 'from 10.0.0.1:80' });
    expect(Array.from(input.marks!.kind)).toEqual([MARK_KIND_CODE.fin, MARK_KIND_CODE.fin]);
    // FIN/RST ticks are no annotated packets: the header's count of those stays theirs
    expect(input.annotatedDrawn).toBe(0);
  });

  it('says it all in the screen-reader summary', () => {
    expect(laneSummary(lane)).toBe(
      '3 requests (2 reused), 0 keep-alive probes, ended by FIN; request 1 opened this connection (new handshake), requests 2–3 reused it; FIN from 10.0.0.1:80, FIN from 10.0.0.2:51234',
    );
  });

  it('un-dims the legend entries it draws, and only those', () => {
    const drawn = drawnLegendKeys(model)!;
    expect([...drawn].sort()).toEqual(['fin', 'request-new', 'request-reused']);
  });

  it('names each kind and sender of the ends once, counted', () => {
    const storm: StreamEvents = {
      stream: 3,
      requests: [],
      requestsLeftOut: 0,
      ends: [
        { kind: 'fin', frame: 5, time: 1, from: 'a' },
        { kind: 'rst', frame: 6, time: 1.1, from: 'b' },
        { kind: 'rst', frame: 7, time: 1.2, from: 'b' },
        { kind: 'rst', frame: 8, time: 1.3, from: 'b' },
      ],
      endsLeftOut: 12,
    };
    expect(laneEventWords({ ...row(3, true), httpRequests: 0 }, storm)).toBe(
      'FIN from 10.0.0.2:51234, 3 RSTs from 10.0.0.1:80, 12 more FIN or RST segments',
    );
  });

  it('says when a frame carried more than one request (one mark a frame, as tshark lists them)', () => {
    const smuggled = { ...row(7, true), httpRequests: 2 };
    const one: StreamEvents = { stream: 7, requests: [request(1, 4, 0.1, null)], requestsLeftOut: 0, ends: [], endsLeftOut: 0 };
    expect(laneEventWords(smuggled, one)).toBe(
      `request 1 ${REQUEST_ROLE.opened}, 1 more request shares a frame with another (one mark a frame)`,
    );
  });

  it('does not call the first request new when the capture began mid-connection', () => {
    expect(requestReused({ n: 1 }, { synSeen: false })).toBeNull();
    expect(requestReused({ n: 2 }, { synSeen: false })).toBe(true);
    // a request cut by a gap may have been the first: request 1 of the whole ones is not known to be new
    expect(requestReused({ n: 1 }, { synSeen: true, httpPartialRequests: 1 })).toBeNull();
    expect(laneEventWords({ ...row(6, true), httpPartialRequests: 1 }, events(6))).toMatch(
      new RegExp(`^request 1: ${REQUEST_ROLE.unknownCut}, requests 2–3 reused it; `),
    );
    const midway = binsToTimeline(captureTimelineInput([row(5, false)], null, 2, null, null, new Map([[5, events(5)]])));
    expect(midway.lanes[0]!.spans[0]!.reused).toBeNull();
    expect(drawnLegendKeys(midway)!.has('request-unknown')).toBe(true);
    expect(laneEventWords(row(5, false), { ...events(5), requestsLeftOut: 40, ends: [] })).toBe(
      `request 1: ${REQUEST_ROLE.unknown}, requests 2–3 reused it, 40 more requests not drawn here`,
    );
  });
});
