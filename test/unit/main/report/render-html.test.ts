import { describe, expect, it } from 'vitest';
import { renderHtml } from '@engine/report/render-html';
import { MAX_LANES, MAX_MARKS_PER_CLASS } from '@engine/report/render-timeline-svg';
import { MAX_TABLE_ROWS } from '@engine/report/report-tables';
import { createReportBundle, type ReportCapture } from '@shared/report-model';
import { drainedSession, FIXED_APP, fixtureBundle } from './fixtures';

/**
 * The document's structure without its text: one line per element, indented
 * by depth, with the attributes that carry meaning (id, class, data-*), and
 * the figures' values. Timestamps and coordinates are left out.
 */
function outline(html: string): string {
  const lines: string[] = [];
  let depth = 0;
  const voidElements = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
  for (const match of html.matchAll(/<(\/?)([a-z0-9]+)([^>]*?)(\/?)>/g)) {
    const [, closing, tag = '', attributes = '', selfClosing] = match;
    if (closing) {
      depth -= 1;
      continue;
    }
    if (['rect', 'line', 'text', 'title', 'tspan', 'i', 'strong', 'a', 'time'].includes(tag)) {
      if (!selfClosing && !voidElements.has(tag)) depth += 1;
      continue;
    }
    const kept = [...attributes.matchAll(/\b(id|class|data-[a-z-]+|scope|role)="([^"]*)"/g)].map(([, name, value]) => `${name}=${value}`);
    const end = (match.index ?? 0) + match[0].length;
    const value = attributes.includes('data-figure=') ? ` = ${html.slice(end, html.indexOf('<', end))}` : '';
    lines.push(`${'  '.repeat(Math.max(0, depth))}${tag}${kept.length ? ` [${kept.join(' ')}]` : ''}${value}`);
    if (!selfClosing && !voidElements.has(tag)) depth += 1;
  }
  return lines.join('\n');
}

function figures(html: string): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [, name = '', value = ''] of html.matchAll(/data-figure="([^"]+)">([^<]*)</g)) (found[name] ??= []).push(value);
  return found;
}

describe('renderHtml', () => {
  const html = renderHtml(fixtureBundle());

  it('keeps its structure (snapshot of elements, classes and figures; no timestamps)', () => {
    expect(outline(html)).toMatchSnapshot();
  });

  it('shows the headline numbers of each session and capture', () => {
    expect(html).toContain('10 requests, 1 connection, 9 reused');
    expect(html).toContain('10 requests, 10 connections, 0 reused');
    expect(html).toContain('97 keep-alive probes on 9 connections');
    expect(figures(html)).toMatchObject({
      requests: ['10', '10'],
      connections: ['1', '10'],
      reused: ['9', '0', '8'],
      'keep-alives': ['97'],
      packets: ['344'],
    });
  });

  it('is self-contained: no script, no URL to load, a CSP that forbids loading anything', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\b(src|srcset|action|xlink:href)=/i);
    for (const [, target] of html.matchAll(/href="([^"]*)"/g)) expect(target).toMatch(/^#/);
    expect(html).toContain(`content="default-src 'none'`);
  });

  it('explains every finding with the texts of explain.ts', () => {
    for (const kind of ['connection-reused', 'new-connection', 'new-connection-body-not-drained', 'keepalive-probe', 'keepalive-ack']) {
      expect(html).toContain(`data-kind="${kind}"`);
    }
    expect(html).toContain('Why the tool concluded it.');
    expect(html).toContain('The response body was left unread (ignore)');
  });

  it('escapes whatever a trace holds', () => {
    const session = drainedSession();
    const hostile = renderHtml(
      createReportBundle({
        app: FIXED_APP,
        sessions: [{ ...session, title: '<script>alert(1)</script>', settings: { note: '"><img src=x>' } }],
      }),
    );
    expect(hostile).not.toContain('<script>alert');
    expect(hostile).not.toContain('<img src=x>');
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('stays small for 5,000 streams: bounded lanes, marks and rows', () => {
    const streams: ReportCapture['streams'] = Array.from({ length: 5000 }, (_, index) => ({
      stream: index,
      a: `10.0.${index >> 8}.${index & 255}:${40000 + (index % 20000)}`,
      b: '10.1.0.1:443',
      firstTime: 1_700_000_000 + index * 0.7,
      lastTime: 1_700_000_000 + index * 0.7 + 600,
      packets: 600,
      end: index % 7 === 0 ? 'rst' : 'fin',
      httpRequests: index % 3,
      keepAlives: index % 11 === 0 ? 8 : 0,
      keepAliveAcks: index % 11 === 0 ? 8 : 0,
      probeSpacingS: index % 11 === 0 ? 75 : null,
      inferred: { idleS: null, intervalS: null, probes: null },
    }));
    const capture: ReportCapture = {
      file: 'big.pcap',
      format: 'pcap',
      packets: 3_000_000,
      warnings: [],
      streams,
      flagCounts: { keep_alive: 3640 },
      findings: ['keepalive-probe'],
    };
    const big = renderHtml(createReportBundle({ app: FIXED_APP, captures: [capture] }));
    const svgElements = (big.match(/<(rect|line|text|g) /g) ?? []).length;
    expect(svgElements).toBeLessThan(MAX_LANES * (MAX_MARKS_PER_CLASS + 6) + 200);
    expect((big.match(/<tr>/g) ?? []).length).toBeLessThanOrEqual(MAX_TABLE_ROWS + 20);
    expect(big).toContain('4,900 more streams');
    expect(big.length).toBeLessThan(300_000);
  });
});
