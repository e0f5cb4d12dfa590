/**
 * The handlers only the CLI reaches (src/shared/api-cli.ts; the policy refuses them elsewhere): a
 * capture analysed for `analyze`, a report of what a command made, a saved report re-rendered.
 */
import { readFile } from 'node:fs/promises';
import type { cliMethods } from '@shared/api-cli';
import { createReportBundle, type ReportApp, type ReportBundle } from '@shared/report-model';
import { analyzeCaptureFile } from '../capture/analyze';
import { analysisDocument, analysisText } from '../capture/analysis-document';
import { captureSummary } from '../capture/capture-summary';
import { captureSummaryToReport } from '../report/capture-to-report';
import { parseReportJson, ReportInputError } from '../report/render-json';
import { ReportWriteError, writeReport } from '../report/write-report';
import { getInfo } from './app';
import { toServiceError } from './capture';
import { ServiceError, type Handlers, type ServiceContext } from './context';

/** The environment a CLI report records: this app, this OS, its keepalive defaults. */
async function reportApp(ctx: ServiceContext): Promise<ReportApp> {
  const info = await getInfo(ctx.mode);
  return {
    appVersion: info.appVersion,
    platform: `${info.platform}/${info.arch}`,
    nodeVersion: info.nodeVersion,
    keepaliveDefaults: info.keepaliveDefaults,
  };
}

async function write(bundle: ReportBundle, path: string, force: boolean) {
  try {
    return await writeReport({ bundle, path, force });
  } catch (error) {
    if (error instanceof ReportWriteError) throw new ServiceError(error.code, error.message);
    throw error;
  }
}

async function readReportText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ServiceError(
      code === 'ENOENT' ? 'not-found' : 'read-failed',
      code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path}: ${(error as Error).message}`,
    );
  }
}

export function createCliHandlers(ctx: ServiceContext): Handlers<typeof cliMethods> {
  return {
    async 'analyze.file'({ path, jobId }) {
      const job = ctx.jobs.start(jobId);
      try {
        // in this process, as before: the CLI waits for the result and has nothing else to draw
        const analysis = await analyzeCaptureFile(path, { signal: job.signal });
        return {
          document: analysisDocument(analysis),
          text: analysisText(analysis),
          report: captureSummaryToReport(captureSummary('cli', path, analysis)),
        };
      } catch (error) {
        throw toServiceError(path, error, job.signal);
      } finally {
        job.done();
      }
    },
    async 'report.write'({ sessions, captures, comparisons, path, force }) {
      return write(createReportBundle({ app: await reportApp(ctx), sessions, captures, comparisons }), path, force);
    },
    async 'report.convert'({ from, to, force }) {
      const text = await readReportText(from);
      let bundle: ReportBundle;
      try {
        bundle = parseReportJson(text, await reportApp(ctx));
      } catch (error) {
        if (error instanceof ReportInputError) throw new ServiceError('not-a-report', `${from}: ${error.message}`);
        throw error;
      }
      return write(bundle, to, force);
    },
  };
}
