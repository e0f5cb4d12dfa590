/**
 * The byte-based HTTP/1 boundary finder (src/main/engine/capture/http1.ts) against the string-based one it
 * replaced (models/http1-string-model.ts), on random HTTP-like conversations cut into random
 * segments, with retransmissions and gaps: the request and response counts must be the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Http1Stream } from '@engine/capture/http1';
import { Http1StreamModel } from './models/http1-string-model';

const latin1 = (text: string) => Uint8Array.from(text, (character) => character.charCodeAt(0) & 0xff);

const space = fc.constantFrom('', ' ', '  ', '\t', '\u00a0', '\x0b');
const method = fc.constantFrom('GET', 'HEAD', 'POST', 'M-SEARCH', 'A'.repeat(20), 'B'.repeat(21), 'get', '-GET', 'PUT');
const target = fc.constantFrom('/', '/a?b=c', '*', '', '/a b', '/\u00a0x');
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/1.9', 'HTTP/1.2', 'HTTP/2.0', 'HTTP/1.');
const status = fc.constantFrom(
  '100 Continue',
  '101 Switching',
  '200 OK',
  '204 No Content',
  '304 Not Modified',
  '404',
  '2000',
  '20',
  '999 x',
);
const header = fc
  .oneof(
    fc.tuple(
      fc.constantFrom('Content-Length', 'content-length', 'CONTENT-LENGTH', 'Content-Length ', ' Content-Length'),
      space,
      fc.constantFrom('0', '3', '12', '007', '1x', '', '-1', '99999999999'),
      space,
    ),
    fc.tuple(
      fc.constantFrom('Transfer-Encoding', 'transfer-encoding'),
      space,
      fc.constantFrom('chunked', 'CHUNKED', 'gzip, chunked', 'chunked, gzip', 'identity'),
      space,
    ),
    fc.tuple(fc.constantFrom('Host', 'X-A', 'NoColonHere', ''), space, fc.constantFrom('x', 'a:b', '', 'a\rb', '\r', 'c\n'), space),
  )
  .map(([name, before, value, after]) => `${name}:${before}${value}${after}`);
const headers = fc.array(header, { maxLength: 4 }).map((lines) => lines.map((line) => `${line}\r\n`).join(''));
const startLine = fc.oneof(
  fc.tuple(method, target, version).map(([m, t, v]) => `${m} ${t} ${v}`),
  fc.tuple(version, status).map(([v, s]) => `${v} ${s}`),
  fc.constantFrom('SSH-2.0-x', 'garbage', 'HTTP/1.1', '', 'GET / HTTP/1.1\r', '\r\n'),
);
const body = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('3\r\nabc\r\n0\r\n\r\n', '0\r\n\r\n', 'zz\r\n', 'GET /x HTTP/1.1\r\n\r\n'),
);
const message = fc
  .tuple(startLine, headers, fc.constantFrom('\r\n', '\n', '', '\r\r\n', '\n\r\n'), body)
  .map(([line, lines, blank, rest]) => `${line}\r\n${lines}${blank}${rest}`);
const conversation = fc.array(fc.tuple(fc.constantFrom<'a' | 'b'>('a', 'b'), message), { minLength: 1, maxLength: 8 });
/** how each direction's bytes are cut: segment sizes, and a retransmission or a gap now and then */
const cuts = fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom('send', 'send', 'send', 'resend', 'skip')), {
  minLength: 1,
  maxLength: 40,
});

function play(
  parsers: Array<{ feed(direction: 'a' | 'b', seq: number, payload: Uint8Array): void }>,
  messages: Array<['a' | 'b', string]>,
  plan: Array<[number, string]>,
): void {
  const streams = {
    a: latin1(
      messages
        .filter(([side]) => side === 'a')
        .map(([, text]) => text)
        .join(''),
    ),
    b: latin1(
      messages
        .filter(([side]) => side === 'b')
        .map(([, text]) => text)
        .join(''),
    ),
  };
  for (const side of ['a', 'b'] as const) {
    const bytes = streams[side];
    let offset = 0;
    for (let step = 0; offset < bytes.length && step < 10_000; step++) {
      const [size, action] = plan[step % plan.length]!;
      const segment = bytes.subarray(offset, offset + size);
      const seq = (1000 + offset) >>> 0;
      if (action !== 'skip') for (const parser of parsers) parser.feed(side, seq, segment);
      if (action === 'resend') for (const parser of parsers) parser.feed(side, seq, segment);
      offset += segment.length;
    }
  }
}

describe('Http1Stream (bytes) against the string model', () => {
  it('counts the same whole and partial requests and responses on random conversations, segments, retransmissions and gaps', () => {
    fc.assert(
      fc.property(conversation, cuts, (messages, plan) => {
        const fast = new Http1Stream();
        const model = new Http1StreamModel();
        play([fast, model], messages, plan);
        fast.finish();
        model.finish();
        const counts = (stream: Http1Stream | Http1StreamModel) => ({
          requests: stream.requests,
          responses: stream.responses,
          partialRequests: stream.partialRequests,
          partialResponses: stream.partialResponses,
        });
        expect(counts(fast)).toEqual(counts(model));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on a chunk size of -1 (found by the property above, seed 1130998144): both refuse it, the request is dropped', () => {
    const messages: Array<['a' | 'b', string]> = [
      ['a', 'GET / HTTP/1.1\r\nTransfer-Encoding:chunked\r\n\n\r\nzz\r\n'],
      ['a', 'HTTP/1.1 100 Continue\r\n\r\nD'],
      ['a', 'HTTP/1.1 100 Continue\r\nContent-Length:-1\r\n\r\n'],
      ['b', 'SSH-2.0-x\r\n\r\n'],
    ];
    for (const size of [1, 4, 1000]) {
      const fast = new Http1Stream();
      const model = new Http1StreamModel();
      play([fast, model], messages, [[size, 'send']]);
      fast.finish();
      model.finish();
      expect([fast.requests, fast.partialRequests], `segments of ${size}`).toEqual([0, 0]);
      expect([model.requests, model.partialRequests], `segments of ${size}`).toEqual([0, 0]);
    }
  });

  it('agrees on a header block that spans many segments and on one past 64 KiB', () => {
    for (const padding of [10, 70_000]) {
      const text = `GET / HTTP/1.1\r\nX: ${'y'.repeat(padding)}\r\n\r\nHTTP/1.1 200 OK\r\n\r\n`;
      const fast = new Http1Stream();
      const model = new Http1StreamModel();
      play([fast, model], [['a', text]], [[7, 'send']]);
      expect(fast.requests).toBe(model.requests);
      expect(fast.requests).toBe(padding < 65_536 ? 1 : 0);
    }
  });
});
