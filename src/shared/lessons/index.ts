/**
 * Every lesson, in the order the Learn page shows them. Adding a lesson: write one file beside
 * this one (see body-drain.ts) and add it to the list below; the schema checks it at start-up.
 */
import { LessonSchema, type Lesson } from '../lesson';
import { bodyDrain } from './body-drain';
import { finVsRst } from './fin-vs-rst';
import { halfOpenDetection } from './half-open-detection';
import { keepaliveOff } from './keepalive-off';
import { keepaliveProbe } from './keepalive-probe';
import { maxSocketsQueue } from './max-sockets-queue';
import { oneConnectionH2 } from './one-connection-h2';
import { readingACapture } from './reading-a-capture';
import { staleRace } from './stale-race';
import { tooManyPings } from './too-many-pings';
import { twoHeldOpen } from './two-held-open';
import { whatDidMyBrowserReuse } from './what-did-my-browser-reuse';

export const LESSONS: readonly Lesson[] = [
  bodyDrain,
  keepaliveOff,
  twoHeldOpen,
  maxSocketsQueue,
  keepaliveProbe,
  halfOpenDetection,
  finVsRst,
  staleRace,
  readingACapture,
  whatDidMyBrowserReuse,
  oneConnectionH2,
  tooManyPings,
].map((lesson) => LessonSchema.parse(lesson));

export function findLesson(id: string): Lesson | undefined {
  return LESSONS.find((lesson) => lesson.id === id);
}
