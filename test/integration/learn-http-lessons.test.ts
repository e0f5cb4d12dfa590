/**
 * The HTTP/1.1 lessons say what their runs show, on real loopback sockets through the service:
 * the stale-race lesson's race is the server's close crossing the request (the lab's server closes
 * as the request arrives), a plain timer close is redialled quietly, and the recommended fix raises
 * no "more connections than needed"; the held-open lesson names the cause its own table names.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '@engine/service';
import { LessonRunSchema, type LessonRun } from '@shared/api-learn';
import { HttpRunConfigSchema, type HttpRunResult } from '@shared/api-http';
import { observedChoice, LessonSchema } from '@shared/lesson';
import { LESSONS } from '@shared/lessons';
import { runHttpLoop } from '@engine/lab/http-loop';

let service: Service;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'keepalive-lab-learn-http-'));
  service = createService({ mode: 'web', dataDir });
});
afterAll(async () => {
  await service.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

async function runLesson(lessonId: string): Promise<{ run: LessonRun; a: HttpRunResult; b: HttpRunResult }> {
  const result = await service.call('learn.run', { lessonId });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  const run = LessonRunSchema.parse(result.value);
  if (run.result?.kind !== 'http-compare') throw new Error(`expected an http-compare result, got ${run.result?.kind}`);
  return { run, a: run.result.a, b: run.result.b };
}

const lesson = (id: string) => LessonSchema.parse(LESSONS.find((candidate) => candidate.id === id));

describe('the stale keep-alive race lesson', () => {
  it('shows the crossing: request 2 fails as the server closes it on arrival; the fix gives one connection per request, no surprise', async () => {
    const { run, a, b } = await runLesson('stale-race');
    expect(run).toMatchObject({ expected: 'fails', held: true, observed: { choice: 'fails' } });
    expect(a.server?.requests.map((request) => request.action)).toEqual(['answered', 'race-closed', 'answered']);
    expect(a.requests[1]).toMatchObject({ error: 'socket hang up', reused: true });
    // the lesson says the lab's server closes as the request arrives, which is what its table shows
    expect(a.connections[1]?.openedBecause.detail).toMatch(/the server closed it \(FIN\) during request 2, without answering/);
    expect(lesson('stale-race').setup).toMatch(/closes at the moment the request arrives/);
    // neither run is "more connections than needed": a timeout shorter than the pause closes each connection on purpose
    expect(a.surprise).toBeNull();
    expect(b).toMatchObject({ errors: 0, connectionsOpened: 3, surprise: null });
    expect(run.explanation).toContain('3 connections, one per request, as intended');
  }, 30_000);

  it('with the same timings and the server closing on a timer, the run shows the quiet redial the explanation describes', async () => {
    const staleRace = lesson('stale-race');
    if (staleRace.experiment.kind !== 'http-compare') throw new Error('stale-race is an http-compare lesson');
    const config = HttpRunConfigSchema.parse(staleRace.experiment.a.config);
    const onTimer = await runHttpLoop({ ...config, server: { ...config.server, staleRace: 'off' } });
    expect(onTimer.errors).toBe(0);
    expect(onTimer.connectionsOpened).toBe(3);
    expect(onTimer.connections[1]?.openedBecause.detail).toMatch(/the server closed it \(FIN\) after \d+ ms idle/);
    expect(observedChoice(staleRace, { 'a.errors': onTimer.errors, 'a.connectionsOpened': onTimer.connectionsOpened })).toBe('reconnects');
    expect(staleRace.explanation).toContain(
      'Had the FIN arrived first, the agent would have dropped the connection and quietly dialled a new one',
    );
  }, 30_000);
});

describe('the two-responses-held-open lesson', () => {
  it('blames the unread body because its table does: request 2 came after request 1’s answer, and only the held body kept it off c1', async () => {
    const { run, a, b } = await runLesson('two-held-open');
    expect(run).toMatchObject({ expected: 'two', held: true, observed: { choice: 'two' } });
    expect(a.connectionsOpened).toBe(1);
    expect(b.connectionsOpened).toBe(2);
    expect(b.maxOpen).toBe(2);
    expect(b.connections[1]?.openedBecause).toMatchObject({ cause: 'body-unread' });
    expect(b.connections[1]?.openedBecause.detail).toMatch(/^c1 was still holding request 1's unread body/);
    // the words the lesson uses for the setting are the Lab's
    expect(lesson('two-held-open').tryChanging).toContain('“ignore — never read it”');
    expect(run.explanation).toContain('2 connections, 2 open at the same moment');
  }, 30_000);
});

describe('what-did-my-browser-reuse', () => {
  it('asks about as many requests as the HAR holds and the explanation counts', async () => {
    const result = await service.call('learn.run', { lessonId: 'what-did-my-browser-reuse' });
    if (!result.ok) throw new Error(result.error.message);
    const run = LessonRunSchema.parse(result.value);
    const requests = run.observed.values['requests'];
    expect(requests).toBe(13);
    expect(run.question).toContain(`${requests} requests`);
    expect(run.explanation).toContain(`for ${requests} requests`);
  });
});
