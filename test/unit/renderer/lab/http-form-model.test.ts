import { HTTP_CONFIG_LABELS } from '@shared/plain-errors';
import type { HttpRunConfig } from '@shared/api-http';
import { describe, expect, it } from 'vitest';
import { HttpRunConfigSchema } from '@shared/api-http';
import { HTTP_PRESETS } from '@engine/lab/http-scenarios';
import {
  contrastForm,
  defaultHttpForm,
  formFromPreset,
  getHttpField,
  httpFormProblems,
  matchingPreset,
  mergeHttpConfig,
  numberFromInput,
  setHttpField,
} from '@renderer/features/lab/http-form-model';

describe('the HTTP lab form', () => {
  it('starts from the contract defaults: 10 sequential drained GETs over http.Agent to the embedded server', () => {
    const form = defaultHttpForm();
    expect(form).toEqual(HttpRunConfigSchema.parse({}));
    expect(form).toMatchObject({ url: null, requests: 10, concurrency: 1, client: 'agent', body: 'drain', agent: { keepAlive: true } });
  });

  it('loads every engine preset without a problem, and recognises it again', () => {
    for (const preset of HTTP_PRESETS) {
      const { form, problem } = formFromPreset(preset.config);
      expect(problem, preset.name).toBeNull();
      expect(httpFormProblems(form), preset.name).toEqual([]);
      expect(matchingPreset(form, HTTP_PRESETS), preset.name).toBe(preset.name);
      if (preset.contrast) expect(formFromPreset(preset.contrast.config).problem, `${preset.name} contrast`).toBeNull();
    }
  });

  it('merges nested option groups one level deep, keeping the defaults beside the override', () => {
    const { form } = formFromPreset({ agent: { maxSockets: 2 }, server: { headersDelayMs: 50 } });
    expect(form.agent).toMatchObject({ maxSockets: 2, keepAlive: true, scheduling: 'lifo' });
    expect(form.server).toMatchObject({ headersDelayMs: 50, keepAliveTimeoutMs: 5000 });
    const merged = mergeHttpConfig({ body: 'drain', agent: { keepAlive: false, maxSockets: 3 } }, { agent: { keepAlive: true } });
    expect(merged).toEqual({ body: 'drain', agent: { keepAlive: true, maxSockets: 3 } });
  });

  it('reports a preset the contract rejects and falls back to the defaults', () => {
    const { form, problem } = formFromPreset({ requests: 0 });
    expect(problem).toBe('Requests: at least 1');
    expect(form).toEqual(defaultHttpForm());
  });

  it('sets and reads fields by dotted path without touching the rest', () => {
    const form = defaultHttpForm();
    const changed = setHttpField(form, 'agent.maxSockets', 4);
    expect(getHttpField(changed, 'agent.maxSockets')).toBe(4);
    expect(changed.agent.keepAlive).toBe(true);
    expect(form.agent.maxSockets).toBeNull();
    expect(setHttpField(form, 'body', 'ignore').body).toBe('ignore');
    expect(matchingPreset(setHttpField(formFromPreset(HTTP_PRESETS[0]!.config).form, 'requests', 11), HTTP_PRESETS)).toBeNull();
  });

  it('turns number inputs into values: empty is "no limit" where allowed, and bad values are named', () => {
    expect(numberFromInput('', true)).toBeNull();
    expect(numberFromInput('', false)).toBeNaN();
    expect(numberFromInput('250', false)).toBe(250);
    const problems = httpFormProblems({ ...defaultHttpForm(), requests: Number.NaN, concurrency: 0 });
    expect(problems).toEqual(['Requests: a number is needed', 'Concurrency: at least 1']);
  });

  it('says every problem in plain words with the form’s label and unit, never the schema’s text', () => {
    const cases: Array<[Partial<HttpRunConfig>, string]> = [
      [{ requests: 0 }, 'Requests: at least 1'],
      [{ requests: 200_000 }, 'Requests: at most 100,000'],
      [{ requests: 2.5 }, 'Requests: a whole number'],
      [{ timeoutMs: 0 }, 'Timeout per request: at least 1 ms'],
      [{ intervalMs: -5 }, 'Pause between rounds: at least 0 ms'],
      [{ url: 'ftp://example.org/' }, 'URL: a full URL starting with http:// or https://'],
      [{ agent: { ...defaultHttpForm().agent, maxSockets: 0 } }, 'maxSockets: at least 1'],
      [{ server: { ...defaultHttpForm().server, keepAliveTimeoutMs: 700_000 } }, 'Server keep-alive timeout: at most 600,000 ms'],
      [{ partialBytes: -1 }, 'Read at most: at least 0 bytes'],
    ];
    for (const [change, expected] of cases) {
      const problems = httpFormProblems({ ...defaultHttpForm(), ...change });
      expect(problems).toEqual([expected]);
      expect(problems[0]).not.toMatch(/expected|>=|<=|Invalid|Too (small|big)/);
    }
  });

  it('names fields with the labels the form shows', async () => {
    const { readFile } = await import('node:fs/promises');
    const formSource = await readFile(new URL('../../../../src/renderer/src/features/lab/HttpSettingsForm.tsx', import.meta.url), 'utf8');
    for (const path of [
      'requests',
      'concurrency',
      'schedule',
      'intervalMs',
      'timeoutMs',
      'server.keepAliveTimeoutMs',
      'partialBytes',
      'url',
    ]) {
      const label = HTTP_CONFIG_LABELS[path]!.label;
      // a plain label, or one that changes with another field (the pause's, with the schedule)
      expect(
        [`label="${label}`, `'${label}'`].some((form) => formSource.includes(form)),
        path,
      ).toBe(true);
    }
  });

  it('builds the contrast run from the current form, changing only what the contrast changes', () => {
    const byName = (name: string) => HTTP_PRESETS.find((preset) => preset.name === name)!;
    const queued = formFromPreset(byName('queued-above-max-sockets').config).form;
    const unlimited = contrastForm({ ...queued, client: 'agent', timeoutMs: 7000 }, byName('queued-above-max-sockets'));
    expect(unlimited?.agent.maxSockets).toBeNull();
    expect(unlimited).toMatchObject({ concurrency: 6, timeoutMs: 7000, server: { headersDelayMs: 50 } });
    const drained = setHttpField(formFromPreset(byName('drained-body').config).form, 'client', 'undici');
    expect(contrastForm(drained, byName('drained-body'))).toMatchObject({ body: 'ignore', client: 'undici' });
    expect(contrastForm(drained, byName('stale-race-retry'))).toBeNull();
  });
});
