/**
 * Full capture analysis against its floor and against tshark, on one file: our analysis
 * (reader → decode → Wireshark-equivalent flags → summaries), a bare walk over the record headers,
 * and `tshark -r F -Y tcp.analysis.keep_alive` when tshark is installed. Each runs in its own
 * process so its peak RSS is its own. Targets (issue 5): ≥ 50× faster than tshark, within 3× of
 * the bare walk, peak RSS < 400 MB on a 3.04 M-packet loopback capture.
 *
 *   node --import tsx bench/capture-analyze.ts [FILE]   (no FILE: a 3.04 M-packet tcpdump capture of
 *                                                     loopback traffic, or a synthetic one where tcpdump cannot run)
 *   node --import tsx bench/capture-analyze.ts --synthetic   (no FILE: always the synthetic capture)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { analyzeCaptureFile, type CaptureAnalysis } from '../src/main/engine/capture/analyze';
import { analysisFromWorker, workerRequest } from '../src/main/engine/capture/analyze-in-worker';
import { benchCaptureRead, type PhaseFigures } from './capture-read';
import type { CaptureStages } from './capture-stages';
import { makeBenchCapture } from './make-loopback-capture';

/**
 * The app's bundled capture worker (`npm run build`): the analysis is timed as the app runs it, in
 * that worker, whose second thread then starts in about 70 ms; from TypeScript source a thread
 * starts in about 300 ms, which would be timed as the analysis's.
 */
const BUNDLED_WORKER = fileURLToPath(new URL('../out/main/capture-worker.js', import.meta.url));

/** The reference capture size, packets. */
const REFERENCE_PACKETS = 3_040_000;
const TSHARK_TIMEOUT_MS = 10 * 60 * 1000;
/** the loopback capture's bound, ms (3.04 M packets took about 61 s here) */
const CAPTURE_TIMEOUT_MS = 180_000;

export interface CaptureAnalyzeFigures {
  file: string;
  /** timed in the app's bundled capture worker (BUNDLED_WORKER), not from source */
  fromBundle: boolean;
  bytes: number;
  packets: number;
  streams: number;
  keepAlives: number;
  /** our full analysis, ms */
  analyzeMilliseconds: number;
  /** CPU time (user + system) of our analysis, ms: steadier than wall time on a shared machine */
  analyzeCpuMilliseconds: number;
  /** peak resident set of the analysis process, MB */
  analyzePeakRssMegabytes: number;
  /** the same analysis with the packet columns and the stream summaries on a second thread (analyze.ts, `threads: 2`) */
  twoThreadsMilliseconds: number;
  twoThreadsCpuMilliseconds: number;
  twoThreadsPeakRssMegabytes: number;
  /** building every stream summary as an object afterwards (the analysis keeps them as columns), ms */
  summaryObjectsMilliseconds: number;
  /** bare walk over record headers (bench/capture-read.ts), ms */
  bareWalkMilliseconds: number;
  bareWalkCpuMilliseconds: number;
  /** tshark -Y tcp.analysis.keep_alive, ms; null when tshark is missing */
  tsharkMilliseconds: number | null;
  /** tshark's CPU time (user + system), ms; null when tshark or GNU time is missing */
  tsharkCpuMilliseconds: number | null;
  tsharkPeakRssMegabytes: number | null;
  /** every phase of bench/capture-read.ts on the same file (bare walk, minimal loop, readers) */
  read: PhaseFigures[];
  /** each stage of the analysis alone (bench/capture-stages.ts), in a process of its own */
  stages: CaptureStages;
}

async function peakRssMegabytes(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : process.memoryUsage().rss / 1024 / 1024;
}

/** Runs the analysis in this process: what the child prints. */
async function analyzeHere(
  file: string,
  threads: 1 | 2 = 1,
): Promise<{
  milliseconds: number;
  cpuMilliseconds: number;
  peak: number;
  packets: number;
  streams: number;
  keepAlives: number;
  summaryObjectsMilliseconds: number;
  keptBytes: number;
}> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const analysis = existsSync(BUNDLED_WORKER)
    ? // execArgv []: the worker would otherwise inherit this process's `--import tsx`, which the app's worker never loads
      await analysisFromWorker(new Worker(BUNDLED_WORKER, { execArgv: [], workerData: workerRequest(file, { threads }) }))
    : await analyzeCaptureFile(file, { threads });
  const milliseconds = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const summaries = analysis.streamSummaries;
  // what a consumer that wants every summary as an object (analyze --json, a report) pays on top
  const objectsStarted = performance.now();
  const objects = analysis.streams.length;
  const summaryObjectsMilliseconds = performance.now() - objectsStarted;
  return {
    milliseconds,
    keptBytes: keptBytes(analysis),
    cpuMilliseconds: (cpu.user + cpu.system) / 1000,
    peak: await peakRssMegabytes(),
    packets: analysis.packets,
    streams: objects,
    keepAlives: summaries.totalKeepAlives(),
    summaryObjectsMilliseconds,
  };
}

/**
 * Bytes the analysis keeps in its typed columns once done: the rows used of the packet table and the
 * evidence table (a column reserved past its rows holds unwritten pages, which are never resident),
 * and every stream-summary column. Not counted: the HTTP start lines (at most 100 000) and the few
 * TLS / HTTP/2 summaries, which do not grow with packets.
 */
export function keptBytes(analysis: Pick<CaptureAnalysis, 'table' | 'evidence' | 'streamSummaries'>): number {
  const used = (holder: object, rows: number, capacity: number): number => {
    let bytes = 0;
    for (const value of Object.values(holder)) {
      if (ArrayBuffer.isView(value)) bytes += capacity === 0 ? 0 : (value.byteLength * rows) / capacity;
    }
    return bytes;
  };
  const { table, evidence, streamSummaries } = analysis;
  return (
    used(table, table.length, table.time.length) + used(evidence, evidence.length, evidence.frame.length) + used(streamSummaries, 1, 1)
  );
}

/** Runs `analyzeHere` in a process of its own (so its peak RSS is its own) and returns what it printed. */
export function analyzeInChild(file: string, threads: 1 | 2 = 1): Awaited<ReturnType<typeof analyzeHere>> {
  const self = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', file, String(threads)], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as Awaited<ReturnType<typeof analyzeHere>>;
}

/** bench/capture-stages.ts on `file` in a process of its own (it keeps every segment in memory). */
function stagesInChild(file: string): CaptureStages {
  const script = fileURLToPath(new URL('./capture-stages.ts', import.meta.url));
  const output = execFileSync(process.execPath, ['--import', 'tsx', script, file], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as CaptureStages;
}

function tshark(file: string): { milliseconds: number; cpuMilliseconds: number; peak: number } | null {
  if (spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status !== 0) return null;
  const started = performance.now();
  // GNU time reports the child's CPU seconds and peak RSS in KB; fall back to no figures when it is missing
  const timed = spawnSync('/usr/bin/time', ['-f', '%U %S %M', 'tshark', '-n', '-r', file, '-Y', 'tcp.analysis.keep_alive'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: TSHARK_TIMEOUT_MS,
  });
  if (timed.error === undefined) {
    const figures = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(timed.stderr.trim());
    const cpuMilliseconds = figures ? (Number(figures[1]) + Number(figures[2])) * 1000 : NaN;
    const kilobytes = Number(figures?.[3] ?? NaN);
    return { milliseconds: performance.now() - started, cpuMilliseconds, peak: Number.isFinite(kilobytes) ? kilobytes / 1024 : NaN };
  }
  const again = performance.now();
  spawnSync('tshark', ['-n', '-r', file, '-Y', 'tcp.analysis.keep_alive'], { stdio: 'ignore', timeout: TSHARK_TIMEOUT_MS });
  return { milliseconds: performance.now() - again, cpuMilliseconds: NaN, peak: NaN };
}

/** Full analysis time and peak RSS, the bare-walk floor, and tshark's time on `file`. */
export async function benchCaptureAnalyze(file: string): Promise<CaptureAnalyzeFigures> {
  const child = analyzeInChild(file);
  const twoThreads = analyzeInChild(file, 2);
  const read = await benchCaptureRead(file);
  const stages = stagesInChild(file);
  const bare = read.find((figures) => figures.phase === 'bare-walk');
  const theirs = tshark(file);
  return {
    file,
    fromBundle: existsSync(BUNDLED_WORKER),
    bytes: statSync(file).size,
    packets: child.packets,
    streams: child.streams,
    keepAlives: child.keepAlives,
    analyzeMilliseconds: child.milliseconds,
    analyzeCpuMilliseconds: child.cpuMilliseconds,
    analyzePeakRssMegabytes: child.peak,
    twoThreadsMilliseconds: twoThreads.milliseconds,
    twoThreadsCpuMilliseconds: twoThreads.cpuMilliseconds,
    twoThreadsPeakRssMegabytes: twoThreads.peak,
    summaryObjectsMilliseconds: child.summaryObjectsMilliseconds,
    bareWalkMilliseconds: bare?.milliseconds ?? NaN,
    bareWalkCpuMilliseconds: bare?.cpuMilliseconds ?? NaN,
    tsharkMilliseconds: theirs?.milliseconds ?? null,
    tsharkCpuMilliseconds: theirs?.cpuMilliseconds ?? null,
    tsharkPeakRssMegabytes: theirs?.peak ?? null,
    read,
    stages,
  };
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    process.stdout.write(`${JSON.stringify(await analyzeHere(argv[1] ?? '', argv[2] === '2' ? 2 : 1))}\n`);
    return;
  }
  const synthetic = argv.includes('--synthetic');
  let file = argv.find((argument) => argument !== '--synthetic');
  let scratch: string | null = null;
  if (file === undefined) {
    scratch = mkdtempSync(path.join(tmpdir(), 'bench-capture-'));
    file = path.join(scratch, 'reference.pcap');
    console.log((await makeBenchCapture(file, REFERENCE_PACKETS, { synthetic, timeoutMs: CAPTURE_TIMEOUT_MS })).description);
  }
  try {
    const figures = await benchCaptureAnalyze(file);
    const ratio = (value: number | null, base: number) => (value === null ? 'n/a' : `${(value / base).toFixed(1)}×`);
    console.log(
      `${figures.file}: ${(figures.bytes / 1e6).toFixed(0)} MB, ${figures.packets} packets, ${figures.streams} streams, ${figures.keepAlives} keep-alives`,
    );
    const milliseconds = (value: number | null) => (value === null ? '     n/a' : value.toFixed(0).padStart(8));
    console.log(
      `analyze     ${milliseconds(figures.analyzeMilliseconds)} ms wall ${milliseconds(figures.analyzeCpuMilliseconds)} ms CPU  peak RSS ${figures.analyzePeakRssMegabytes.toFixed(0)} MB` +
        `  (+${figures.summaryObjectsMilliseconds.toFixed(0)} ms to make all ${figures.streams} stream summaries objects)`,
    );
    console.log(
      `bare walk   ${milliseconds(figures.bareWalkMilliseconds)} ms wall ${milliseconds(figures.bareWalkCpuMilliseconds)} ms CPU` +
        `  (analyze is ${ratio(figures.analyzeMilliseconds, figures.bareWalkMilliseconds)} of it in wall time, ${ratio(figures.analyzeCpuMilliseconds, figures.bareWalkCpuMilliseconds)} in CPU; target ≤ 3×)`,
    );
    console.log(
      `tshark      ${milliseconds(figures.tsharkMilliseconds)} ms wall ${milliseconds(figures.tsharkCpuMilliseconds)} ms CPU  peak RSS ${figures.tsharkPeakRssMegabytes?.toFixed(0) ?? 'n/a'} MB` +
        `  (we are ${ratio(figures.tsharkMilliseconds, figures.analyzeMilliseconds)} faster in wall time, ${ratio(figures.tsharkCpuMilliseconds, figures.analyzeCpuMilliseconds)} in CPU; target ≥ 50×)`,
    );
  } finally {
    if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
