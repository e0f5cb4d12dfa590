/**
 * Lessons run on real loopback sockets through the service and the CLI: `learn --list --json` and
 * `learn ID --json` keep their contract, the body-drain lesson measures 1 vs 10 connections, a capture
 * lesson reads its example, and progress is kept in the data folder (Electron) but not by the web mode.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createService } from '@engine/service';
import { LessonRunSchema } from '@shared/api-learn';
import { LESSONS } from '@shared/lessons';

const run = promisify(execFile);
const bin = resolve(import.meta.dirname, '../../bin/keepalive-lab.mjs');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('keepalive-lab learn', () => {
  it('--list --json prints [{id, title, kind}] for every lesson', async () => {
    const { code, stdout } = await cli(['learn', '--list', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(LESSONS.map(({ id, title, kind }) => ({ id, title, kind })));
  });

  it('body-drain --json: the choices, 10 observed, 1 vs 10 connections measured, the expected answer held', async () => {
    const { code, stdout } = await cli(['learn', 'body-drain', '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(Object.keys(printed)).toEqual(expect.arrayContaining(['id', 'question', 'choices', 'expected', 'observed', 'held']));
    expect(printed).toMatchObject({ id: 'body-drain', expected: 'ten', held: true, observed: { choice: 'ten' } });
    expect(printed.observed.values['a.connectionsOpened']).toBe(1);
    expect(printed.observed.values['b.connectionsOpened']).toBe(10);
    expect(printed.explanation).toContain('10 requests used 1 connection');
  });

  it('what-did-my-browser-reuse --json: six connections for 13 requests read from the bundled HAR, the expected answer held', async () => {
    const { code, stdout } = await cli(['learn', 'what-did-my-browser-reuse', '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(Object.keys(printed)).toEqual(expect.arrayContaining(['id', 'question', 'choices', 'expected', 'observed', 'held']));
    expect(printed).toMatchObject({ id: 'what-did-my-browser-reuse', expected: 'six', held: true, observed: { choice: 'six' } });
    expect(printed.observed.values).toMatchObject({ connections: 6, requests: 13, allBusy: 5, poolWaits: 4, reused: 7 });
    expect(printed.explanation).toContain('The browser opened 6 connections for 13 requests. 5 of them');
  });

  it('half-open-detection without root says why and how to enable it, exit status 3', async () => {
    // as root, run it as the unprivileged user "nobody": the lesson must explain, not fail
    const asRoot = process.getuid?.() === 0;
    const args = ['learn', 'half-open-detection', '--json'];
    const { code, stdout } = asRoot
      ? await run('runuser', ['-u', 'nobody', '--', 'env', 'HOME=/tmp', process.execPath, bin, ...args], { timeout: 60_000 }).then(
          (done) => ({ code: 0, stdout: done.stdout }),
          (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
        )
      : await cli(args);
    expect(code).toBe(3);
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({ held: null, observed: { choice: null } });
    expect(printed.unavailable.reason).toMatch(/root|CAP_NET_ADMIN|ip netns/);
    expect(printed.unavailable.howToEnable).toContain('ip netns');
  });

  it('an unknown lesson is one clear line and exit status 1', async () => {
    const { code, stderr } = await cli(['learn', 'no-such-lesson']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^keepalive-lab learn: unknown lesson "no-such-lesson"; known: body-drain, /);
  });
});

describe('the learn room', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keepalive-lab-learn-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('runs the capture lesson on its example: one stream, three requests, the probes highlighted', async () => {
    const service = createService({ mode: 'cli', dataDir: await tempDir() });
    try {
      const result = await service.call('learn.run', { lessonId: 'reading-a-capture' });
      expect(result.ok).toBe(true);
      const lessonRun = LessonRunSchema.parse((result as { ok: true; value: unknown }).value);
      expect(lessonRun.observed.values).toMatchObject({ streams: 1, httpRequests: 3, streamsReused: 1 });
      expect(lessonRun.held).toBe(true);
      expect(lessonRun.highlight.packets.length).toBe(lessonRun.observed.values['keepAlives']);
      expect(lessonRun.highlight.packets.every((packet) => packet.flags.includes('keep_alive'))).toBe(true);
    } finally {
      await service.dispose();
    }
  });

  it('runs the HAR lesson on its bundled example: the lanes with reuse, their causes, and no path from the caller', async () => {
    const service = createService({ mode: 'web', dataDir: await tempDir() });
    try {
      const result = await service.call('learn.run', { lessonId: 'what-did-my-browser-reuse' });
      expect(result.ok).toBe(true);
      const lessonRun = LessonRunSchema.parse((result as { ok: true; value: unknown }).value);
      expect(lessonRun.held).toBe(true);
      if (lessonRun.result?.kind !== 'har-example') throw new Error(`expected a HAR result, got ${lessonRun.result?.kind}`);
      const { har } = lessonRun.result;
      expect(har.file).toBe('browser-page-load.har');
      expect(har.connections.map((connection) => connection.cause)).toEqual([
        null,
        'all-busy',
        'all-busy',
        'all-busy',
        'all-busy',
        'all-busy',
      ]);
      // highlighted: the connections that carried more than one request
      const reusedLanes = har.connections.filter((connection) => connection.requests > 1).map((connection) => connection.id);
      expect(lessonRun.highlight.lanes).toEqual(reusedLanes);
      expect(reusedLanes).toHaveLength(4);
      expect(har.session.connections.map((connection) => connection.id)).toEqual(har.connections.map((connection) => connection.id));
      // the web mode takes the example by id only: a path-like id is refused by the schema
      expect(await service.call('har.openExample', { exampleId: '../../etc/passwd' })).toMatchObject({
        ok: false,
        error: { code: 'invalid-params' },
      });
      expect(await service.call('har.openExample', { exampleId: 'no-such-example' })).toMatchObject({
        ok: false,
        error: { code: 'unknown-example' },
      });
    } finally {
      await service.dispose();
    }
  });

  it('in the web mode, the keepalive lesson opens the capture it saved by a handle (the policy takes no plain path there)', async () => {
    const service = createService({ mode: 'web', dataDir: await tempDir() });
    try {
      const result = await service.call('learn.run', { lessonId: 'keepalive-probe' });
      expect(result).toMatchObject({ ok: true });
      const lessonRun = LessonRunSchema.parse((result as { ok: true; value: unknown }).value);
      // counted from the packets tcpdump saved, when it could capture here; otherwise a note says why
      if (lessonRun.notes.length === 0) expect(lessonRun.observed.values['keepAlives']).toBeGreaterThanOrEqual(1);
      expect(lessonRun.observed.values['probes']).toBeGreaterThanOrEqual(1);
      // the run shows that the count is not the number of probes sent: answered probes go on past it
      expect(lessonRun.held).toBe(true);
      expect(lessonRun.observed.values['probes']).toBeGreaterThan(lessonRun.observed.values['count']!);
    } finally {
      await service.dispose();
    }
  });

  it('keeps progress in the data folder in Electron, starts empty on a damaged file, and refuses in the web mode', async () => {
    const dataDir = await tempDir();
    const electron = createService({ mode: 'electron', dataDir });
    const progress = { lessons: { 'body-drain': { prediction: 'one', observed: 'ten', held: true, atMs: 1 } }, lastLesson: 'body-drain' };
    try {
      expect(await electron.call('learn.progress', {})).toEqual({ ok: true, value: { lessons: {}, lastLesson: null } });
      expect(await electron.call('learn.saveProgress', { progress })).toEqual({ ok: true, value: { saved: true } });
      expect(JSON.parse(await readFile(join(dataDir, 'learn-progress.json'), 'utf8'))).toEqual(progress);
      expect(await electron.call('learn.progress', {})).toEqual({ ok: true, value: progress });
      await writeFile(join(dataDir, 'learn-progress.json'), '{"lessons": 3');
      expect(await electron.call('learn.progress', {})).toEqual({ ok: true, value: { lessons: {}, lastLesson: null } });
      // no path crosses the edge: an extra field is refused by the schema
      expect(await electron.call('learn.saveProgress', { progress, path: '/tmp/x' })).toMatchObject({
        ok: false,
        error: { code: 'invalid-params' },
      });
    } finally {
      await electron.dispose();
    }
    const web = createService({ mode: 'web', dataDir });
    try {
      expect(await web.call('learn.progress', {})).toMatchObject({ ok: false, error: { code: 'browser-storage' } });
      expect(await web.call('learn.saveProgress', { progress })).toMatchObject({ ok: false, error: { code: 'browser-storage' } });
    } finally {
      await web.dispose();
    }
  });
});
