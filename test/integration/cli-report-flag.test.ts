import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli';

const capture = resolve(import.meta.dirname, '../../../shared/captures/public/ndpi__ocsp.pcapng');

const cli = (args: string[]) => runCliProcess(args);

describe('--report on analyze and http', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kl-report-flag-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('analyze writes HTML, Markdown and JSON whose numbers equal those of --json', async () => {
    const json = JSON.parse((await cli(['analyze', capture, '--json'])).stdout);
    const probes = json.streams.reduce((n: number, s: { keepAlives: number }) => n + s.keepAlives, 0);
    const requests = json.streams.reduce((n: number, s: { httpRequests: number }) => n + s.httpRequests, 0);
    for (const ext of ['html', 'md', 'json']) {
      const out = join(dir, `ocsp.${ext}`);
      const result = await cli(['analyze', capture, '--report', out]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`report written: ${out}`);
    }
    const report = JSON.parse(await readFile(join(dir, 'ocsp.json'), 'utf8'));
    expect(report.captures[0].packets).toBe(json.packets);
    expect(report.derived.captures[0].keepAlives).toBe(probes);
    expect(report.derived.captures[0].httpRequests).toBe(requests);
    const headline = `${probes} keep-alive probes`;
    expect(await readFile(join(dir, 'ocsp.html'), 'utf8')).toContain(headline);
    expect(await readFile(join(dir, 'ocsp.md'), 'utf8')).toContain(headline);
  });

  it('http and tcp keepalive write the report of the run they made', async () => {
    const json = JSON.parse((await cli(['http', '--requests', '10', '--json', '--report', join(dir, 'http.json')])).stdout);
    const report = JSON.parse(await readFile(join(dir, 'http.json'), 'utf8'));
    expect(report.sessions).toHaveLength(1);
    expect(report.sessions[0].id).toBe(json.session.id);
    expect(report.derived.sessions[0].headline).toContain(`${json.requests.length} requests, ${json.connectionsOpened} connection`);
    const tcp = await cli(['tcp', 'keepalive', '--idle-s', '1', '--hold-s', '1', '--report', join(dir, 'tcp.html')]);
    expect(tcp.code, tcp.stderr).toBe(0);
    expect(await readFile(join(dir, 'tcp.html'), 'utf8')).toMatch(/<svg/);
  });

  it('never replaces an existing report without --force, and says so in one line', async () => {
    const out = join(dir, 'twice.html');
    expect((await cli(['analyze', capture, '--report', out])).code).toBe(0);
    const again = await cli(['analyze', capture, '--report', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists.*--force/);
    expect((await cli(['analyze', capture, '--report', out, '--force'])).code).toBe(0);
  });

  it('refuses a path it cannot write with a clear message', async () => {
    const result = await cli(['analyze', capture, '--report', join(dir, 'no/such/folder/r.html')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/folder|directory/i);
  });
});
