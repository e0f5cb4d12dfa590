/**
 * `keepalive-lab http [FLAGS A] --compare "FLAGS B"`: two runs of the lab, one after the other (so
 * they do not share the CPU), set side by side in the words of the app's Compare view
 * (src/shared/compare-runs.ts): HTTP/1.1 against HTTP/1.1, HTTP/2 against HTTP/2, or one of each,
 * each side said in its own protocol's words. Either side may be `--protocol h2`.
 */
import type { HttpRunResult } from '@shared/api-http';
import type { Http2RunResult } from '@shared/api-http2';
import { compareRuns, differenceSentences, runTotals, type CompareLine, type ComparedRun } from '@shared/compare-runs';
import { runFigures } from '@shared/run-figures';
import { captureFlag } from '../capture-flag';
import { withEngine, type CliEngine } from '../engine';
import { CliError, type CliIo } from '../io';
import { writeJson } from '../json-out';
import { writeReportFlag } from '../report-flag';
import { configFromFlags, progressOnStderr, toCliJson } from './http';
import { http2ConfigFromFlags, protocolFlag, toHttp2CliJson } from './http2';

/** What one side of the comparison runs: the protocol and the contract method's input, from the side's flags. */
interface Plan {
  flags: string[];
  protocol: ComparedRun['protocol'];
  input: Record<string, unknown>;
}

/** `--json` and `--report FILE [--force]`: given with run A's flags, they cover the comparison. */
interface Outputs {
  json: boolean;
  report: { report?: string; force?: boolean };
}

/** The flags that set the run, without `--json` and `--report FILE [--force]` (they cover the comparison). */
function runFlagsOf(flags: string[]): string[] {
  return flags.filter((arg, index) => {
    if (arg === '--json' || arg === '--force' || arg === '--report' || arg.startsWith('--report=')) return false;
    return flags[index - 1] !== '--report';
  });
}

/** One side's flags as a run plan; the flags that act on one run only are refused with the reason. */
function planOf(side: 'A' | 'B', flags: string[]): { plan: Plan; outputs: Outputs } {
  const { protocol, rest } = protocolFlag(flags);
  if (side === 'B')
    for (const flag of ['--json', '--report', '--force', '--help'])
      if (rest.some((arg) => arg === flag || arg.startsWith(`${flag}=`)))
        throw new CliError(`${flag} goes outside the quotes of --compare${flag === '--help' ? '' : ': it covers both runs'}`);
  if (protocol === 'h2') {
    const { input, json, report } = http2ConfigFromFlags(rest);
    return { plan: { flags: runFlagsOf(flags), protocol: 'http2', input }, outputs: { json, report } };
  }
  const capture = captureFlag(rest);
  if (capture.enabled) throw new CliError(`--capture works on one run: run ${side} alone with it (without --compare)`);
  const { input, json, report, har } = configFromFlags(capture.rest);
  if (har.har !== undefined) throw new CliError(`--har works on one run: run ${side} alone with it (without --compare)`);
  return { plan: { flags: runFlagsOf(flags), protocol: 'http1', input }, outputs: { json, report } };
}

/** Runs `use`; a CliError it throws names the run it came from ("run B: unknown HTTP/2 preset …"). */
async function naming<T>(what: string, use: () => Promise<T> | T): Promise<T> {
  try {
    return await use();
  } catch (error) {
    if (error instanceof CliError) throw new CliError(`${what}: ${error.message}`, error.exitCode);
    throw error;
  }
}

async function runPlan(engine: CliEngine, plan: Plan): Promise<ComparedRun> {
  if (plan.protocol === 'http2')
    return { protocol: 'http2', result: await engine.callWithFlags('http2.run', { ...plan.input, jobId: engine.jobId }) };
  const result: HttpRunResult = await engine.callWithFlags('http.run', { ...plan.input, jobId: engine.jobId });
  return { protocol: 'http1', result };
}

/** The run's target and protocol, and the flags it ran with. */
function runLine(letter: 'A' | 'B', run: ComparedRun, flags: string[]): string {
  return `${letter}  ${runFigures(run).protocolName}, ${run.result.target}${flags.length > 0 ? ` — ${flags.join(' ')}` : ' — default settings'}`;
}

/** The totals the app shows under each compared run, a line each. */
function totalsText(letter: 'A' | 'B', run: ComparedRun): string {
  const totals = runTotals(run);
  const width = Math.max(...totals.map((total) => total.label.length));
  return `Totals of ${letter}:\n${totals.map((total) => `  ${total.label.padEnd(width)}  ${total.value}\n`).join('')}`;
}

function toText(a: ComparedRun, b: ComparedRun, plans: [Plan, Plan], lines: readonly CompareLine[]): string {
  const sentences = differenceSentences(lines);
  return (
    `${runLine('A', a, plans[0].flags)}\n${runLine('B', b, plans[1].flags)}\n` +
    'A ran first, then B, so they did not share the CPU.\n\n' +
    (sentences.length > 0
      ? `What differs, A vs B:\n${sentences.map((sentence) => `  ${sentence}\n`).join('')}`
      : 'The two runs gave the same figures.\n') +
    `\n${totalsText('A', a)}\n${totalsText('B', b)}`
  );
}

function toJson(a: ComparedRun, b: ComparedRun, plans: [Plan, Plan], lines: readonly CompareLine[]): Record<string, unknown> {
  const side = (run: ComparedRun, plan: Plan) => ({
    protocol: run.protocol,
    flags: plan.flags,
    run: run.protocol === 'http1' ? toCliJson(run.result) : toHttp2CliJson(run.result),
  });
  return {
    a: side(a, plans[0]),
    b: side(b, plans[1]),
    /** every compared figure, the differing ones with differs: true */
    compared: lines.map(({ field, label, a: valueA, b: valueB, differs }) => ({ field, label, a: valueA, b: valueB, differs })),
    differences: differenceSentences(lines),
  };
}

/** The run's failure in one line when no request of it was answered, else null. */
function noneAnswered(letter: 'A' | 'B', run: ComparedRun): string | null {
  if (run.protocol === 'http2') {
    const result: Http2RunResult = run.result;
    return result.answered === 0
      ? `run ${letter}: no request to ${result.target} was answered: ${result.requests[0]?.error ?? 'no request ran'}`
      : null;
  }
  const failed = run.result.requests.filter((request) => request.error !== null);
  if (failed.length === 0 || failed.length < run.result.requests.length) return null;
  return `run ${letter}: all ${failed.length} requests to ${run.result.target} failed: ${failed[0]?.error ?? 'unknown error'}`;
}

export async function runHttpCompare(argvA: string[], argvB: string[], io: CliIo): Promise<number> {
  const first = await naming('run A', () => planOf('A', argvA));
  const second = await naming('run B (--compare)', () => planOf('B', argvB));
  const { outputs } = first;
  const plans: [Plan, Plan] = [first.plan, second.plan];
  const [a, b] = await withEngine(io, async (engine) => {
    const stopProgress = engine.onJobEvent(progressOnStderr(io));
    try {
      // one after the other, as the app's Compare: two runs at once would share the CPU and skew the timings
      const runA = await naming('run A', () => runPlan(engine, plans[0]));
      if (io.signal.aborted) throw new CliError('interrupted: run B did not start');
      return [runA, await naming('run B', () => runPlan(engine, plans[1]))] as const;
    } finally {
      stopProgress();
    }
  });
  const lines = compareRuns(a, b);
  if (outputs.json) writeJson(toJson(a, b, plans, lines), (piece) => io.stdout(piece));
  else io.stdout(toText(a, b, plans, lines));
  await writeReportFlag(outputs.report, { sessions: [a.result.session, b.result.session] }, io);
  const failure = noneAnswered('A', a) ?? noneAnswered('B', b);
  if (failure) throw new CliError(failure);
  return 0;
}
