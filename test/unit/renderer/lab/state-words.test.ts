/**
 * One word per state, the same in every view, read off REAL runs of the engine
 * (embedded server on loopback port 0): an unread body is "busy (body unread)"
 * on the timeline, in its tooltip, its lane summary and the legend — never an
 * idle gap; a request that failed on a kept connection is "failed on reuse" in
 * the table, the lanes and the counters, and never counted as reuse.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runHttpLoop } from '@engine/lab/http-loop';
import { CounterStrip } from '@renderer/features/lab/CounterStrip';
import { RunExplanation } from '@renderer/features/lab/RunExplanation';
import { countersFromResult } from '@renderer/features/lab/http-counters';
import { formFromPreset } from '@renderer/features/lab/http-form-model';
import { CONNECTION_KIND_LABEL, requestRows } from '@renderer/features/lab/request-rows';
import { describeHit, laneSummary } from '@renderer/features/timeline/describe';
import { LEGEND } from '@renderer/features/timeline/draw-style';
import { sessionToTimeline } from '@renderer/features/timeline/session-to-timeline';
import { SPAN_KIND_LABEL } from '@renderer/features/timeline/timeline-model';
import { HTTP_PRESETS } from '@engine/lab/http-scenarios';
import { FAILED_ON_REUSE_WORDS, STATE_WORD } from '@shared/connection-states';
import type { HttpRunResult } from '@shared/api-http';
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';

const presetConfig = (name: string) => formFromPreset(HTTP_PRESETS.find((preset) => preset.name === name)!.config).form;

describe('state words on real runs', () => {
  let ignored: HttpRunResult;
  let retried: HttpRunResult;
  let drained: HttpRunResult;

  beforeAll(async () => {
    ignored = await runHttpLoop(formFromPreset({ requests: 3, body: 'ignore' }).form);
    retried = await runHttpLoop(presetConfig('stale-race-retry'));
    drained = await runHttpLoop(formFromPreset({ requests: 3, body: 'drain' }).form);
  }, 30_000);

  it('draws an unread body as busy (body unread) up to the close, never as idle, and says so in words', () => {
    const model = sessionToTimeline(ignored.session);
    expect(model.lanes).toHaveLength(3);
    for (const lane of model.lanes) {
      const kinds = lane.spans.map((span) => span.kind);
      expect(kinds).toContain('body-unread');
      expect(kinds).not.toContain('idle');
      const held = lane.spans.find((span) => span.kind === 'body-unread')!;
      expect(held.endUs).toBe(lane.life.endUs);
      const tooltip = describeHit({ kind: 'span', lane, span: held }, model.startUs);
      expect(tooltip.title).toBe('busy (body unread)');
      expect(laneSummary(lane)).toContain('busy (body unread)');
    }
    expect(ignored.session.events.filter((event) => event.kind === 'request-ended' && event.bodyUnread === true)).toHaveLength(3);
    // the idle-timer verdict says these connections were busy, not idle
    const explained = renderToStaticMarkup(createElement(RunExplanation, { result: ignored }));
    expect(explained).toContain('busy (body unread), not idle');
    expect(renderToStaticMarkup(createElement(RunExplanation, { result: drained }))).not.toContain('body unread');
  });

  it('draws the gaps of a drained run as idle', () => {
    const [lane] = sessionToTimeline(drained.session).lanes;
    expect(lane?.spans.map((span) => span.kind)).toContain('idle');
    expect(lane?.spans.map((span) => span.kind)).not.toContain('body-unread');
    expect(drained.session.events.some((event) => event.kind === 'request-ended' && event.bodyUnread)).toBe(false);
  });

  it('says "failed on reuse", not "reused", for the retried race: card, table and lanes agree', () => {
    const counters = countersFromResult(retried);
    expect(counters.reused).toBe(0);
    expect(counters.reusePercent).toBe(0);
    expect(counters.failedOnReuse).toBe(2);
    const card = renderToStaticMarkup(createElement(CounterStrip, { counters, label: 'Counters' }));
    expect(card).toContain('0 of 3 requests on a kept connection; 2 attempts failed on reuse');

    const rows = requestRows(retried.session.events);
    expect(rows.map((row) => CONNECTION_KIND_LABEL[row.connectionKind])).toEqual([
      'new',
      'failed on reuse',
      'new',
      'failed on reuse',
      'new',
    ]);
    const summaries = sessionToTimeline(retried.session).lanes.map((lane) => laneSummary(lane));
    expect(summaries.join(' | ')).not.toMatch(/\d reused/);
    expect(summaries.filter((summary) => summary.includes(`1 ${FAILED_ON_REUSE_WORDS}`))).toHaveLength(2);
  });

  it('uses the shared words in the legend and span names', () => {
    const legend = LEGEND.map((entry) => entry.label);
    for (const word of [STATE_WORD.idle, STATE_WORD['body-unread'], STATE_WORD.waiting]) expect(legend).toContain(word);
    expect(SPAN_KIND_LABEL['pool-wait']).toBe('waiting in the pool');
    expect(legend.join()).not.toMatch(/idle gap|pool wait/);
  });
});
