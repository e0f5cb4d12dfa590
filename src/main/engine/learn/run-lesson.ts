/**
 * Runs a lesson (src/shared/lesson.ts): its experiment through the service's own methods — the
 * ones the Lab and Captures pages call — then reads the measured values into one of its choices.
 */
import { z } from 'zod';
import { describeZodError, methods, type MethodName, type Params, type Result } from '@shared/api';
import type { PacketRow } from '@shared/api-capture';
import type { HarImport } from '@shared/api-har';
import type { HttpRunResult } from '@shared/api-http';
import { MAX_HIGHLIGHTED_PACKETS, type LessonRun } from '@shared/api-learn';
import { harMetrics } from '@shared/har-metrics';
import { fillExplanation, observedChoice, type Lesson, type LessonMetrics } from '@shared/lesson';
import type { Http2RunResult } from '@shared/api-http2';
import { captureMetrics, http2Metrics, httpMetrics, rowMatches } from './lesson-metrics';

/** A contract method called through the service; throws on `{ ok: false }`. */
export type CallMethod = <M extends MethodName>(name: M, params: Params<M>) => Promise<Result<M>>;

/** How a file the engine saved is named in a call: a handle where the caller's policy takes no plain path (the web mode). */
export type OwnFileName = (path: string) => string;

export class LessonError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LessonError';
  }
}

/** Packet rows per `capture.packets` call (the contract's maximum). */
const ROWS_PER_CALL = 5000;
/** Calls before giving up on paging a capture: lesson captures are a few hundred packets. */
const MAX_PAGE_CALLS = 20;

const HALF_OPEN_HOW_TO =
  'It needs Linux with iproute2 (`ip netns`) and root (or CAP_NET_ADMIN). Meanwhile, the example capture “A vanished peer found by keepalive” on the Captures page shows this experiment as the lab recorded it.';

/** The example capture that shows the half-open experiment, recorded where it could run. */
const HALF_OPEN_EXAMPLE = 'half-open-detected';

type Measured = Omit<LessonRun, 'id' | 'question' | 'choices' | 'expected' | 'observed' | 'held' | 'explanation'> & {
  metrics: LessonMetrics;
};

/** A lesson's params checked by the called method's own schema, so a bad lesson says which field is wrong. */
function checked<M extends MethodName>(name: M, params: Record<string, unknown>): Params<M> {
  const parsed = (methods[name].params as z.ZodType).safeParse(params);
  if (!parsed.success) throw new LessonError('invalid-lesson', `${name}: ${describeZodError(parsed.error)}`);
  return params as Params<M>;
}

function laneIds(result: HttpRunResult, which: Lesson['highlight']['lanes']): string[] {
  if (which === 'none') return [];
  if (which === 'all') return result.connections.map((connection) => connection.id);
  if (which === 'reused') return result.connections.filter((connection) => connection.requests > 1).map((connection) => connection.id);
  return [...new Set(result.requests.flatMap((request) => (request.error !== null && request.connection ? [request.connection] : [])))];
}

/** Opens a capture (an example by id, or a file the engine itself saved), measures it and closes it again. */
async function measureCapture(
  call: CallMethod,
  open: { exampleId: string } | { path: string },
  frames: string | undefined,
): Promise<{ metrics: LessonMetrics; packets: PacketRow[] }> {
  const summary = 'exampleId' in open ? await call('capture.openExample', open) : await call('capture.open', open);
  try {
    const rows: PacketRow[] = [];
    let fromFrame: number | null = 1;
    for (let page = 0; page < MAX_PAGE_CALLS && fromFrame !== null; page++) {
      const result: Result<'capture.packets'> = await call('capture.packets', {
        captureId: summary.captureId,
        fromFrame,
        count: ROWS_PER_CALL,
      });
      rows.push(...result.rows);
      fromFrame = result.nextFrame;
    }
    const packets = frames === undefined ? [] : rows.filter((row) => rowMatches(row, frames)).slice(0, MAX_HIGHLIGHTED_PACKETS);
    return { metrics: captureMetrics(summary, rows), packets };
  } finally {
    await call('capture.close', { captureId: summary.captureId });
  }
}

async function measureHttp(lesson: Lesson, call: CallMethod, jobId: string | undefined): Promise<Measured> {
  if (lesson.experiment.kind !== 'http-compare') throw new Error('not an HTTP lesson');
  const { a: sideA, b: sideB, capture } = lesson.experiment;
  const { a, b } = await call(
    'http.compare',
    checked('http.compare', { a: { config: sideA.config, capture }, b: { config: sideB.config, capture }, jobId }),
  );
  const side = lesson.highlight.side ?? 'b';
  return {
    metrics: { ...httpMetrics(a, 'a.'), ...httpMetrics(b, 'b.') },
    unavailable: null,
    notes: [],
    highlight: { side, lanes: laneIds(side === 'a' ? a : b, lesson.highlight.lanes), packets: [] },
    result: { kind: 'http-compare', titles: [sideA.title, sideB.title], a, b },
  };
}

async function measureKeepalive(lesson: Lesson, call: CallMethod, jobId: string | undefined, ownFile: OwnFileName): Promise<Measured> {
  if (lesson.experiment.kind !== 'tcp-keepalive') throw new Error('not a keepalive lesson');
  const run = await call('tcp.runKeepalive', checked('tcp.runKeepalive', { ...lesson.experiment.params, jobId }));
  const { settings } = run.summary;
  let metrics: LessonMetrics = {
    idleS: settings.idleS,
    intervalS: settings.intervalS,
    count: settings.count,
    // without a capture: the probes the kernel's own timer showed (ss)
    probes: run.summary.probesInferredAtMs.length,
  };
  const notes: string[] = [];
  let packets: PacketRow[] = [];
  if (run.capture?.status === 'unavailable') {
    notes.push(
      `Packets could not be captured (${run.capture.message}), so the figures that count packets are unknown; the probe count comes from the kernel’s own timer. ${run.capture.howToEnable}`,
    );
  } else if (run.capture?.status === 'captured' && run.capture.file !== null) {
    // the pcap stays in the engine's data folder, as a Lab run's saved capture does: the session's report names it
    const measured = await measureCapture(call, { path: ownFile(run.capture.file) }, lesson.highlight.frames);
    metrics = { ...metrics, ...measured.metrics, probes: measured.metrics['keepAlives'] ?? null };
    packets = measured.packets;
  }
  const lanes = lesson.highlight.lanes === 'none' ? [] : run.session.connections.map((connection) => connection.id);
  return { metrics, unavailable: null, notes, highlight: { side: null, lanes, packets }, result: { kind: 'tcp', session: run.session } };
}

async function measureHalfOpen(lesson: Lesson, call: CallMethod, jobId: string | undefined): Promise<Measured> {
  if (lesson.experiment.kind !== 'half-open') throw new Error('not a half-open lesson');
  const run = await call('tcp.runHalfOpen', checked('tcp.runHalfOpen', { ...lesson.experiment.params, jobId }));
  const { summary } = run;
  const metrics: LessonMetrics = {
    idleS: summary.idleS,
    intervalS: summary.intervalS,
    count: summary.count,
    expectedGiveUpMs: summary.expectedGiveUpMs,
    gaveUpAfterMs: summary.gaveUpAfterMs === null ? null : Math.round(summary.gaveUpAfterMs),
    probesSeen: summary.probesSeen,
    peerVanishedAtMs: summary.peerVanishedAtMs,
    keepaliveOnAtMs: summary.keepaliveOnAtMs,
    gaveUpAtMs: summary.gaveUpAtMs,
  };
  const unavailable = summary.available
    ? null
    : { reason: summary.reason ?? 'the experiment cannot run here', howToEnable: HALF_OPEN_HOW_TO, exampleId: HALF_OPEN_EXAMPLE };
  const lanes = lesson.highlight.lanes === 'none' ? [] : run.session.connections.map((connection) => connection.id);
  return {
    metrics,
    unavailable,
    notes: summary.error ? [`The socket failed with: ${summary.error}`] : [],
    highlight: { side: null, lanes, packets: [] },
    result: summary.available ? { kind: 'tcp', session: run.session } : null,
  };
}

async function measureExample(lesson: Lesson, call: CallMethod): Promise<Measured> {
  if (lesson.experiment.kind !== 'example') throw new Error('not a capture lesson');
  const { exampleId } = lesson.experiment;
  const measured = await measureCapture(call, { exampleId }, lesson.highlight.frames);
  return {
    metrics: measured.metrics,
    unavailable: null,
    notes: [],
    highlight: { side: null, lanes: [], packets: measured.packets },
    result: { kind: 'example', exampleId },
  };
}

/** A HAR's lanes the lesson is about: a reused lane carried more than one request; HAR has no failed connections. */
function harLaneIds(har: HarImport, which: Lesson['highlight']['lanes']): string[] {
  if (which === 'all') return har.connections.map((connection) => connection.id);
  if (which === 'reused') return har.connections.filter((connection) => connection.requests > 1).map((connection) => connection.id);
  return [];
}

async function measureHarExample(lesson: Lesson, call: CallMethod, jobId: string | undefined): Promise<Measured> {
  if (lesson.experiment.kind !== 'har-example') throw new Error('not a HAR lesson');
  const { exampleId } = lesson.experiment;
  const har = await call('har.openExample', { exampleId, jobId });
  return {
    metrics: harMetrics(har),
    unavailable: null,
    notes: har.warnings,
    highlight: { side: null, lanes: harLaneIds(har, lesson.highlight.lanes), packets: [] },
    result: { kind: 'har-example', exampleId, har },
  };
}

/** An HTTP/2 run's lanes the lesson is about: reused = carried more than one stream; errors = ended by GOAWAY or carried a failed stream. */
function http2LaneIds(result: Http2RunResult, which: Lesson['highlight']['lanes']): string[] {
  const { connections, requests } = result;
  if (which === 'none') return [];
  if (which === 'all') return connections.map((connection) => connection.id);
  if (which === 'reused') return connections.filter((connection) => connection.requests > 1).map((connection) => connection.id);
  const failed = new Set(requests.flatMap((request) => (request.error !== null && request.connection ? [request.connection] : [])));
  return connections.filter((connection) => connection.goaway !== null || failed.has(connection.id)).map((connection) => connection.id);
}

async function measureHttp2(lesson: Lesson, call: CallMethod, jobId: string | undefined): Promise<Measured> {
  if (lesson.experiment.kind !== 'http2') throw new Error('not an HTTP/2 lesson');
  const { h1: h1Side, h2: h2Side } = lesson.experiment;
  // one after the other under the same job id, so one cancel stops whichever is running
  const h1 = h1Side ? await call('http.run', checked('http.run', { config: h1Side.config, title: h1Side.title, jobId })) : null;
  const h2 = await call(
    'http2.run',
    checked('http2.run', { config: h2Side.config, ...(h2Side.preset ? { preset: h2Side.preset } : {}), jobId }),
  );
  return {
    metrics: { ...http2Metrics(h2), ...(h1 ? httpMetrics(h1, 'h1.') : {}) },
    unavailable: null,
    notes: [],
    highlight: { side: null, lanes: http2LaneIds(h2, lesson.highlight.lanes), packets: [] },
    result: { kind: 'http2', titles: { h2: h2Side.title, h1: h1Side?.title ?? null }, h2, h1 },
  };
}

function measure(lesson: Lesson, call: CallMethod, jobId: string | undefined, ownFile: OwnFileName): Promise<Measured> {
  switch (lesson.experiment.kind) {
    case 'http-compare':
      return measureHttp(lesson, call, jobId);
    case 'tcp-keepalive':
      return measureKeepalive(lesson, call, jobId, ownFile);
    case 'half-open':
      return measureHalfOpen(lesson, call, jobId);
    case 'example':
      return measureExample(lesson, call);
    case 'har-example':
      return measureHarExample(lesson, call, jobId);
    case 'http2':
      return measureHttp2(lesson, call, jobId);
  }
}

export async function runLesson(
  lesson: Lesson,
  call: CallMethod,
  jobId?: string,
  ownFile: OwnFileName = (path) => path,
): Promise<LessonRun> {
  const { metrics, ...measured } = await measure(lesson, call, jobId, ownFile);
  const choice = measured.unavailable === null ? observedChoice(lesson, metrics) : null;
  return {
    id: lesson.id,
    question: lesson.question,
    choices: lesson.choices.map(({ id, label }) => ({ id, label })),
    expected: lesson.expected,
    observed: { choice, values: metrics },
    held: choice === null ? null : choice === lesson.expected,
    explanation:
      measured.unavailable === null
        ? fillExplanation(lesson.explanation, metrics)
        : `${measured.unavailable.reason}. ${measured.unavailable.howToEnable}`,
    ...measured,
  };
}
