/**
 * Report export under a race (issue 9, files): several exports to one new name at once. Exactly one
 * wins, the others get `file-exists` (never a silent overwrite), the file holds one whole report,
 * and no temp file is left in the folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportWriteError, renderReport, writeReport } from '@engine/report/write-report';
import { fixtureBundle } from './fixtures';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('writeReport, racing itself', () => {
  it('one of eight concurrent exports to the same new name wins; the rest are refused clearly', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'report-race-'));
    folders.push(folder);
    const path = join(folder, 'report.md');
    const bundle = fixtureBundle();
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => writeReport({ bundle, path })));
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(7);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(ReportWriteError);
      expect((reason as ReportWriteError).code).toBe('file-exists');
    }
    expect(readFileSync(path, 'utf8')).toBe(renderReport(bundle, 'md'));
    expect(readdirSync(folder)).toEqual(['report.md']);
  });
});
