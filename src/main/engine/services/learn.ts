/**
 * The learn room: runs lessons through the service's own methods (so a lesson exercises exactly
 * what the Lab and Captures pages do) and keeps progress in the engine's data folder. The web mode
 * keeps progress in the browser, per page: there the progress methods refuse.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiResult } from '@shared/api';
import { EMPTY_PROGRESS, LearnProgressSchema, type learnMethods } from '@shared/api-learn';
import { findLesson } from '@shared/lessons';
import { LessonError, runLesson, type CallMethod } from '../learn/run-lesson';
import { ServiceError, type Handlers, type ServiceContext } from './context';

const PROGRESS_FILE = 'learn-progress.json';

export function createLearnHandlers(
  ctx: ServiceContext,
  serviceCall: (name: unknown, params: unknown) => Promise<ApiResult<unknown>>,
): Handlers<typeof learnMethods> {
  const call: CallMethod = async (name, params) => {
    const result = await serviceCall(name, params);
    if (!result.ok) throw new ServiceError(result.error.code, result.error.message);
    return result.value as never;
  };
  const progressFile = join(ctx.dataDir, PROGRESS_FILE);
  const refuseInWebMode = () => {
    if (ctx.mode === 'web')
      throw new ServiceError('browser-storage', 'the web mode keeps lesson progress in the browser, not in the engine');
  };

  return {
    async 'learn.run'({ lessonId, jobId }) {
      const lesson = findLesson(lessonId);
      if (lesson === undefined) throw new ServiceError('unknown-lesson', `no lesson "${lessonId}"`);
      try {
        return await runLesson(lesson, call, jobId, ctx.grantOwnFile);
      } catch (error) {
        if (error instanceof LessonError) throw new ServiceError(error.code, error.message);
        throw error;
      }
    },
    async 'learn.progress'() {
      refuseInWebMode();
      let text: string;
      try {
        text = await readFile(progressFile, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_PROGRESS;
        throw error;
      }
      // a damaged file must not lock the learner out: start again rather than fail
      const parsed = LearnProgressSchema.safeParse(safeJson(text));
      return parsed.success ? parsed.data : EMPTY_PROGRESS;
    },
    async 'learn.saveProgress'({ progress }) {
      refuseInWebMode();
      await mkdir(ctx.dataDir, { recursive: true });
      // written beside and renamed over: a crash mid-write leaves the previous progress
      const partial = `${progressFile}.partial`;
      await writeFile(partial, JSON.stringify(progress));
      await rename(partial, progressFile);
      return { saved: true };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
