/** The HTTP/2 explanations' template filling: every placeholder gets a value, or the caller is told. */
import { describe, expect, it } from 'vitest';
import { fill } from '@shared/explain-http2';
import { median } from '@shared/explain-http2-text';

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

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones for an even count', () => {
    expect(median([])).toBeNull();
    expect(median([0.66, 0.52, 3])).toBe(0.66);
    // two resumed handshakes of 0.52 and 0.66 ms: 0.59 ms, not the upper one
    expect(median([0.66, 0.52])).toBeCloseTo(0.59, 10);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
