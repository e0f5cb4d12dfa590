import { describe, expect, it } from 'vitest';
import { renderMarkdown, escapeMarkdown } from '@engine/report/render-markdown';
import { connectionTable, settingsTable, streamTable } from '@engine/report/report-tables';
import { summarizeSession } from '@engine/report/session-figures';
import { explain } from '@shared/explain';
import { captureFromOracle, drainedSession, fixtureBundle } from './fixtures';

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(fixtureBundle());

  it('has the summary headlines, one section per session and capture, and the environment', () => {
    expect(markdown.startsWith('# Keepalive Lab report\n')).toBe(true);
    expect(markdown).toContain('- **HTTP lab: drained bodies**: 10 requests, 1 connection, 9 reused, 3 keep-alive probes');
    expect(markdown).toContain('- **ndpi\\_\\_ocsp.pcapng**: 344 packets on 10 connections; 97 keep-alive probes on 9 connections');
    expect(markdown.match(/^## /gm)).toHaveLength(5);
    expect(markdown).toContain('OS keepalive defaults: idle 7200 s, interval 75 s, 9 probes');
  });

  it('has the same table rows as the HTML report (same table model)', () => {
    const table = connectionTable(summarizeSession(drainedSession()));
    expect(markdown).toContain(`| ${table.headers.join(' | ')} |`);
    const streams = streamTable(captureFromOracle('ndpi__ocsp.pcapng'));
    expect(streams.rows).toHaveLength(10);
    const tableLines = markdown.split('\n').filter((line) => /^\| \d+ \| 192\.168\./.test(line));
    expect(tableLines).toHaveLength(10);
    expect(tableLines[0]).toBe(`| ${streams.rows[0]!.map(escapeMarkdown).join(' | ')} |`);
  });

  it('explains the findings with explain.ts texts', () => {
    expect(markdown).toContain(`#### ${explain('new-connection-body-not-drained').title}`);
    expect(markdown).toContain('**Try next.**');
    expect(markdown).toContain('ran on connection conn 1 (:50001), which had already carried 9 requests');
  });

  it('escapes table-breaking characters', () => {
    expect(escapeMarkdown('a|b *c* <d>\nnext')).toBe('a\\|b \\*c\\* \\<d\\> next');
  });

  it('lists nested settings as dotted keys', () => {
    const table = settingsTable('run', {
      body: 'drain',
      agent: { keepAlive: true, maxSockets: null },
      server: { keepAliveTimeoutMs: 5000 },
      userTimeoutMs: undefined,
    });
    // an unset setting reads as such, never as the words null or undefined
    expect(table.rows).toEqual([
      ['body', 'drain'],
      ['agent.keepAlive', 'true'],
      ['agent.maxSockets', 'not set'],
      ['server.keepAliveTimeoutMs', '5000'],
      ['userTimeoutMs', 'not set'],
    ]);
  });
});
