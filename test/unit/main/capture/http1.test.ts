/** HTTP/1 message boundaries on one stream: requests counted once, bodies skipped by their framing. */
import { describe, expect, it } from 'vitest';
import { Http1Stream } from '@engine/capture/http1';

const encoder = new TextEncoder();
const CLIENT = 'a';
const SERVER = 'b';

/** Feeds `text` as one segment and returns the sequence number after it. */
function send(stream: Http1Stream, direction: 'a' | 'b', seq: number, text: string): number {
  const bytes = encoder.encode(text);
  stream.feed(direction, seq, bytes);
  return seq + bytes.length;
}

describe('Http1Stream', () => {
  it('counts keep-alive reuse: Content-Length, chunked and bodiless responses', () => {
    const stream = new Http1Stream();
    let client = 1;
    let server = 1;
    client = send(stream, CLIENT, client, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    server = send(stream, SERVER, server, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/');
    client = send(stream, CLIENT, client, 'POST /b HTTP/1.1\r\nContent-Length: 18\r\n\r\nGET /fake HTTP/1.1');
    server = send(
      stream,
      SERVER,
      server,
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab\r\n\r\n0\r\n\r\n',
    );
    client = send(stream, CLIENT, client, 'HEAD /c HTTP/1.1\r\n\r\n');
    server = send(stream, SERVER, server, 'HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n');
    send(stream, CLIENT, client, 'GET /d HTTP/1.1\r\n\r\n');
    send(stream, SERVER, server, 'HTTP/1.1 304 Not Modified\r\n\r\n');
    expect(stream.requests).toBe(4);
    expect(stream.responses).toBe(5);
  });

  it('headers split across segments and a retransmitted segment are counted once', () => {
    const stream = new Http1Stream();
    const next = send(stream, CLIENT, 100, 'GET / HTTP/1.1\r\nHo');
    send(stream, CLIENT, 100, 'GET / HTTP/1.1\r\nHo');
    send(stream, CLIENT, next, 'st: x\r\n\r\n');
    expect(stream.requests).toBe(1);
  });

  it('a stream that is not HTTP counts nothing', () => {
    const stream = new Http1Stream();
    send(stream, CLIENT, 1, 'SSH-2.0-OpenSSH_9.2\r\n');
    send(stream, SERVER, 1, '\x16\x03\x01\x02\x00');
    expect(stream.requests).toBe(0);
    expect(stream.responses).toBe(0);
  });

  it('a negative chunk size (a sign is not a hex digit) ends HTTP on that side: later messages are not counted', () => {
    const stream = new Http1Stream();
    send(stream, CLIENT, 1, 'GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n');
    const next = send(stream, SERVER, 1, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n');
    send(stream, SERVER, next, 'HTTP/1.1 204 No Content\r\n\r\n');
    expect(stream.requests).toBe(2);
    // the chunked response never ends well-formed, so it is never whole: not counted (tshark counts a message once reassembled)
    expect(stream.responses).toBe(0);
  });

  it('counts a request once it is whole, as tshark does, and one a gap cut as seen in part', () => {
    const stream = new Http1Stream();
    let client = send(stream, CLIENT, 1, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    // a POST whose body arrives with a hole: its headers were whole, the message never is
    client = send(stream, CLIENT, client, 'POST /b HTTP/1.1\r\nContent-Length: 20\r\n\r\n0123');
    client = send(stream, CLIENT, client + 6, '0123456789');
    // the next request starts a new message after the gap, and its header block is cut by another gap
    client = send(stream, CLIENT, client, 'GET /c HTTP/1.1\r\nHo');
    client = send(stream, CLIENT, client + 3, 'GET /d HTTP/1.1\r\n\r\n');
    // the capture ends in the middle of a header block
    send(stream, CLIENT, client, 'GET /e HTTP/1.1\r\n');
    expect(stream.requests).toBe(2);
    stream.finish();
    expect(stream.partialRequests).toBe(3);
    expect(stream.lastStartLine).toBe('GET /d HTTP/1.1');
    expect(stream.headerBlocks).toBe(3);
  });
});
