/**
 * The probe model on timer reads as `ss` gives them (the integration test checks it against tcpdump):
 * a firing that only re-armed for the rest of the idle time is no probe, and unanswered probes
 * follow one another an interval apart while answered ones wait the idle time again.
 */
import { describe, expect, it } from 'vitest';
import { ProbeInference } from '@engine/lab/probe-inference';

/** Feeds reads every 200 ms of a timer whose expiries (ms since setup) and unanswered counts are given. */
function feed(
  inference: ProbeInference,
  expiries: Array<{ untilMs: number; expiresAtMs: number; probesOut?: number }>,
  endMs: number,
): number[] {
  for (let atMs = 0; atMs <= endMs; atMs += 200) {
    const armed = expiries.find((expiry) => atMs < expiry.untilMs) ?? expiries.at(-1)!;
    inference.read(atMs, armed.expiresAtMs - atMs, armed.probesOut ?? 0);
  }
  return inference.probesAtMs;
}

describe('ProbeInference', () => {
  it('idle 3 s: a firing at 2.99 s that re-armed for 10 ms is no probe; the one at 3.0 s that re-armed for the interval is', () => {
    const probes = feed(
      new ProbeInference(3000, 1000),
      [
        { untilMs: 2990, expiresAtMs: 2990 },
        { untilMs: 3100, expiresAtMs: 3000 }, // re-armed for the rest of the idle time; ran late (timer wheel)
        { untilMs: 4100, expiresAtMs: 4100 }, // probe at 3.1 s: re-armed for 1 s, found the ACK at 4.1 s and re-armed for 2 s
        { untilMs: 6100, expiresAtMs: 6100 },
        { untilMs: 9000, expiresAtMs: 7100 },
      ],
      6900,
    );
    expect(probes).toEqual([3100, 6100]);
  });

  it('unanswered probes come an interval apart', () => {
    const probes = feed(
      new ProbeInference(1000, 1000),
      [
        { untilMs: 1000, expiresAtMs: 1000 },
        { untilMs: 2000, expiresAtMs: 2000, probesOut: 1 },
        { untilMs: 3000, expiresAtMs: 3000, probesOut: 2 },
        { untilMs: 9000, expiresAtMs: 4000, probesOut: 3 },
      ],
      3900,
    );
    expect(probes).toEqual([1000, 2000, 3000]);
  });
});
