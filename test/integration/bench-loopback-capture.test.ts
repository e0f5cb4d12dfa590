/**
 * The bench's loopback capture with the real tcpdump: a small run (20,000 packets) gives a valid
 * pcap that our reader and analyzer read, with many TCP streams, and leaves no tcpdump or
 * workload process behind (checked in the process table by pid).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLoopbackTraffic, makeBenchCapture, type LoopbackCaptureResult } from '../../bench/make-loopback-capture';
import { benchCaptureStages } from '../../bench/capture-stages';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { readCaptureFile } from '@engine/capture/read-capture';
import { processTable, waitUntilGone } from './helpers/process-table';

const PACKETS = 20_000;
/** ms: 20,000 packets take about 1 s here; generous for a busy shared machine */
const CAPTURE_TIMEOUT_MS = 25_000;

describe('bench loopback capture (tcpdump on lo)', () => {
  let dir = '';
  let file = '';
  let result: LoopbackCaptureResult | null = null;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kl-bench-loopback-'));
    file = path.join(dir, 'loopback.pcap');
    result = await captureLoopbackTraffic(file, { packets: PACKETS, timeoutMs: CAPTURE_TIMEOUT_MS });
  }, 40_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('captures the asked-for packets with tcpdump, none dropped', () => {
    // null means tcpdump is missing or cannot capture: .ci/run installs it and runs as root
    expect(result, 'tcpdump could not capture on lo (see stderr)').not.toBeNull();
    expect(result?.source).toBe('tcpdump');
    expect(result?.timedOut).toBe(false);
    expect(result?.packets).toBe(PACKETS);
    expect(result?.droppedByKernel).toBe(0);
  });

  it('writes a valid pcap with every record', async () => {
    let records = 0;
    const summary = await readCaptureFile(file, { onRecord: () => records++ });
    expect(summary.format).toBe('pcap');
    expect(summary.incomplete).toBe(false);
    expect(summary.warnings).toEqual([]);
    expect(records).toBeGreaterThanOrEqual(PACKETS);
    expect(summary.bytes).toBe(result?.bytes);
  });

  it('holds many TCP streams of HTTP keep-alive traffic', async () => {
    const analysis = await analyzeCaptureFile(file);
    expect(analysis.packets).toBeGreaterThanOrEqual(PACKETS);
    expect(analysis.tcpSegments).toBe(analysis.packets);
    expect(analysis.streams.length).toBeGreaterThan(1);
    const requests = analysis.streams.reduce((sum, stream) => sum + stream.httpRequests, 0);
    expect(requests).toBeGreaterThan(PACKETS / 10);
  });

  it("times each stage of the analysis over the same segments the analysis finds (the bench's stage table)", async () => {
    const [analysis, stages] = await Promise.all([analyzeCaptureFile(file), benchCaptureStages(file)]);
    expect(stages.segments).toBe(analysis.tcpSegments);
    expect(stages.stages.map((stage) => stage.stage)).toEqual([
      'read + decode',
      "each packet's stream + Wireshark checks (tcp.analysis flags, relative seq/ack, window)",
      'packet columns',
      'stream summaries (without payload bytes)',
      'HTTP/1, TLS and HTTP/2 readers (with the payloads, minus the line above)',
    ]);
    for (const stage of stages.stages) expect(Number.isFinite(stage.milliseconds), stage.stage).toBe(true);
    expect(stages.totalMilliseconds).toBeCloseTo(
      stages.stages.reduce((sum, stage) => sum + stage.milliseconds, 0),
      6,
    );
    // each stage runs where the two-thread analysis runs it (summary-thread.ts): reading to the checks on the first
    expect(stages.stages.map((stage) => stage.thread)).toEqual([1, 1, 2, 2, 2]);
    expect(stages.firstThreadMilliseconds + stages.secondThreadMilliseconds).toBeCloseTo(stages.totalMilliseconds, 6);
    expect(stages.firstThreadMilliseconds).toBeCloseTo(stages.stages[0]!.milliseconds + stages.stages[1]!.milliseconds, 6);
  });

  it('leaves no tcpdump or workload process behind', async () => {
    expect(result?.pids).toHaveLength(3);
    expect(result?.pids.every((pid) => pid > 0)).toBe(true);
    expect(await waitUntilGone(result?.pids ?? [])).toEqual([]);
  });

  it('falls back to the synthetic writer when tcpdump is missing, leaving no workload behind', async () => {
    const savedPath = process.env.PATH;
    const before = new Set((await processTable()).map((row) => row.pid));
    // an empty PATH hides tcpdump; the workload children are started by absolute path (process.execPath)
    process.env.PATH = dir;
    try {
      const fallback = await makeBenchCapture(path.join(dir, 'fallback.pcap'), 1_000, { synthetic: false, timeoutMs: CAPTURE_TIMEOUT_MS });
      expect(fallback.source).toBe('synthetic');
      expect(fallback.description).toContain('tcpdump unavailable');
      expect(fallback.packets).toBe(1_000);
    } finally {
      process.env.PATH = savedPath;
    }
    const children = (await processTable()).filter((row) => row.ppid === process.pid && !before.has(row.pid));
    expect(await waitUntilGone(children.map((row) => row.pid))).toEqual([]);
  });
});
