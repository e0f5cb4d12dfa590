/**
 * `npm run fuzz -- --minutes N [--seed S] [--seed-bytes B]`: fuzzes the capture parsers and the HTTP/1 boundary finder
 * for N minutes (default 1), in rounds of ROUND_CASES cases with a new fast-check seed each round, in
 * a supervised worker (hangs > 5 s and heap blow-ups are caught). Failing inputs are written to
 * --out (default $TMPDIR/keepalive-lab-fuzz-failures; shrunk by fast-check) and the exit code is 1.
 * The boundary sweep runs once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FuzzFailure } from './harness';
import { runFuzzSupervised } from './supervisor';

/** property cases per round (one worker each), so a hang costs one round, not the run */
const ROUND_CASES = 20_000;
/** most rounds, whatever --minutes says: every loop is bounded in count as well as time */
const MAX_ROUNDS = 10_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '1' },
      seed: { type: 'string' },
      'seed-bytes': { type: 'string' },
      out: { type: 'string', default: path.join(tmpdir(), 'keepalive-lab-fuzz-failures') },
    },
  });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('--minutes must be a positive number');
  const deadline = Date.now() + minutes * 60_000;
  let seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
  let cases = 0;
  const failures: FuzzFailure[] = [];
  for (let round = 0; round < MAX_ROUNDS && Date.now() < deadline; round++, seed++) {
    const maxSeedBytes = values['seed-bytes'] !== undefined ? Number(values['seed-bytes']) : undefined;
    const report = await runFuzzSupervised({
      cases: ROUND_CASES,
      seed,
      deadline,
      sweep: round === 0,
      ...(maxSeedBytes ? { maxSeedBytes } : {}),
    });
    cases += report.cases;
    failures.push(...report.failures);
    const rssMiB = Math.round(report.peakRssBytes / 2 ** 20);
    process.stdout.write(
      `round ${round + 1} seed ${seed}: ${report.cases} cases (${JSON.stringify(report.byTarget)}), ${report.failures.length} failures, slowest ${Math.round(report.slowestCaseMs)} ms, peak RSS ${rssMiB} MiB\n`,
    );
  }
  process.stdout.write(`fuzz: ${cases} cases in ${minutes} min, ${failures.length} failures\n`);
  if (failures.length === 0) return 0;
  mkdirSync(values.out, { recursive: true });
  failures.forEach((failure, index) => {
    const file = path.join(values.out, `failure-${index + 1}-${failure.target}.json`);
    writeFileSync(file, `${JSON.stringify(failure, null, 2)}\n`);
    process.stdout.write(`  ${failure.target}: ${failure.message.split('\n')[0]} → ${file}\n`);
  });
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
