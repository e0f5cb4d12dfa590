/**
 * The HTTP lab at 100,000 requests (issue #15): bounded in time, counts checked
 * against the embedded server's own record and the lsof-style count, no listener
 * warning. The speed ratio against a bare loop is the bench's job
 * (`npm run bench -- --only http`), not this test's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpRunConfigSchema, type HttpRunResult } from '@shared/api-http';
import { runHttpLoop } from '@engine/lab/http-loop';
import { countOwnSocketsTo } from '@engine/lab/http-open-sockets';
import { startDemoHttpServer, type DemoHttpServer } from '@engine/lab/demo-http-server';
import { runHttpCommand } from '../../src/cli/commands/http';
import type { CliIo } from '../../src/cli/io';

/** ms: 100,000 requests took 14–26 s on a loaded 2-core machine */
const BIG_RUN_BUDGET_MS = 90_000;
const CONCURRENCY = 16;

let server: DemoHttpServer;
let warnings: string[];
const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);

beforeEach(async () => {
  warnings = [];
  process.on('warning', onWarning);
  server = await startDemoHttpServer(HttpRunConfigSchema.parse({}).server);
});
afterEach(async () => {
  process.off('warning', onWarning);
  await server.close();
});

/**
 * Runs `requests` against the shared server, steady, and meanwhile compares the
 * live count (socket events) with the kernel's every KERNEL_EVERY_MS.
 */
async function bigRun(client: 'agent' | 'undici', requests: number) {
  const config = HttpRunConfigSchema.parse({ requests, concurrency: CONCURRENCY, client, schedule: 'steady' });
  let live = { done: 0, open: 0 };
  const comparisons: { events: number; kernel: number }[] = [];
  const KERNEL_EVERY_MS = 500;
  const checker = setInterval(() => {
    const before = live;
    void countOwnSocketsTo(server.port).then((kernel) => {
      // only a steady moment compares: the count from events did not move while the kernel was read, and
      // requests were still to come then, so the run's release at the end (which closes every socket) had
      // not begun (a kernel read that finished after it saw 0 sockets against the last count of 25)
      const steady = live.open === before.open && before.done > CONCURRENCY && live.done < requests;
      if (kernel !== null && steady) comparisons.push({ events: before.open, kernel });
    });
  }, KERNEL_EVERY_MS);
  let traceEvents = 0;
  const started = performance.now();
  try {
    const result = await runHttpLoop(config, {
      server,
      onEvent: () => void (traceEvents += 1),
      onStats: (stats) => void (live = { done: stats.done ?? 0, open: stats.open ?? 0 }),
    });
    return { result, ms: performance.now() - started, comparisons, traceEvents };
  } finally {
    clearInterval(checker);
  }
}

function expectCountsAgree(result: HttpRunResult, requests: number): void {
  expect(result.requests).toHaveLength(requests);
  expect(result.errors).toBe(0);
  expect(result.requests.every((request) => request.status === 200)).toBe(true);
  // the server's own record: every request arrived once, on the sockets the client counted
  const served = result.server?.requests ?? [];
  expect(served).toHaveLength(requests);
  expect(new Set(served.map((request) => request.socket)).size).toBe(result.connectionsOpened);
  expect(served.filter((request) => request.reused)).toHaveLength(result.reused);
  expect(result.reused).toBe(requests - result.connectionsOpened);
  expect(result.connections.reduce((sum, connection) => sum + connection.requests, 0)).toBe(requests);
  // the lsof-style count (kernel) at the end equals the connections the socket events say were still open then
  // (the run's release closed them; a client idle timeout may have closed some before)
  const openByEvents = result.connections.filter((connection) => connection.closed.how === 'released' || connection.closed.how === 'open');
  expect(result.openAtEnd).toBe(openByEvents.length);
  expect(result.maxOpen).toBeGreaterThanOrEqual(CONCURRENCY);
  expect(result.maxOpen).toBeLessThanOrEqual(result.connectionsOpened);
  expect(result.openAfterRelease).toBe(0);
}

describe('the HTTP lab at scale', () => {
  it(
    '100,000 requests over http.Agent, steady: counts match the server and the kernel, in bounded time, no listener warning',
    async () => {
      const requests = 100_000;
      const { result, ms, comparisons, traceEvents } = await bigRun('agent', requests);
      expect(ms).toBeLessThan(BIG_RUN_BUDGET_MS);
      expectCountsAgree(result, requests);
      expect(result.connectionsOpened).toBe(CONCURRENCY);
      expect(result.openAtEnd).toBe(CONCURRENCY);
      // the live count from socket events equals the kernel's whenever both were read at a steady moment
      expect(comparisons.length).toBeGreaterThan(0);
      for (const comparison of comparisons) expect(comparison.kernel).toBe(comparison.events);
      // two trace events per request (started, ended) plus each connection's own
      expect(traceEvents).toBeGreaterThanOrEqual(2 * requests);
      expect(result.session.events.filter((event) => event.kind === 'request-ended')).toHaveLength(requests);
      expect(warnings).toEqual([]);
    },
    BIG_RUN_BUDGET_MS + 30_000,
  );

  it('10,000 requests over undici, steady: the same agreement', async () => {
    const requests = 10_000;
    const { result, comparisons } = await bigRun('undici', requests);
    expectCountsAgree(result, requests);
    for (const comparison of comparisons) expect(comparison.kernel).toBe(comparison.events);
    expect(warnings).toEqual([]);
  });

  it('a cancelled big run stops early, returns what it saw and leaves nothing open', async () => {
    const controller = new AbortController();
    const config = HttpRunConfigSchema.parse({ requests: 100_000, concurrency: CONCURRENCY, schedule: 'steady' });
    const running = runHttpLoop(config, {
      server,
      signal: controller.signal,
      onStats: (stats) => {
        if ((stats.done ?? 0) >= 2000) controller.abort();
      },
    });
    const result = await running;
    expect(result.requests.length).toBeGreaterThanOrEqual(2000);
    expect(result.requests.length).toBeLessThan(100_000);
    expect(result.notes.some((note) => note.startsWith('cancelled after'))).toBe(true);
    expect(result.openAfterRelease).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('the CLI says its progress on stderr for a run of 1,000 requests or more, through the engine’s live stats', async () => {
    let stdout = '';
    const stderr: string[] = [];
    const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => stderr.push(text), signal: new AbortController().signal };
    // four rounds of 256 with 400 ms between them: the run lasts over 1 s, so at least one line is due
    const code = await runHttpCommand(['--requests', '1000', '--concurrency', '256', '--interval-ms', '400', '--json'], io);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ connectionsOpened: expect.any(Number) });
    expect(stderr.length).toBeGreaterThan(0);
    for (const line of stderr) expect(line).toMatch(/^[\d,]+ of 1,000 requests, \d+ connections\n$/);
  });
});
