/**
 * `keepalive-lab learn`: the guided lessons, headless. `--list` names them; `learn ID` runs one
 * lesson's experiment through the same service the app uses and says whether the expected answer
 * held. Exit status 0 when it held, 2 when the run showed something else, 3 when it could not run here.
 */
import type { LessonRun } from '@shared/api-learn';
import { formatMetric } from '@shared/lesson';
import { COMPARISON_HEADING, reportComparison, SAME_FIGURES, type ReportComparison } from '@shared/report-comparison';
import { findLesson, LESSONS } from '@shared/lessons';
import { createService } from '@engine/service';
import { parseFlags } from '../args';
import { CliError, type CliIo } from '../io';

export const LEARN_USAGE = `Usage: keepalive-lab learn --list [--json]
       keepalive-lab learn LESSON [--json]
Runs one guided lesson's experiment on this machine and says whether the usual answer held.
Lessons: ${LESSONS.map((lesson) => lesson.id).join(', ')}
Exit status: 0 the expected answer held, 2 the run showed another answer, 3 the experiment cannot run here.
`;

function listText(): string {
  const width = Math.max(...LESSONS.map((lesson) => lesson.id.length));
  return LESSONS.map((lesson) => `${lesson.id.padEnd(width)}  ${lesson.kind.padEnd(8)}  ${lesson.title}`).join('\n') + '\n';
}

/** A lesson that runs two experiments side by side, compared as its Compare view shows them (A first); null for any other. */
function lessonComparison(run: LessonRun): ReportComparison | null {
  const result = run.result;
  if (result?.kind === 'http-compare')
    return reportComparison({ protocol: 'http1', result: result.a }, { protocol: 'http1', result: result.b }, result.titles);
  if (result?.kind === 'http2' && result.h1 !== null)
    return reportComparison({ protocol: 'http1', result: result.h1 }, { protocol: 'http2', result: result.h2 }, [
      result.titles.h1 ?? 'HTTP/1.1',
      result.titles.h2,
    ]);
  return null;
}

/** "What differs, A vs B (Keep-alive on vs Keep-alive off):" and a line per difference, as `http --compare` prints them. */
function comparisonText(comparison: ReportComparison | null): string[] {
  if (comparison === null) return [];
  const heading = `${COMPARISON_HEADING} (${comparison.a.title} vs ${comparison.b.title})`;
  if (comparison.differences.length === 0) return ['', `${heading}: ${SAME_FIGURES}`];
  return ['', `${heading}:`, ...comparison.differences.map((sentence) => `  ${sentence}`)];
}

function runText(run: LessonRun): string {
  const label = (id: string | null) => run.choices.find((choice) => choice.id === id)?.label ?? 'none of the choices';
  const lesson = findLesson(run.id);
  const figures = (lesson?.figures ?? []).map(
    (figure) => `  ${figure.label}: ${formatMetric(run.observed.values[figure.metric])}${figure.unit ? ` ${figure.unit}` : ''}`,
  );
  const verdict =
    run.unavailable !== null
      ? `cannot run here: ${run.unavailable.reason}\n${run.unavailable.howToEnable}`
      : `expected: ${label(run.expected)}\nobserved: ${label(run.observed.choice)} — ${run.held ? 'the expected answer held' : 'the expected answer did not hold in this run'}`;
  if (run.unavailable !== null) return `${run.question}\n${verdict}\n`;
  const lines = [run.question, verdict, ...figures, ...comparisonText(lessonComparison(run)), '', run.explanation];
  return [...lines, ...run.notes.map((note) => `note: ${note}`)].join('\n') + '\n';
}

export async function runLearnCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { list: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    true,
  );
  if (values.help) {
    io.stdout(LEARN_USAGE);
    return 0;
  }
  if (values.list) {
    if (positionals.length > 0) throw new CliError('--list takes no lesson name');
    io.stdout(
      values.json
        ? `${JSON.stringify(
            LESSONS.map(({ id, title, kind }) => ({ id, title, kind })),
            null,
            2,
          )}\n`
        : listText(),
    );
    return 0;
  }
  const [lessonId, ...extra] = positionals;
  if (lessonId === undefined) throw new CliError('name a lesson or give --list (try --help)');
  if (extra.length > 0) throw new CliError(`one lesson at a time (got ${positionals.join(', ')})`);
  if (findLesson(lessonId) === undefined) {
    throw new CliError(`unknown lesson "${lessonId}"; known: ${LESSONS.map((lesson) => lesson.id).join(', ')}`);
  }
  const service = createService({ mode: 'cli' });
  const jobId = 'learn';
  const onAbort = () => void service.call('job.cancel', { jobId });
  io.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await service.call('learn.run', { lessonId, jobId });
    if (!result.ok) throw new CliError(result.error.message);
    const run = result.value as LessonRun;
    if (values.json) {
      const { id, question, choices, expected, observed, held, explanation, unavailable, notes } = run;
      // a lesson of two runs: what differs between them, as in the app's Compare view and `http --compare --json`
      const comparison = lessonComparison(run);
      const compared = comparison ? { comparison } : {};
      io.stdout(
        `${JSON.stringify({ id, question, choices, expected, observed, held, explanation, unavailable, notes, ...compared }, null, 2)}\n`,
      );
    } else io.stdout(runText(run));
    return run.unavailable !== null ? 3 : run.held ? 0 : 2;
  } finally {
    io.signal.removeEventListener('abort', onAbort);
    await service.dispose();
  }
}
