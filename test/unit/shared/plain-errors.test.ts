import { describe, expect, it } from 'vitest';
import { parseParams } from '@shared/api';
import { HttpRunConfigSchema } from '@shared/api-http';
import { HTTP_CONFIG_LABELS, plainProblems } from '@shared/plain-errors';

describe('plain-word validation messages', () => {
  it('names the field as the form does, with its unit, and never the schema text', () => {
    const parsed = HttpRunConfigSchema.safeParse({ requests: 0, timeoutMs: 700_000, concurrency: 1.5, body: 'keep', url: 'nope' });
    expect(parsed.success).toBe(false);
    const problems = plainProblems(parsed.error!.issues, HTTP_CONFIG_LABELS);
    expect(problems).toEqual([
      'URL: a full URL starting with http:// or https://',
      'Requests: at least 1',
      'Concurrency: a whole number',
      'Timeout per request: at most 600,000 ms',
      'Response body: one of drain, ignore, destroy, partial',
    ]);
  });

  it('says what the engine refuses in plain words too (a bad call over the contract)', () => {
    const result = parseParams('http.run', { config: {}, jobId: '', extra: 1 } as never);
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.error.message;
    expect(message).toContain('http.run: ');
    expect(message).toContain('jobId: at least 1 character');
    expect(message).toContain('Settings: unknown setting “extra”');
    expect(message).not.toMatch(/expected|>=|Too small|Unrecognized/);
  });
});
