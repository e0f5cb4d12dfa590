/**
 * The learn room's part of the contract (composed in api.ts): run a guided lesson (src/shared/lesson.ts)
 * through the same methods the Lab and Captures pages call, and keep the learner's progress.
 * Progress lives in the app's own data folder (Electron); the web mode keeps it in the browser.
 */
import { z } from 'zod';
import { HarImportSchema } from './api-har';
import { HttpRunResultSchema } from './api-http';
import { Http2RunResultSchema } from './api-http2';
import { PacketRowSchema } from './api-capture';
import { method } from './api-method';
import { SessionSchema } from './trace';

const LessonId = z
  .string()
  .regex(/^[a-z0-9-]+$/)
  .max(64);

/** Why a lesson's experiment cannot run here, and what would make it run. */
export const LessonUnavailableSchema = z.object({
  reason: z.string(),
  howToEnable: z.string(),
  /** an example capture that shows the same experiment, to open meanwhile */
  exampleId: z.string().nullable(),
});

export const LessonRunResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http-compare'), titles: z.tuple([z.string(), z.string()]), a: HttpRunResultSchema, b: HttpRunResultSchema }),
  z.object({ kind: z.literal('tcp'), session: SessionSchema }),
  z.object({ kind: z.literal('example'), exampleId: z.string() }),
  /** the bundled HAR as opened: its connections with their causes, and its session for the timeline */
  z.object({ kind: z.literal('har-example'), exampleId: z.string(), har: HarImportSchema }),
  /** an HTTP/2 lab run, and the HTTP/1.1 run of the same requests when the lesson compares them */
  z.object({
    kind: z.literal('http2'),
    titles: z.object({ h2: z.string(), h1: z.string().nullable() }),
    h2: Http2RunResultSchema,
    h1: HttpRunResultSchema.nullable(),
  }),
]);

export const LessonRunSchema = z.object({
  id: LessonId,
  question: z.string(),
  choices: z.array(z.object({ id: z.string(), label: z.string() })),
  /** the choice a correct model of TCP/HTTP predicts */
  expected: z.string(),
  observed: z.object({
    /** the choice the measured values match; null when none does or the run could not measure it */
    choice: z.string().nullable(),
    /** every measured value by name; null = not measured in this run */
    values: z.record(z.string(), z.number().nullable()),
  }),
  /** the expected answer held in this run; null when the run could not tell */
  held: z.boolean().nullable(),
  /** the lesson's explanation with the measured values filled in */
  explanation: z.string(),
  unavailable: LessonUnavailableSchema.nullable(),
  /** things the learner should know about this run (e.g. capture was not possible) */
  notes: z.array(z.string()),
  highlight: z.object({
    side: z.enum(['a', 'b']).nullable(),
    /** connection ids (lanes) to highlight */
    lanes: z.array(z.string()),
    /** the packets to highlight, at most MAX_HIGHLIGHTED_PACKETS */
    packets: z.array(PacketRowSchema),
  }),
  result: LessonRunResultSchema.nullable(),
});
export type LessonRun = z.infer<typeof LessonRunSchema>;

/** Packets a lesson lists under its result; more are counted, not listed. */
export const MAX_HIGHLIGHTED_PACKETS = 40;

export const LessonProgressEntrySchema = z.object({
  /** the choice the learner committed to */
  prediction: z.string().max(64),
  observed: z.string().max(64).nullable(),
  held: z.boolean().nullable(),
  /** ms since 1970 */
  atMs: z.number(),
});

export const LearnProgressSchema = z.object({
  /** finished lessons by id */
  lessons: z.record(LessonId, LessonProgressEntrySchema).refine((lessons) => Object.keys(lessons).length <= 200, 'at most 200 lessons'),
  /** the lesson shown last, to come back to it */
  lastLesson: LessonId.nullable(),
});
export type LearnProgress = z.infer<typeof LearnProgressSchema>;

export const EMPTY_PROGRESS: LearnProgress = { lessons: {}, lastLesson: null };

export const learnMethods = {
  /** Runs one lesson's experiment (cancel with `job.cancel`); the result says what was observed and whether the expected answer held. */
  'learn.run': method(z.object({ lessonId: LessonId, jobId: z.string().min(1).max(64).optional() }).strict(), LessonRunSchema),
  /** Electron: the progress saved in the app's data folder. The web mode keeps progress in the browser instead. */
  'learn.progress': method(z.object({}).strict(), LearnProgressSchema),
  'learn.saveProgress': method(z.object({ progress: LearnProgressSchema }).strict(), z.object({ saved: z.boolean() })),
};
