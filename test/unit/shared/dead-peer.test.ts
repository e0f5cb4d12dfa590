import { describe, expect, it } from 'vitest';
import { dataOutstandingSentence, deadPeerDetection, deadPeerFromSeconds, deadPeerLine, formatDetection } from '@shared/dead-peer';

describe('deadPeerDetection', () => {
  it('idle + count × interval without TCP_USER_TIMEOUT (the half-open experiment: 1 s + 3 × 1 s = 4000 ms)', () => {
    const found = deadPeerDetection({ enabled: true, idleMs: 1000, intervalMs: 1000, count: 3, userTimeoutMs: null });
    expect(found).toMatchObject({ ms: 4000, idleMs: 1000, intervalMs: 1000, count: 3, userTimeoutMs: null, dataOutstandingMs: null });
    expect(found.formula).toBe('1 s idle + 3 × 1 s interval = 4 s');
    expect(dataOutstandingSentence(found)).toMatch(/tcp_retries2/);
  });

  it('Linux defaults: 7200 s + 9 × 75 s = 2 h 11 min 15 s', () => {
    const found = deadPeerFromSeconds({ enabled: true, idleS: 7200, intervalS: 75, count: 9, userTimeoutMs: 0 });
    expect(found.ms).toBe(7_875_000);
    expect(formatDetection(found.ms)).toBe('2 h 11 min 15 s');
    expect(found.userTimeoutMs).toBeNull();
  });

  it('TCP_USER_TIMEOUT replaces the count: the first keepalive tick at or after it, never before the first probe', () => {
    const found = deadPeerDetection({ enabled: true, idleMs: 1000, intervalMs: 1000, count: 9, userTimeoutMs: 2500 });
    expect(found).toMatchObject({ ms: 3000, userTimeoutMs: 2500, dataOutstandingMs: 2500 });
    expect(found.formula).toContain('1 s idle + 2 × 1 s interval = 3 s');
    expect(dataOutstandingSentence(found)).toBe('With data unacknowledged, TCP_USER_TIMEOUT 2500 ms wins.');
    // a user timeout shorter than the idle time still waits for one probe and one interval
    expect(deadPeerDetection({ enabled: true, idleMs: 5000, intervalMs: 1000, count: 3, userTimeoutMs: 100 }).ms).toBe(6000);
  });

  it('keepalive off: never noticed while idle', () => {
    const found = deadPeerDetection({ enabled: false, idleMs: null, intervalMs: null, count: null, userTimeoutMs: null });
    expect(found.ms).toBeNull();
    expect(formatDetection(found.ms)).toBe('never');
    expect(found.formula).toMatch(/^TCP keepalive is off/);
  });

  it('keeps milliseconds when the settings are not whole seconds', () => {
    expect(deadPeerDetection({ enabled: true, idleMs: 1500, intervalMs: 1000, count: 2, userTimeoutMs: null }).formula).toBe(
      '1500 ms idle + 2 × 1000 ms interval = 3500 ms',
    );
  });

  it('unknown values leave ms null and say which', () => {
    const found = deadPeerDetection({ enabled: true, idleMs: 1000, intervalMs: null, count: 3, userTimeoutMs: null });
    expect(found.ms).toBeNull();
    expect(found.formula).toBe('unknown: idle 1000 ms, interval ? ms, count 3');
  });
});

describe('deadPeerLine', () => {
  it('says when a silent peer would be noticed and why, or that it never would, in one sentence each', () => {
    const on = deadPeerDetection({ enabled: true, idleMs: 1000, intervalMs: 1000, count: 10, userTimeoutMs: null });
    expect(deadPeerLine(on)).toBe(`a silent peer would be noticed after 11 s: ${on.formula}. ${dataOutstandingSentence(on)}`);
    const off = deadPeerDetection({ enabled: false, idleMs: null, intervalMs: null, count: null, userTimeoutMs: null });
    expect(deadPeerLine(off)).toBe(`a silent peer would never be noticed (${off.formula}). ${dataOutstandingSentence(off)}`);
    expect(deadPeerLine(off)).not.toContain('after never');
  });
});
