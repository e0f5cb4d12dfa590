/**
 * The reason behind every flag of every flagged packet in the public corpus carries the values its
 * learner-facing explanation needs: filling the explanation template (src/shared/explain.ts) with
 * the reason's values and the packet's own fields leaves no "?" — and each value the sentence
 * names is the number the sentence shows.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptureFile, type CaptureAnalysis } from '@engine/capture/analyze';
import { analysisFlagNames } from '@engine/capture/tcp-flags';
import { explainEvidence, explainPacket } from '@engine/capture/tcp-reasons';
import { packetInfo } from '@engine/capture/packet-info';
import { explainKindForFlag, renderExplanation } from '@shared/explain';

const CORPUS = path.resolve(__dirname, '../../../shared/captures/public');
const captures = readdirSync(CORPUS).filter((name) => /\.(pcap|pcapng|cap)$/.test(name));

interface FlaggedPacket {
  name: string;
  analysis: CaptureAnalysis;
  /** the packet's row in the table (frame − 1) */
  index: number;
  /** its ANALYSIS_* bits */
  bits: number;
}

/** Every flagged packet of every corpus capture the analysis reads, in file order. */
async function flaggedPackets(): Promise<FlaggedPacket[]> {
  const packets: FlaggedPacket[] = [];
  for (const name of captures) {
    const analysis = await analyzeCaptureFile(path.join(CORPUS, name)).catch(() => null);
    if (analysis === null) continue;
    for (let index = 0; index < analysis.table.length; index++) {
      const bits = analysis.table.analysis[index] ?? 0;
      if (bits !== 0) packets.push({ name, analysis, index, bits });
    }
  }
  return packets;
}

describe('reason values fill the explanations', () => {
  it('leave no placeholder unfilled on any flagged packet of the corpus', async () => {
    const missing = new Map<string, string>();
    let explained = 0;
    for (const { name, analysis, index, bits } of await flaggedPackets()) {
      const table = analysis.table;
      const evidence = analysis.evidence.at(index + 1);
      expect(evidence, `${name} frame ${index + 1} has flags but no evidence`).not.toBeNull();
      const reasons = explainEvidence(evidence!);
      for (const flag of analysisFlagNames(bits)) {
        const reason = reasons.find((candidate) => candidate.flag === flag);
        expect(reason, `${name} frame ${index + 1}: no reason for ${flag}`).toBeDefined();
        for (const [field, value] of Object.entries(reason!.values)) {
          if (reason!.text.includes(String(value))) continue;
          // a value the sentence does not print must be one it states in words (payload 0, window 0)
          expect(value, `${name} frame ${index + 1} ${flag}: ${field} ${value} not in "${reason!.text}"`).toBe(0);
        }
        const kind = explainKindForFlag(flag);
        if (kind === null) continue;
        const rendered = renderExplanation(kind, {
          payload: table.payload[index] ?? 0,
          frame: index + 1,
          stream: table.stream[index] ?? null,
          ...reason!.values,
        });
        for (const field of rendered.missing) missing.set(`${flag}:${field}`, `${name} frame ${index + 1}`);
        explained += 1;
      }
    }
    expect(explained).toBeGreaterThan(1000);
    expect(Object.fromEntries(missing)).toEqual({});
  }, 120_000);

  it('name the numbers the packet list shows: Seq and Ack relative to each side, as in the Info column', async () => {
    let probes = 0;
    let acks = 0;
    for (const { name, analysis, index } of await flaggedPackets()) {
      const table = analysis.table;
      const reasons = explainPacket(table, index, analysis.evidence.at(index + 1)!);
      const { info } = packetInfo(analysis, index);
      const probe = reasons.find((reason) => reason.flag === 'keep_alive');
      if (probe !== undefined) {
        const seq = table.relativeSeq[index]!;
        expect(probe.values.seq, `${name} frame ${index + 1}`).toBe(seq);
        expect(probe.values.nextExpected, `${name} frame ${index + 1}`).toBe((seq + 1) >>> 0);
        expect(info, `${name} frame ${index + 1}`).toContain(`Seq=${seq} `);
        expect(probe.text).toContain(`seq ${seq} = next expected ${(seq + 1) >>> 0} − 1`);
        probes += 1;
      }
      const ack = reasons.find((reason) => reason.flag === 'keep_alive_ack' || reason.flag === 'duplicate_ack');
      if (ack !== undefined && info.includes(' Ack=')) {
        expect(info, `${name} frame ${index + 1}`).toContain(`Ack=${ack.values.ack} `);
        acks += 1;
      }
    }
    expect(probes).toBeGreaterThan(100);
    expect(acks).toBeGreaterThan(100);
  }, 120_000);
});
