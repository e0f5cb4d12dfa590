/** The report handlers: renders what this scope ran and opened to text, or saves it to a file the user chose. */
import { isAbsolute } from 'node:path';
import { reportMethods, type ReportCompare } from '@shared/api-report';
import { reportComparison } from '@shared/report-comparison';
import { createReportBundle, suggestedReportName, type ReportBundle } from '@shared/report-model';
import { getInfo } from './app';
import { renderReport, ReportWriteError, writeReport } from '../report/write-report';
import { ServiceError, type Handlers, type ServiceContext } from './context';
import { currentBundle } from './session';
import { MAX_KEPT_RUNS } from '../session-log';

/** The two runs the Compare view shows, their sessions after what differs between them (the same words as the view). */
async function comparedBundle(ctx: ServiceContext, compare: ReportCompare): Promise<ReportBundle> {
  const kept = (letter: 'A' | 'B', sessionId: string) => {
    const run = ctx.sessions.run(sessionId);
    if (run) return run;
    throw new ServiceError(
      'not-found',
      `run ${letter} (${compare.titles[letter === 'A' ? 0 : 1]}) is no longer held by the engine (it keeps the last ${MAX_KEPT_RUNS} runs, and Clear session empties them): run it again to export this comparison`,
    );
  };
  const [a, b] = [kept('A', compare.a), kept('B', compare.b)];
  return createReportBundle({
    app: await getInfo(ctx.mode),
    sessions: [a.result.session, b.result.session],
    comparisons: [reportComparison(a, b, compare.titles)],
  });
}

/** What a report holds: the compared pair when asked, else everything this scope ran and opened. */
function bundleFor(ctx: ServiceContext, compare: ReportCompare | undefined): Promise<ReportBundle> {
  return compare ? comparedBundle(ctx, compare) : currentBundle(ctx);
}

export function createReportHandlers(ctx: ServiceContext): Handlers<typeof reportMethods> {
  return {
    'report.render': async ({ format, compare }) => {
      const bundle = await bundleFor(ctx, compare);
      return { text: renderReport(bundle, format), suggestedName: suggestedReportName(bundle, format) };
    },
    'report.save': async ({ path, force, compare }) => {
      // the path comes from a save dialog: a relative one would land wherever the engine happens to run
      if (!isAbsolute(path)) throw new ServiceError('invalid-path', `report.save needs an absolute path (got "${path}")`);
      try {
        const written = await writeReport({ bundle: await bundleFor(ctx, compare), path, force });
        return { path: written.path, bytes: written.bytes, format: written.format };
      } catch (error) {
        if (error instanceof ReportWriteError) throw new ServiceError(error.code, error.message);
        throw error;
      }
    },
  };
}
