/**
 * The HAR room through the service (the one door both transports use): a file's kind by content,
 * `har.open` with its schema-checked result, one-sentence failures, the import kept for
 * "Export report…", and a lab run rendered and saved as HAR (no overwrite without force).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createService } from '@engine/service';
import type { HarImport } from '@shared/api-har';
import type { ReportBundle } from '@shared/report-model';
import type { Session } from '@shared/trace';

const HARS = path.resolve(__dirname, '../../../shared/hars');
const CAPTURES = path.resolve(__dirname, '../../../shared/captures/public');
const scratch = mkdtempSync(path.join(tmpdir(), 'har-service-'));
const service = createService({ mode: 'cli', dataDir: scratch });
afterAll(async () => {
  await service.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the HAR room', () => {
  it('tells HAR, pcap and pcapng apart by content', async () => {
    const renamed = path.join(scratch, 'capture.har');
    copyFileSync(path.join(CAPTURES, 'ndpi__ocsp.pcapng'), renamed);
    expect(await service.call('file.detect', { path: renamed })).toEqual({ ok: true, value: { kind: 'pcapng' } });
    expect(await service.call('file.detect', { path: path.join(HARS, 'harviewer__issue-61_ie11.fiddler.har') })).toEqual({
      ok: true,
      value: { kind: 'har' },
    });
    const missing = await service.call('file.detect', { path: path.join(scratch, 'nope.har') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('opens a HAR, and the next report bundle includes it like a capture', async () => {
    const opened = await service.call('har.open', { path: path.join(HARS, 'sitespeed__www-thegreenwebfoundation-org.har') });
    expect(opened.ok).toBe(true);
    const har = (opened as { value: HarImport }).value;
    expect(har).toMatchObject({ format: 'har', connectionSource: 'recorded' });
    expect(har.connections).toHaveLength(9);
    const bundle = (await service.call('session.bundle', {})) as { ok: true; value: ReportBundle };
    const kept = bundle.value.sessions.find((session) => session.kind === 'har');
    expect(kept?.title).toBe('HAR sitespeed__www-thegreenwebfoundation-org.har (chrome-har 0.11.4)');
    const rendered = await service.call('report.render', { format: 'md' });
    expect(rendered.ok && (rendered.value as { text: string }).text).toMatch(/Connections: \*\*9\*\*/);
  });

  it('says what is wrong with a file that is not a HAR', async () => {
    const notHar = path.join(scratch, 'notes.har');
    writeFileSync(notHar, '{"notes": []}');
    expect(await service.call('har.open', { path: notHar })).toEqual({
      ok: false,
      error: { code: 'not-a-har', message: `${notHar}: not a HAR file: it has no "log" object` },
    });
  });

  it('renders and saves an HTTP lab run as HAR, refusing to replace a file unless forced', async () => {
    const run = await service.call('http.run', { config: { requests: 3 } });
    expect(run.ok).toBe(true);
    const session = (run as { value: { session: Session } }).value.session;
    const rendered = await service.call('har.render', { session });
    expect(rendered.ok && (rendered.value as { suggestedName: string }).suggestedName).toMatch(/^keepalive-lab-run-.*\.har$/);
    const target = path.join(scratch, 'run.har');
    expect((await service.call('har.save', { session, path: target })).ok).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).log.entries).toHaveLength(3);
    expect(await service.call('har.save', { session, path: target })).toMatchObject({ ok: false, error: { code: 'file-exists' } });
    expect((await service.call('har.save', { session, path: target, force: true })).ok).toBe(true);
    expect(await service.call('har.save', { session, path: 'relative.har' })).toMatchObject({ ok: false, error: { code: 'invalid-path' } });
  });
});
