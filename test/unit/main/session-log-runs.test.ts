/** The runs the session log keeps for "Export this comparison": which results count, how many, and Clear. */
import { describe, expect, it } from 'vitest';
import { MAX_KEPT_RUNS, SessionLog } from '@engine/session-log';

/** The parts of a run result the log looks at: its request rows and its session's id. */
const runResult = (id: string) => ({ requests: [], session: { id } });

describe('SessionLog runs', () => {
  it('keeps the runs of http.run, http2.run, http.compare and a lesson, by session id', () => {
    const log = new SessionLog();
    log.observe('http.run', runResult('one'));
    log.observe('http2.run', runResult('two'));
    log.observe('http.compare', { a: runResult('three-a'), b: runResult('three-b'), differences: [] });
    log.observe('learn.run', { result: { kind: 'http2', h2: runResult('four-h2'), h1: null } });
    expect(log.run('one')?.protocol).toBe('http1');
    expect(log.run('two')?.protocol).toBe('http2');
    expect([log.run('three-a')?.protocol, log.run('three-b')?.protocol]).toEqual(['http1', 'http1']);
    expect(log.run('four-h2')?.protocol).toBe('http2');
    // a session alone (a TCP experiment) is no run to compare
    log.observe('tcp.runMux', { session: { id: 'tcp' } });
    expect(log.run('tcp')).toBeNull();
  });

  it(`keeps the last ${MAX_KEPT_RUNS} runs, as the page lists, and Clear session empties them`, () => {
    const log = new SessionLog();
    for (let index = 0; index < MAX_KEPT_RUNS + 5; index++) log.observe('http.run', runResult(`run-${index}`));
    expect(log.run('run-4')).toBeNull();
    expect(log.run('run-5')).not.toBeNull();
    expect(log.run(`run-${MAX_KEPT_RUNS + 4}`)).not.toBeNull();
    log.clear();
    expect(log.run(`run-${MAX_KEPT_RUNS + 4}`)).toBeNull();
  });
});
