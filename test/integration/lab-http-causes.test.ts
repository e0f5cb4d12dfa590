/**
 * "Why was this connection opened?" on real loopback sockets: each cause is
 * produced by a real run (embedded server, and nginx where the server's side
 * does not matter or nginx can do it) and read back from the result, the
 * trace and the CLI JSON. The undici case also shows the fix: one event-loop
 * turn between requests gives 1 connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRunConfigSchema, type HttpRunConfigInput, type HttpRunResult } from '@shared/api-http';
import type { ConnectionCause } from '@shared/connection-cause';
import { methods } from '@shared/api';
import { toCliJson } from '../../src/cli/commands/http';
import { createHttpHandlers } from '@engine/services/http';
import { startDemoHttpServer, type DemoHttpServer } from '@engine/lab/demo-http-server';
import { runHttpLoop } from '@engine/lab/http-loop';
import { HTTP_PRESETS } from '@engine/lab/http-scenarios';
import { renderReport } from '@engine/report/write-report';
import { createReportBundle } from '@shared/report-model';
import { FIXED_APP } from '../unit/main/report/fixtures';
import { startNginx, type NginxServer } from '@engine/lab/http-nginx';
import { serviceContext } from '../helpers/service-context';

let embedded: DemoHttpServer;
let nginx: NginxServer;
/** nginx closing idle connections after 1 s (its smallest whole-second keepalive_timeout) */
let nginxShortIdle: NginxServer;

beforeAll(async () => {
  embedded = await startDemoHttpServer(HttpRunConfigSchema.parse({}).server);
  [nginx, nginxShortIdle] = await Promise.all([startNginx({ keepaliveTimeoutS: 5 }), startNginx({ keepaliveTimeoutS: 1 })]);
});
afterAll(async () => {
  await embedded?.close();
  await Promise.all([nginx?.stop(), nginxShortIdle?.stop()]);
});

/** Runs against a fresh embedded server with these server settings (the shared one keeps the defaults). */
async function runEmbedded(config: HttpRunConfigInput): Promise<HttpRunResult> {
  const parsed = HttpRunConfigSchema.parse({ ...config, url: null });
  const own = config.server !== undefined;
  const server = own ? await startDemoHttpServer(parsed.server) : embedded;
  try {
    return await runHttpLoop(parsed, { server });
  } finally {
    if (own) await server.close();
  }
}

const runNginx = (config: HttpRunConfigInput, target = nginx) => runHttpLoop(HttpRunConfigSchema.parse({ ...config, url: target.url }));

/** The cause of each connection, c1 first. */
const causes = (result: HttpRunResult) => result.connections.map((connection) => connection.openedBecause.cause);

/** The same causes three ways: result, trace (conn-opened) and CLI JSON (requests[].newConnection, connections[].openedBecause). */
function expectCauses(result: HttpRunResult, expected: ConnectionCause[]): void {
  expect(causes(result)).toEqual(expected);
  const traced = result.session.events.flatMap((event) => (event.kind === 'conn-opened' ? [event.openedBecause?.cause] : []));
  expect(traced).toEqual(expected);
  const json = toCliJson(result) as {
    requests: Array<{ newConnection?: { cause: string; detail: string } }>;
    connections: Array<{ id: string; openedBecause: { cause: string }; requests: number[] }>;
  };
  expect(json.connections.map((connection) => connection.openedBecause.cause)).toEqual(expected);
  expect(json.requests.flatMap((request) => (request.newConnection ? [request.newConnection.cause] : []))).toEqual(expected);
  for (const request of json.requests) if (request.newConnection) expect(request.newConnection.detail.length).toBeGreaterThan(10);
  expect(json.connections.flatMap((connection) => connection.requests).sort((a, b) => a - b)).toEqual(
    result.requests.map((request) => request.index),
  );
}

const detailOf = (result: HttpRunResult, id: string) => result.connections.find((connection) => connection.id === id)?.openedBecause.detail;

describe.each([
  { name: 'embedded server', run: runEmbedded },
  { name: 'nginx', run: (config: HttpRunConfigInput) => runNginx(config) },
])('causes against $name', ({ run }) => {
  it('first, then reuse: 10 drained requests over http.Agent open 1 connection and no surprise', async () => {
    const result = await run({ requests: 10 });
    expectCauses(result, ['first']);
    expect(result.surprise).toBeNull();
  });

  it('body-unread: an ignored body holds its connection, and the next request names it', async () => {
    const result = await run({ requests: 3, body: 'ignore' });
    expectCauses(result, ['first', 'body-unread', 'body-unread']);
    expect(detailOf(result, 'c2')).toBe("c1 was still holding request 1's unread body");
    expect(result.surprise).toBeNull();
  });

  it('all-busy: two requests at once need two connections', async () => {
    const result = await run({ requests: 2, concurrency: 2 });
    expectCauses(result, ['first', 'all-busy']);
  });

  it('keepalive-off: every request after the first dials because keep-alive is off', async () => {
    const result = await run({ requests: 3, agent: { keepAlive: false } });
    expectCauses(result, ['first', 'keepalive-off', 'keepalive-off']);
  });

  it('closed-by-client: a destroyed response closes its connection', async () => {
    const result = await run({ requests: 2, body: 'destroy' });
    expectCauses(result, ['first', 'closed-by-client']);
    expect(detailOf(result, 'c2')).toMatch(/^c1 was gone: the client destroyed request 1's response before its end/);
  });

  it('closed-by-client: maxFreeSockets 1 makes the agent close the second idle connection', async () => {
    const result = await run({ requests: 4, concurrency: 2, agent: { maxFreeSockets: 1 } });
    expectCauses(result, ['first', 'all-busy', 'closed-by-client']);
    expect(detailOf(result, 'c3')).toMatch(/maxFreeSockets \(1\)/);
    expect(result.surprise).toMatchObject({ minimum: 2, opened: 3, extra: [{ connection: 'c3' }] });
  });

  it('undici-not-yet-free: 10 sequential drained requests open 2 connections; one event-loop turn between them, 1', async () => {
    const plain = await run({ client: 'undici', requests: 10 });
    expectCauses(plain, ['first', 'undici-not-yet-free']);
    expect(plain.surprise).toMatchObject({ minimum: 1, opened: 2 });
    expect(plain.surprise?.headline).toBe('2 connections for 10 requests where 1 would do');
    // the preset's contrast is the fix the app offers
    const fix = HTTP_PRESETS.find((preset) => preset.name === 'undici-not-yet-free')?.contrast?.config as HttpRunConfigInput;
    expect(fix).toMatchObject({ yieldBeforeNextRequest: true });
    const fixed = await run(fix);
    expectCauses(fixed, ['first']);
    expect(fixed.connectionsOpened).toBe(1);
    expect(fixed.surprise).toBeNull();
  });

  it('pool-limit: requests above maxSockets wait, and carry the wait', async () => {
    const result = await run({ requests: 4, concurrency: 4, agent: { maxSockets: 2 } });
    expect(result.connectionsOpened).toBe(2);
    const waited = result.requests.filter((request) => request.waitedForPool !== undefined);
    expect(waited.map((request) => request.index)).toEqual([3, 4]);
    for (const request of waited) {
      expect(request.newConnection).toBeUndefined();
      expect(request.waitedForPool?.ms).toBeGreaterThan(0);
      expect(request.waitedForPool?.ms).toBeCloseTo(request.ms.queued ?? -1, 3);
    }
    const ended = result.session.events.filter((event) => event.kind === 'request-ended' && event.waitedForPoolUs !== undefined);
    expect(ended).toHaveLength(2);
  });
});

describe('causes that need a server setting', () => {
  it('closed-by-server: Connection: close from the embedded server', async () => {
    const result = await runEmbedded({ requests: 2, server: { closeEveryNth: 1 } });
    expectCauses(result, ['first', 'closed-by-server']);
    expect(detailOf(result, 'c2')).toMatch(/^c1 was gone: the server answered request 1 with Connection: close/);
    expect(result.surprise?.extra.map((extra) => extra.openedBecause.cause)).toEqual(['closed-by-server']);
  });

  it('closed-by-server: the embedded server’s idle timeout (FIN), with when', async () => {
    const result = await runEmbedded({ requests: 2, intervalMs: 400, server: { keepAliveTimeoutMs: 200, keepAliveHint: false } });
    expectCauses(result, ['first', 'closed-by-server']);
    expect(detailOf(result, 'c2')).toMatch(
      /^c1 was gone: the server closed it \(FIN\) after \d+ ms idle \(its keep-alive timeout, 200 ms\), \d+ ms before this dial$/,
    );
  });

  it('closed-by-server: nginx’s keepalive_timeout (FIN)', async () => {
    const result = await runNginx({ requests: 2, intervalMs: 1400 }, nginxShortIdle);
    expectCauses(result, ['first', 'closed-by-server']);
    expect(detailOf(result, 'c2')).toMatch(/^c1 was gone: the server closed it \(FIN\) after/);
  });

  it('closed-by-server: a reset (RST) under a request', async () => {
    const result = await runEmbedded({
      requests: 3,
      intervalMs: 400,
      server: { keepAliveTimeoutMs: 300, keepAliveHint: false, staleRace: 'rst' },
    });
    expectCauses(result, ['first', 'closed-by-server']);
    expect(detailOf(result, 'c2')).toMatch(/^c1 was gone: the server reset it \(RST\) during request 2/);
  });

  it('closed-by-client: the agent’s idle timeout, and undici’s keepAliveTimeout', async () => {
    const agent = await runEmbedded({ requests: 2, intervalMs: 400, agent: { timeoutMs: 200 }, server: { keepAliveTimeoutMs: 5000 } });
    expectCauses(agent, ['first', 'closed-by-client']);
    expect(detailOf(agent, 'c2')).toMatch(/its idle timeout \(agent timeout, 200 ms\)/);
    const undici = await runEmbedded({
      client: 'undici',
      requests: 2,
      intervalMs: 400,
      undici: { keepAliveTimeoutMs: 200 },
      server: { keepAliveHint: false },
    });
    expectCauses(undici, ['first', 'closed-by-client']);
    expect(detailOf(undici, 'c2')).toMatch(/its idle timeout \(undici keepAliveTimeout, 200 ms\)/);
  });

  it('pool-limit with undici: connections 2 makes the others wait', async () => {
    const result = await runEmbedded({
      client: 'undici',
      requests: 4,
      concurrency: 4,
      undici: { connections: 2 },
      server: { headersDelayMs: 20 },
    });
    expect(result.connectionsOpened).toBe(2);
    expect(result.requests.filter((request) => request.waitedForPool).map((request) => request.index)).toEqual([3, 4]);
  });
});

describe('the cause in reports', () => {
  it('HTML, Markdown and JSON reports of a real run say why each connection was opened', async () => {
    const result = await runEmbedded({ requests: 3, body: 'ignore' });
    const bundle = createReportBundle({ app: FIXED_APP, sessions: [result.session] });
    const markdown = renderReport(bundle, 'md');
    expect(markdown).toContain('Why opened');
    expect(markdown).toContain("body not read: c2 was still holding request 2's unread body (as was c1)");
    const html = renderReport(bundle, 'html');
    expect(html).toContain('body not read: c1 was still holding request 1&#39;s unread body');
    const json = JSON.parse(renderReport(bundle, 'json')) as {
      derived: { sessions: Array<{ perConnection: Array<{ openedBecause: unknown }> }> };
    };
    expect(json.derived.sessions[0]?.perConnection.map((connection) => connection.openedBecause)).toEqual(
      result.connections.map((connection) => connection.openedBecause),
    );
  });
});

describe('the cause through the service', () => {
  it('http.compare of the undici preset with its fix: 2 connections with the cause streamed live, then 1', async () => {
    const ctx = serviceContext();
    const events = ctx.events;
    const presetFix = HTTP_PRESETS.find((preset) => preset.name === 'undici-not-yet-free')?.contrast?.config;
    const value = await createHttpHandlers(ctx)['http.compare']({
      a: { preset: 'undici-not-yet-free' },
      b: { config: presetFix },
      jobId: 'why',
    });
    const { a, b } = methods['http.compare'].result.parse(value);
    expect(a.connections.map((connection) => connection.openedBecause.cause)).toEqual(['first', 'undici-not-yet-free']);
    expect(a.surprise?.extra).toHaveLength(1);
    expect(b.connectionsOpened).toBe(1);
    expect(b.surprise).toBeNull();
    // the cause reaches the UI while the run goes, on the streamed conn-opened event
    const streamed = events.flatMap((event) => (event.kind === 'trace-appended' && event.jobId === 'why-a' ? event.events : []));
    expect(streamed.flatMap((event) => (event.kind === 'conn-opened' ? [event.openedBecause?.cause] : []))).toEqual([
      'first',
      'undici-not-yet-free',
    ]);
  });
});
