/**
 * One lesson: the question, a prediction the learner commits to, one click that runs the real
 * experiment (`learn.run`, which calls the same methods as the Lab and Captures pages), and the
 * result next to the prediction with the evidence highlighted and the explanation filled in.
 */
import { useCallback, useEffect, useId, useRef, useSyncExternalStore } from 'react';
import type { z } from 'zod';
import type { LessonProgressEntrySchema, LessonRun } from '@shared/api-learn';
import { formatMetric, type Lesson } from '@shared/lesson';
import { LESSONS } from '@shared/lessons';
import { useApi } from '@renderer/api/api-context';
import { newJobId } from '@renderer/api/use-engine-events';
import { nextLesson, verdict } from './learn-model';
import { learnSession } from './learn-session';
import { InlineText } from './InlineText';
import { LessonEvidence } from './LessonEvidence';

interface Props {
  lesson: Lesson;
  /** what the learner predicted and saw last time, if this lesson was done before */
  previous: z.infer<typeof LessonProgressEntrySchema> | null;
  /** called when a run finishes, even after the learner has opened another lesson */
  onRun(run: LessonRun, prediction: string): void;
  onOpen(id: string): void;
}

export function LessonPanel({ lesson, previous, onRun, onOpen }: Props) {
  const { api } = useApi();
  const snapshot = useCallback(() => learnSession.get(lesson.id, previous?.prediction ?? null), [lesson.id, previous?.prediction]);
  const { prediction, phase } = useSyncExternalStore(
    useCallback((listener: () => void) => learnSession.subscribe(listener), []),
    snapshot,
  );
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const shownPhase = useRef(phase.kind);
  const name = useId();
  const following = nextLesson(LESSONS, lesson.id);

  // the result replaces the button the learner pressed: move focus to it so the keyboard follows
  // (not when coming back to a lesson whose result is already there)
  useEffect(() => {
    if (shownPhase.current === phase.kind) return;
    shownPhase.current = phase.kind;
    if (phase.kind === 'done' || phase.kind === 'failed') resultHeading.current?.focus();
  }, [phase.kind]);

  const run = () => void learnSession.run(api, lesson.id, newJobId('learn'), onRun);
  const cancel = () => learnSession.cancel(api, lesson.id);
  const setPrediction = (choice: string) => learnSession.predict(lesson.id, choice);

  const locked = phase.kind === 'running' || phase.kind === 'done';
  return (
    <article className="card lesson" aria-labelledby={`${name}-title`} data-testid="lesson">
      <h2 id={`${name}-title`}>{lesson.title}</h2>
      <p className="lesson-question">
        <InlineText text={lesson.question} />
      </p>
      <p className="muted">
        <InlineText text={lesson.setup} />
      </p>
      <fieldset className="lesson-choices" disabled={locked}>
        <legend>Your prediction</legend>
        {lesson.choices.map((choice) => (
          <label key={choice.id} className={prediction === choice.id ? 'lesson-choice is-picked' : 'lesson-choice'}>
            <input
              type="radio"
              name={name}
              value={choice.id}
              checked={prediction === choice.id}
              onChange={() => setPrediction(choice.id)}
            />
            {choice.label}
          </label>
        ))}
      </fieldset>
      <div className="lesson-actions">
        {phase.kind === 'running' ? (
          <>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
            <span role="status">Running on this machine… {lesson.runs}</span>
          </>
        ) : phase.kind === 'done' ? (
          <button type="button" onClick={() => learnSession.reset(lesson.id)}>
            Predict again
          </button>
        ) : (
          <>
            <button type="button" className="primary" disabled={prediction === null} onClick={run}>
              {lesson.experiment.kind === 'example' ? 'Open the capture' : 'Run the experiment'}
            </button>
            <span className="muted">
              {prediction === null ? 'Pick a prediction first. ' : ''}
              {lesson.runs}
            </span>
          </>
        )}
      </div>
      {phase.kind === 'cancelled' ? (
        <p className="muted" role="status" data-testid="lesson-cancelled">
          Cancelled: the run stopped before it finished, so there is no result to compare. Run it again to see one.
        </p>
      ) : null}
      {previous && (phase.kind === 'idle' || phase.kind === 'cancelled') ? (
        <p className="muted">
          Done before: you predicted “{lesson.choices.find((choice) => choice.id === previous.prediction)?.label ?? previous.prediction}”.
        </p>
      ) : null}
      {phase.kind === 'failed' ? (
        <div className="error-box" role="alert">
          <h3 ref={resultHeading} tabIndex={-1}>
            The experiment did not run
          </h3>
          <p>{phase.message}</p>
        </div>
      ) : null}
      {phase.kind === 'done' && prediction !== null ? (
        <LessonResult lesson={lesson} run={phase.run} prediction={prediction} headingRef={resultHeading} />
      ) : null}
      {phase.kind === 'done' && following ? (
        <p>
          <button type="button" onClick={() => onOpen(following.id)}>
            Next: {following.title} →
          </button>
        </p>
      ) : null}
    </article>
  );
}

function LessonResult({
  lesson,
  run,
  prediction,
  headingRef,
}: {
  lesson: Lesson;
  run: LessonRun;
  prediction: string;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
}) {
  const said = verdict(run, prediction);
  const label = (id: string | null) => run.choices.find((choice) => choice.id === id)?.label ?? '—';
  return (
    <section className="lesson-result" aria-label="Result" data-testid="lesson-result">
      <h3 ref={headingRef} tabIndex={-1} className={`lesson-verdict is-${said.tone}`}>
        {said.headline}
      </h3>
      {run.unavailable ? (
        <div className="lesson-unavailable" role="note">
          <p>
            <b>Why it cannot run here:</b> {run.unavailable.reason}.
          </p>
          <p>
            <b>How to enable it:</b> <InlineText text={run.unavailable.howToEnable} />
          </p>
          {run.unavailable.exampleId ? (
            <p>
              <a href={`#captures/example/${run.unavailable.exampleId}`}>Open the example capture</a>
            </p>
          ) : null}
        </div>
      ) : (
        <dl className="lesson-compare" data-testid="lesson-compare">
          <div>
            <dt>You predicted</dt>
            <dd data-testid="lesson-prediction">{label(prediction)}</dd>
          </div>
          <div>
            <dt>The run showed</dt>
            <dd data-testid="lesson-observed">{label(run.observed.choice)}</dd>
          </div>
          {lesson.figures.map((figure) => (
            <div key={figure.metric}>
              <dt>{figure.label}</dt>
              <dd data-testid={`figure-${figure.metric}`}>
                {formatMetric(run.observed.values[figure.metric])}
                {figure.unit ? ` ${figure.unit}` : ''}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {run.unavailable ? null : (
        <p className="lesson-explanation">
          <InlineText text={run.explanation} />
        </p>
      )}
      {run.notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
      <LessonEvidence run={run} />
      <p className="lesson-try">
        <b>Try changing:</b> <InlineText text={lesson.tryChanging} />
      </p>
    </section>
  );
}
