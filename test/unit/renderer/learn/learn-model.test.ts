import { describe, expect, it } from 'vitest';
import { EMPTY_PROGRESS, type LessonRun } from '@shared/api-learn';
import { LESSONS } from '@shared/lessons';
import { lessonFromHash, lessonToShow, nextLesson, verdict, withLastLesson, withRun } from '@renderer/features/learn/learn-model';

function run(observed: string | null, unavailable: LessonRun['unavailable'] = null): LessonRun {
  return {
    id: 'body-drain',
    question: 'q',
    choices: [
      { id: 'one', label: '1' },
      { id: 'ten', label: '10' },
    ],
    expected: 'ten',
    observed: { choice: observed, values: {} },
    held: observed === null ? null : observed === 'ten',
    explanation: '',
    unavailable,
    notes: [],
    highlight: { side: 'b', lanes: [], packets: [] },
    result: null,
  };
}

describe('learn model', () => {
  it('reads the lesson from the address', () => {
    expect(lessonFromHash('#learn/fin-vs-rst')).toBe('fin-vs-rst');
    expect(lessonFromHash('#learn')).toBeNull();
    expect(lessonFromHash('#lab/http')).toBeNull();
  });

  it('shows the addressed lesson, else the last one, else the first not done', () => {
    const [first, second, third] = LESSONS;
    expect(lessonToShow(LESSONS, EMPTY_PROGRESS, null).id).toBe(first!.id);
    expect(lessonToShow(LESSONS, EMPTY_PROGRESS, third!.id).id).toBe(third!.id);
    expect(lessonToShow(LESSONS, withLastLesson(EMPTY_PROGRESS, second!.id), null).id).toBe(second!.id);
    const firstDone = withRun(EMPTY_PROGRESS, { ...run('ten'), id: first!.id }, 'ten', 1);
    expect(lessonToShow(LESSONS, { ...firstDone, lastLesson: null }, null).id).toBe(second!.id);
    expect(lessonToShow(LESSONS, EMPTY_PROGRESS, 'no-such-lesson').id).toBe(first!.id);
    expect(nextLesson(LESSONS, first!.id)?.id).toBe(second!.id);
    expect(nextLesson(LESSONS, LESSONS.at(-1)!.id)).toBeNull();
  });

  it('records a run and says whether the prediction held', () => {
    const progress = withRun(EMPTY_PROGRESS, run('ten'), 'one', 42);
    expect(progress).toEqual({
      lastLesson: 'body-drain',
      lessons: { 'body-drain': { prediction: 'one', observed: 'ten', held: true, atMs: 42 } },
    });
    expect(verdict(run('ten'), 'ten')).toEqual({ headline: 'Your prediction held: 10.', tone: 'right' });
    expect(verdict(run('ten'), 'one').tone).toBe('wrong');
    expect(verdict(run(null), 'one').tone).toBe('unknown');
    expect(verdict(run(null, { reason: 'not root', howToEnable: 'run as root', exampleId: null }), 'one').headline).toBe(
      'This experiment cannot run here.',
    );
  });
});
