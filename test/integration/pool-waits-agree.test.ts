/**
 * One count of "requests that waited for a free connection" on every screen, over real loopback
 * runs of the HTTP lab with maxSockets below the concurrency: the Lab's explanation card, the
 * Compare line and totals, the report (HTML, Markdown, JSON) and the CLI's text and JSON all give
 * the number of requests the agent queued — the trace's `waitedForPoolUs`, set where Node's
 * http.Agent put the request in `agent.requests` — and none counts a request that opened its own
 * connection (its handshakes are not a wait for the limit).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHttpCommand } from '../../src/cli/commands/http';
import { createService, type Service } from '@engine/service';
import { writeReport } from '@engine/report/write-report';
import { explainHttpRun } from '@renderer/features/lab/http-explain';
import type { HttpRunConfigInput, HttpRunResult } from '@shared/api-http';
import { compareRuns, differenceSentences, runTotals } from '@shared/compare-runs';
import { createReportBundle } from '@shared/report-model';
import { runCliCommand } from '../helpers/cli';
import { FIXED_APP } from '../unit/main/report/fixtures';

/** The requests the agent queued, from the trace: the fact every screen's count is checked against. */
function queuedByAgent(result: HttpRunResult): number {
  return result.session.events.filter((event) => event.kind === 'request-ended' && event.waitedForPoolUs !== undefined).length;
}

/** The count in the card's "Why": "14 requests waited because every connection allowed (maxSockets = 6) was busy". */
function cardCount(result: HttpRunResult, maxSockets: number): number | null {
  const card = explainHttpRun(result).find((explanation) => explanation.kind === 'queued-above-max-sockets');
  const match = new RegExp(`^(\\d+) requests? waited because every connection allowed \\(maxSockets = ${maxSockets}\\) was busy`).exec(
    card?.whyConcluded ?? '',
  );
  return match ? Number(match[1]) : null;
}

describe('requests that waited for a free connection: one count everywhere', () => {
  let dataDir: string;
  let service: Service;
  let limited: HttpRunResult;
  let unlimited: HttpRunResult;

  const run = async (config: HttpRunConfigInput): Promise<HttpRunResult> => {
    const answer = await service.call('http.run', { config });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value as HttpRunResult;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pool-waits-agree-'));
    service = createService({ mode: 'cli', dataDir });
    // 20 requests sent at once over TLS, at most 6 connections: 6 dial, the agent queues the other 14
    limited = await run({ requests: 20, concurrency: 20, tls: true, agent: { maxSockets: 6 } });
    unlimited = await run({ requests: 20, concurrency: 20, tls: true });
  }, 60_000);

  afterAll(async () => {
    await service?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the card, Compare and the report say the number the agent queued, and not the requests that dialled', async () => {
    const queued = queuedByAgent(limited);
    expect(limited.errors).toBe(0);
    expect(limited.connectionsOpened).toBe(6);
    // all 20 were asked for in one go: each request that found all 6 connections busy was queued
    expect(queued).toBe(20 - limited.connectionsOpened);
    const dialled = limited.requests.filter((request) => request.reused === false);
    expect(dialled.every((request) => request.waitedForPool === undefined)).toBe(true);

    expect(cardCount(limited, 6)).toBe(queued);

    const sentences = differenceSentences(compareRuns({ protocol: 'http1', result: limited }, { protocol: 'http1', result: unlimited }));
    const waited = sentences.find((sentence) => sentence.startsWith('requests that waited: '));
    expect(waited).toMatch(
      new RegExp(`^requests that waited: ${queued} for a free connection \\(all 6 were busy\\), longest \\d+ ms vs none`),
    );
    const totals = Object.fromEntries(runTotals({ protocol: 'http1', result: limited }).map((line) => [line.label, line.value]));
    expect(totals['Waited for a free connection']).toMatch(new RegExp(`^${queued}, the longest \\d+ ms$`));

    // the report, in each of its formats
    const bundle = createReportBundle({ app: FIXED_APP, sessions: [limited.session] });
    const html = await readFile((await writeReport({ bundle, path: join(dataDir, 'waits.html') })).path, 'utf8');
    expect(html).toContain(`<dd data-figure="pool-waits">${queued}</dd>`);
    expect(html).toContain(`${queued} requests waited because every connection allowed (maxSockets = 6) was busy`);
    const markdown = await readFile((await writeReport({ bundle, path: join(dataDir, 'waits.md') })).path, 'utf8');
    expect(markdown).toContain(`${queued} requests waited because every connection allowed (maxSockets = 6) was busy`);
    expect(markdown).toContain(`**Seen here.** ${queued} requests waited for a free connection.`);
    const json = JSON.parse(await readFile((await writeReport({ bundle, path: join(dataDir, 'waits.json') })).path, 'utf8'));
    expect(JSON.stringify(json)).toContain(`"poolWaits":${queued}`);
  });

  it('without a limit nobody waits: no card, "none" in Compare, 0 in the report', () => {
    expect(queuedByAgent(unlimited)).toBe(0);
    expect(unlimited.connectionsOpened).toBe(20);
    expect(explainHttpRun(unlimited).some((explanation) => explanation.kind === 'queued-above-max-sockets')).toBe(false);
    const totals = Object.fromEntries(runTotals({ protocol: 'http1', result: unlimited }).map((line) => [line.label, line.value]));
    expect(totals['Waited for a free connection']).toBe('none');
  });

  it('the CLI: its text, its JSON and its report give the count of the run it made', async () => {
    const report = join(dataDir, 'cli.json');
    const text = await runCliCommand(runHttpCommand, ['--preset', 'queued-above-max-sockets', '--report', report]);
    expect(text.code).toBe(0);
    const bundle = JSON.parse(await readFile(report, 'utf8')) as { sessions: Array<{ events: Array<Record<string, unknown>> }> };
    const queued = bundle.sessions[0]!.events.filter((event) => event.kind === 'request-ended' && 'waitedForPoolUs' in event).length;
    // 12 requests, 6 at a time, 2 connections: at least the 4 of the first round that found both busy
    expect(queued).toBeGreaterThanOrEqual(4);
    expect(text.stdout).toMatch(
      new RegExp(`\\nrequests that waited: ${queued} for a free connection \\(both were busy\\), longest \\d+ ms\\n`),
    );
    expect(text.stdout.match(/, waited \d+(\.\d+)? ms for a free connection\n/g)).toHaveLength(queued);

    const json = await runCliCommand(runHttpCommand, ['--preset', 'queued-above-max-sockets', '--json']);
    const result = JSON.parse(json.stdout) as { poolWaits: { requests: number }; requests: Array<{ waitedForPool?: unknown }> };
    expect(result.poolWaits.requests).toBe(result.requests.filter((request) => request.waitedForPool !== undefined).length);
  });
});
