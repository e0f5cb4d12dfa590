/**
 * The http handlers: run the HTTP keep-alive lab for the UI. While a run goes it
 * pushes `trace-appended` and `stats-updated` events (both batched per 50 ms: a
 * 100,000-request run must not send 100,000 messages) for the caller's job id; `job.cancel` aborts it (the run still ends cleanly and returns
 * what it saw).
 */
import { z } from 'zod';
import { describeZodError } from '@shared/api';
import { HTTP_CONFIG_LABELS } from '@shared/plain-errors';
import { httpMethods, type HttpRunConfig, type HttpRunResult } from '@shared/api-http';
import type { TraceEvent } from '@shared/trace';
import { runHttpLoop } from '../lab/http-loop';
import type { HttpRecorder } from '../lab/http-recorder';
import { HTTP_PRESETS, resolveHttpConfig, UnknownPresetError } from '../lab/http-scenarios';
import { ServiceError, type Handlers, type ServiceContext } from './context';
import { captureFilePath } from './capture-file';
import { runHttpLoopWithCapture } from '../correlate/http-capture';

/** ms between pushed trace batches: a UI applies them once per frame anyway */
const PUSH_EVERY_MS = 50;

type RunInput = { config?: Record<string, unknown> | undefined; preset?: string | undefined; title?: string | undefined };

/** Live capture for one run: off, on, or on with the pcap kept in the data folder. */
export type CaptureChoice = { capture?: boolean | undefined; saveCapture?: boolean | undefined };

function resolveOrThrow(input: RunInput): HttpRunConfig {
  try {
    return resolveHttpConfig(input.preset, input.config ?? {});
  } catch (error) {
    if (error instanceof UnknownPresetError) throw new ServiceError('unknown-preset', error.message);
    if (error instanceof z.ZodError)
      throw new ServiceError('invalid-config', `HTTP settings: ${describeZodError(error, HTTP_CONFIG_LABELS)}`);
    throw error;
  }
}

/** The name a run keeps in the session and the report: the one the person chose, else the preset's title. */
function chosenTitle(input: RunInput): string | undefined {
  return input.title ?? (input.preset === undefined ? undefined : HTTP_PRESETS.find((preset) => preset.name === input.preset)?.title);
}

function titled(result: HttpRunResult, title: string | undefined): HttpRunResult {
  return title === undefined ? result : { ...result, session: { ...result.session, title } };
}

/** Runs one configuration as a job, streaming its trace to the UI. */
export async function runHttpJob(
  ctx: ServiceContext,
  config: HttpRunConfig,
  jobId: string | undefined,
  signal?: AbortSignal,
  capture: CaptureChoice = {},
): Promise<HttpRunResult> {
  const job = ctx.jobs.start(jobId);
  const combined = signal ? AbortSignal.any([signal, job.signal]) : job.signal;
  let batch: TraceEvent[] = [];
  let batchRecorder: HttpRecorder | null = null;
  let latestStats: Record<string, number> | null = null;
  const flush = () => {
    if (latestStats) ctx.emit({ kind: 'stats-updated', jobId: job.jobId, stats: latestStats });
    latestStats = null;
    if (!batchRecorder || batch.length === 0) return;
    ctx.emit({
      kind: 'trace-appended',
      jobId: job.jobId,
      epochMs: batchRecorder.trace.epochMs,
      connections: [...batchRecorder.trace.connections.values()],
      events: batch,
    });
    batch = [];
  };
  const pusher = setInterval(flush, PUSH_EVERY_MS);
  try {
    const options = {
      signal: combined,
      runId: job.jobId,
      onEvent: (event: TraceEvent, recorder: HttpRecorder) => {
        batchRecorder = recorder;
        batch.push(event);
      },
      onStats: (stats: Record<string, number>) => void (latestStats = stats),
    };
    if (!capture.capture && !capture.saveCapture) return await runHttpLoop(config, options);
    const saveTo = capture.saveCapture ? await captureFilePath(ctx, job.jobId) : null;
    return await runHttpLoopWithCapture(config, options, { saveTo });
  } catch (error) {
    throw new ServiceError('http-run-failed', error instanceof Error ? error.message : String(error));
  } finally {
    clearInterval(pusher);
    flush();
    job.done();
  }
}

/** Figures that differ between two runs, for the side-by-side view. */
export function differences(a: HttpRunResult, b: HttpRunResult): { field: string; a: unknown; b: unknown }[] {
  const fields = ['connectionsOpened', 'reused', 'handshakesSaved', 'maxOpen', 'openAtEnd', 'errors', 'durationMs'] as const;
  const found: { field: string; a: unknown; b: unknown }[] = fields
    .filter((field) => a[field] !== b[field])
    .map((field) => ({ field, a: a[field], b: b[field] }));
  const median = (result: HttpRunResult) => {
    const totals = result.requests.map((request) => request.ms.total ?? 0).sort((x, y) => x - y);
    return totals[Math.floor(totals.length / 2)] ?? null;
  };
  found.push({ field: 'medianRequestMs', a: median(a), b: median(b) });
  return found;
}

export function createHttpHandlers(ctx: ServiceContext): Handlers<typeof httpMethods> {
  return {
    'http.run': async ({ config, preset, title, jobId, capture, saveCapture }) =>
      titled(
        await runHttpJob(ctx, resolveOrThrow({ config, preset }), jobId, undefined, { capture, saveCapture }),
        chosenTitle({ preset, title }),
      ),
    'http.compare': async ({ a, b, jobId }) => {
      const configA = resolveOrThrow(a);
      const configB = resolveOrThrow(b);
      // `job.cancel(jobId)` stops both; each run streams its events as `<jobId>-a` / `<jobId>-b`.
      const outer = ctx.jobs.start(jobId);
      try {
        // One after the other: two runs at once would share the CPU and skew the timings.
        const resultA = titled(await runHttpJob(ctx, configA, `${outer.jobId}-a`, outer.signal, a), chosenTitle(a));
        const resultB = titled(await runHttpJob(ctx, configB, `${outer.jobId}-b`, outer.signal, b), chosenTitle(b));
        return { a: resultA, b: resultB, differences: differences(resultA, resultB) };
      } finally {
        outer.done();
      }
    },
    'http.presets': async () => HTTP_PRESETS.map((preset) => ({ ...preset })),
  };
}
