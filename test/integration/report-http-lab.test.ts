/**
 * Reports of real HTTP-lab runs against the embedded server on a loopback
 * port: each format is rendered and written, and the report's figures equal
 * the lab's own (connectionsOpened, reused, errors). Drained, ignored and the
 * stale-connection race.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHttpServer, type DemoHttpServer } from '@engine/lab/demo-http-server';
import { runHttpLoop } from '@engine/lab/http-loop';
import { deriveReport } from '@engine/report/derive-report';
import { writeReport } from '@engine/report/write-report';
import { HttpRunConfigSchema, type HttpRunConfigInput, type HttpRunResult } from '@shared/api-http';
import { createReportBundle, ReportBundleSchema } from '@shared/report-model';
import { FIXED_APP } from '../unit/main/report/fixtures';

let server: DemoHttpServer;
let raceServer: DemoHttpServer;
const folder = mkdtempSync(join(tmpdir(), 'report-lab-'));

beforeAll(async () => {
  server = await startDemoHttpServer(HttpRunConfigSchema.parse({}).server);
  raceServer = await startDemoHttpServer(
    HttpRunConfigSchema.parse({ server: { keepAliveTimeoutMs: 300, keepAliveHint: false, staleRace: 'rst' } }).server,
  );
});
afterAll(async () => {
  await server?.close();
  await raceServer?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function run(target: DemoHttpServer, config: HttpRunConfigInput): Promise<HttpRunResult> {
  return runHttpLoop(HttpRunConfigSchema.parse({ ...config, url: null }), { server: target });
}

describe('reports of real HTTP-lab runs', () => {
  it('drained vs ignored bodies: the figures equal the lab’s, in every format', async () => {
    const drained = await run(server, { requests: 10, body: 'drain' });
    const ignored = await run(server, { requests: 10, body: 'ignore' });
    const bundle = createReportBundle({ app: FIXED_APP, sessions: [drained.session, ignored.session] });
    const [drainedFigures, ignoredFigures] = deriveReport(bundle).sessions;
    expect(drainedFigures).toMatchObject({
      requests: 10,
      connections: drained.connectionsOpened,
      reusedRequests: drained.reused,
      failedRequests: drained.errors,
    });
    expect(drainedFigures?.headline).toMatch(/^10 requests, 1 connection, 9 reused/);
    expect(ignoredFigures).toMatchObject({ requests: 10, connections: ignored.connectionsOpened, reusedRequests: 0 });
    expect(ignoredFigures?.findings).toContain('new-connection-body-not-drained');
    expect(drainedFigures?.findings).toContain('connection-reused');
    expect(drainedFigures?.findings).not.toContain('queued-above-max-sockets');
    expect(drainedFigures?.findings).not.toContain('new-connection-body-not-drained');

    for (const format of ['html', 'md', 'json']) {
      const written = await writeReport({ bundle, path: join(folder, `lab.${format}`) });
      expect(written.bytes).toBeGreaterThan(1000);
    }
    expect(readFileSync(join(folder, 'lab.html'), 'utf8')).toContain('<dd data-figure="connections">10</dd>');
    const again = ReportBundleSchema.parse(JSON.parse(readFileSync(join(folder, 'lab.json'), 'utf8')));
    expect(again.sessions[0]?.events.length).toBe(drained.session.events.length);
  });

  it('the stale-connection race is found and explained', async () => {
    const raced = await run(raceServer, { requests: 3, intervalMs: 400 });
    expect(raced.errors).toBeGreaterThan(0);
    const bundle = createReportBundle({ app: FIXED_APP, sessions: [raced.session] });
    const [figures] = deriveReport(bundle).sessions;
    expect(figures?.failedRequests).toBe(raced.errors);
    expect(figures?.findings).toContain('stale-race');
    const written = await writeReport({ bundle, path: join(folder, 'race.md') });
    expect(readFileSync(written.path, 'utf8')).toContain('The stale-connection race');
  });
});
