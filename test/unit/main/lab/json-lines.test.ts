import { describe, expect, it } from 'vitest';
import { LineDecoder, LineTooLongError, parseReplyLine, parseRequestLine } from '@engine/lab/json-lines';

describe('LineDecoder', () => {
  it('joins lines split across chunks and keeps the unfinished rest', () => {
    const decoder = new LineDecoder(100);
    expect(decoder.push(Buffer.from('{"a":1}\n{"b"'))).toEqual(['{"a":1}']);
    expect(decoder.bufferedBytes).toBe(4);
    expect(decoder.push(Buffer.from(':2}\n\n'))).toEqual(['{"b":2}', '']);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('refuses a line longer than the limit, with or without its newline', () => {
    expect(() => new LineDecoder(4).push(Buffer.from('12345'))).toThrow(LineTooLongError);
    expect(() => new LineDecoder(4).push(Buffer.from('12345\n'))).toThrow('line longer than 4 bytes');
    expect(new LineDecoder(4).push(Buffer.from('1234\n'))).toEqual(['1234']);
  });
});

describe('request and reply lines', () => {
  it('accepts {uid, val} and explains what is wrong otherwise', () => {
    expect(parseRequestLine('{"uid":"u1","val":"x"}')).toEqual({ kind: 'request', request: { uid: 'u1', val: 'x' } });
    expect(parseRequestLine('nope')).toEqual({ kind: 'invalid', reason: 'not JSON' });
    expect(parseRequestLine('[1]')).toMatchObject({ kind: 'invalid' });
    expect(parseRequestLine('{"uid":1,"val":"x"}')).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('uid') });
  });

  it('tells responses from error lines', () => {
    expect(parseReplyLine('{"uid":"u","val":"v","ts":"2026-01-01T00:00:00.000Z"}')).toMatchObject({ kind: 'response' });
    expect(parseReplyLine('{"error":"malformed"}')).toEqual({ kind: 'error', error: 'malformed' });
    expect(parseReplyLine('{"uid":"u","val":"v"}')).toMatchObject({ kind: 'invalid' });
  });
});
