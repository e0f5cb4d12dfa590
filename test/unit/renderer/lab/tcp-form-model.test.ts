import { describe, expect, it } from 'vitest';
import { tcpMethods } from '@shared/api-tcp';
import {
  defaultTcpForm,
  formDeadPeer,
  isServerExperiment,
  runCall,
  startCall,
  TCP_EXPERIMENTS,
  TCP_FIELD_LABELS,
  TCP_FIELDS,
  tcpFormProblems,
} from '@renderer/features/lab/tcp-form-model';

describe('the TCP lab form', () => {
  it('turns every experiment into exactly one call the contract accepts', () => {
    for (const { name } of TCP_EXPERIMENTS) {
      const form = { ...defaultTcpForm(), experiment: name, delayMs: 5, dropEveryNth: 3 };
      const run = runCall(form, 'job-1');
      const start = startCall(form);
      expect(Boolean(run) !== Boolean(start), name).toBe(true);
      expect(isServerExperiment(name)).toBe(start !== null);
      const call = run ?? start!;
      const parsed = tcpMethods[call.method].params.safeParse(call.params);
      expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('passes the keepalive settings through and leaves the echo behaviour out when it changes nothing', () => {
    const form = {
      ...defaultTcpForm(),
      experiment: 'keepalive' as const,
      idleS: 2,
      intervalS: 3,
      count: 4,
      holdS: 9,
      close: 'rst' as const,
    };
    expect(runCall(form, 'j')).toEqual({
      method: 'tcp.runKeepalive',
      params: { jobId: 'j', idleS: 2, intervalS: 3, count: 4, holdS: 9, close: 'rst' },
    });
    const mux = runCall({ ...defaultTcpForm(), experiment: 'mux' }, 'j');
    expect(mux?.method).toBe('tcp.runMux');
    expect(mux?.params).not.toHaveProperty('server.delayMs');
    expect((mux?.params as { server?: unknown }).server).toBeUndefined();
  });

  it('names each field of the chosen experiment that is out of range, and only those', () => {
    expect(tcpFormProblems(defaultTcpForm())).toEqual([]);
    const form = { ...defaultTcpForm(), experiment: 'keepalive' as const, idleS: 0, holdS: 1.5, requests: -1 };
    expect(tcpFormProblems(form)).toEqual(['Idle before the first probe: at least 1 s', 'Hold the connection idle for: a whole number']);
  });

  it('says each problem in plain words: a missing number, a bound with its unit, a whole number', () => {
    const base = { ...defaultTcpForm(), experiment: 'pool' as const };
    expect(tcpFormProblems({ ...base, requests: Number.NaN })).toEqual(['Requests: a number is needed']);
    expect(tcpFormProblems({ ...base, requests: 0 })).toEqual(['Requests: at least 1']);
    expect(tcpFormProblems({ ...base, poolSize: 5000 })).toEqual(['Pool size: at most 1,000']);
    expect(tcpFormProblems({ ...base, acquireTimeoutMs: 700_000 })).toEqual(['Longest wait for a free connection: at most 600,000 ms']);
  });

  it('the vanished-peer experiment: its own limits, and the detection time of its settings', () => {
    const form = { ...defaultTcpForm(), experiment: 'half-open' as const, idleS: 61, intervalS: 1, count: 3 };
    expect(tcpFormProblems(form)).toEqual(['Idle before the first probe: at most 60 s']);
    expect(runCall({ ...form, idleS: 1 }, 'j')).toEqual({
      method: 'tcp.runHalfOpen',
      params: { jobId: 'j', idleS: 1, intervalS: 1, count: 3 },
    });
    expect(formDeadPeer({ ...form, idleS: 1 })).toMatchObject({
      ms: 4000,
      formula: expect.stringMatching(/^1 s idle \+ 3 × 1 s interval = 4 s$/),
    });
    expect(formDeadPeer({ ...form, experiment: 'keepalive', idleS: 7200, intervalS: 75, count: 9 })?.ms).toBe(7_875_000);
    expect(formDeadPeer({ ...form, experiment: 'mux' })).toBeNull();
    // TCP_USER_TIMEOUT set: passed on, and it replaces the probe count in the detection time
    const withUserTimeout = { ...form, idleS: 1, count: 9, userTimeoutMs: 2200 };
    expect(runCall(withUserTimeout, 'j')?.params).toMatchObject({ userTimeoutMs: 2200 });
    expect(formDeadPeer(withUserTimeout)?.ms).toBe(3000);
    expect(tcpFormProblems({ ...withUserTimeout, userTimeoutMs: 60_001 })).toEqual(['TCP_USER_TIMEOUT (0 = not set): at most 60,000 ms']);
  });

  it('labels every field it shows', () => {
    for (const fields of Object.values(TCP_FIELDS))
      for (const field of fields) expect(TCP_FIELD_LABELS[field].label.length).toBeGreaterThan(3);
  });
});
