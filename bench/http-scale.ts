/**
 * `npm run bench -- --only http` (scale part): the HTTP lab with everything a learner
 * sees switched on (trace, lsof-style count with its kernel cross-check, the embedded
 * server's own record) against a bare Node loop doing the same requests (plain `http`
 * server, http.Agent keepAlive or an undici Agent, CONCURRENCY in flight, steady),
 * at 10,000 and 100,000 requests. Each run is a process of its own
 * (bench/http-scale-child.ts), so its peak RSS is its own; bare and lab alternate,
 * and each row keeps the fastest of a few runs (the machine is shared).
 * Run alone: `node --import tsx bench/http-scale.ts`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildFigures } from './http-scale-child';

export const SCALE_REQUESTS = [10_000, 100_000] as const;
export const CONCURRENCY = 16;
/** ms one child may take before it counts as failed (100,000 requests took ~25 s on a loaded 2-core machine) */
const CHILD_BUDGET_MS = 180_000;
/** the goal (issue #15): the lab within this many times the bare loop's wall time */
export const GOAL_RATIO = 2;

const CHILD = fileURLToPath(new URL('./http-scale-child.ts', import.meta.url));

export interface ScaleRow {
  client: 'agent' | 'undici';
  requests: number;
  bare: ChildFigures;
  lab: ChildFigures;
}

function runChild(mode: 'bare' | 'lab', client: 'agent' | 'undici', requests: number): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CHILD, mode, client, String(requests), String(CONCURRENCY)],
      { timeout: CHILD_BUDGET_MS, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${mode} ${client} ${requests}: ${error.message} ${stderr}`));
        if (/MaxListenersExceeded/.test(stderr)) return reject(new Error(`${mode} ${client} ${requests}: ${stderr.trim()}`));
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ChildFigures);
      },
    );
  });
}

const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function formatScale(rows: ScaleRow[]): string {
  const header =
    '| client | requests | bare ms | lab ms | lab ÷ bare (wall) | lab ÷ bare (CPU) | bare peak RSS MiB | lab peak RSS MiB | lab KiB/request over bare | server saw | most open (lsof-style) |';
  const lines = rows.map(({ client, requests, bare, lab }) =>
    [
      client,
      fmt(requests),
      fmt(bare.ms),
      fmt(lab.ms),
      `${fmt(lab.ms / bare.ms, 2)}×`,
      `${fmt(lab.cpuMs / bare.cpuMs, 2)}×`,
      fmt(bare.peakRssMiB),
      fmt(lab.peakRssMiB),
      fmt(((lab.peakRssMiB - bare.peakRssMiB) * 1024) / requests, 2),
      `${fmt(lab.served ?? 0)} of ${fmt(lab.ok)} ok`,
      String(lab.maxOpen ?? '–'),
    ].join(' | '),
  );
  const worst = Math.max(...rows.map((row) => row.lab.ms / row.bare.ms));
  return [
    `HTTP lab at scale: ${CONCURRENCY} in flight, steady, drained 1 KiB bodies; lab = trace + lsof-style count + server record`,
    'each figure: the fastest of 3 runs (10,000) or 2 runs (100,000), bare and lab alternating; CPU = user + system of the whole process',
    header,
    `|${' --- |'.repeat(11)}`,
    ...lines.map((line) => `| ${line} |`),
    '',
    `worst lab ÷ bare (wall): ${fmt(worst, 2)}× (goal ≤ ${GOAL_RATIO}×)`,
    'The lab keeps, per request, its result row, two trace events and the server’s record: the run returns all of them.',
  ].join('\n');
}

/**
 * Runs of each kind per row, alternating bare and lab; the row keeps each kind's
 * fastest run (wall and CPU taken from it) and its highest peak RSS. On a shared
 * 2-core machine one run's wall time varied 2–3× with the neighbours' load.
 */
const REPEATS: Record<number, number> = { 10_000: 3, 100_000: 2 };

function fastest(runs: ChildFigures[]): ChildFigures {
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...best, cpuMs: Math.min(...runs.map((run) => run.cpuMs)), peakRssMiB: Math.max(...runs.map((run) => run.peakRssMiB)) };
}

export async function benchHttpScale(requestCounts: readonly number[] = SCALE_REQUESTS): Promise<{ rows: ScaleRow[]; text: string }> {
  const rows: ScaleRow[] = [];
  for (const requests of requestCounts) {
    for (const client of ['agent', 'undici'] as const) {
      const bare: ChildFigures[] = [];
      const lab: ChildFigures[] = [];
      for (let repeat = 0; repeat < (REPEATS[requests] ?? 1); repeat += 1) {
        bare.push(await runChild('bare', client, requests));
        lab.push(await runChild('lab', client, requests));
      }
      rows.push({ client, requests, bare: fastest(bare), lab: fastest(lab) });
    }
  }
  return { rows, text: formatScale(rows) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${(await benchHttpScale()).text}\n`);
}
