/** The report handlers: renders what this scope ran and opened to text, or saves it to a file the user chose. */
import { isAbsolute } from 'node:path';
import { reportMethods } from '@shared/api-report';
import { suggestedReportName } from '@shared/report-model';
import { renderReport, ReportWriteError, writeReport } from '../report/write-report';
import { ServiceError, type Handlers, type ServiceContext } from './context';
import { currentBundle } from './session';

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
  };
}
