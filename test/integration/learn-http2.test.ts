/**
 * The two HTTP/2 lessons run on real loopback sockets through the service: one connection carrying
 * every stream against HTTP/1.1's six, and GOAWAY ENHANCE_YOUR_CALM "too_many_pings" for a client
 * that PINGs faster than the server allows, with the explanation filled from the run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '@engine/service';
import { LessonRunSchema, type LessonRun } from '@shared/api-learn';

let service: Service;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'keepalive-lab-learn-h2-'));
  service = createService({ mode: 'web', dataDir });
});
afterAll(async () => {
  await service.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

async function runLesson(lessonId: string): Promise<LessonRun> {
  const result = await service.call('learn.run', { lessonId });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return LessonRunSchema.parse(result.value);
}

describe('HTTP/2 lessons', () => {
  it('one-connection-h2: HTTP/1.1 needs 6 connections, HTTP/2 carries all 20 requests as streams on 1', async () => {
    const run = await runLesson('one-connection-h2');
    expect(run).toMatchObject({ expected: 'one', held: true, observed: { choice: 'one' } });
    expect(run.observed.values).toMatchObject({
      'h1.requests': 20,
      'h1.connectionsOpened': 6,
      'h2.requests': 20,
      'h2.connectionsOpened': 1,
      'h2.streamsOnFirstConnection': 20,
      'h2.answered': 20,
    });
    // 10 requests wanted to run at once: the one connection carried more than one stream at a time
    expect(run.observed.values['h2.maxConcurrentStreams']).toBeGreaterThan(1);
    if (run.result?.kind !== 'http2') throw new Error(`expected an HTTP/2 result, got ${run.result?.kind}`);
    expect(run.result.h1?.connections).toHaveLength(6);
    expect(run.result.h2.requests.map((request) => request.stream).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 20 }, (_, index) => 2 * index + 1),
    );
    expect(run.highlight.lanes).toEqual(['c1']);
    expect(run.explanation).toContain('Over HTTP/2 the same 20 requests rode 1 connection');
    expect(run.explanation).not.toMatch(/unknown|\{/);
  }, 60_000);

  it('too-many-pings: GOAWAY ENHANCE_YOUR_CALM with its last stream id, PINGs faster than the server allows', async () => {
    const run = await runLesson('too-many-pings');
    expect(run).toMatchObject({ expected: 'calm', held: true, observed: { choice: 'calm' } });
    const values = run.observed.values;
    expect(values).toMatchObject({ 'h2.pingIntervalMs': 40, 'h2.serverMinPingIntervalMs': 500, 'h2.goawayErrorCode': 11 });
    expect(values['h2.goaways']).toBeGreaterThanOrEqual(1);
    // the server allows 2 PINGs a window: the third is the one it answers with GOAWAY
    expect(values['h2.pingsBeforeGoaway']).toBeGreaterThanOrEqual(3);
    if (run.result?.kind !== 'http2') throw new Error(`expected an HTTP/2 result, got ${run.result?.kind}`);
    const ended = run.result.h2.connections.filter((connection) => connection.goaway !== null);
    expect(ended[0]?.goaway).toMatchObject({
      error: 'ENHANCE_YOUR_CALM',
      debug: 'too_many_pings',
      lastStreamId: values['h2.goawayLastStreamId'],
    });
    // the lanes highlighted are the connections the server sent away
    expect(run.highlight.lanes).toEqual(ended.map((connection) => connection.id));
    // a request after a GOAWAY needs a new connection
    expect(values['h2.connectionsOpened']).toBeGreaterThan(1);
    expect(run.explanation).toContain('GOAWAY with error code 11, ENHANCE_YOUR_CALM');
    expect(run.explanation).not.toMatch(/unknown|\{/);
    // a stream that failed under a GOAWAY was above its last stream id, and its request was sent again: the
    // explanation counts those retries, so "N of 6 answered" agrees with a lane's "(1 failed)"
    const { h2 } = run.result;
    const lastStreamOf = new Map(ended.map((connection) => [connection.id, connection.goaway!.lastStreamId]));
    for (const failed of h2.requests.filter((request) => request.error !== null && request.stream !== null))
      expect(failed.stream!).toBeGreaterThan(lastStreamOf.get(failed.connection ?? '') ?? Number.POSITIVE_INFINITY);
    expect(values['h2.retried']).toBe(h2.requests.filter((request) => request.retried).length);
    expect(run.explanation).toContain(`(RFC 9113 §6.8): ${values['h2.retried']} in this run`);
    expect(run.explanation).toContain(`${values['h2.answered']} of 6 requests answered in the end`);
  }, 60_000);
});
