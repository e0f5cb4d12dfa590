/**
 * The Learn page's state without React: which lesson to show, what progress to record, and the
 * words for a prediction next to what the run showed. Unit-tested in plain Node.
 */
import type { LearnProgress, LessonRun } from '@shared/api-learn';
import type { Lesson } from '@shared/lesson';

/** `#learn/<id>` → id, or null. */
export function lessonFromHash(hash: string): string | null {
  const match = /^#learn\/([a-z0-9-]+)$/.exec(hash);
  return match?.[1] ?? null;
}

/** The lesson to open: the one in the address, else the last one shown, else the first not yet done. */
export function lessonToShow(lessons: readonly Lesson[], progress: LearnProgress, fromHash: string | null): Lesson {
  const byId = (id: string | null) => (id === null ? undefined : lessons.find((lesson) => lesson.id === id));
  const first = lessons[0];
  if (first === undefined) throw new Error('no lessons');
  return byId(fromHash) ?? byId(progress.lastLesson) ?? lessons.find((lesson) => !(lesson.id in progress.lessons)) ?? first;
}

/** The lesson after `id`, or null after the last. */
export function nextLesson(lessons: readonly Lesson[], id: string): Lesson | null {
  const index = lessons.findIndex((lesson) => lesson.id === id);
  return index >= 0 ? (lessons[index + 1] ?? null) : null;
}

export function withRun(progress: LearnProgress, run: LessonRun, prediction: string, atMs: number): LearnProgress {
  return {
    lastLesson: run.id,
    lessons: { ...progress.lessons, [run.id]: { prediction, observed: run.observed.choice, held: run.held, atMs } },
  };
}

export function withLastLesson(progress: LearnProgress, id: string): LearnProgress {
  return progress.lastLesson === id ? progress : { ...progress, lastLesson: id };
}

export interface Verdict {
  /** one short line: right or not */
  headline: string;
  tone: 'right' | 'wrong' | 'unknown';
}

/** The learner's prediction against what this run showed. */
export function verdict(run: LessonRun, prediction: string): Verdict {
  const label = (id: string | null) => run.choices.find((choice) => choice.id === id)?.label ?? 'none of the choices';
  if (run.unavailable !== null) return { headline: 'This experiment cannot run here.', tone: 'unknown' };
  if (run.observed.choice === null) return { headline: 'The run did not match any of the choices.', tone: 'unknown' };
  if (run.observed.choice === prediction) return { headline: `Your prediction held: ${label(prediction)}.`, tone: 'right' };
  return { headline: `Not this time: the run showed “${label(run.observed.choice)}”.`, tone: 'wrong' };
}
