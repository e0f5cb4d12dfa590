/**
 * ProbeStatistics (column-based, allocation-free) against the straightforward list-based model it
 * replaced, on random probe series: every spacing and inferred setting must be the same value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProbeStatistics, type InferredKeepalive, type ProbeSpacing } from '@engine/capture/probe-stats';
import { NONE, PROBE_ANSWERED, ProbeColumns } from '@engine/capture/stream-columns';

interface Probe {
  time: number;
  fromA: boolean;
  answered: boolean;
  idleBefore: number;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

function gapsFrom(probes: Probe[], fromA: boolean, afterUnansweredOnly: boolean): number[] {
  const mine = probes.filter((probe) => probe.fromA === fromA);
  const gaps: number[] = [];
  for (let index = 1; index < mine.length; index++) {
    if (afterUnansweredOnly && mine[index - 1]!.answered) continue;
    gaps.push(mine[index]!.time - mine[index - 1]!.time);
  }
  return gaps;
}

function modelSpacing(probes: Probe[]): ProbeSpacing | null {
  const gaps = [...gapsFrom(probes, true, false), ...gapsFrom(probes, false, false)];
  const middle = median(gaps);
  return middle === null ? null : { min: Math.min(...gaps), median: middle, max: Math.max(...gaps) };
}

function modelInfer(probes: Probe[], probesBeforeReset: number | null): InferredKeepalive | null {
  if (probes.length === 0) return null;
  const fromA = probes.filter((probe) => probe.fromA).length * 2 >= probes.length;
  const mine = probes.filter((probe) => probe.fromA === fromA);
  const answeredGaps = gapsFrom(probes, fromA, false).filter((_, index) => mine[index]?.answered === true);
  // a gap under half a second is no kernel's keepalive timer (Linux and macOS take whole seconds)
  const timer = (seconds: number) => seconds >= 0.5;
  return {
    prober: fromA ? 'a' : 'b',
    idleSeconds: median([mine[0]?.idleBefore ?? 0, ...answeredGaps].filter(timer)),
    intervalSeconds: median(gapsFrom(probes, fromA, true).filter(timer)),
    probesBeforeGiveUp: probesBeforeReset,
  };
}

const probeArbitrary = fc.record({
  time: fc.double({ min: 1_600_000_000, max: 1_800_000_000, noNaN: true }),
  fromA: fc.boolean(),
  answered: fc.boolean(),
  idleBefore: fc.double({ min: -10, max: 10_000, noNaN: true }),
});

describe('ProbeStatistics', () => {
  it('gives the same spacing and inferred settings as the list-based model, for two interleaved streams', () => {
    fc.assert(
      fc.property(fc.array(probeArbitrary, { maxLength: 40 }), fc.array(fc.boolean(), { maxLength: 40 }), (probes, ofFirstStream) => {
        const columns = new ProbeColumns();
        const last = [NONE, NONE];
        const lists: Probe[][] = [[], []];
        probes.forEach((probe, position) => {
          const stream = ofFirstStream[position] === false ? 1 : 0;
          const index = columns.push(probe.time, probe.idleBefore, probe.fromA, last[stream]!);
          if (probe.answered) columns.state[index]! |= PROBE_ANSWERED;
          last[stream] = index;
          lists[stream]!.push(probe);
        });
        const statistics = new ProbeStatistics(columns);
        for (const stream of [0, 1]) {
          expect(statistics.load(last[stream]!)).toBe(lists[stream]!.length);
          expect(statistics.spacing()).toEqual(modelSpacing(lists[stream]!));
          expect(statistics.infer(3)).toEqual(modelInfer(lists[stream]!, 3));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('takes no gap under half a second for a setting: a probe-shaped segment right after traffic is no timer', () => {
    const columns = new ProbeColumns();
    // 357 µs after other traffic (as among repeated FINs), then two answered probes 1.5 s apart
    let last = columns.push(1000, 0.000357, true, NONE);
    columns.state[last]! |= PROBE_ANSWERED;
    last = columns.push(1001.5, 0, true, last);
    columns.state[last]! |= PROBE_ANSWERED;
    const statistics = new ProbeStatistics(columns);
    statistics.load(last);
    expect(statistics.infer(null)).toEqual({ prober: 'a', idleSeconds: 1.5, intervalSeconds: null, probesBeforeGiveUp: null });
    const alone = new ProbeColumns();
    const only = alone.push(1000, 0.000357, true, NONE);
    const single = new ProbeStatistics(alone);
    single.load(only);
    expect(single.infer(null)?.idleSeconds).toBeNull();
  });

  it('answers null for a stream without probes', () => {
    const statistics = new ProbeStatistics(new ProbeColumns());
    expect(statistics.load(NONE)).toBe(0);
    expect(statistics.spacing()).toBeNull();
    expect(statistics.infer(null)).toBeNull();
  });
});
