import { describe, expect, it } from 'vitest';
import { HttpRunConfigSchema, type TimerOverlay } from '@shared/api-http';
import type { ConnectionCause } from '@shared/connection-cause';
import { connectionSurprise } from '@engine/lab/http-run-result';

/** the idle timeouts of a run's first connection, ms (null = none) */
const overlayWith = (clientIdleTimeoutMs: number | null, serverKeepAliveTimeoutMs: number | null): TimerOverlay => ({
  clientIdleTimeoutMs,
  clientIdleSource: 'agent timeout',
  serverKeepAliveTimeoutMs,
  keepAliveHint: null,
  kernel: { enabled: false, idleS: null, intervalS: null, count: null, source: 'off' },
  verdict: { first: 'nobody', afterMs: null, reason: 'test' },
});
const noTimeouts = overlayWith(null, 5000);

const opened = (...causes: ConnectionCause[]) => openedWith(noTimeouts, ...causes);
const openedWith = (overlay: TimerOverlay, ...causes: ConnectionCause[]) =>
  causes.map((cause, index) => ({ id: `c${index + 1}`, openedBecause: { cause, detail: `why c${index + 1}` }, overlay }));

describe('connectionSurprise', () => {
  it('is null when the settings call for every connection', () => {
    expect(connectionSurprise(HttpRunConfigSchema.parse({ requests: 10 }), opened('first'))).toBeNull();
    const twoAtOnce = HttpRunConfigSchema.parse({ requests: 10, concurrency: 2 });
    expect(connectionSurprise(twoAtOnce, opened('first', 'all-busy'))).toBeNull();
    const ignored = HttpRunConfigSchema.parse({ requests: 3, body: 'ignore' });
    expect(connectionSurprise(ignored, opened('first', 'body-unread', 'body-unread'))).toBeNull();
  });

  it('names the extra connections, not the ones the concurrency needed, whatever their order', () => {
    const config = HttpRunConfigSchema.parse({ client: 'undici', requests: 4, concurrency: 2 });
    expect(connectionSurprise(config, opened('first', 'undici-not-yet-free', 'all-busy'))).toEqual({
      minimum: 2,
      opened: 3,
      headline: '3 connections for 4 requests where 2 would do',
      extra: [{ connection: 'c2', openedBecause: { cause: 'undici-not-yet-free', detail: 'why c2' } }],
    });
  });

  it('counts the pool limit: maxSockets 2 for 6 at once needs 2', () => {
    const config = HttpRunConfigSchema.parse({ requests: 6, concurrency: 6, agent: { maxSockets: 2 } });
    expect(connectionSurprise(config, opened('first', 'all-busy', 'closed-by-server'))?.extra.map((item) => item.connection)).toEqual([
      'c3',
    ]);
  });

  it('a pause at least as long as an idle timeout closes each connection on purpose: one per request is not a surprise', () => {
    const paused = HttpRunConfigSchema.parse({ requests: 3, intervalMs: 400 });
    // the client's 200 ms idle timeout closed each connection before the next request
    expect(connectionSurprise(paused, openedWith(overlayWith(200, 300), 'first', 'closed-by-client', 'closed-by-client'))).toBeNull();
    // the server's 300 ms keep-alive timeout did
    expect(connectionSurprise(paused, openedWith(overlayWith(null, 300), 'first', 'closed-by-server'))).toBeNull();
    // a pause shorter than both: the same dials are extra
    const short = HttpRunConfigSchema.parse({ requests: 3, intervalMs: 100 });
    expect(connectionSurprise(short, openedWith(overlayWith(200, 300), 'first', 'closed-by-client', 'closed-by-client'))).toMatchObject({
      minimum: 1,
      headline: '3 connections for 3 requests where 1 would do',
    });
  });
});
