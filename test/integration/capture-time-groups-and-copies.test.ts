/**
 * `ndpi__1kxun.pcap` as a learner opens it: 1032 packets from 2016 and 691 from 2022 in one file,
 * captured on "-i any" (111 packets recorded twice). The analysis names the two time groups in a
 * hint, and no inferred keepalive setting comes from the copies (before: "every 47 µs", "idle 54.1 µs").
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { captureSummary } from '@engine/capture/capture-summary';

const CORPUS = path.resolve(__dirname, '../../../shared/captures/public');
/** shorter than any keepalive setting a kernel accepts (1 s), longer than an "-i any" copy's delay (µs) */
const SHORTEST_REAL_SETTING_S = 0.5;

describe('a merged capture taken on "-i any" (ndpi__1kxun.pcap)', () => {
  it('names its two time groups and fits the duration to the busiest', async () => {
    const analysis = await analyzeCaptureFile(path.join(CORPUS, 'ndpi__1kxun.pcap'));
    expect(analysis.timeGroups.map(({ packets, firstFrame, lastFrame }) => ({ packets, firstFrame, lastFrame }))).toEqual([
      { packets: 1032, firstFrame: 1, lastFrame: 1032 },
      { packets: 691, firstFrame: 1033, lastFrame: 1723 },
    ]);
    const hint = analysis.hints.find((candidate) => candidate.code === 'time-gap');
    expect(hint?.message).toMatch(/2 groups 5\.8 years apart: frames 1–1,032 \(1,032 packets on 2016-08-02/);
    const summary = captureSummary('x', 'ndpi__1kxun.pcap', analysis);
    expect(summary.timeGroups).toHaveLength(2);
    // each group spans minutes, not the 51189 h between them
    for (const group of summary.timeGroups ?? []) expect(group.endS - group.startS).toBeLessThan(600);
  });

  it('infers keepalive settings from real probes only, and counts the copies it left out', async () => {
    const analysis = await analyzeCaptureFile(path.join(CORPUS, 'ndpi__1kxun.pcap'));
    const probing = analysis.streams.filter((stream) => stream.keepAlives > 0);
    // tshark's counts stand: every copy of a probe is still counted as tshark flags it
    expect(probing.reduce((sum, stream) => sum + stream.keepAlives, 0)).toBe(20);
    expect(probing.reduce((sum, stream) => sum + stream.duplicateProbesIgnored, 0)).toBeGreaterThan(0);
    for (const stream of probing) {
      const { idleSeconds, intervalSeconds } = stream.keepalive ?? { idleSeconds: null, intervalSeconds: null };
      if (idleSeconds !== null) expect(idleSeconds, `stream ${stream.stream} idle`).toBeGreaterThan(SHORTEST_REAL_SETTING_S);
      if (intervalSeconds !== null) expect(intervalSeconds, `stream ${stream.stream} interval`).toBeGreaterThan(SHORTEST_REAL_SETTING_S);
      if (stream.probeSpacing) expect(stream.probeSpacing.min, `stream ${stream.stream} spacing`).toBeGreaterThan(SHORTEST_REAL_SETTING_S);
    }
    expect(analysis.hints.find((hint) => hint.code === 'duplicates')?.message).toMatch(/leave the copies out/);
  });
});
