/**
 * The fuzz run, in-process: a deterministic sweep (every seed cut at every record / block
 * boundary and one byte either side), then fast-check properties over mutated seeds, random
 * bytes, HTTP/1 fragments and IP fragment sequences (fragments.ts). Properties:
 * - nothing but CaptureFormatError escapes the pipeline, and the documented invariants hold;
 * - the outcome does not depend on how the bytes are chunked (the streaming reader's promise);
 * - no case takes longer than CASE_BUDGET_MS (a hang is also caught from outside, see supervisor.ts);
 * - heap + buffers stay under a bound (a memory blow-up is also caught by the worker's heap limit).
 * fast-check shrinks a failing case to a minimal one, which the report carries.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { applyCase, fuzzCaseArbitrary, http1CaseArbitrary, randomCaptureArbitrary } from './mutations';
import { loadSeeds, type Seed } from './seeds';
import { describeFragmentCase, fragmentCapture, fragmentCaseArbitrary } from './fragments';
import { runHttp1, runPipeline, type Http1Segment } from './targets';

/** A small input must finish well within this, ms (issue 9: a hang is > 5 s). */
export const CASE_BUDGET_MS = 5000;
/** Heap plus buffers above this is a memory blow-up, bytes (inputs are ≤ 256 KiB; parsers may buffer ≤ 16 MiB). */
export const MEMORY_LIMIT_BYTES = 512 * 1024 * 1024;

export type FuzzTarget = 'sweep' | 'mutation' | 'random' | 'http1' | 'fragments';

export interface FuzzFailure {
  target: FuzzTarget;
  message: string;
  /** the (shrunk) input, replayable: a FuzzCase, base64 bytes or HTTP/1 segments */
  input: string;
  seed: number;
}

export interface FuzzReport {
  cases: number;
  byTarget: Record<FuzzTarget, number>;
  failures: FuzzFailure[];
  slowestCaseMs: number;
  peakRssBytes: number;
  elapsedMs: number;
}

export interface FuzzOptions {
  /** property cases to run after the sweep (split between the targets) */
  cases: number;
  /** fast-check seed, printed so a failure can be replayed */
  seed: number;
  /** stop starting new cases after this wall-clock time, ms since epoch */
  deadline?: number;
  /** called with a short description before each case (the supervisor's heartbeat) */
  onCase?: (description: string) => void;
  /** skip the boundary sweep (longer runs repeat it uselessly) */
  sweep?: boolean;
  /** seeds are cut at a boundary below this many bytes (default MAX_SEED_BYTES) */
  maxSeedBytes?: number;
  /** the watchdog's own test: make the first case hang or exhaust the heap */
  inject?: 'hang' | 'blow-up';
}

/** A deliberately bad first case, so a test can prove the supervisor catches it (bounded by the supervisor). */
function injectFault(kind: 'hang' | 'blow-up', onCase: (text: string) => void): void {
  onCase(`injected ${kind}`);
  const hoard: number[][] = [];
  // ends when the supervisor terminates the worker (hang) or the heap limit kills it (blow-up)
  for (;;) if (kind === 'blow-up') hoard.push(new Array<number>(8_000).fill(hoard.length + 0.5));
}

export function describeBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function describeSegments(segments: readonly Http1Segment[]): string {
  return JSON.stringify(segments.map((segment) => ({ ...segment, payload: describeBytes(segment.payload) })));
}

class Budget {
  slowestCaseMs = 0;
  peakRssBytes = 0;
  private counted = 0;

  /** Runs `body`, then fails the case when it was too slow or memory grew past the bound. */
  timed<T>(body: () => T): T {
    const started = performance.now();
    const result = body();
    const elapsed = performance.now() - started;
    this.slowestCaseMs = Math.max(this.slowestCaseMs, elapsed);
    if (elapsed > CASE_BUDGET_MS) throw new Error(`hang: case took ${Math.round(elapsed)} ms (budget ${CASE_BUDGET_MS} ms)`);
    // every 64th case is enough to catch growth. This isolate's heap plus its buffers, not the process RSS:
    // RSS also counts the supervisor and the allocator's retained pages of earlier rounds' workers
    if (++this.counted % 64 === 0) {
      const usage = process.memoryUsage();
      const used = usage.heapUsed + usage.external;
      this.peakRssBytes = Math.max(this.peakRssBytes, usage.rss);
      if (used > MEMORY_LIMIT_BYTES)
        throw new Error(`memory blow-up: heap + buffers ${Math.round(used / 2 ** 20)} MiB above ${MEMORY_LIMIT_BYTES / 2 ** 20} MiB`);
    }
    return result;
  }
}

/** Runs the whole fuzz set; never throws for a failing case (it is reported), only for a missing corpus. */
export function runFuzz(options: FuzzOptions): FuzzReport {
  const started = Date.now();
  const deadline = options.deadline ?? Infinity;
  const onCase = options.onCase ?? (() => undefined);
  const seeds = loadSeeds(options.maxSeedBytes);
  const budget = new Budget();
  const report: FuzzReport = {
    cases: 0,
    byTarget: { sweep: 0, mutation: 0, random: 0, http1: 0, fragments: 0 },
    failures: [],
    slowestCaseMs: 0,
    peakRssBytes: 0,
    elapsedMs: 0,
  };

  if (options.inject) injectFault(options.inject, onCase);
  if (options.sweep ?? true) sweep(seeds, budget, report, onCase, deadline);

  const share = Math.max(1, Math.floor(options.cases / 10));
  /** Checks one property until `runs` cases pass or the deadline; a failure (shrunk) goes to the report. */
  const checkTarget = <T>(
    target: FuzzTarget,
    runs: number,
    arbitrary: fc.Arbitrary<T>,
    describe: (value: T) => string,
    body: (value: T) => void,
  ): void => {
    if (Date.now() >= deadline) return;
    const details = fc.check(
      fc.property(arbitrary, (value) => {
        report.cases += 1;
        report.byTarget[target] += 1;
        onCase(`${target} ${describe(value)}`);
        budget.timed(() => body(value));
      }),
      {
        numRuns: runs,
        seed: options.seed,
        // fast-check checks the time limit between runs
        interruptAfterTimeLimit: Number.isFinite(deadline) ? Math.max(1, deadline - Date.now()) : undefined,
        markInterruptAsFailure: false,
      },
    );
    if (details.failed) {
      const example = details.counterexample?.[0];
      const message = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? 'failed');
      report.failures.push({ target, message, input: example === undefined ? '' : describe(example), seed: options.seed });
    }
  };

  checkTarget(
    'mutation',
    share * 5,
    fuzzCaseArbitrary(seeds.length),
    (fuzzCase) => JSON.stringify(fuzzCase),
    (fuzzCase) => {
      const bytes = applyCase(seeds, fuzzCase);
      const whole = runPipeline(bytes);
      const chunked = runPipeline(bytes, fuzzCase.chunks);
      if (!isDeepStrictEqual(whole, chunked))
        throw new Error(`chunking changed the outcome: ${JSON.stringify(whole)} vs ${JSON.stringify(chunked)}`);
    },
  );
  checkTarget('random', share * 2, randomCaptureArbitrary, describeBytes, (bytes) => void runPipeline(bytes, [7, 1, 300]));
  checkTarget('http1', share * 2, http1CaseArbitrary, describeSegments, (segments) => void runHttp1(segments));
  checkTarget(
    'fragments',
    share,
    fragmentCaseArbitrary,
    describeFragmentCase,
    (fuzzCase) => void runPipeline(fragmentCapture(fuzzCase), [7, 1, 300]),
  );
  report.slowestCaseMs = budget.slowestCaseMs;
  report.peakRssBytes = budget.peakRssBytes;
  report.elapsedMs = Date.now() - started;
  return report;
}

/** Every seed cut at every boundary and one byte either side, each read whole and in 1 000-byte chunks. */
function sweep(seeds: readonly Seed[], budget: Budget, report: FuzzReport, onCase: (text: string) => void, deadline: number): void {
  for (const seed of seeds) {
    const cuts = new Set<number>();
    for (const boundary of seed.boundaries) for (const delta of [-1, 0, 1]) cuts.add(boundary.offset + delta);
    for (const cut of cuts) {
      if (cut < 0 || cut > seed.bytes.length) continue;
      if (Date.now() >= deadline) return;
      onCase(`sweep ${seed.name} cut at ${cut}`);
      report.cases += 1;
      report.byTarget.sweep += 1;
      const bytes = seed.bytes.subarray(0, cut);
      try {
        budget.timed(() => {
          const whole = runPipeline(bytes);
          const chunked = runPipeline(bytes, [1000]);
          if (!isDeepStrictEqual(whole, chunked))
            throw new Error(`chunking changed the outcome: ${JSON.stringify(whole)} vs ${JSON.stringify(chunked)}`);
        });
      } catch (error) {
        report.failures.push({
          target: 'sweep',
          message: `${seed.name} cut at ${cut}: ${String(error)}`,
          input: describeBytes(bytes),
          seed: 0,
        });
      }
    }
  }
}
