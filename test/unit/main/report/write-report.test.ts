import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWriteError, reportFormatOfPath, ReportWriteError, writeReport } from '@engine/report/write-report';
import { ReportBundleSchema } from '@shared/report-model';
import { fixtureBundle } from './fixtures';

const folders: string[] = [];
function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'report-write-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<ReportWriteError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ReportWriteError);
  return error as ReportWriteError;
}

describe('writeReport', () => {
  const bundle = fixtureBundle();

  it('writes each format chosen by the extension, leaving no temp file behind', async () => {
    const folder = freshFolder();
    for (const name of ['r.html', 'r.md', 'r.json']) {
      const written = await writeReport({ bundle, path: join(folder, name) });
      expect(written.bytes).toBe(readFileSync(join(folder, name)).byteLength);
    }
    expect(readdirSync(folder).sort()).toEqual(['r.html', 'r.json', 'r.md']);
    expect(readFileSync(join(folder, 'r.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(readFileSync(join(folder, 'r.md'), 'utf8')).toMatch(/^# Keepalive Lab report/);
    expect(ReportBundleSchema.parse(JSON.parse(readFileSync(join(folder, 'r.json'), 'utf8'))).sessions).toHaveLength(2);
  });

  it('refuses to overwrite an existing file unless forced, and keeps the old content', async () => {
    const folder = freshFolder();
    const path = join(folder, 'report.html');
    writeFileSync(path, 'precious');
    const error = await failure(writeReport({ bundle, path }));
    expect(error.code).toBe('file-exists');
    expect(error.message).toBe(`${path} already exists; choose another name or overwrite it (--force)`);
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(readdirSync(folder)).toEqual(['report.html']);
    await writeReport({ bundle, path, force: true });
    expect(readFileSync(path, 'utf8')).toMatch(/^<!doctype html>/);
    expect(readdirSync(folder)).toEqual(['report.html']);
  });

  it('gives one clear sentence for a missing folder, a folder, an unwritable place and an unknown extension', async () => {
    const folder = freshFolder();
    const missing = await failure(writeReport({ bundle, path: join(folder, 'nope', 'r.html') }));
    expect(missing.code).toBe('no-such-folder');
    expect(missing.message).toContain(`the folder ${join(folder, 'nope')} does not exist`);

    const directory = join(folder, 'dir.html');
    mkdirSync(directory);
    const isFolder = await failure(writeReport({ bundle, path: directory, force: true }));
    expect(isFolder.code).toBe('is-a-folder');

    // sysfs refuses new files even to root: a real EACCES without changing permissions
    const denied = await failure(writeReport({ bundle, path: '/sys/kernel/keepalive-lab-report.html' }));
    expect(denied.code).toBe('permission-denied');
    expect(denied.message).toBe('cannot write /sys/kernel/keepalive-lab-report.html: no permission to write in /sys/kernel');

    expect(() => reportFormatOfPath('/tmp/report.pdf')).toThrow(
      'cannot tell the report format from "report.pdf": use a name ending in .html, .md or .json',
    );
    expect(readdirSync(folder)).toEqual(['dir.html']);
  });

  it('maps other errno codes', () => {
    const error = describeWriteError(Object.assign(new Error('read-only file system'), { code: 'EROFS' }), '/mnt/r.md');
    expect(error.code).toBe('permission-denied');
    expect(describeWriteError(Object.assign(new Error('disk full'), { code: 'ENOSPC' }), '/mnt/r.md').message).toBe(
      'cannot write /mnt/r.md: disk full',
    );
  });
});
