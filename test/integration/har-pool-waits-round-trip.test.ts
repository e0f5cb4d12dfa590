/**
 * A lab run whose pool makes requests wait (concurrency above maxSockets, or above undici's
 * `connections`), exported as HAR and opened again, tells the same story about waits: as many
 * entries queued as the run's `poolWaits()`, each with `timings.blocked` equal to the lab's wait,
 * measured against the run's own limit and said in its words — not against Chrome's 6.
 * Real loopback runs against the embedded server; the file is written and read back from disk.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importHarFile } from '@engine/har/import-har';
import { labRunToHarText } from '@engine/har/session-to-har';
import { runHttpLoop } from '@engine/lab/http-loop';
import { HttpRunConfigSchema, type HttpRunConfigInput } from '@shared/api-http';
import { poolWaits } from '@shared/pool-waits';
import type { TraceEvent } from '@shared/trace';
import { Har12Schema } from './helpers/har-1.2-schema';

const scratch = mkdtempSync(path.join(tmpdir(), 'har-pool-waits-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Ended = Extract<TraceEvent, { kind: 'request-ended' }>;

interface ExportedEntry {
  timings: { blocked: number };
  _keepaliveLab: { request: string; waitedForPoolMs: number | null };
}

const scenarios: Array<{ name: string; config: HttpRunConfigInput; limit: number; setting: string }> = [
  {
    name: 'http.Agent, 12 requests 6 at a time, maxSockets 2',
    config: { requests: 12, concurrency: 6, agent: { maxSockets: 2 }, server: { headersDelayMs: 30 } },
    limit: 2,
    setting: 'maxSockets',
  },
  {
    name: 'undici, 8 requests 4 at a time, connections 2',
    config: { requests: 8, concurrency: 4, client: 'undici', undici: { connections: 2 }, server: { headersDelayMs: 20 } },
    limit: 2,
    setting: 'connections',
  },
  {
    // undici's Agent makes a single Client for connections: 1, which has no queue count of its own:
    // in each round of 4 the first request finds the connection free, the other 3 wait for it
    name: 'undici, 8 requests 4 at a time, connections 1 (a single Client, not a Pool)',
    config: { requests: 8, concurrency: 4, client: 'undici', undici: { connections: 1 }, server: { headersDelayMs: 20 } },
    limit: 1,
    setting: 'connections',
  },
];

describe('HTTP lab run with a pool limit → HAR → import: the waits survive', () => {
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const result = await runHttpLoop(HttpRunConfigSchema.parse(scenario.config));
      expect(result.errors).toBe(0);
      const waits = poolWaits(result.session);
      // the run must make requests wait, or the test shows nothing
      expect(waits.requests).toBeGreaterThan(0);
      // one connection, rounds of 4: the first of each round finds it free, the other 3 wait
      if (scenario.limit === 1) expect(waits.requests).toBe(6);

      const file = path.join(scratch, `${scenario.setting}-${scenario.limit}.har`);
      const text = labRunToHarText(result.session);
      writeFileSync(file, text);
      const document = JSON.parse(text);
      expect(Har12Schema.safeParse(document).success).toBe(true);
      expect(document.log._keepaliveLab).toEqual({ connectionsPerOrigin: scenario.limit, limitSetting: scenario.setting });

      // the export: blocked is the lab's wait for every request the pool queued
      const labWaitMs = new Map<string, number>();
      for (const event of result.session.events)
        if (event.kind === 'request-ended' && event.waitedForPoolUs !== undefined)
          labWaitMs.set((event as Ended).request, event.waitedForPoolUs / 1000);
      const entries = document.log.entries as ExportedEntry[];
      for (const entry of entries) {
        const wait = labWaitMs.get(entry._keepaliveLab.request);
        if (wait === undefined) expect(entry._keepaliveLab.waitedForPoolMs, entry._keepaliveLab.request).toBeNull();
        else {
          expect(entry.timings.blocked, entry._keepaliveLab.request).toBeCloseTo(wait, 3);
          expect(entry._keepaliveLab.waitedForPoolMs).toBe(entry.timings.blocked);
        }
      }

      // the import: the same requests queued, measured against the run's limit, in the run's words
      const back = await importHarFile(file);
      expect(back.connectionLimit).toEqual({ perOrigin: scenario.limit, from: 'lab', setting: scenario.setting });
      const queued = back.requests.filter((request) => request.waitedForPool !== null);
      expect(queued.length).toBe(waits.requests);
      expect(poolWaits(back.session).requests).toBe(waits.requests);
      expect(back.session.settings['maxConnections']).toBe(scenario.limit);
      // HTTP/1.1: one request at a time on each connection — the reason the others queued (startedDateTime to the µs, so no rounding overlap)
      expect(back.connections.map((connection) => connection.maxConcurrent)).toEqual(back.connections.map(() => 1));
      const longest = Math.max(...queued.map((request) => request.waitedForPool?.ms ?? 0));
      // the HAR keeps the wait to the µs, the lab's figure is in whole ms: equal within the rounding
      expect(Math.abs(longest - (waits.longestMs ?? Number.NaN))).toBeLessThanOrEqual(0.5 + 1e-6);
      for (const request of queued) {
        const entry = entries[request.index] as ExportedEntry;
        const labWait = labWaitMs.get(entry._keepaliveLab.request);
        expect(labWait, `entry #${request.index} is one the lab's pool queued`).toBeDefined();
        expect(request.timings.blocked).toBeCloseTo(labWait ?? -1, 3);
        expect(request.waitedForPool).toEqual({ ms: entry.timings.blocked, busyConnections: scenario.limit });
        expect(request.reused).toBe(true);
        expect(request.causeDetail).toContain(`(the run's ${scenario.setting} is ${scenario.limit})`);
        expect(request.causeDetail).not.toMatch(/HTTP\/1\.1 allows/);
      }

      // without the lab's fields the file is read as a browser's: Chrome's 6 per host, so none of these waits is seen
      for (const each of document.log.entries) delete each._keepaliveLab;
      delete document.log._keepaliveLab;
      const stripped = path.join(scratch, `${scenario.setting}-stripped.har`);
      writeFileSync(stripped, JSON.stringify(document));
      const asBrowser = await importHarFile(stripped);
      expect(asBrowser.connectionLimit).toEqual({ perOrigin: 6, from: 'browser', setting: null });
      expect(asBrowser.requests.filter((request) => request.waitedForPool !== null)).toEqual([]);
    });
  }
});
