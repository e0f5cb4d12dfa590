import { describe, expect, it } from 'vitest';
import { applyEngineEvent, emptyJobView } from '@renderer/api/use-engine-events';

describe('folding engine events into a job view', () => {
  it('appends trace events, merges connections by id, keeps the first epoch, and tracks stats and progress', () => {
    let view = emptyJobView();
    view = applyEngineEvent(view, {
      kind: 'trace-appended',
      jobId: 'j',
      epochMs: 1000,
      connections: [{ id: 'c1', label: 'c1', local: null, remote: null }],
      events: [{ kind: 'conn-opened', t: 5, conn: 'c1', via: 'new', local: null, remote: null }],
    });
    view = applyEngineEvent(view, {
      kind: 'trace-appended',
      jobId: 'j',
      epochMs: 2000,
      connections: [
        { id: 'c1', label: 'first', local: null, remote: null },
        { id: 'c2', label: 'c2', local: null, remote: null },
      ],
      events: [{ kind: 'conn-closed', t: 9, conn: 'c1', how: 'fin', by: 'remote' }],
    });
    view = applyEngineEvent(view, { kind: 'stats-updated', jobId: 'j', stats: { open: 2 } });
    view = applyEngineEvent(view, { kind: 'job-progressed', jobId: 'j', done: 3, total: 10, unit: 'requests' });
    expect(view.epochMs).toBe(1000);
    expect(view.connections.map((c) => c.label)).toEqual(['first', 'c2']);
    expect(view.events.map((e) => e.kind)).toEqual(['conn-opened', 'conn-closed']);
    expect(view.stats).toEqual({ open: 2 });
    expect(view.progress).toEqual({ done: 3, total: 10, unit: 'requests', note: undefined });
  });

  it('ignores events that carry no job data', () => {
    const view = emptyJobView();
    expect(applyEngineEvent(view, { kind: 'log-written', level: 'info', message: 'x', atMs: 1 })).toBe(view);
  });
});
