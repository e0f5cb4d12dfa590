/**
 * Reports of real HTTP/2 lab runs (h2 over TLS and h2c; many streams at once, a stream limit,
 * unread bodies, idle GOAWAY, too many PINGs) read in HTTP/2 words in every format: the HTTP/1
 * words that would be false there (a reused connection, a pool wait, keep-alive probes, the
 * agent's maxSockets) never appear, every placeholder is filled, and the figures a reader needs
 * are there: streams, streams at once, PINGs with their RTT, GOAWAY's error code and last stream id.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createService } from '@engine/service';
import { runHttp2 } from '@engine/lab/http2-run';
import { resolveHttp2Config } from '@engine/lab/http2-scenarios';
import { renderHtml } from '@engine/report/render-html';
import { renderJson } from '@engine/report/render-json';
import { renderMarkdown } from '@engine/report/render-markdown';
import type { Http2RunResult } from '@shared/api-http2';
import { createReportBundle } from '@shared/report-model';
import { FIXED_APP } from '../unit/main/report/fixtures';
import { bundleRows } from '../../src/renderer/src/features/report/report-rows';
import { HTTP1_ONLY_WORDS as HTTP1_ONLY } from '../helpers/http1-only-words';

/** Holes a sentence must never show. */
const UNFILLED = [/\{[A-Za-z.]+\}/, /\bundefined\b/, /\bNaN\b/, /\(not known\)/, /\[object Object\]/];

function visibleHtmlText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/g, ' ');
}

/** The sentences a reader of the JSON report reads: headlines and explanations (keys and trace event kinds are for machines). */
function jsonReaderText(json: string): string {
  const parsed = JSON.parse(json) as { derived: { sessions: Array<{ headline: string }> }; explanations: unknown };
  return [...parsed.derived.sessions.map((session) => session.headline), JSON.stringify(parsed.explanations)].join('\n');
}

function expectHttp2Words(text: string, where: string): void {
  for (const word of HTTP1_ONLY) expect(text, `${where}: ${word}`).not.toMatch(word);
  for (const hole of UNFILLED) expect(text, `${where}: ${hole}`).not.toMatch(hole);
}

async function reports(preset: string, overrides: Record<string, unknown> = {}) {
  const run = await runHttp2(resolveHttp2Config(preset, overrides));
  const bundle = createReportBundle({ app: FIXED_APP, sessions: [run.session] });
  return { run, bundle, md: renderMarkdown(bundle), html: renderHtml(bundle), json: renderJson(bundle) };
}

function checkEveryFormat(name: string, rendered: { md: string; html: string; json: string }): void {
  expectHttp2Words(rendered.md, `${name} markdown`);
  expectHttp2Words(visibleHtmlText(rendered.html), `${name} html`);
  expectHttp2Words(jsonReaderText(rendered.json), `${name} json`);
}

function totalStreams(run: Http2RunResult): number {
  return run.requests.filter((request) => request.stream !== null).length;
}

describe('reports of HTTP/2 runs', () => {
  it('h2 over TLS, many requests at once: one connection carrying N streams, and no HTTP/1 word', async () => {
    const rendered = await reports('one-connection');
    checkEveryFormat('one-connection', rendered);
    const streams = totalStreams(rendered.run);
    const derived = JSON.parse(rendered.json).derived.sessions[0];
    // as the lab's server counted them: 10 requests were sent at once
    expect(derived.http2.maxConcurrentStreams).toBeGreaterThan(1);
    expect(rendered.md).toContain(`20 requests on 1 connection as ${streams} streams, up to ${derived.http2.maxConcurrentStreams} at once`);
    expect(rendered.md).toContain('Most streams at once: **');
    expect(rendered.md).toMatch(/TLS 1\.[23], ALPN h2/);
    expect(rendered.md).toContain('#### Many requests, one connection');
    expect(derived.http2).toMatchObject({ streams, goaways: 0 });
    expect(derived.findings).toEqual([]);
    // the HTML's timeline lanes count streams, and its legend names them
    expect(visibleHtmlText(rendered.html)).toContain(`${streams} streams`);
    expect(visibleHtmlText(rendered.html)).toContain('stream on the connection already open');
  }, 60_000);

  it('h2c: cleartext said so, same HTTP/2 words', async () => {
    const rendered = await reports('one-connection', { tls: false });
    checkEveryFormat('h2c', rendered);
    expect(rendered.md).toContain('h2c (cleartext)');
  }, 60_000);

  it('a stream limit: the waits are for a stream slot on the same connection', async () => {
    const rendered = await reports('stream-limit');
    checkEveryFormat('stream-limit', rendered);
    expect(rendered.run.waitedForSlot).toBeGreaterThan(0);
    expect(rendered.md).toContain(`${rendered.run.waitedForSlot} waited for a stream slot`);
    expect(rendered.md).toContain('#### Streams waited for a slot, on the same connection');
    // the server worked on 5 at once, its limit, though the client had all 20 in flight
    expect(rendered.md).toContain('| 5 (5) |');
    expect(rendered.md).toContain('up to 5 at once');
  }, 60_000);

  it('unread bodies: flow control, not a connection', async () => {
    const rendered = await reports('unread-bodies');
    checkEveryFormat('unread-bodies', rendered);
    expect(rendered.md).toContain('#### Unread bodies did not cost a connection');
    expect(rendered.md).toContain('flow-control window');
    expect(rendered.md).toContain('10 responses of 100,000 bytes left unread on 1 connection');
  }, 60_000);

  it('idle GOAWAY: the error code and last stream id of each GOAWAY, and why the next connection was opened', async () => {
    const rendered = await reports('idle-goaway');
    checkEveryFormat('idle-goaway', rendered);
    const ended = rendered.run.connections.filter((connection) => connection.goaway !== null);
    expect(ended.length).toBeGreaterThan(0);
    for (const connection of ended) {
      expect(rendered.md).toContain(
        `${connection.goaway!.error.replaceAll('_', '\\_')} (0x${connection.goaway!.errorCode.toString(16)}), last stream ${connection.goaway!.lastStreamId}`,
      );
    }
    expect(rendered.md).toContain('the one before had received GOAWAY');
  }, 60_000);

  it('too many PINGs: ENHANCE_YOUR_CALM 0xb with "too_many_pings", PINGs with their RTT, which requests were sent again or failed', async () => {
    const rendered = await reports('too-many-pings');
    checkEveryFormat('too-many-pings', rendered);
    expect(rendered.md).toContain('ENHANCE\\_YOUR\\_CALM (0xb), last stream');
    expect(rendered.md).toMatch(/\d+ \(median RTT \d+\.\d\d ms\)/);
    expect(rendered.md).toMatch(/\d+ requests? sent again, \d+ failed/);
    expect(rendered.md).toContain('#### Too many PINGs: GOAWAY ENHANCE\\_YOUR\\_CALM');
    expect(visibleHtmlText(rendered.html)).toContain('HTTP/2 PING');
    // the Reports page's row for the run, in the same words
    const [row] = bundleRows(rendered.bundle);
    expect(row).toMatchObject({ kind: 'HTTP/2 lab' });
    expect(row!.headline).toMatch(/^6 streams on \d+ connections, \d+ PINGs, \d+ GOAWAYs?$/);
    expectHttp2Words(row!.headline, 'Reports page row');
  }, 60_000);

  it('through the service: the session log keeps the run’s HTTP/2 records, and report.render speaks HTTP/2', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'keepalive-lab-report-h2-'));
    const service = createService({ mode: 'cli', dataDir });
    try {
      const ran = await service.call('http2.run', { preset: 'stream-limit' });
      expect(ran.ok).toBe(true);
      const rendered = await service.call('report.render', { format: 'md' });
      if (!rendered.ok) throw new Error(rendered.error.message);
      const { text } = rendered.value as { text: string };
      expectHttp2Words(text, 'service markdown');
      expect(text).toContain('#### Streams waited for a slot, on the same connection');
      expect(text).toMatch(/20 requests on 1 connection as 20 streams, up to 5 at once, 15 waited for a stream slot/);
    } finally {
      await service.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
