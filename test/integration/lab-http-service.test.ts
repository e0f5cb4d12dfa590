/** The http handlers: live events, cancel, compare, presets, errors as ServiceError. */
import { describe, expect, it } from 'vitest';
import { EngineEventSchema, methods, type EngineEvent } from '@shared/api';
import { ServiceError, type ServiceContext } from '@engine/services/context';
import { createHttpHandlers } from '@engine/services/http';
import { serviceContext } from '../helpers/service-context';

function context(): { ctx: ServiceContext; events: EngineEvent[] } {
  const ctx = serviceContext();
  return { ctx, events: ctx.events };
}

describe('http handlers', () => {
  it('http.presets lists presets that satisfy the result schema', async () => {
    const { ctx } = context();
    const presets = await createHttpHandlers(ctx)['http.presets']({});
    expect(methods['http.presets'].result.parse(presets).length).toBeGreaterThanOrEqual(7);
  });

  it('http.run streams trace-appended and stats-updated events for the job and returns a valid result', async () => {
    const { ctx, events } = context();
    const result = await createHttpHandlers(ctx)['http.run']({ preset: 'drained-body', config: { requests: 5 }, jobId: 'job-1' });
    expect(() => methods['http.run'].result.parse(result)).not.toThrow();
    expect(result.connectionsOpened).toBe(1);
    expect(result.reused).toBe(4);
    for (const event of events) expect(() => EngineEventSchema.parse(event)).not.toThrow();
    const traced = events.filter((event) => event.kind === 'trace-appended');
    expect(traced.length).toBeGreaterThan(0);
    expect(traced.every((event) => event.jobId === 'job-1')).toBe(true);
    const streamedKinds = traced.flatMap((event) => (event.kind === 'trace-appended' ? event.events.map((item) => item.kind) : []));
    expect(streamedKinds.filter((kind) => kind === 'request-ended')).toHaveLength(5);
    const stats = events.filter((event) => event.kind === 'stats-updated');
    expect(stats.at(-1)).toMatchObject({ jobId: 'job-1', stats: { done: 5, total: 5, connectionsOpened: 1 } });
  });

  it('job.cancel ends a run early; it still returns what it saw and releases its sockets', async () => {
    const { ctx, events } = context();
    const running = createHttpHandlers(ctx)['http.run']({ config: { requests: 50, intervalMs: 100 }, jobId: 'job-2' });
    const deadline = Date.now() + 10_000;
    while (!events.some((event) => event.kind === 'stats-updated') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ctx.jobs.cancel('job-2')).toBe(true);
    const result = await running;
    expect(result.requests.length).toBeLessThan(50);
    expect(result.notes.some((note) => note.startsWith('cancelled after'))).toBe(true);
    expect(result.openAfterRelease).toBe(0);
  });

  it('http.compare runs both and lists the differences', async () => {
    const { ctx } = context();
    const comparison = await createHttpHandlers(ctx)['http.compare']({ a: { preset: 'drained-body' }, b: { preset: 'ignored-body' } });
    expect(() => methods['http.compare'].result.parse(comparison)).not.toThrow();
    expect(comparison.differences).toEqual(expect.arrayContaining([{ field: 'connectionsOpened', a: 1, b: 10 }]));
  });

  it('bad config and unknown presets are ServiceErrors with a code', async () => {
    const { ctx } = context();
    const handlers = createHttpHandlers(ctx);
    await expect(handlers['http.run']({ config: { requests: -1 } })).rejects.toMatchObject({ code: 'invalid-config' });
    await expect(handlers['http.run']({ preset: 'nope' })).rejects.toBeInstanceOf(ServiceError);
  });
});
