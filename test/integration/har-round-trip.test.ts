/**
 * Lab → HAR → import, on real loopback runs against the embedded server: the exported file is
 * valid HAR 1.2 (every field the spec requires, and its rules on timings: helpers/har-1.2-schema.ts),
 * and reading it back gives the run's connections, its reuse per request and
 * the causes — both the ones written in `_keepaliveLab` and, with those fields removed, the ones
 * the importer works out from the timings alone.
 */
import { describe, expect, it } from 'vitest';
import { importHar } from '@engine/har/import-har';
import { parseHarText } from '@engine/har/read-har';
import { labRunToHarText } from '@engine/har/session-to-har';
import { runHttpLoop } from '@engine/lab/http-loop';
import { HttpRunConfigSchema, type HttpRunConfigInput, type HttpRunResult } from '@shared/api-http';
import { Har12Schema } from './helpers/har-1.2-schema';

function validate(document: unknown): string | null {
  const parsed = Har12Schema.safeParse(document);
  return parsed.success ? null : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

async function run(config: HttpRunConfigInput): Promise<HttpRunResult> {
  return runHttpLoop(HttpRunConfigSchema.parse(config));
}

function withoutLabFields(text: string): string {
  const document = JSON.parse(text);
  for (const entry of document.log.entries) delete entry._keepaliveLab;
  return JSON.stringify(document);
}

describe('HTTP lab run → HAR → import', () => {
  const scenarios: Array<{ name: string; config: HttpRunConfigInput; causes: string[] }> = [
    { name: '10 sequential, drained', config: { requests: 10 }, causes: ['first'] },
    { name: '6 at concurrency 3, drained', config: { requests: 6, concurrency: 3 }, causes: ['first', 'all-busy', 'all-busy'] },
  ];

  for (const scenario of scenarios) {
    it(`${scenario.name}: same connections, reuse and causes`, async () => {
      const result = await run(scenario.config);
      expect(result.errors).toBe(0);
      const text = labRunToHarText(result.session);
      const document = JSON.parse(text);
      expect(validate(document)).toBeNull();

      for (const [how, source] of [
        ['recorded', text],
        ['timings only', withoutLabFields(text)],
      ] as const) {
        const back = importHar(parseHarText(source), 'run.har');
        expect(back.connectionSource, how).toBe('recorded');
        // connections: the lab's ids, each with the requests the lab sent on it (request i is entry i - 1)
        const labConnections = result.connections.map((connection) => connection.id).sort();
        expect(back.connections.map((connection) => connection.id).sort(), how).toEqual(labConnections);
        for (const request of result.requests) {
          const entry = back.requests.find((each) => each.index === request.index - 1);
          expect(entry?.connection, `${how} #${request.index}`).toBe(request.connection);
          expect(entry?.reused, `${how} #${request.index}`).toBe(request.reused);
        }
        // causes, in the order the connections were opened
        const opened = [...back.connections].sort((a, b) => (a.openedBy ?? 0) - (b.openedBy ?? 0));
        expect(
          opened.map((connection) => connection.cause),
          how,
        ).toEqual(scenario.causes);
      }
      const entries = document.log.entries as Array<{
        connection: string;
        timings: { connect: number };
        _keepaliveLab: Record<string, unknown>;
      }>;
      // the 4-tuple travels in _keepaliveLab; connect is -1 exactly on reused connections
      for (const entry of entries) {
        expect(entry._keepaliveLab['local']).toMatch(/^127\.0\.0\.1:\d+$/);
        expect(entry._keepaliveLab['remote']).toMatch(/^127\.0\.0\.1:\d+$/);
        expect(entry.timings.connect === -1).toBe(entry._keepaliveLab['reused'] === true);
      }
    });
  }

  it('the export of a failing run still validates (errors as status 0)', async () => {
    const result = await run({ requests: 2, url: 'http://127.0.0.1:9/', timeoutMs: 2000 });
    const document = JSON.parse(labRunToHarText(result.session));
    expect(validate(document)).toBeNull();
    expect(document.log.entries.every((entry: { response: { status: number } }) => entry.response.status === 0)).toBe(true);
    // and the schema does reject what is not HAR 1.2
    delete document.log.entries[0].timings.wait;
    expect(validate(document)).toMatch(/timings\.wait/);
    expect(validate({ log: { version: '1.2', entries: [] } })).toMatch(/creator/);
  });
});
