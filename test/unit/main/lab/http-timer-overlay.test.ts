import { describe, expect, it } from 'vitest';
import { timerOverlay, type OverlayInput } from '@engine/lab/http-timer-overlay';
import { explainErrorCode } from '@shared/http-error-text';
import { keepAliveHintSeconds } from '@engine/lab/http-request-types';

const kernel: OverlayInput['kernel'] = { enabled: true, idleS: 1, intervalS: 1, count: 10, source: 'test' };

describe('timerOverlay', () => {
  it('client timeout below the server’s: the client closes first, no stale reuse', () => {
    const overlay = timerOverlay({
      client: { ms: 200, source: 'agent timeout' },
      serverKeepAliveTimeoutMs: 300,
      keepAliveHint: null,
      kernel,
      idleGapMs: 400,
    });
    expect(overlay.verdict.first).toBe('client');
    expect(overlay.verdict.afterMs).toBe(200);
    expect(overlay.verdict.reason).toContain('100 ms before the server');
  });

  it('no client timeout and an idle gap above the server’s: the server closes first and the race is named', () => {
    const overlay = timerOverlay({
      client: { ms: null, source: 'none' },
      serverKeepAliveTimeoutMs: 300,
      keepAliveHint: null,
      kernel,
      idleGapMs: 400,
    });
    expect(overlay.verdict.first).toBe('server');
    expect(overlay.verdict.afterMs).toBe(300);
    expect(overlay.verdict.reason).toMatch(/ECONNRESET/);
  });

  it('an unknown server falls back to the Keep-Alive hint in seconds', () => {
    const overlay = timerOverlay({
      client: { ms: null, source: 'none' },
      serverKeepAliveTimeoutMs: null,
      keepAliveHint: 'timeout=5, max=100',
      kernel,
      idleGapMs: null,
    });
    expect(overlay.serverKeepAliveTimeoutMs).toBe(5000);
    expect(overlay.verdict.first).toBe('server');
  });

  it('keep-alive off: the client closes right away', () => {
    const overlay = timerOverlay({
      client: { ms: 0, source: 'agent keepAlive off' },
      serverKeepAliveTimeoutMs: 5000,
      keepAliveHint: null,
      kernel,
      idleGapMs: null,
    });
    expect(overlay.verdict).toMatchObject({ first: 'client', afterMs: 0 });
  });

  it('says what the kernel would do', () => {
    const overlay = timerOverlay({
      client: { ms: 4000, source: 'undici keepAliveTimeout' },
      serverKeepAliveTimeoutMs: 5000,
      keepAliveHint: null,
      kernel: { ...kernel, idleS: 60 },
      idleGapMs: null,
    });
    expect(overlay.verdict.reason).toContain('after 60 s idle (and again 60 s after each answer), 1 s apart while unanswered');
  });
});

describe('keepAliveHintSeconds', () => {
  it.each([
    ['timeout=5', 5],
    ['max=100, timeout=2', 2],
    ['Timeout=7', 7],
    ['max=3', null],
    [null, null],
  ])('%s → %s', (hint, seconds) => {
    expect(keepAliveHintSeconds(hint)).toBe(seconds);
  });
});

describe('explainErrorCode', () => {
  it.each([
    ['ECONNREFUSED', 'nothing listens on that port'],
    ['ENOTFOUND', 'the host name does not resolve'],
    ['HPE_INVALID_CONSTANT', 'the peer does not speak HTTP/1.1'],
    ['HTTPParserError', 'the peer does not speak HTTP/1.1'],
    [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      "the server's TLS certificate is not trusted: it signed itself, and no CA this client trusts vouches for it",
    ],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "the server's TLS certificate is not trusted: it was issued for another host name"],
    ['UND_ERR_SOCKET', 'the server closed the connection under the request'],
    ['EWHATEVER', null],
  ])('%s', (code, text) => {
    expect(explainErrorCode(code)).toBe(text);
  });
});
