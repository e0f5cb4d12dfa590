/**
 * The bounded CI fuzz run (issue 9): the boundary sweep over every public capture plus 10,000
 * fast-check cases (mutated seeds, random bytes, HTTP/1 fragments), in a supervised worker that
 * turns a > 5 s case or a heap blow-up into a failure. Longer runs: `npm run fuzz -- --minutes N`.
 */
import { describe, expect, it } from 'vitest';
import { runFuzzSupervised } from '../fuzz/supervisor';

/** fixed so a CI failure replays; `npm run fuzz` picks a new seed per round */
const CI_SEED = 20261125;
const CI_PROPERTY_CASES = 10_000;
/** ms: the run takes ~20–40 s on 2 busy cores; stop starting cases well before vitest's timeout */
const CI_BUDGET_MS = 150_000;

describe('parser fuzzing (bounded)', () => {
  it(
    'runs at least 10,000 cases over pcap, pcapng, link/IP/TCP decoding and HTTP/1 with zero failures',
    async () => {
      const report = await runFuzzSupervised({ cases: CI_PROPERTY_CASES, seed: CI_SEED, deadline: Date.now() + CI_BUDGET_MS });
      console.log(
        `fuzz: ${report.cases} cases (${JSON.stringify(report.byTarget)}) in ${report.elapsedMs} ms, slowest case ${Math.round(report.slowestCaseMs)} ms, peak RSS ${Math.round(report.peakRssBytes / 2 ** 20)} MiB, seed ${CI_SEED}`,
      );
      expect(report.failures).toEqual([]);
      expect(report.cases).toBeGreaterThanOrEqual(10_000);
      expect(report.byTarget.mutation + report.byTarget.random + report.byTarget.http1 + report.byTarget.fragments).toBe(CI_PROPERTY_CASES);
      expect(report.byTarget.fragments).toBeGreaterThan(0);
      expect(report.slowestCaseMs).toBeLessThan(5000);
    },
    CI_BUDGET_MS + 60_000,
  );
});

describe('the fuzz watchdog', () => {
  it.each(['hang', 'blow-up'] as const)(
    'reports an injected %s as a failure naming the case, instead of stalling CI',
    async (inject) => {
      // a small heap (MiB) so the injected blow-up hits the limit in well under the 5 s hang budget
      const report = await runFuzzSupervised({ cases: 10, seed: CI_SEED, inject }, 96);
      expect(report.failures).toHaveLength(1);
      expect(report.failures[0]?.message).toMatch(inject === 'hang' ? /hang: case 1 still running after 5000 ms/ : /memory blow-up/);
      expect(report.failures[0]?.input).toBe(`injected ${inject}`);
    },
    60_000,
  );
});
