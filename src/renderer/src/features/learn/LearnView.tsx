/**
 * The Learn page: the lessons in order on the left (done ones ticked), the chosen lesson on the
 * right. The chosen lesson is kept in the address (#learn/<id>) and progress survives a restart.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { EMPTY_PROGRESS, type LearnProgress, type LessonRun } from '@shared/api-learn';
import { LESSONS } from '@shared/lessons';
import { useApi } from '@renderer/api/api-context';
import { lessonFromHash, lessonToShow, withLastLesson, withRun } from './learn-model';
import { progressStore } from './learn-progress-store';
import { LessonPanel } from './LessonPanel';
import '../lab/lab.css';
import './learn.css';

export function LearnView() {
  const { api, transport } = useApi();
  const store = useMemo(() => progressStore(api, transport), [api, transport]);
  const [progress, setProgress] = useState<LearnProgress | null>(null);
  const [hashLesson, setHashLesson] = useState(() => lessonFromHash(window.location.hash));

  useEffect(() => {
    let live = true;
    void store.load().then((loaded) => live && setProgress(loaded));
    return () => {
      live = false;
    };
  }, [store]);

  useEffect(() => {
    const onHash = () => setHashLesson(lessonFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const update = useCallback(
    (next: LearnProgress) => {
      setProgress(next);
      void store.save(next);
    },
    [store],
  );

  const known = progress ?? EMPTY_PROGRESS;
  const lesson = lessonToShow(LESSONS, known, hashLesson);
  const done = LESSONS.filter((candidate) => candidate.id in known.lessons).length;

  const open = (id: string) => {
    // the address keeps the lesson for a reload; replaced, not pushed, like the Lab's tabs
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#learn/${id}`);
    setHashLesson(id);
    if (progress) update(withLastLesson(progress, id));
  };
  // a lesson that could not run here is not done: only the lesson shown is remembered. A run may end after the
  // learner opened another lesson: built on the progress as it is then, and the lesson shown stays the one on screen
  const onRun = useCallback(
    (run: LessonRun, prediction: string) =>
      setProgress((current) => {
        const base = current ?? EMPTY_PROGRESS;
        const next =
          run.unavailable === null ? { ...withRun(base, run, prediction, Date.now()), lastLesson: base.lastLesson ?? run.id } : base;
        void store.save(next);
        return next;
      }),
    [store],
  );

  return (
    <section className="learn-view" aria-labelledby="learn-title">
      <nav className="card learn-index" aria-labelledby="learn-title">
        <h2 id="learn-title">Learn</h2>
        <p className="muted">
          Questions people ask about keep-alive, each answered by a real experiment on this machine. Predict, run, compare.
        </p>
        <p className="learn-count" data-testid="learn-count">
          {progress === null ? 'Loading your progress…' : `${done} of ${LESSONS.length} lessons done`}
        </p>
        <ol className="learn-list">
          {LESSONS.map((candidate) => {
            const entry = known.lessons[candidate.id];
            return (
              <li key={candidate.id}>
                <a
                  href={`#learn/${candidate.id}`}
                  aria-current={candidate.id === lesson.id ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    open(candidate.id);
                  }}
                >
                  <span className="learn-mark" aria-hidden="true">
                    {entry ? '✓' : '○'}
                  </span>
                  {candidate.title}
                  {entry ? <span className="visually-hidden"> (done)</span> : null}
                </a>
              </li>
            );
          })}
        </ol>
      </nav>
      {progress === null ? null : (
        <LessonPanel key={lesson.id} lesson={lesson} previous={known.lessons[lesson.id] ?? null} onRun={onRun} onOpen={open} />
      )}
    </section>
  );
}
