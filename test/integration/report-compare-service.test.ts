/**
 * The app's "Export this comparison" through the one door (createService), on real loopback sockets:
 * two runs of the HTTP lab (and one of the HTTP/2 lab), then `report.render` / `report.save` with the
 * pair's session ids. The report says what the Compare view says — differenceSentences(compareRuns(A, B))
 * of the results the page holds — before the two sessions, and holds those two runs only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Result } from '@shared/api';
import { compareRuns, differenceSentences, runTotals, type ComparedRun } from '@shared/compare-runs';
import { ReportBundleSchema } from '@shared/report-model';
import { escapeMarkdown } from '@engine/report/render-markdown';
import { createService, type Service } from '@engine/service';

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.dispose()));
});
const scratch = mkdtempSync(path.join(tmpdir(), 'report-compare-service-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function open(mode: 'web' | 'cli'): Service {
  const service = createService({ mode });
  services.push(service);
  return service;
}

async function call<M extends 'http.run' | 'http2.run'>(service: Service, name: M, params: Record<string, unknown>): Promise<Result<M>> {
  const outcome = await service.call(name, params);
  if (!outcome.ok) throw new Error(`${name}: ${outcome.error.message}`);
  return outcome.value as Result<M>;
}

async function render(service: Service, format: 'html' | 'md' | 'json', compare: unknown): Promise<string> {
  const outcome = await service.call('report.render', { format, compare });
  if (!outcome.ok) throw new Error(`report.render: ${outcome.error.message}`);
  return (outcome.value as Result<'report.render'>).text;
}

describe('report.render / report.save with a compared pair', () => {
  it('keep-alive off vs on, as the Compare view shows them: the same sentences first in JSON, HTML and Markdown', async () => {
    const service = open('web');
    const off = await call(service, 'http.run', { preset: 'keepalive-off', title: 'Keep-alive off', jobId: 'one' });
    const on = await call(service, 'http.run', { preset: 'keepalive-off', config: { agent: { keepAlive: true } }, jobId: 'two' });
    const a: ComparedRun = { protocol: 'http1', result: off };
    const b: ComparedRun = { protocol: 'http1', result: on };
    // what HttpCompare.tsx shows above the columns, and CompareColumn.tsx under each
    const shown = differenceSentences(compareRuns(a, b));
    expect(shown).toEqual(expect.arrayContaining(['connections opened: 10 vs 1', 'handshakes saved: 0 vs 9']));
    const compare = { a: off.session.id, b: on.session.id, titles: ['Run 1 · Keep-alive off', 'Run 2 · Custom settings'] };

    const bundle = ReportBundleSchema.parse(JSON.parse(await render(service, 'json', compare)));
    expect(bundle.sessions.map((session) => session.id)).toEqual([off.session.id, on.session.id]);
    expect(bundle.comparisons?.[0]?.differences).toEqual(shown);
    expect(bundle.comparisons?.[0]?.a).toMatchObject({ title: 'Run 1 · Keep-alive off', totals: runTotals(a) });
    expect(bundle.comparisons?.[0]?.b).toMatchObject({ title: 'Run 2 · Custom settings', totals: runTotals(b) });

    const html = await render(service, 'html', compare);
    const list = /<ul class="differences">(.*?)<\/ul>/s.exec(html)?.[1] ?? '';
    expect([...list.matchAll(/<li>(.*?)<\/li>/g)].map((match) => match[1])).toEqual(shown);
    expect(html.indexOf('What differs, A vs B')).toBeLessThan(html.indexOf('id="session-0"'));
    expect(html).toContain('<a href="#session-0">Run 1 · Keep-alive off</a>');
    const markdown = await render(service, 'md', compare);
    expect(markdown).toContain(`**Differences:**\n\n${shown.map((sentence) => `- ${escapeMarkdown(sentence)}`).join('\n')}\n`);

    // without a pair: everything this scope ran, as before, and no comparison nobody asked for
    const whole = ReportBundleSchema.parse(JSON.parse(await render(service, 'json', undefined)));
    expect(whole.sessions).toHaveLength(2);
    expect(whole.comparisons).toBeUndefined();
  });

  it('the Reports page export after the Lab’s Compare (http.compare) keeps the comparison of that pair, under the runs’ titles', async () => {
    const service = open('web');
    const outcome = await service.call('http.compare', {
      a: { preset: 'drained-body', title: 'Drained body' },
      b: { preset: 'ignored-body', title: 'Ignored body' },
      jobId: 'pair',
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const { a, b } = outcome.value as Result<'http.compare'>;
    const shown = differenceSentences(compareRuns({ protocol: 'http1', result: a }, { protocol: 'http1', result: b }));
    expect(shown).toContain('connections opened: 1 vs 10');
    const bundle = ReportBundleSchema.parse(JSON.parse(await render(service, 'json', undefined)));
    expect(bundle.comparisons).toHaveLength(1);
    expect(bundle.comparisons?.[0]).toMatchObject({ a: { title: 'Drained body' }, b: { title: 'Ignored body' }, differences: shown });
    const markdown = await render(service, 'md', undefined);
    expect(markdown.indexOf('## What differs, A vs B')).toBeLessThan(markdown.indexOf('## A · Drained body'));
    // two runs nobody compared (a later run) are listed, not compared
    await call(service, 'http.run', { config: { requests: 2 }, jobId: 'third' });
    const after = ReportBundleSchema.parse(JSON.parse(await render(service, 'json', undefined)));
    expect([after.sessions.length, after.comparisons?.length]).toEqual([3, 1]);
  });

  it('a lesson’s two runs, shown in the lesson’s Compare view, export with their comparison too', async () => {
    const service = open('web');
    const outcome = await service.call('learn.run', { lessonId: 'body-drain', jobId: 'lesson' });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const lesson = (outcome.value as Result<'learn.run'>).result;
    if (lesson?.kind !== 'http-compare') throw new Error(`body-drain ran ${lesson?.kind ?? 'nothing'}`);
    const shown = differenceSentences(compareRuns({ protocol: 'http1', result: lesson.a }, { protocol: 'http1', result: lesson.b }));
    const compare = { a: lesson.a.session.id, b: lesson.b.session.id, titles: ['Run 1 · Bodies read', 'Run 2 · Bodies ignored'] };
    const bundle = ReportBundleSchema.parse(JSON.parse(await render(service, 'json', compare)));
    expect(bundle.comparisons?.[0]?.differences).toEqual(shown);
    expect(shown).toContain('connections opened: 1 vs 10');
  });

  it('an HTTP/1.1 run against an HTTP/2 run, saved to a file: each side in its own words; a run no longer held is named', async () => {
    const service = open('cli');
    const http1 = await call(service, 'http.run', { config: { requests: 6, concurrency: 3 }, jobId: 'h1' });
    const http2 = await call(service, 'http2.run', { config: { requests: 6, concurrency: 3 }, jobId: 'h2' });
    const shown = differenceSentences(compareRuns({ protocol: 'http1', result: http1 }, { protocol: 'http2', result: http2 }));
    expect(shown[0]).toMatch(/^protocol: HTTP\/1\.1 vs HTTP\/2/);
    const file = path.join(scratch, 'mixed.md');
    const compare = { a: http1.session.id, b: http2.session.id, titles: ['Run 1 · Custom settings', 'Run 2 · HTTP/2 · Custom settings'] };
    const saved = await service.call('report.save', { path: file, compare });
    expect(saved.ok && (saved.value as Result<'report.save'>).format).toBe('md');
    const markdown = readFileSync(file, 'utf8');
    expect(markdown).toContain(`**Differences:**\n\n${shown.map((sentence) => `- ${escapeMarkdown(sentence)}`).join('\n')}\n`);
    expect(markdown).toContain('| Waited for a stream slot | – |');

    const cleared = await service.call('session.clear', {});
    expect(cleared.ok).toBe(true);
    const gone = await service.call('report.render', { format: 'html', compare });
    expect(gone).toEqual({
      ok: false,
      error: {
        code: 'not-found',
        message:
          'run A (Run 1 · Custom settings) is no longer held by the engine (it keeps the last 20 runs, and Clear session empties them): run it again to export this comparison',
      },
    });
  });
});
