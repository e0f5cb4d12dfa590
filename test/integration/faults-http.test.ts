/**
 * Faults on the wire against the HTTP lab (runHttpLoop, both clients): a peer that RSTs mid-response,
 * closes after the headers, sends nothing, trickles one byte a second, answers garbage, or accepts
 * and never reads. Every request must end — a status or a clear error — within its timeout, the run
 * must return, and no file descriptor, socket or timer may remain afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runHttpLoop } from '@engine/lab/http-loop';
import { HttpRunConfigSchema } from '@shared/api-http';
import { startFaultServer, type Fault, type FaultServer } from './helpers/fault-server';
import { leakedSince, snapshotResources } from './helpers/leak-check';

/** per-request timeout, ms: short, since trickling and silent peers always run into it */
const TIMEOUT_MS = 1200;
/** slack for a busy machine (2 cores shared with other test runs), ms */
const SLACK_MS = 1500;
const REQUESTS = 2;

/** what each fault must produce: an error matching `error`, or null when a status is acceptable */
const EXPECTED: Record<Exclude<Fault, 'kills-a-tenth'>, RegExp> = {
  'rst-mid-response': /ECONNRESET|UND_ERR_SOCKET|aborted|socket|terminated|other side closed/i,
  'close-after-headers': /aborted|closed|terminated|socket|premature|UND_ERR/i,
  'sends-nothing': /within 1200 ms|ETIMEDOUT|timeout/i,
  trickles: /within 1200 ms|ETIMEDOUT|timeout/i,
  garbage: /HPE_|Parse|Expected HTTP|HTTPParserError|UND_ERR|not HTTP|invalid/i,
  'never-reads': /within 1200 ms|ETIMEDOUT|timeout/i,
};

let server: FaultServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe.each(['agent', 'undici'] as const)('HTTP lab (%s) against a faulty peer', (client) => {
  it.each(Object.keys(EXPECTED) as (keyof typeof EXPECTED)[])(
    '%s: every request ends with a clear error in time, nothing leaks',
    async (fault) => {
      const before = await snapshotResources();
      server = await startFaultServer(fault, 'http');
      const config = HttpRunConfigSchema.parse({
        url: `http://127.0.0.1:${server.port}/`,
        client,
        requests: REQUESTS,
        timeoutMs: TIMEOUT_MS,
      });
      const started = Date.now();
      const result = await runHttpLoop(config, { sampleOpenSockets: false });
      const elapsed = Date.now() - started;

      expect(result.requests).toHaveLength(REQUESTS);
      for (const request of result.requests) {
        // the status line may have arrived (rst-mid-response, close-after-headers): the body never does
        expect(request.status === null || request.status === 200).toBe(true);
        expect(request.error ?? '', `${fault}: error ${request.error} (${request.errorCode})`).toMatch(EXPECTED[fault]);
        expect(request.ms.total ?? Infinity).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      }
      // requests run one after another; the run adds its settle and release waits (≤ 2 s)
      expect(elapsed).toBeLessThan(REQUESTS * (TIMEOUT_MS + SLACK_MS) + 3000);
      expect(result.openAfterRelease).toBe(0);

      await server.close();
      server = null;
      expect(await leakedSince(before)).toEqual({});
    },
  );
});

describe.each(['agent', 'undici'] as const)('HTTP lab (%s) against a keep-alive server that resets one request in ten', (client) => {
  it('every request ends (a response or a reset error) in time; reuse goes on; nothing leaks', async () => {
    const before = await snapshotResources();
    server = await startFaultServer('kills-a-tenth', 'http', 3);
    const config = HttpRunConfigSchema.parse({
      url: `http://127.0.0.1:${server.port}/`,
      client,
      requests: 40,
      concurrency: 4,
      timeoutMs: TIMEOUT_MS,
      retryReusedReset: true,
    });
    const result = await runHttpLoop(config, { sampleOpenSockets: false });
    expect(result.requests).toHaveLength(40);
    const failed = result.requests.filter((request) => request.error !== null);
    const succeeded = result.requests.filter((request) => request.status === 200 && request.error === null);
    expect(succeeded.length + failed.length).toBe(40);
    expect(succeeded.length).toBeGreaterThan(20);
    expect(server.killed).toBeGreaterThan(0);
    for (const request of failed) expect(request.error ?? '').toMatch(/ECONNRESET|socket|other side closed|UND_ERR|hang up/i);
    for (const request of result.requests) expect(request.ms.total ?? Infinity).toBeLessThan(2 * TIMEOUT_MS + SLACK_MS);
    expect(result.reused).toBeGreaterThan(0);
    expect(result.openAfterRelease).toBe(0);
    await server.close();
    server = null;
    expect(await leakedSince(before)).toEqual({});
  });
});
