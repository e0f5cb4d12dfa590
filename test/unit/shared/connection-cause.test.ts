import { describe, expect, it } from 'vitest';
import { CAUSE_WORDS, ConnectionCauseSchema, listWords, minimumConnections } from '@shared/connection-cause';

describe('connection causes', () => {
  it('every cause has a label, a meaning and (unless needed) a way to avoid it', () => {
    for (const cause of ConnectionCauseSchema.options) {
      const words = CAUSE_WORDS[cause];
      expect(words.label.length).toBeGreaterThan(2);
      expect(words.meaning).toMatch(/\.$/);
      if (cause !== 'first') expect(words.avoid).toMatch(/\.$/);
    }
  });

  it('the minimum follows the settings: concurrency, pool limit, keep-alive and body handling', () => {
    const base = { requests: 10, concurrency: 1, keepAlive: true, body: 'drain' as const, poolLimit: null };
    expect(minimumConnections(base)).toBe(1);
    expect(minimumConnections({ ...base, concurrency: 4 })).toBe(4);
    expect(minimumConnections({ ...base, concurrency: 4, poolLimit: 2 })).toBe(2);
    expect(minimumConnections({ ...base, concurrency: 40 })).toBe(10);
    expect(minimumConnections({ ...base, keepAlive: false })).toBe(10);
    expect(minimumConnections({ ...base, body: 'ignore' })).toBe(10);
  });

  it('lists words as a person writes them', () => {
    expect(listWords(['c1'])).toBe('c1');
    expect(listWords(['c1', 'c2'])).toBe('c1 and c2');
    expect(listWords(['c1', 'c2', 'c3'])).toBe('c1, c2 and c3');
  });
});
