import { describe, expect, it } from 'vitest';
import { HttpRunConfigSchema } from '@shared/api-http';
import type { ConnectionCause } from '@shared/connection-cause';
import { connectionSurprise } from '@engine/lab/http-run-result';

const opened = (...causes: ConnectionCause[]) =>
  causes.map((cause, index) => ({ id: `c${index + 1}`, openedBecause: { cause, detail: `why c${index + 1}` } }));

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
});
