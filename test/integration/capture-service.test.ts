/**
 * The capture handlers behind the contract: open (in-process and in a worker thread), packet pages
 * with reasons, timeline bins, cancel, and expected failures as ServiceError codes.
 */
import path from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '@shared/api';
import { captureMethods } from '@shared/api-capture';
import { analyzeCaptureFile, listAnnotations } from '@engine/capture/analyze';
import { analyzeCaptureInWorker } from '@engine/capture/analyze-in-worker';
import { packetInfo } from '@engine/capture/packet-info';
import { createCaptureHandlers } from '@engine/services/capture';
import { ServiceError, type ServiceContext } from '@engine/services/context';
import { SessionLog } from '@engine/session-log';
import { Budget } from '@engine/jobs';

const CORPUS = path.resolve(__dirname, '../../../shared/captures/public');
const scratch = mkdtempSync(path.join(tmpdir(), 'capture-service-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function context(events: EngineEvent[]): ServiceContext {
  const controllers = new Map<string, AbortController>();
  let next = 0;
  return {
    emit: (event) => events.push(event),
    mode: 'cli',
    sessions: new SessionLog(),
    onDispose: () => undefined,
    dataDir: scratch,
    jobs: {
      start(jobId) {
        const id = jobId ?? `job-${next++}`;
        const controller = new AbortController();
        controllers.set(id, controller);
        return { jobId: id, signal: controller.signal, done: () => controllers.delete(id) };
      },
      cancel: (jobId) => {
        controllers.get(jobId)?.abort();
        return controllers.has(jobId);
      },
      cancelAll: () => controllers.forEach((controller) => controller.abort()),
      settled: () => Promise.resolve(),
    },
    listenerBudget: new Budget('listeners', 1, 'stop one'),
  };
}

describe('capture service', () => {
  it('opens a capture, pages packets with reasons and bins the timeline, all matching the contract', async () => {
    const events: EngineEvent[] = [];
    const handlers = createCaptureHandlers(context(events));
    const summary = captureMethods['capture.open'].result.parse(
      await handlers['capture.open']({ path: path.join(CORPUS, 'ndpi__avast.pcap'), jobId: 'open-1' }),
    );
    expect(summary.packets).toBe(142);
    expect(summary.flagCounts['keep_alive']).toBe(35);
    expect(events.some((event) => event.kind === 'job-progressed' && event.jobId === 'open-1')).toBe(true);

    const page = captureMethods['capture.packets'].result.parse(
      await handlers['capture.packets']({ captureId: summary.captureId, fromFrame: 1, count: 20, filter: { flaggedOnly: true } }),
    );
    const probe = page.rows.find((row) => row.flags.includes('keep_alive'));
    expect(probe?.frame).toBe(8);
    expect(probe?.reasons[0]?.text).toMatch(/^seq \d+ = next expected \d+ − 1, payload [01], no SYN\/FIN\/RST$/);

    // the flagged packets in columns, paged: the same frames and flags as the analysis, across pages
    const expected = listAnnotations(await analyzeCaptureFile(path.join(CORPUS, 'ndpi__avast.pcap')));
    const flagged: Array<{ frame: number; flags: string[]; stream: number }> = [];
    let fromFrame: number | null = 1;
    for (let call = 0; fromFrame !== null && call < 100; call++) {
      const columns = captureMethods['capture.flagged'].result.parse(
        await handlers['capture.flagged']({ captureId: summary.captureId, fromFrame, count: 7 }),
      );
      expect(columns.frames.length).toBeLessThanOrEqual(7);
      columns.frames.forEach((frame, row) =>
        flagged.push({ frame, flags: columns.flagSets[columns.flagSet[row] ?? -1] ?? [], stream: columns.streams[row] ?? -2 }),
      );
      fromFrame = columns.nextFrame;
    }
    expect(flagged).toEqual(expected.map(({ frame, flags, stream }) => ({ frame, flags, stream })));
    expect(flagged.filter((row) => row.flags.includes('keep_alive')).length).toBe(35);

    const { bins } = captureMethods['capture.bins'].result.parse(
      await handlers['capture.bins']({ captureId: summary.captureId, from: 0, to: summary.duration + 1, bins: 10 }),
    );
    expect(bins.reduce((sum, bin) => sum + bin.packets, 0)).toBe(142);
    expect(bins.reduce((sum, bin) => sum + bin.keepAlives, 0)).toBe(35);
    expect(await handlers['capture.close']({ captureId: summary.captureId })).toEqual({ closed: true });
    await expect(handlers['capture.streams']({ captureId: summary.captureId })).rejects.toMatchObject({ code: 'unknown-capture' });
  });

  it('a non-capture and a missing file are ServiceErrors with stable codes', async () => {
    const handlers = createCaptureHandlers(context([]));
    const text = path.join(scratch, 'notes.txt');
    writeFileSync(text, 'plain text, no capture here');
    await expect(handlers['capture.open']({ path: text })).rejects.toBeInstanceOf(ServiceError);
    await expect(handlers['capture.open']({ path: text })).rejects.toMatchObject({ code: 'not-a-capture' });
    await expect(handlers['capture.open']({ path: path.join(scratch, 'missing.pcap') })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('the worker thread gives the same analysis as the calling thread', async () => {
    const file = path.join(CORPUS, 'ndpi__ocsp.pcapng');
    const [here, there] = await Promise.all([analyzeCaptureFile(file), analyzeCaptureInWorker(file)]);
    expect(there.streams).toEqual(here.streams);
    expect(Array.from(there.table.analysis.subarray(0, there.table.length))).toEqual(
      Array.from(here.table.analysis.subarray(0, here.table.length)),
    );
    expect(there.evidence.at(8)).toEqual(here.evidence.at(8));
    // the Info column's fields and HTTP start lines cross the thread too
    const infos = (analysis: typeof here) => Array.from({ length: analysis.table.length }, (_, index) => packetInfo(analysis, index).info);
    expect(infos(there)).toEqual(infos(here));
    expect(there.timeGroups).toEqual(here.timeGroups);
  });

  it('a cancelled worker analysis rejects with the abort reason', async () => {
    const controller = new AbortController();
    const running = analyzeCaptureInWorker(path.join(CORPUS, 'zeek__echo-connections.pcap'), {
      signal: controller.signal,
      chunkBytes: 64 * 1024,
    });
    controller.abort(new Error('stop'));
    await expect(running).rejects.toThrow(/stop|cancelled/);
  });
});
