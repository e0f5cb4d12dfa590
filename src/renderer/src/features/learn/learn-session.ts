/**
 * What each lesson shows in this session: the learner's prediction and the state of its experiment
 * (running, done with its result, cancelled, failed). Kept outside the lesson's component, so a
 * learner who opens another lesson while a run goes finds its result (and prediction) on coming
 * back; lost on a reload, like any page state. Plain TypeScript: unit-tested in Node.
 */
import type { Api } from '@shared/api';
import type { LessonRun } from '@shared/api-learn';

export type LessonPhase =
  | { kind: 'idle' }
  | { kind: 'running'; jobId: string }
  | { kind: 'done'; run: LessonRun }
  /** the learner stopped it: its partial figures are not a result to compare or to remember */
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

export interface LessonSession {
  /** the choice id the learner picked; null = none yet */
  prediction: string | null;
  phase: LessonPhase;
}

/** Called when a lesson's run finishes with a result, whether or not its lesson is on screen. */
export type OnLessonRun = (run: LessonRun, prediction: string) => void;

const IDLE: LessonSession = { prediction: null, phase: { kind: 'idle' } };

export class LearnSession {
  private readonly sessions = new Map<string, LessonSession>();
  private readonly listeners = new Set<() => void>();
  /** lessons whose running job the learner cancelled */
  private readonly cancelled = new Set<string>();

  /** The lesson's state; a lesson not touched yet starts from `initialPrediction` (the one remembered from a past visit). */
  get(lessonId: string, initialPrediction: string | null = null): LessonSession {
    const known = this.sessions.get(lessonId);
    if (known) return known;
    if (initialPrediction === null) return IDLE;
    // kept (without telling listeners: nothing changed on screen), so the same object comes back each time
    const first: LessonSession = { ...IDLE, prediction: initialPrediction };
    this.sessions.set(lessonId, first);
    return first;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(lessonId: string, next: LessonSession): void {
    this.sessions.set(lessonId, next);
    for (const listener of this.listeners) listener();
  }

  predict(lessonId: string, prediction: string): void {
    const current = this.get(lessonId);
    if (current.phase.kind === 'running' || current.phase.kind === 'done') return;
    this.set(lessonId, { prediction, phase: { kind: 'idle' } });
  }

  /** Back to predicting, the prediction kept. */
  reset(lessonId: string): void {
    const current = this.get(lessonId);
    if (current.phase.kind !== 'running') this.set(lessonId, { ...current, phase: { kind: 'idle' } });
  }

  /** Runs the lesson's experiment; the result lands in this session even if the lesson is no longer shown. */
  async run(api: Api, lessonId: string, jobId: string, onRun: OnLessonRun): Promise<void> {
    const { prediction, phase } = this.get(lessonId);
    if (prediction === null || phase.kind === 'running') return;
    this.cancelled.delete(lessonId);
    this.set(lessonId, { prediction, phase: { kind: 'running', jobId } });
    const result = await api.call('learn.run', { lessonId, jobId });
    if (this.cancelled.delete(lessonId)) return this.set(lessonId, { prediction, phase: { kind: 'cancelled' } });
    if (!result.ok) return this.set(lessonId, { prediction, phase: { kind: 'failed', message: result.error.message } });
    this.set(lessonId, { prediction, phase: { kind: 'done', run: result.value } });
    onRun(result.value, prediction);
  }

  cancel(api: Api, lessonId: string): void {
    const { phase } = this.get(lessonId);
    if (phase.kind !== 'running') return;
    this.cancelled.add(lessonId);
    void api.call('job.cancel', { jobId: phase.jobId });
  }
}

/** The one session of this page. */
export const learnSession = new LearnSession();
