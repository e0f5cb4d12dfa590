/** The HAR room behind src/shared/api-har.ts: tell a file's kind, open a HAR, write a lab run as HAR. */
import { isAbsolute } from 'node:path';
import type { harMethods } from '@shared/api-har';
import { exampleHarFile, UnknownExampleError } from '../examples/example-files';
import { detectFileKind } from '../har/detect-file';
import { importHarFile } from '../har/import-har';
import { HarFormatError } from '../har/read-har';
import { labRunToHarText, suggestedHarName } from '../har/session-to-har';
import { describeWriteError, writeFileAtomically } from '../report/write-report';
import { ServiceError, type Handlers, type ServiceContext } from './context';

function fileError(path: string, error: unknown): ServiceError {
  if (error instanceof HarFormatError) return new ServiceError(error.code, `${path}: ${error.message}`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ServiceError('not-found', `${path}: no such file`);
  if (code === 'EACCES') return new ServiceError('permission-denied', `${path}: permission denied`);
  if (code === 'EISDIR') return new ServiceError('not-a-har', `${path}: is a directory`);
  return new ServiceError('har-failed', `${path}: ${(error as Error).message}`);
}

export function createHarHandlers(ctx: ServiceContext): Handlers<typeof harMethods> {
  return {
    async 'file.detect'({ path }) {
      try {
        return { kind: await detectFileKind(path) };
      } catch (error) {
        throw fileError(path, error);
      }
    },
    async 'har.open'({ path, jobId }) {
      const job = ctx.jobs.start(jobId);
      try {
        return await importHarFile(path);
      } catch (error) {
        throw fileError(path, error);
      } finally {
        job.done();
      }
    },
    async 'har.openExample'({ exampleId, jobId }) {
      let path: string;
      try {
        path = exampleHarFile(exampleId);
      } catch (error) {
        if (error instanceof UnknownExampleError) throw new ServiceError(error.code, error.message);
        throw error;
      }
      const job = ctx.jobs.start(jobId);
      try {
        return await importHarFile(path);
      } catch (error) {
        throw fileError(`${exampleId}.har`, error);
      } finally {
        job.done();
      }
    },
    async 'har.render'({ session }) {
      if (session.kind !== 'http-lab') throw new ServiceError('not-an-http-run', 'only an HTTP lab run can be written as HAR');
      return { text: labRunToHarText(session), suggestedName: suggestedHarName(session) };
    },
    async 'har.save'({ session, path, force }) {
      // the path comes from a save dialog: a relative one would land wherever the engine happens to run
      if (!isAbsolute(path)) throw new ServiceError('invalid-path', `har.save needs an absolute path (got "${path}")`);
      if (session.kind !== 'http-lab') throw new ServiceError('not-an-http-run', 'only an HTTP lab run can be written as HAR');
      try {
        const bytes = await writeFileAtomically(path, labRunToHarText(session), force);
        return { path, bytes };
      } catch (error) {
        const described = describeWriteError(error, path);
        throw new ServiceError(described.code, described.message);
      }
    },
  };
}
