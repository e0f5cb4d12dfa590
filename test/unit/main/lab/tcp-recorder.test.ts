import { describe, expect, it } from 'vitest';
import { validateKeepaliveRequest } from '@engine/lab/socket-options';
import { classifyClose } from '@engine/lab/tcp-recorder';

const error = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`boom ${code}`), { code });

describe('classifyClose', () => {
  it('names resets, keepalive give-ups and our own closes', () => {
    expect(classifyClose({ localClose: null, remoteEnded: false, error: error('ECONNRESET') })).toEqual({
      how: 'rst',
      by: 'remote',
      reason: 'ECONNRESET',
    });
    expect(classifyClose({ localClose: null, remoteEnded: false, error: error('ETIMEDOUT') })).toMatchObject({
      how: 'timeout',
      by: 'local',
    });
    expect(classifyClose({ localClose: 'rst', remoteEnded: false, error: null })).toEqual({ how: 'rst', by: 'local' });
    expect(classifyClose({ localClose: 'fin', remoteEnded: true, error: null })).toEqual({ how: 'fin', by: 'local' });
    expect(classifyClose({ localClose: null, remoteEnded: true, error: null })).toEqual({ how: 'fin', by: 'remote' });
    expect(classifyClose({ localClose: null, remoteEnded: false, error: error('EHOSTUNREACH') })).toMatchObject({
      how: 'error',
      by: 'unknown',
    });
  });
});

describe('validateKeepaliveRequest', () => {
  it('accepts whole seconds ≥ 1 and says why anything else is refused', () => {
    expect(validateKeepaliveRequest({ enabled: true, idleS: 1, intervalS: 1, count: 3, userTimeoutMs: 0 })).toBeNull();
    expect(validateKeepaliveRequest({ enabled: true, idleS: 0.5 })).toMatch(/drops less than 1000 ms/);
    expect(validateKeepaliveRequest({ enabled: true, intervalS: 0 })).toMatch(/interval/);
    expect(validateKeepaliveRequest({ enabled: true, count: 1.5 })).toMatch(/count/);
    expect(validateKeepaliveRequest({ enabled: true, userTimeoutMs: -1 })).toMatch(/user timeout/);
  });
});
