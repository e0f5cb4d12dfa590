/**
 * The correlate handler: `capture.correlate` joins a saved lab session with a capture of it
 * taken elsewhere, exactly as a live capture is joined (src/main/engine/correlate/).
 */
import type { correlateMethods } from '@shared/api-correlate';
import { CaptureFormatError } from '../capture/read-common';
import { correlateCaptureFile, readSessionFile, SessionFileError } from '../correlate/import-capture';
import { ServiceError, type Handlers, type ServiceContext } from './context';

function toServiceError(error: unknown, path: string): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof SessionFileError) return new ServiceError('not-a-session', error.message);
  if (error instanceof CaptureFormatError) return new ServiceError(error.code, `${path}: ${error.message}`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ServiceError('not-found', `${path}: no such file`);
  if (code === 'EACCES' || code === 'EISDIR' || code === 'not-a-file' || code === 'too-large') {
    return new ServiceError('unreadable', `${path}: ${(error as Error).message}`);
  }
  return new ServiceError('correlate-failed', (error as Error).message);
}

export function createCorrelateHandlers(ctx: ServiceContext): Handlers<typeof correlateMethods> {
  return {
    'capture.correlate': async ({ sessionPath, session, capturePath, jobId }) => {
      let labSession = session;
      if (labSession === undefined) {
        try {
          labSession = await readSessionFile(sessionPath ?? '');
        } catch (error) {
          throw toServiceError(error, sessionPath ?? '');
        }
      }
      const job = ctx.jobs.start(jobId);
      try {
        const { correlation, report } = await correlateCaptureFile(labSession, capturePath, job.signal);
        return { session: correlation.session, capture: report };
      } catch (error) {
        throw toServiceError(error, capturePath);
      } finally {
        job.done();
      }
    },
  };
}
