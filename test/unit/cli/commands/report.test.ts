import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runReportCommand, writeReportFromCli } from '../../../../src/cli/commands/report';
import { CliError, type CliIo } from '../../../../src/cli/io';
import { renderJson } from '@engine/report/render-json';
import { drainedSession, fixtureBundle } from '../../main/report/fixtures';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'report-cli-'));
  folders.push(folder);
  return folder;
}

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), signal: new AbortController().signal };
}

describe('keepalive-lab report', () => {
  it('turns a saved JSON report back into HTML and Markdown', async () => {
    const folder = freshFolder();
    const from = join(folder, 'session.json');
    writeFileSync(from, renderJson(fixtureBundle()));
    const io = captureIo();
    expect(await runReportCommand(['--from', from, '--out', join(folder, 'report.html')], io)).toBe(0);
    expect(io.err.join('')).toMatch(/^report written: .*report\.html \(html, [\d,]+ bytes\)\n$/);
    expect(readFileSync(join(folder, 'report.html'), 'utf8')).toContain('10 requests, 1 connection, 9 reused');
    expect(await runReportCommand(['--from', from, '--out', join(folder, 'report.md')], captureIo())).toBe(0);
    expect(readFileSync(join(folder, 'report.md'), 'utf8')).toContain('# Keepalive Lab report');
  });

  it('accepts a bare session JSON', async () => {
    const folder = freshFolder();
    const from = join(folder, 'run.json');
    writeFileSync(from, JSON.stringify(drainedSession()));
    expect(await runReportCommand(['--from', from, '--out', join(folder, 'run.md')], captureIo())).toBe(0);
    expect(readFileSync(join(folder, 'run.md'), 'utf8')).toContain('HTTP lab: drained bodies');
  });

  it('refuses to overwrite without --force, and explains bad input', async () => {
    const folder = freshFolder();
    const from = join(folder, 'r.json');
    writeFileSync(from, renderJson(fixtureBundle()));
    const out = join(folder, 'r2.json');
    writeFileSync(out, 'keep me');
    await expect(runReportCommand(['--from', from, '--out', out], captureIo())).rejects.toThrow(
      /already exists; choose another name or overwrite it \(--force\)/,
    );
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(await runReportCommand(['--from', from, '--out', out, '--force'], captureIo())).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('"schemaVersion": 1');
    await expect(runReportCommand(['--out', out], captureIo())).rejects.toThrow('--from FILE.json is required');
    await expect(runReportCommand(['--from', join(folder, 'missing.json'), '--out', out], captureIo())).rejects.toThrow(
      'missing.json does not exist',
    );
    writeFileSync(join(folder, 'bad.json'), '[1,2]');
    await expect(runReportCommand(['--from', join(folder, 'bad.json'), '--out', join(folder, 'x.html')], captureIo())).rejects.toThrow(
      /not a Keepalive Lab report/,
    );
    await expect(runReportCommand(['--from', from, '--out', join(folder, 'x.txt')], captureIo())).rejects.toThrow(
      /use a name ending in .html, .md or .json/,
    );
  });

  it('writeReportFromCli turns write failures into a CliError', async () => {
    const error = await writeReportFromCli(fixtureBundle(), join(freshFolder(), 'no', 'r.html'), false, captureIo()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toMatch(/does not exist$/);
  });

  it('prints its usage', async () => {
    const io = captureIo();
    expect(await runReportCommand(['--help'], io)).toBe(0);
    expect(io.out.join('')).toContain('Usage: keepalive-lab report --from FILE.json --out FILE.(html|md|json) [--force]');
  });
});
