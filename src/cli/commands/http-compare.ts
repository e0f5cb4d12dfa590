/**
 * `keepalive-lab http [FLAGS A] --compare "FLAGS B"`: two runs of the lab, one after the other (so
 * they do not share the CPU), set side by side in the words of the app's Compare view
 * (src/shared/compare-runs.ts): HTTP/1.1 against HTTP/1.1, HTTP/2 against HTTP/2, or one of each,
 * each side said in its own protocol's words. Either side may be `--protocol h2`.
 */
import type { HttpRunResult } from '@shared/api-http';
import type { Http2RunResult } from '@shared/api-http2';
import type { ComparedRun } from '@shared/compare-runs';
import { COMPARISON_HEADING, reportComparison, SAME_FIGURES, type ComparedSide, type ReportComparison } from '@shared/report-comparison';
import { captureFlag } from '../capture-flag';
import { withEngine, type CliEngine } from '../engine';
import { CliError, type CliIo } from '../io';
import { writeJson } from '../json-out';
import { writeReportFlag } from '../report-flag';
import { configFromFlags, progressOnStderr, runFlagsOf, toCliJson } from './http';
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

/**
 * Runs one side. Both run under the command's one job (Ctrl-C cancels it), whose id a session takes:
 * each session gets the side's letter after it, as the app's Compare does, so a report tells them apart.
 */
async function runPlan(engine: CliEngine, plan: Plan, letter: 'a' | 'b'): Promise<ComparedRun> {
  const ownId = <T extends { session: { id: string } }>(result: T): T => ({
    ...result,
    session: { ...result.session, id: `${result.session.id}-${letter}` },
  });
  if (plan.protocol === 'http2')
    return { protocol: 'http2', result: ownId(await engine.callWithFlags('http2.run', { ...plan.input, jobId: engine.jobId })) };
  const result: HttpRunResult = await engine.callWithFlags('http.run', { ...plan.input, jobId: engine.jobId });
  return { protocol: 'http1', result: ownId(result) };
}

/** What a side is called in the comparison: the flags it ran with. */
function titleOf(plan: Plan): string {
  return plan.flags.length > 0 ? plan.flags.join(' ') : 'default settings';
}

/** The run's protocol and target, and the flags it ran with. */
function runLine(letter: 'A' | 'B', side: ComparedSide): string {
  return `${letter}  ${side.protocolName}, ${side.target} — ${side.title}`;
}

/** The totals the app shows under each compared run, a line each. */
function totalsText(letter: 'A' | 'B', side: ComparedSide): string {
  const width = Math.max(...side.totals.map((total) => total.label.length));
  return `Totals of ${letter}:\n${side.totals.map((total) => `  ${total.label.padEnd(width)}  ${total.value}\n`).join('')}`;
}

/** The comparison as the report holds it (report-comparison.ts): the text, the JSON and the report say the same. */
function toText(comparison: ReportComparison): string {
  const sentences = comparison.differences;
  return (
    `${runLine('A', comparison.a)}\n${runLine('B', comparison.b)}\n` +
    'A ran first, then B, so they did not share the CPU.\n\n' +
    (sentences.length > 0 ? `${COMPARISON_HEADING}:\n${sentences.map((sentence) => `  ${sentence}\n`).join('')}` : `${SAME_FIGURES}\n`) +
    `\n${totalsText('A', comparison.a)}\n${totalsText('B', comparison.b)}`
  );
}

function toJson(a: ComparedRun, b: ComparedRun, plans: [Plan, Plan], comparison: ReportComparison): Record<string, unknown> {
  const side = (run: ComparedRun, plan: Plan) => ({
    protocol: run.protocol,
    flags: plan.flags,
    run: run.protocol === 'http1' ? toCliJson(run.result) : toHttp2CliJson(run.result),
  });
  return {
    a: side(a, plans[0]),
    b: side(b, plans[1]),
    /** every compared figure, the differing ones with differs: true */
    compared: comparison.figures,
    differences: comparison.differences,
    /** the totals printed under each run */
    totals: { a: comparison.a.totals, b: comparison.b.totals },
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
      const runA = await naming('run A', () => runPlan(engine, plans[0], 'a'));
      if (io.signal.aborted) throw new CliError('interrupted: run B did not start');
      return [runA, await naming('run B', () => runPlan(engine, plans[1], 'b'))] as const;
    } finally {
      stopProgress();
    }
  });
  const comparison = reportComparison(a, b, [titleOf(plans[0]), titleOf(plans[1])]);
  if (outputs.json) writeJson(toJson(a, b, plans, comparison), (piece) => io.stdout(piece));
  else io.stdout(toText(comparison));
  await writeReportFlag(outputs.report, { sessions: [a.result.session, b.result.session], comparisons: [comparison] }, io);
  const failure = noneAnswered('A', a) ?? noneAnswered('B', b);
  if (failure) throw new CliError(failure);
  return 0;
}
