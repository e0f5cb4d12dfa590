/** The HTTP/2 explanations' template filling: every placeholder gets a value, or the caller is told. */
import { describe, expect, it } from 'vitest';
import { fill } from '@shared/explain-http2';

describe('explain-http2 fill', () => {
  it('fills names with strings and numbers (integers plain, fractions rounded for reading)', () => {
    expect(
      fill('{waited} of {requests} waited, the longest {waitMs} ms ({rtt} ms RTT)', { waited: 15, requests: 20, waitMs: 211, rtt: 0.4321 }),
    ).toBe('15 of 20 waited, the longest 211 ms (0.4 ms RTT)');
  });

  it('refuses a template with a value missing instead of showing a hole', () => {
    expect(() => fill('{conn} got GOAWAY {error}', { conn: 'c1' })).toThrow('no value for {error}');
  });
});
