import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Budget, createJobRegistry } from '@engine/jobs';
import { ServiceError, type ServiceContext } from '@engine/services/context';
import { createReportHandlers } from '@engine/services/report';
import { methods, parseParams } from '@shared/api';
import { fixtureBundle } from './fixtures';
import { SessionLog } from '@engine/session-log';

const context: ServiceContext = {
  emit: () => undefined,
  jobs: createJobRegistry(),
  listenerBudget: new Budget('listeners', 1, 'stop one'),
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
  // what a lab run leaves in the scope's log: the report is made from it, not from a bundle the page sends
  for (const session of fixtureBundle().sessions) context.sessions.observe('http.run', { session });

  it('report.render renders the session the engine holds and names the file; the params and result pass the contract', async () => {
    const params = parseParams('report.render', { format: 'md' });
    expect(params.ok).toBe(true);
    if (!params.ok) return;
    const result = await handlers['report.render'](params.value);
    expect(methods['report.render'].result.parse(result)).toEqual(result);
    expect(result.suggestedName).toMatch(/^keepalive-lab-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.md$/);
    expect(result.text).toContain('# Keepalive Lab report');
    expect(result.text).toContain(fixtureBundle().sessions[0]!.title);
  });

  it('report.save writes atomically and refuses to overwrite or take a relative path', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'report-service-'));
    folders.push(folder);
    const path = join(folder, 'r.html');
    const saved = await handlers['report.save']({ path, force: false });
    expect(saved).toEqual({ path, bytes: readFileSync(path).byteLength, format: 'html' });
    const again = await handlers['report.save']({ path, force: false }).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(ServiceError);
    expect((again as ServiceError).code).toBe('file-exists');
    const relative = await handlers['report.save']({ path: 'r.html', force: false }).catch((error: unknown) => error);
    expect((relative as ServiceError).code).toBe('invalid-path');
  });

  it('refuses a bundle sent by the caller at the edge (the engine renders its own)', () => {
    const params = parseParams('report.render', { bundle: fixtureBundle(), format: 'html' });
    expect(params.ok).toBe(false);
  });
});
