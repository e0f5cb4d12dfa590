/**
 * Reports as a person reads them, from real runs and real captures through the service (the one
 * door every front end uses): an HTTP run from a scenario, a TCP keepalive hold with live capture,
 * and public captures opened as web-mode uploads are (stored under `<uuid>-<name>`, one of them
 * twice). In HTML, Markdown and JSON: no placeholder is left in any explanation, the run keeps the
 * scenario's name, a capture keeps its file's name, and the file opened twice is listed once.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '@engine/service';
import type { ApiResult } from '@shared/api';
import { explainKindForFlag } from '@shared/explain';
import { ANALYSIS_FLAG_NAMES } from '@engine/capture/tcp-flags';
import { ReportBundleSchema, type ReportBundle, type ReportFormat } from '@shared/report-model';

const CORPUS = resolve(import.meta.dirname, '../../../shared/captures/public');
/** captures that, between them, show every per-packet explanation kind */
const CAPTURES = [
  'ndpi__ocsp.pcapng',
  'ndpi__1kxun.pcap',
  'suricata__http-mime-truncated.pcap',
  'suricata__transform-base64-7296.pcap',
  'packets__tcp_zerowindowrecovery.pcapng',
  'arkime__wireshark-retrans.pcap',
];
const SCENARIO_TITLE = 'Drained body: one connection for all requests';
/** what a person must never read: a bare template placeholder, or a value shown as a lone "?" */
const LEFTOVER = /‹[^›]*›|\{[A-Za-z]+\}|(^|[\s(])\?([\s,.;:)]|$)/m;

let service: Service;
const uploads = mkdtempSync(join(tmpdir(), 'report-names-'));

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Stores a copy as the web server stores an upload, and opens it under the name the person chose. */
async function openAsUpload(name: string): Promise<void> {
  const stored = join(uploads, `${randomUUID()}-${name}`);
  copyFileSync(join(CORPUS, name), stored);
  value(await service.call('capture.open', { path: stored, name }));
}

let bundle: ReportBundle;
const rendered = new Map<ReportFormat, string>();

beforeAll(async () => {
  service = createService({ mode: 'cli', dataDir: uploads });
  value(await service.call('http.run', { preset: 'drained-body', config: { requests: 4 } }));
  value(await service.call('http.run', { preset: 'stale-race' }));
  const keepalive = value(await service.call('tcp.runKeepalive', { idleS: 1, intervalS: 1, holdS: 3.5, capture: true })) as {
    capture?: { status: string };
  };
  expect(keepalive.capture?.status, 'tcpdump must run for this test (root, tcpdump installed)').toBe('captured');
  for (const name of CAPTURES) await openAsUpload(name);
  await openAsUpload('ndpi__ocsp.pcapng');
  bundle = ReportBundleSchema.parse(value(await service.call('session.bundle', {})));
  for (const format of ['html', 'md', 'json'] as const) {
    rendered.set(format, (value(await service.call('report.render', { format })) as { text: string }).text);
  }
}, 120_000);

afterAll(async () => {
  await service?.dispose();
  rmSync(uploads, { recursive: true, force: true });
});

/** The text fields a reader sees in a JSON report: every string under `derived` and the explanations. */
function jsonTexts(text: string): string[] {
  const parsed = JSON.parse(text) as { derived?: unknown; explanations?: unknown };
  const strings: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === 'string') strings.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(parsed.derived);
  walk(parsed.explanations);
  return strings;
}

describe('reports of real runs and captures', () => {
  it('explain what they show: per-packet and per-run kinds', () => {
    const findings = new Set([...bundle.captures.flatMap((capture) => capture.findings)]);
    const perPacket = ANALYSIS_FLAG_NAMES.map(explainKindForFlag).filter((kind) => kind !== null);
    expect(perPacket.length).toBe(14);
    for (const kind of [...perPacket, 'connection-reused', 'capture-mid-connection', 'fin-vs-rst'] as const)
      expect(findings, kind).toContain(kind);
    expect(bundle.sessions.map((session) => session.kind).sort()).toEqual(['http-lab', 'http-lab', 'tcp-lab']);
  });

  for (const format of ['html', 'md', 'json'] as const) {
    it(`leave no placeholder in the ${format} report`, () => {
      const text = rendered.get(format) ?? '';
      expect(text.length).toBeGreaterThan(5000);
      const texts = format === 'json' ? jsonTexts(text) : [text];
      expect(texts.join('\n')).toMatch(/one less than the next expected \d+/);
      expect(texts.join('\n')).toMatch(/Stream \d+ has no SYN; its first segment is frame \d+/);
      for (const piece of texts) {
        const found = LEFTOVER.exec(piece);
        expect(found === null ? null : piece.slice(Math.max(0, found.index - 120), found.index + 40)).toBeNull();
      }
    });

    it(`keep the names the person chose in the ${format} report`, () => {
      const text = rendered.get(format) ?? '';
      expect(text).toContain(SCENARIO_TITLE);
      expect(text).toContain('The stale-connection race');
      expect(text).not.toMatch(/HTTP agent drain/);
      // Markdown escapes the underscores of a file name
      for (const name of CAPTURES) expect(text.replaceAll('\\_', '_'), name).toContain(name);
      // no upload id anywhere
      expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/);
    });
  }

  it('list a file opened twice once', () => {
    expect(bundle.captures.map((capture) => capture.file).sort()).toEqual([...CAPTURES].sort());
    const html = rendered.get('html') ?? '';
    const markdown = rendered.get('md') ?? '';
    // each capture has one section heading
    expect(html.match(/<h2[^>]*>[^<]*ndpi__ocsp\.pcapng/g)?.length).toBe(1);
    expect(markdown.replaceAll('\\_', '_').match(/^## .*ndpi__ocsp\.pcapng/gm)?.length).toBe(1);
  });
});
