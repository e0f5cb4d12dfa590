/**
 * The HTTP/2 lab room: `http2.run` as a cancellable job. While it runs it pushes `job-progressed`
 * (attempts ended of the requests asked), and, like the HTTP lab (http.ts), its trace and figures as
 * they become final (`trace-appended` with the events not sent before, `stats-updated`), batched per
 * 50 ms; the last batch completes the run's trace, so a page that follows the job draws the same
 * lanes as the result. `job.cancel` stops new requests; those in flight end (answered or at their
 * timeout) and the run returns what it saw.
 */
import { z } from 'zod';
import { describeZodError } from '@shared/api';
import type { http2Methods, Http2RunConfig, Http2RunResult } from '@shared/api-http2';
import type { Session } from '@shared/trace';
import { runHttp2, type Http2LiveView } from '../lab/http2-run';
import { HTTP2_PRESETS, resolveHttp2Config, UnknownHttp2PresetError } from '../lab/http2-scenarios';
import { ServiceError, type Handlers, type ServiceContext } from './context';

/** ms between progress events: a page redraws its counter once a frame at most */
const PROGRESS_EVERY_MS = 100;
/** ms between pushed trace batches: a UI applies them once per frame anyway */
const PUSH_EVERY_MS = 50;

function resolveOrThrow(preset: string | undefined, config: Record<string, unknown> | undefined): Http2RunConfig {
  try {
    return resolveHttp2Config(preset, config ?? {});
  } catch (error) {
    if (error instanceof UnknownHttp2PresetError) throw new ServiceError('unknown-preset', error.message);
    if (error instanceof z.ZodError) throw new ServiceError('invalid-config', `HTTP/2 settings: ${describeZodError(error)}`);
    throw error;
  }
}

export async function runHttp2Job(ctx: ServiceContext, config: Http2RunConfig, jobId: string | undefined): Promise<Http2RunResult> {
  const job = ctx.jobs.start(jobId);
  let lastProgressAt = 0;
  const progress = (done: number, total: number, force = false) => {
    const now = performance.now();
    if (!force && now - lastProgressAt < PROGRESS_EVERY_MS) return;
    lastProgressAt = now;
    ctx.emit({ kind: 'job-progressed', jobId: job.jobId, done: Math.min(done, total), total, unit: 'requests' });
  };
  const sent = new Set<string>();
  /** pushes the events of `session` not pushed before (an event is final once read: http2-run.ts liveView) */
  const push = (session: Session) => {
    const events = session.events.filter((event) => {
      const key = JSON.stringify(event);
      if (sent.has(key)) return false;
      sent.add(key);
      return true;
    });
    if (events.length === 0) return;
    ctx.emit({ kind: 'trace-appended', jobId: job.jobId, epochMs: session.epochMs, connections: session.connections, events });
  };
  let read: (() => Http2LiveView) | null = null;
  const pusher = setInterval(() => {
    if (!read) return;
    const view = read();
    ctx.emit({ kind: 'stats-updated', jobId: job.jobId, stats: view.stats });
    push(view.session);
  }, PUSH_EVERY_MS);
  try {
    progress(0, config.requests, true);
    const result = await runHttp2(config, {
      signal: job.signal,
      runId: job.jobId,
      onProgress: (done, total) => progress(done, total),
      onLive: (reader) => void (read = reader),
    });
    clearInterval(pusher);
    progress(result.answered, config.requests, true);
    push(result.session);
    ctx.emit({ kind: 'stats-updated', jobId: job.jobId, stats: result.session.summary });
    return result;
  } catch (error) {
    throw new ServiceError('http2-run-failed', error instanceof Error ? error.message : String(error));
  } finally {
    clearInterval(pusher);
    job.done();
  }
}

export function createHttp2Handlers(ctx: ServiceContext): Handlers<typeof http2Methods> {
  return {
    'http2.run': async ({ config, preset, jobId }) => runHttp2Job(ctx, resolveOrThrow(preset, config), jobId),
    'http2.presets': async () => HTTP2_PRESETS.map((preset) => ({ ...preset })),
  };
}
