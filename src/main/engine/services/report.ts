/** The report handlers: renders what this scope ran and opened to text, or saves it to a file the user chose. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { reportMethods } from '@shared/api-report';
import { createReportBundle, suggestedReportName, type ReportApp, type ReportBundle } from '@shared/report-model';
import { parseReportJson, ReportInputError } from '../report/render-json';
import { renderReport, ReportWriteError, writeReport } from '../report/write-report';
import { ServiceError, type Handlers, type ServiceContext } from './context';
import { currentBundle } from './session';
import { getInfo } from './app';

export function createReportHandlers(ctx: ServiceContext): Handlers<typeof reportMethods> {
  return {
    'report.render': async ({ format }) => {
      const bundle = await currentBundle(ctx);
      return { text: renderReport(bundle, format), suggestedName: suggestedReportName(bundle, format) };
    },
    'report.save': async ({ path, force }) => {
      // the path comes from a save dialog: a relative one would land wherever the engine happens to run
      if (!isAbsolute(path)) throw new ServiceError('invalid-path', `report.save needs an absolute path (got "${path}")`);
      try {
        const written = await writeReport({ bundle: await currentBundle(ctx), path, force });
        return { path: written.path, bytes: written.bytes, format: written.format };
      } catch (error) {
        if (error instanceof ReportWriteError) throw new ServiceError(error.code, error.message);
        throw error;
      }
    },
    'report.write': async ({ parts, from, path, force }) => {
      const app = await commandLineApp(ctx);
      const bundle = from === undefined ? createReportBundle({ app, ...parts }) : await readSavedReport(from, app);
      try {
        const written = await writeReport({ bundle, path: resolve(path), force });
        return { path: written.path, bytes: written.bytes, format: written.format };
      } catch (error) {
        if (error instanceof ReportWriteError) throw new ServiceError(error.code, error.message);
        throw error;
      }
    },
  };
}

/** The environment a command-line report records: this app, this OS and architecture, its keepalive defaults. */
async function commandLineApp(ctx: ServiceContext): Promise<ReportApp> {
  const info = await getInfo(ctx.mode);
  return {
    appVersion: info.appVersion,
    platform: `${info.platform}/${info.arch}`,
    nodeVersion: info.nodeVersion,
    keepaliveDefaults: info.keepaliveDefaults,
  };
}

/** A saved JSON report, or a bare session saved with --json, as a bundle; plain errors for a missing or foreign file. */
async function readSavedReport(file: string, app: ReportApp): Promise<ReportBundle> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ServiceError('unreadable', code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseReportJson(text, app);
  } catch (error) {
    if (error instanceof ReportInputError) throw new ServiceError('invalid-input', `${file}: ${error.message}`);
    throw error;
  }
}
