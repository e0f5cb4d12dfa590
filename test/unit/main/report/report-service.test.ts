import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceError, type ServiceContext } from '../../../../src/main/services/context';
import { createReportHandlers } from '../../../../src/main/services/report';
import { methods, parseParams } from '../../../../src/shared/api';
import { fixtureBundle } from './fixtures';
import { SessionLog } from '../../../../src/main/session-log';

const context: ServiceContext = {
  emit: () => undefined,
  jobs: {
    start: () => ({ jobId: 'x', signal: new AbortController().signal, done: () => undefined }),
    cancel: () => false,
    cancelAll: () => undefined,
  },
  mode: 'cli',
  sessions: new SessionLog(),
  dataDir: tmpdir(),
  onDispose: () => undefined,
};
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('report service', () => {
  const handlers = createReportHandlers(context);

  it('report.render returns the text and a file name; the params and result pass the contract', async () => {
    const params = parseParams('report.render', { bundle: fixtureBundle(), format: 'md' });
    expect(params.ok).toBe(true);
    if (!params.ok) return;
    const result = await handlers['report.render'](params.value);
    expect(methods['report.render'].result.parse(result)).toEqual(result);
    expect(result.suggestedName).toBe('keepalive-lab-2026-11-25T18-00-00.md');
    expect(result.text).toContain('# Keepalive Lab report');
  });

  it('report.save writes atomically and refuses to overwrite or take a relative path', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'report-service-'));
    folders.push(folder);
    const path = join(folder, 'r.html');
    const saved = await handlers['report.save']({ bundle: fixtureBundle(), path, force: false });
    expect(saved).toEqual({ path, bytes: readFileSync(path).byteLength, format: 'html' });
    const again = await handlers['report.save']({ bundle: fixtureBundle(), path, force: false }).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(ServiceError);
    expect((again as ServiceError).code).toBe('file-exists');
    const relative = await handlers['report.save']({ bundle: fixtureBundle(), path: 'r.html', force: false }).catch(
      (error: unknown) => error,
    );
    expect((relative as ServiceError).code).toBe('invalid-path');
  });

  it('rejects a bundle of the wrong schema version at the edge', () => {
    const params = parseParams('report.render', { bundle: { ...fixtureBundle(), schemaVersion: 2 }, format: 'html' });
    expect(params.ok).toBe(false);
  });
});
