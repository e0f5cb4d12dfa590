/**
 * The comparison part of a report, from a bundle's `comparisons` (made by src/shared/report-comparison.ts;
 * the integration tests make it from real runs): titles the page sent are text, never markup or
 * Markdown structure; runs with the same figures say so; a side whose session the bundle lacks is named
 * without a link; the JSON reads back with the comparison.
 */
import { describe, expect, it } from 'vitest';
import { createReportBundle } from '@shared/report-model';
import type { ReportComparison } from '@shared/report-comparison';
import { renderHtml } from '@engine/report/render-html';
import { renderMarkdown } from '@engine/report/render-markdown';
import { parseReportJson, renderJson } from '@engine/report/render-json';
import { drainedSession, FIXED_APP, FIXED_CREATED_AT, ignoredBodySession } from './fixtures';

const totals = (connections: string) => [
  { label: 'Requests', value: '10' },
  { label: 'Connections opened', value: connections },
];

function comparison(titles: [string, string], ids: [string, string], differs: boolean): ReportComparison {
  return {
    a: { sessionId: ids[0], title: titles[0], protocolName: 'HTTP/1.1', target: 'http://127.0.0.1:8080/', totals: totals('1') },
    b: { sessionId: ids[1], title: titles[1], protocolName: 'HTTP/1.1', target: 'http://127.0.0.1:8080/', totals: totals('10') },
    figures: [{ field: 'connectionsOpened', label: 'connections opened', a: '1', b: differs ? '10' : '1', differs }],
    differences: differs ? ['connections opened: 1 vs 10'] : [],
  };
}

function bundleOf(compared: ReportComparison) {
  return createReportBundle({
    app: FIXED_APP,
    createdAt: FIXED_CREATED_AT,
    sessions: [drainedSession(), ignoredBodySession()],
    comparisons: [compared],
  });
}

describe('a comparison in the report', () => {
  const [drained, ignored] = [drainedSession(), ignoredBodySession()];

  it('escapes hostile titles in HTML and keeps them on their line in Markdown', () => {
    const hostile: [string, string] = ['<script>alert(1)</script>', 'Run 2\n# not a heading | cell'];
    const bundle = bundleOf(comparison(hostile, [drained.id, ignored.id], true));
    const html = renderHtml(bundle);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const markdown = renderMarkdown(bundle);
    expect(markdown.split('\n')).not.toContain('# not a heading | cell');
    expect(markdown).toContain('- **B** Run 2 \\# not a heading \\| cell (HTTP/1.1, http://127.0.0.1:8080/)');
  });

  it('says the runs gave the same figures when none differs, and names a side whose session is missing without a link', () => {
    const bundle = bundleOf(comparison(['Run 1', 'Run 2'], [drained.id, 'gone'], false));
    const html = renderHtml(bundle);
    expect(html).toContain('<p class="headline">The two runs gave the same figures.</p>');
    expect(html).not.toContain('<ul class="differences">');
    expect(html).toContain('<a href="#session-0">Run 1</a>');
    expect(html).toContain('<li><b>B</b> Run 2 <span class="meta">');
    expect(renderMarkdown(bundle)).toContain('## What differs, A vs B\n\n- **A** Run 1');
    expect(renderMarkdown(bundle)).toContain('**The two runs gave the same figures.**');
  });

  it('the JSON report reads back with its comparison, which re-renders the same', () => {
    const bundle = bundleOf(comparison(['Run 1', 'Run 2'], [drained.id, ignored.id], true));
    const again = parseReportJson(renderJson(bundle), FIXED_APP);
    expect(again.comparisons).toEqual(bundle.comparisons);
    expect(renderHtml(again)).toBe(renderHtml(bundle));
  });
});
