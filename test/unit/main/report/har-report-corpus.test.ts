/**
 * The HAR report says only what each real HAR in ../shared/hars shows: its Markdown and HTML
 * reports are rendered and their sentences checked against the import (the file's own data).
 * Connections opened in the file vs set up before it, the connection a finding names, the
 * handshake it names (no TCP SYN for a QUIC connection), connect as TCP + TLS with TLS a part of
 * it, and no lab advice, probes or pool words in a report of a file.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importHarFile } from '@engine/har/import-har';
import { renderHtml } from '@engine/report/render-html';
import { renderMarkdown } from '@engine/report/render-markdown';
import { summarizeSession } from '@engine/report/session-figures';
import { harConnectionTable, harRunOf } from '@engine/report/har-report';
import { createReportBundle } from '@shared/report-model';
import type { HarImport } from '@shared/api-har';
import { fitLabel } from '@engine/report/render-timeline-svg';
import { sessionOfPage } from '@renderer/features/har/har-view-model';
import { harText } from '../../../../src/cli/har-output';

const HARS = path.resolve(__dirname, '../../../../../shared/hars');
const files = readdirSync(HARS).filter((name) => name.endsWith('.har'));
const APP = {
  appVersion: '0.0.0-test',
  platform: 'linux/x64',
  nodeVersion: '20',
  keepaliveDefaults: { timeS: 7200, intervalS: 75, probes: 9, source: 'test' },
};

function reports(har: HarImport): { md: string; html: string } {
  const bundle = createReportBundle({ app: APP, sessions: [har.session], createdAt: new Date(0) });
  // the Markdown as a reader sees it: its escapes (\\#, \\_) taken out
  return { md: renderMarkdown(bundle).replace(/\\(.)/g, '$1'), html: renderHtml(bundle) };
}

const labelOf = (har: HarImport, id: string) => har.session.connections.find((connection) => connection.id === id)?.label ?? id;

/** "#12 GET /x" → 12 */
const entryNumber = (text: string) => Number(/#(\d+)/.exec(text)?.[1] ?? Number.NaN);

describe('HAR report on every real HAR file', () => {
  for (const file of files) {
    it(`${file}: every sentence agrees with the file`, async () => {
      const har = await importHarFile(path.join(HARS, file));
      const { md, html } = reports(har);
      const opened = har.connections.filter((connection) => connection.openedBy !== null);
      const before = har.connections.length - opened.length;

      // nothing a HAR cannot hold, no lab knobs as advice, no "agent" or pool words for a browser
      for (const text of [md, html]) {
        expect(text).not.toMatch(/from pool|Keep-alive probes|Probe spacing|Keepalive settings|the agent opened|still open/);
        expect(text).not.toMatch(/turn keep-alive off|ignore response bodies|borrowers|pool size/i);
        // lab commands only as a reproduction, said as such
        for (const command of text.match(/[^.]*keepalive-lab http[^.]*/g) ?? []) expect(command).toMatch(/In the lab, .*reproduces it/);
      }
      // the headline counts what the table shows
      const split = before === 0 ? 'all opened in the file' : `${opened.length} opened in the file, ${before} set up before it`;
      expect(md).toContain(
        `${har.connections.length.toLocaleString('en-US')} connection${har.connections.length === 1 ? '' : 's'} (${split})`,
      );

      const run = harRunOf(har.session)!;
      const figures = summarizeSession(har.session);
      const table = harConnectionTable(run, figures, 10_000);
      for (const row of table.rows) {
        const connection = har.connections.find((each) => row[0]?.startsWith(`${each.inferred ? each.id : `#${each.id}`} `))!;
        expect(connection, row[0]).toBeDefined();
        const [, , , openedCell, connectCell] = row;
        if (connection.openedBy === null) {
          expect(openedCell).toMatch(/^before the file/);
          expect(connectCell).toMatch(/^none in the file/);
          continue;
        }
        expect(openedCell).toContain(`by #${connection.openedBy}`);
        // connect is HAR 1.2's TCP + TLS: TLS a part of it, never larger, and the parts add up
        if (connection.httpVersion === 'h3') expect(connectCell).toMatch(/QUIC handshake over UDP/);
        const parts = /: TCP ([\d.]+) \+ TLS ([\d.]+)$/.exec(connectCell ?? '');
        if (parts && connection.setupMs !== null && connection.tlsMs !== null) {
          expect(connection.tlsMs).toBeLessThanOrEqual(connection.setupMs);
          expect(Number(parts[1]) + Number(parts[2])).toBeCloseTo(connection.setupMs, -0.5);
        }
      }

      // the opened finding names a connection this file's timings show being set up, and its handshake by protocol
      const openedFinding =
        /#### Connections opened in the file\n\n- \*\*What you see\.\*\* ([^\n]*)\n- \*\*Why the tool concluded it\.\*\* ([^\n]*)\n- \*\*Seen here\.\*\* ([^\n]*)/.exec(
          md,
        );
      expect(Boolean(openedFinding)).toBe(opened.length > 0);
      if (openedFinding) {
        const named = har.connections.find((connection) => openedFinding[2]?.includes(` set up ${labelOf(har, connection.id)}, `));
        expect(named?.openedBy, openedFinding[2]).toBe(entryNumber(openedFinding[2] ?? ''));
        expect(openedFinding[1]?.includes('SYN')).toBe(opened.some((connection) => connection.httpVersion !== 'h3'));
        expect(openedFinding[1]?.includes('QUIC')).toBe(opened.some((connection) => connection.httpVersion === 'h3'));
        expect(openedFinding[3]).toMatch(new RegExp(`^${opened.length.toLocaleString('en-US')} connections? opened in the file`));
      }

      // the reuse finding's entry ran on the connection it names, after the entries it counts
      const reuse =
        /#### Connections reused[^\n]*\n\n[^\n]*\n- \*\*Why the tool concluded it\.\*\* Entry (#\d+)[^\n]* ran on (.+), which (\d+) earlier entr/.exec(
          md,
        );
      expect(Boolean(reuse)).toBe(har.requests.some((request) => request.reused === true));
      if (reuse) {
        const request = har.requests.find((each) => each.index === entryNumber(reuse[1] ?? ''))!;
        const connection = har.connections.find((each) => reuse[2] === labelOf(har, each.id))!;
        expect(request.connection).toBe(connection.id);
        // started before it (startedDateTime; ties in file order)
        const earlier = har.requests.filter(
          (each) =>
            each.connection === connection.id &&
            (each.startMs < request.startMs || (each.startMs === request.startMs && each.index < request.index)),
        );
        expect(Number(reuse[3])).toBe(earlier.length);
      }

      // the timeline's lane labels fit their column: the whole label is the lane's title
      for (const connection of har.session.connections.slice(0, 30))
        expect(html).toContain(`>${fitLabel(connection.label).replace(/&/g, '&amp;')}</text>`);
    });
  }

  it('mitmproxy__firefox.har: the finding, the table and the figures tell one story', async () => {
    const har = await importHarFile(path.join(HARS, 'mitmproxy__firefox.har'));
    const { md } = reports(har);
    // inferred-1 and -2 (HTTP/3) were open before the file; only inferred-3 (HTTP/1.1 over TLS) was set up in it, by #11
    expect(md).toContain('9 requests on 3 connections (1 opened in the file, 2 set up before it)');
    expect(md).toContain('Entry #11 set up inferred-3 h1 s3-us-west-2.amazonaws.com (inferred), connect 98 ms: TCP 32 + TLS 66.');
    expect(md).not.toMatch(/opened connection inferred-1|set up inferred-1/);
    expect(md).toContain('1 connection opened in the file for 9 requests on the network');
    expect(md).toMatch(/\| HTTP\/3 \(QUIC over UDP\) \| [^|]+ \| before the file/);
    expect(md).not.toMatch(/\| TCP \d/);
    expect(md).toContain('Connect (TCP + TLS; QUIC for HTTP/3)');
    // the CLI's words: no set-up in the file is not a set-up of 0 ms, and saved nothing is not known
    const text = harText('firefox.har', har);
    expect(text).toContain('https://mitmproxy.org (h3): 2 connections, 8 requests, 6 reused (75%), connect (QUIC) none in the file');
    expect(text).toContain('inferred-3 (inferred) h1: 1 request, opened by #11: first, connect (TCP + TLS) 98 ms: TCP 32 + TLS 66');
    expect(text).not.toMatch(/connect\+TLS 0 ms|reuse saved ~0 ms, could have saved 0 ms\n {2}inferred-1/);
    expect(text).not.toContain('could have saved 0 ms');
    expect(text).toContain('none opened while another sat idle');
  });
});

describe('HAR connect and ssl (HAR 1.2: ssl is a part of connect)', () => {
  it('Firefox and Playwright count ssl apart: connect becomes TCP + TLS, and the parts add up to the entry’s time', async () => {
    for (const file of ['mitmproxy__firefox.har', 'playwright__har-redirect.har']) {
      const har = await importHarFile(path.join(HARS, file));
      const withTls = har.requests.filter((request) => (request.timings.ssl ?? 0) > 0);
      expect(withTls.length).toBeGreaterThan(0);
      for (const request of withTls) {
        const t = request.timings;
        expect(t.connect ?? 0).toBeGreaterThanOrEqual(t.ssl ?? 0);
        // time = blocked + dns + connect + send + wait + receive, ssl not counted again
        const sum = [t.blocked, t.dns, t.connect, t.send, t.wait, t.receive].reduce<number>((total, ms) => total + (ms ?? 0), 0);
        expect(sum).toBeCloseTo(t.total, 1);
      }
      expect(har.warnings.join('\n')).toMatch(/counted TLS \(ssl\) apart from connect/);
    }
    const firefox = await importHarFile(path.join(HARS, 'mitmproxy__firefox.har'));
    const s3 = firefox.connections.find((connection) => connection.origin.includes('amazonaws'))!;
    expect({ setupMs: s3.setupMs, tlsMs: s3.tlsMs }).toEqual({ setupMs: 98, tlsMs: 66 });
  });

  it('Chrome-family files already count ssl inside connect: nothing is added', async () => {
    const har = await importHarFile(path.join(HARS, 'sitespeed__www-thegreenwebfoundation-org.har'));
    expect(har.warnings.join('\n')).not.toMatch(/apart from connect/);
    const opened = har.connections.filter((connection) => connection.tlsMs !== null && connection.setupMs !== null);
    expect(opened.length).toBeGreaterThan(0);
    for (const connection of opened) expect(connection.tlsMs!).toBeLessThanOrEqual(connection.setupMs!);
  });
});

describe('a HAR report of one page', () => {
  it('counts only the page’s own connections and entries', async () => {
    const har = await importHarFile(path.join(HARS, 'perfcascade__browsertime_h2_filamentgroup.com.har'));
    for (const page of har.pages) {
      const session = sessionOfPage(har, page.id);
      const run = harRunOf(session)!;
      expect(run.facts.connections.map((connection) => connection.id).sort()).toEqual(
        session.connections.map((connection) => connection.id).sort(),
      );
      const figures = summarizeSession(session);
      expect(figures.headline).toMatch(new RegExp(`^${figures.requests} requests? on ${session.connections.length} connections? \\(`));
    }
  });
});
