/**
 * A guided lesson, as data: a question, the choices a learner predicts from, the experiment that
 * answers it (run through the same service methods the Lab and Captures pages call), how to read
 * the measured values into one of the choices, and an explanation with those values filled in.
 * One file per lesson in ./lessons/, listed in ./lessons/index.ts; the README says how to add one.
 */
import { z } from 'zod';
import { AnalysisFlagNameSchema } from './api-capture';
import { ExampleIdSchema } from './example-captures';

const Id = z
  .string()
  .regex(/^[a-z0-9-]+$/)
  .max(64);
const Config = z.record(z.string(), z.unknown());

/** Holds when the measured value `metric` lies in [min, max] (either bound may be left out). */
export const LessonConditionSchema = z
  .object({ metric: z.string(), min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((condition) => condition.min !== undefined || condition.max !== undefined, { message: 'give min, max or both' });
export type LessonCondition = z.infer<typeof LessonConditionSchema>;

export const LessonChoiceSchema = z
  .object({
    id: Id,
    /** what the learner reads and picks, e.g. "10 — one per request" */
    label: z.string().min(1).max(120),
    /** the run shows this choice when every condition holds; the first matching choice wins */
    when: z.array(LessonConditionSchema).min(1),
  })
  .strict();

const HttpSide = z.object({ title: z.string(), config: Config }).strict();

/** What one click runs. Params are checked against the called method's own schema when the lesson runs (and by a test). */
export const LessonExperimentSchema = z.discriminatedUnion('kind', [
  /** `http.compare`: two HTTP lab runs, one after the other */
  z.object({ kind: z.literal('http-compare'), a: HttpSide, b: HttpSide, capture: z.boolean().default(false) }).strict(),
  /** `tcp.runKeepalive` */
  z.object({ kind: z.literal('tcp-keepalive'), params: Config }).strict(),
  /** `tcp.runHalfOpen` (Linux, root, `ip netns`) */
  z.object({ kind: z.literal('half-open'), params: Config }).strict(),
  /** `capture.openExample`: a bundled capture the lab recorded */
  z.object({ kind: z.literal('example'), exampleId: ExampleIdSchema }).strict(),
  /** `har.openExample`: a bundled HAR file of a browser's page load the project recorded */
  z.object({ kind: z.literal('har-example'), exampleId: ExampleIdSchema }).strict(),
  /**
   * `http2.run` (an HTTP/2 lab preset, with config overrides), and optionally an HTTP/1.1 `http.run`
   * of the same requests beside it, run first, so the two timelines can be read side by side
   */
  z
    .object({
      kind: z.literal('http2'),
      h2: z.object({ title: z.string(), preset: z.string().max(64).optional(), config: Config }).strict(),
      h1: HttpSide.optional(),
    })
    .strict(),
]);

export const LessonHighlightSchema = z
  .object({
    /** which run of a comparison the highlight is about */
    side: z.enum(['a', 'b']).optional(),
    /** connections (lanes) to highlight */
    lanes: z.enum(['all', 'reused', 'errors', 'none']),
    /** packets to list and highlight: those with this analysis flag, or this TCP header flag (syn = SYN without ACK) */
    frames: z.union([AnalysisFlagNameSchema, z.enum(['syn', 'fin', 'rst'])]).optional(),
  })
  .strict();

/** A measured value shown next to the prediction. */
export const LessonFigureSchema = z.object({ metric: z.string(), label: z.string(), unit: z.string().optional() }).strict();

export const LessonKindSchema = z.enum(['http-lab', 'tcp-lab', 'capture']);

export const LessonSchema = z
  .object({
    id: Id,
    title: z.string().min(1).max(80),
    /** where the experiment runs; the CLI lists it */
    kind: LessonKindSchema,
    /** one short question */
    question: z.string().min(1).max(200),
    /** the setting the question is asked in (one or two sentences) */
    setup: z.string().min(1).max(400),
    choices: z.array(LessonChoiceSchema).min(2).max(5),
    /** the choice id a correct model of TCP/HTTP predicts */
    expected: Id,
    experiment: LessonExperimentSchema,
    /** what the click runs and how long it takes, in words */
    runs: z.string().min(1).max(200),
    figures: z.array(LessonFigureSchema).min(1),
    highlight: LessonHighlightSchema,
    /** 3–6 sentences; `{metric}` is replaced by the measured value ("unknown" when the run did not measure it) */
    explanation: z.string().min(1).max(1200),
    /** one thing to change next, and where */
    tryChanging: z.string().min(1).max(300),
  })
  .strict()
  .refine((lesson) => lesson.choices.some((choice) => choice.id === lesson.expected), { message: 'expected must be one of the choice ids' })
  .refine((lesson) => new Set(lesson.choices.map((choice) => choice.id)).size === lesson.choices.length, {
    message: 'choice ids must be unique',
  });
export type Lesson = z.infer<typeof LessonSchema>;
export type LessonInput = z.input<typeof LessonSchema>;

/** Measured values by name (`connectionsOpened`, `b.errors`, `gaveUpAfterMs`, …); null = not measured in this run. */
export type LessonMetrics = Record<string, number | null>;

/** The first choice whose conditions all hold, or null when none does (or a value was not measured). */
export function observedChoice(lesson: Lesson, metrics: LessonMetrics): string | null {
  const holds = (condition: LessonCondition) => {
    const value = metrics[condition.metric];
    if (value === null || value === undefined) return false;
    return (condition.min === undefined || value >= condition.min) && (condition.max === undefined || value <= condition.max);
  };
  return lesson.choices.find((choice) => choice.when.every(holds))?.id ?? null;
}

/** Rounds for reading: whole numbers stay whole, others get at most one decimal. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'unknown';
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** The explanation with every `{metric}` filled in from the run. */
export function fillExplanation(template: string, metrics: LessonMetrics): string {
  return template.replace(/\{([\w.]+)\}/g, (_, name: string) => formatMetric(metrics[name]));
}
