/**
 * A token holder naming files: in the web mode only this page's uploads can be opened, nothing can
 * be written, and no error carries a byte of a file. Where the engine takes any path (the CLI),
 * FIFOs and devices are refused at once (before, a FIFO blocked a libuv thread each, four hung the
 * whole server; /dev/zero as a session read ~550 MB a call) and errors still name no content.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '@engine/service';
import { openPage, startTestServer, stillAnswers, upload, type TestServer } from './helpers/web-client';

/** The start of a file as the old error messages showed it: `magic 0x726f6f74` for "root". */
function firstBytesHex(path: string): string {
  return readFileSync(path).subarray(0, 4).toString('hex');
}

describe('web mode: paths from the page', () => {
  let server: TestServer;
  let outside: string;
  beforeAll(async () => {
    server = await startTestServer();
    outside = join(server.dir, 'outside.txt');
    await writeFile(outside, 'kept as it is');
  });
  afterAll(() => server.stop());

  it('refuses every path the page did not upload, for reading and writing, and names no content', async () => {
    const client = await openPage(server);
    const secrets = ['/etc/shadow', '/etc/hostname', outside].filter((path) => existsSync(path));
    for (const path of secrets) {
      const opened = await client.call('capture.open', { path });
      expect(opened, path).toMatchObject({ ok: false, error: { code: 'path-refused' } });
      expect(opened.error?.message, path).not.toContain(firstBytesHex(path));
      const correlated = await client.call('capture.correlate', { sessionPath: path, capturePath: path });
      expect(correlated, path).toMatchObject({ ok: false, error: { code: 'path-refused' } });
      expect(correlated.error?.message).not.toContain(readFileSync(path, 'utf8').slice(0, 8));
    }
    for (const path of [outside, join(server.dir, 'new-file.md')]) {
      const saved = await client.call('report.save', { path, force: true });
      expect(saved).toMatchObject({ ok: false, error: { code: 'not-available' } });
      expect(saved.error?.message).toMatch(/downloads it instead/);
      // the command line's writer, which takes any path and a report from the caller, is not the page's
      const converted = await client.call('report.convert', { from: outside, to: path, force: true });
      expect(converted).toMatchObject({ ok: false, error: { code: 'not-available' } });
      const written = await client.call('report.write', { sessions: [], captures: [], path, force: true });
      expect(written).toMatchObject({ ok: false, error: { code: 'not-available' } });
      const analysed = await client.call('analyze.file', { path: outside });
      expect(analysed).toMatchObject({ ok: false, error: { code: 'not-available' } });
    }
    expect(await readFile(outside, 'utf8')).toBe('kept as it is');
    expect(existsSync(join(server.dir, 'new-file.md'))).toBe(false);
    // a handle-shaped string that was never granted
    expect(await client.call('capture.open', { path: 'file-handle:AAAAAAAAAAAAAAAAAAAAAAAA' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-file' },
    });
    await client.close();
    expect(await stillAnswers(server)).toBe(true);
  });

  it('opens an uploaded non-capture with an error that quotes none of its bytes', async () => {
    const client = await openPage(server);
    const { handle } = await upload(server, client.page, 'notes.txt', 'root:$6$secret-hash:19000:0:99999:7:::\n');
    const opened = await client.call('capture.open', { path: handle });
    expect(opened).toMatchObject({ ok: false, error: { code: 'not-a-capture' } });
    expect(opened.error?.message).not.toMatch(/726f6f74|root|secret/);
    const correlated = await client.call('capture.correlate', { sessionPath: handle, capturePath: handle });
    expect(correlated.ok).toBe(false);
    expect(correlated.error?.message).not.toMatch(/root|secret/);
    await client.close();
  });

  it('renders the report from what the engine holds; a bundle sent by the page is refused', async () => {
    const client = await openPage(server);
    const refused = await client.call('report.render', { format: 'md', bundle: { createdAt: '\n* * * * * root x' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    const rendered = await client.call('report.render', { format: 'md' });
    expect(rendered.ok).toBe(true);
    expect((rendered.value as { text: string }).text).toContain('# Keepalive Lab report');
    await client.close();
  });
});

describe('any-path mode (the CLI): FIFOs, devices and secrets', () => {
  let service: Service;
  let dir: string;
  let fifo: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kl-paths-'));
    fifo = join(dir, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    service = createService({ mode: 'cli', dataDir: dir });
  });
  afterAll(async () => {
    await service.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a FIFO at once, six at a time, and the file system still answers', async () => {
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 6 }, () => service.call('capture.open', { path: fifo })));
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { code: 'not-a-capture' } });
      expect(result.ok || result.error.message).toMatch(/named pipe \(FIFO\), not a regular file/);
    }
    // all four libuv threads would be blocked if any open had waited for a writer: a plain read would then never end
    await writeFile(join(dir, 'plain.txt'), 'still reading');
    expect(await readFile(join(dir, 'plain.txt'), 'utf8')).toBe('still reading');
    expect(Date.now() - started).toBeLessThan(10_000);
    const session = await service.call('capture.correlate', { sessionPath: fifo, capturePath: fifo });
    expect(session).toMatchObject({ ok: false, error: { code: 'unreadable' } });
  });

  it('refuses devices as captures and as sessions without reading them', async () => {
    const before = process.memoryUsage().rss;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => service.call('capture.correlate', { sessionPath: '/dev/zero', capturePath: '/dev/zero' })),
    );
    for (const result of results) expect(result.ok || result.error.message).toMatch(/a device, not a regular file/);
    expect(await service.call('capture.open', { path: '/dev/urandom' })).toMatchObject({ ok: false, error: { code: 'not-a-capture' } });
    // a read of /dev/zero as text took ~550 MB per call
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('names no byte of a file it could read but that is no capture or session (/etc/shadow, /etc/hostname)', async () => {
    for (const path of ['/etc/shadow', '/etc/hostname'].filter((candidate) => existsSync(candidate))) {
      const content = readFileSync(path, 'utf8');
      const opened = await service.call('capture.open', { path });
      expect(opened.ok).toBe(false);
      expect(opened.ok || opened.error.message).not.toContain(firstBytesHex(path));
      const correlated = await service.call('capture.correlate', { sessionPath: path, capturePath: path });
      expect(correlated.ok).toBe(false);
      const message = correlated.ok ? '' : correlated.error.message;
      expect(message).not.toContain(content.trim().slice(0, 6));
    }
  });
});
