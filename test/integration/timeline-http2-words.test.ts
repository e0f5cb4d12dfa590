/**
 * The timeline of a real HTTP/2 run speaks HTTP/2: every tooltip (each span, mark and lane) and
 * the legend say "stream" and "waiting for a stream slot", never a pool, a reused connection or a
 * keep-alive probe; an HTTP/1.1 run's timeline keeps its own words.
 */
import { describe, expect, it } from 'vitest';
import { runHttp2 } from '@engine/lab/http2-run';
import { resolveHttp2Config } from '@engine/lab/http2-scenarios';
import { describeHit, laneSummary } from '../../src/renderer/src/features/timeline/describe';
import { LEGEND, LEGEND_HTTP2 } from '../../src/renderer/src/features/timeline/draw-style';
import { sessionToTimeline } from '../../src/renderer/src/features/timeline/session-to-timeline';
import type { TimelineModel } from '../../src/renderer/src/features/timeline/timeline-model';

const HTTP1_ONLY = [/\bpool\b/i, /reused connection/i, /\breused\b/i, /keep-alive probe/i, /\bbody unread\b/i, /\brequests?\b/];

/** Every tooltip title and line the model can show, and every lane's summary. */
function everyWord(model: TimelineModel): string[] {
  return model.lanes.flatMap((lane) => {
    const spans = lane.spans.map((span) => describeHit({ kind: 'span', lane, span }, model.startUs));
    const marks = lane.marks.map((mark) => describeHit({ kind: 'mark', lane, mark }, model.startUs));
    const laneHit = describeHit({ kind: 'lane', lane }, model.startUs);
    return [...spans, ...marks, laneHit].flatMap((hit) => [hit.title, ...hit.lines]).concat(laneSummary(lane));
  });
}

describe('the timeline of an HTTP/2 run', () => {
  it('stream-limit: waits are for a stream slot, bars are streams, in every tooltip and the legend', async () => {
    const run = await runHttp2(resolveHttp2Config('stream-limit'));
    const model = sessionToTimeline(run.session);
    expect(model.lanes.every((lane) => lane.http2 === true)).toBe(true);
    const words = everyWord(model);
    // the lane labels ("GET /r/3") are the client's own request lines: the check is on the timeline's words
    const timelineWords = words.filter((line) => !/GET \/r\//.test(line));
    for (const word of HTTP1_ONLY)
      expect(
        timelineWords.filter((line) => word.test(line)),
        String(word),
      ).toEqual([]);
    expect(words).toContain('waiting for a stream slot (the server’s stream limit reached)');
    expect(words).toContain('stream on the connection already open');
    expect(words.some((line) => /^20 streams/.test(line))).toBe(true);
    for (const entry of LEGEND_HTTP2) for (const word of HTTP1_ONLY) expect(entry.label).not.toMatch(word);
  }, 60_000);

  it('too-many-pings: PING and GOAWAY marks with their details, lanes counted in streams', async () => {
    const run = await runHttp2(resolveHttp2Config('too-many-pings'));
    const words = everyWord(sessionToTimeline(run.session));
    for (const word of HTTP1_ONLY)
      expect(
        words.filter((line) => !/GET \/r\//.test(line) && word.test(line)),
        String(word),
      ).toEqual([]);
    expect(words).toContain('HTTP/2 GOAWAY');
    expect(words.some((line) => /ENHANCE_YOUR_CALM, last stream \d+, “too_many_pings”/.test(line))).toBe(true);
    expect(words.some((line) => /^2 streams, \d+ HTTP\/2 PINGs/.test(line))).toBe(true);
  }, 60_000);

  it('the HTTP/1 legend keeps its pool and reuse words', () => {
    expect(LEGEND.map((entry) => entry.label)).toEqual(expect.arrayContaining(['waiting in the pool', 'request on a reused connection']));
  });
});
