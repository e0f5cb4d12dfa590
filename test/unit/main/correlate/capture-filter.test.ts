import { describe, expect, it } from 'vitest';
import { captureFilter } from '@engine/capture/live';
import { sessionFromJson } from '@engine/correlate/import-capture';
import { session, connection } from './fixtures';

describe('captureFilter', () => {
  it('watches only the experiment’s own ports, each once', () => {
    expect(captureFilter([8080, 41000, 8080])).toBe('tcp port 8080 or tcp port 41000');
  });

  it('refuses no ports and numbers that are not ports (they would reach a shell argument)', () => {
    expect(() => captureFilter([])).toThrow(RangeError);
    expect(() => captureFilter([0])).toThrow(RangeError);
    expect(() => captureFilter([70000])).toThrow(RangeError);
    expect(() => captureFilter([1.5])).toThrow(RangeError);
  });
});

describe('sessionFromJson', () => {
  it('accepts a session or a lab result holding one, and names what is wrong otherwise', () => {
    const lab = session([connection('c1', 1)], []);
    expect(sessionFromJson(lab).id).toBe('s');
    expect(sessionFromJson({ config: {}, session: lab }).connections).toHaveLength(1);
    expect(() => sessionFromJson({ hello: 1 })).toThrow(/not a Keepalive Lab session/);
  });
});
