/**
 * The example captures shipped in examples/captures/: each one agrees with tshark on every analysis
 * flag of every frame and on the stream count, shows what its description promises, and the service
 * opens it by id — never by a path from the page.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile, type CaptureAnalysis } from '@engine/capture/analyze';
import { exampleFile, examplesFolder } from '@engine/examples/example-files';
import { createService } from '@engine/service';
import type { CaptureSummary } from '@shared/api-capture';
import { EXAMPLE_CAPTURES } from '@shared/example-captures';
import { ourFlags, tsharkFlags, tsharkStreamCount } from './helpers/tshark-flags';

const repoRoot = resolve(import.meta.dirname, '../..');

/** What each example is for, checked on our analysis (which the first test ties to tshark's). */
const PROMISES: Record<string, (analysis: CaptureAnalysis) => void> = {
  'idle-keepalive-probes': (analysis) => {
    expect(analysis.streams).toHaveLength(1);
    expect(analysis.streams[0]!.keepAlives).toBeGreaterThanOrEqual(2);
    expect(analysis.streams[0]!.keepAliveAcks).toBe(analysis.streams[0]!.keepAlives);
    expect(analysis.streams[0]!.end).toBe('fin');
  },
  'http-idle-gaps': (analysis) => {
    expect(analysis.streams).toHaveLength(1);
    expect(analysis.streams[0]!.httpRequests).toBe(3);
    expect(analysis.streams[0]!.keepAlives).toBeGreaterThanOrEqual(2);
  },
  'http-drained-bodies': (analysis) => {
    expect(analysis.streams).toHaveLength(1);
    expect(analysis.streams[0]!.httpRequests).toBe(10);
  },
  'http-ignored-bodies': (analysis) => {
    expect(analysis.streams).toHaveLength(10);
    expect(analysis.streams.every((stream) => stream.httpRequests === 1)).toBe(true);
  },
  'http-keepalive-off': (analysis) => {
    expect(analysis.streams).toHaveLength(10);
    expect(analysis.streams.every((stream) => stream.httpRequests === 1 && stream.end === 'fin')).toBe(true);
  },
  'rst-close': (analysis) => {
    expect(analysis.streams).toHaveLength(1);
    expect(analysis.streams[0]!.end).toBe('rst');
  },
  'zero-window': (analysis) => {
    expect(ourFlagNames(analysis)).toContain('zero_window');
  },
  'half-open-detected': (analysis) => {
    expect(analysis.streams).toHaveLength(1);
    expect(analysis.streams[0]!.keepAlives).toBe(3);
    expect(analysis.streams[0]!.keepAliveAcks).toBe(0);
    expect(analysis.streams[0]!.end).toBe('rst');
  },
};

function ourFlagNames(analysis: CaptureAnalysis): string[] {
  return [...new Set([...ourFlags(analysis).values()].flat())];
}

describe('example captures', () => {
  it('every listed example has a file and a check, and nothing else is in the folder', () => {
    expect(examplesFolder()).toBe(join(repoRoot, 'examples/captures'));
    // the built engine (out/main) finds the same folder
    expect(examplesFolder(join(repoRoot, 'out/main'))).toBe(join(repoRoot, 'examples/captures'));
    for (const example of EXAMPLE_CAPTURES) {
      expect(existsSync(exampleFile(example.id)), example.id).toBe(true);
      expect(PROMISES[example.id], `a check for ${example.id}`).toBeDefined();
    }
  });

  it.each(EXAMPLE_CAPTURES.map((example) => [example.id] as const))(
    '%s: the same flags per frame and streams as tshark, and what it promises',
    async (id) => {
      const file = exampleFile(id);
      const analysis = await analyzeCaptureFile(file);
      expect(Object.fromEntries(ourFlags(analysis))).toEqual(Object.fromEntries(await tsharkFlags(file)));
      expect(analysis.streams.length).toBe(await tsharkStreamCount(file));
      PROMISES[id]!(analysis);
    },
  );
});

describe('the service opens examples by id', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('opens each example, names it by its file name only, and refuses unknown or path-like ids', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'keepalive-lab-examples-'));
    dirs.push(dataDir);
    const service = createService({ mode: 'web', dataDir });
    try {
      for (const example of EXAMPLE_CAPTURES) {
        const opened = await service.call('capture.openExample', { exampleId: example.id });
        expect(opened.ok, example.id).toBe(true);
        const summary = (opened as { ok: true; value: CaptureSummary }).value;
        expect(summary.path).toBe(`${example.id}.pcap`);
        expect(summary.packets).toBeGreaterThan(0);
      }
      const unknown = await service.call('capture.openExample', { exampleId: 'no-such-example' });
      expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-example' } });
      const pathLike = await service.call('capture.openExample', { exampleId: '../../etc/passwd' });
      expect(pathLike).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    } finally {
      await service.dispose();
    }
  });
});
