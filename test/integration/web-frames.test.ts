/**
 * Frame faults on a real `keepalive-lab serve` process: each one closes that socket with the code
 * RFC 6455 §7.4.1 gives it, and the process lives on and answers (before, the first one was an
 * uncaught exception that ended it, leaving its uploads on disk). Plus a page that stops reading
 * what the engine sends: cut off at the buffer limit, the server unharmed.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, openSocket, startServeChild, startTestServer, stillAnswers, type ServeChild } from './helpers/web-client';

/** One client→server frame (clients must mask, §5.3), for the faults the ws client will not produce. */
function rawFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!));
  if (payload.length > 125) throw new Error('short frames only');
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]), mask, masked]);
}

function closeCode(ws: import('ws').WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('a real serve process under bad frames', () => {
  let serve: ServeChild;
  beforeAll(async () => {
    serve = await startServeChild();
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('closes an oversize message with 1009 and keeps serving', async () => {
    const client = await openPage(serve);
    const closed = closeCode(client.ws);
    client.ws.send('x'.repeat(17 * 1024 * 1024));
    expect(await closed).toBe(1009);
    expect(serve.child.exitCode).toBeNull();
    expect(await stillAnswers(serve)).toBe(true);
  });

  it('closes invalid UTF-8 in a text frame with 1007 (also before the token) and keeps serving', async () => {
    for (const authenticated of [true, false]) {
      const ws = authenticated ? (await openPage(serve)).ws : await openSocket(serve);
      const closed = closeCode(ws);
      ws.send(Buffer.from([0xc3, 0x28, 0xff]), { binary: false });
      expect(await closed).toBe(1007);
    }
    expect(await stillAnswers(serve)).toBe(true);
  });

  it('answers a binary message with a clear error and keeps the socket', async () => {
    const client = await openPage(serve);
    client.ws.send(Buffer.from('{"id":1}'), { binary: true });
    const reply = await client.next();
    expect(reply.result.error?.message).toMatch(/binary messages are not part of the protocol/);
    expect((await client.call('app.getInfo')).ok).toBe(true);
    await client.close();
  });

  it('reassembles a fragmented call, and closes a stray continuation frame with 1002', async () => {
    const client = await openPage(serve);
    const text = JSON.stringify({ id: 7, method: 'app.getInfo', params: {} });
    client.ws.send(text.slice(0, 10), { fin: false });
    client.ws.send(text.slice(10), { fin: true });
    expect((await client.next()).result.ok).toBe(true);
    const closed = closeCode(client.ws);
    (client.ws as unknown as { _socket: Socket })._socket.write(rawFrame(0x0, Buffer.from('stray')));
    expect(await closed).toBe(1002);
    expect(serve.child.exitCode).toBeNull();
    expect(await stillAnswers(serve)).toBe(true);
  });

  it('closes a socket that sends a wrong token (1008)', async () => {
    const wrong = await openSocket(serve);
    const closed = closeCode(wrong);
    wrong.send(JSON.stringify({ token: 'not-it' }));
    expect(await closed).toBe(1008);
    expect(await stillAnswers(serve)).toBe(true);
  });
});

describe('a page that does not read', () => {
  it('is cut off once its queue passes the limit; the server still answers', async () => {
    const server = await startTestServer({ limits: { maxBufferedBytes: 1024 * 1024 } });
    try {
      const client = await openPage(server);
      const socket = (client.ws as unknown as { _socket: Socket })._socket;
      socket.pause(); // reads nothing from here on: the kernel buffers fill, then the engine's queue
      const call = JSON.stringify({ id: 1, method: 'http.presets', params: {} });
      // each reply is several KB; 8,000 of them are far more than the kernel's socket buffers plus 1 MB
      for (let sent = 0; sent < 8000 && client.ws.readyState === client.ws.OPEN; sent++) client.ws.send(call);
      await expect.poll(() => server.web.pages.size, { timeout: 20_000 }).toBe(0);
      socket.resume();
      expect((await client.closed).code).toBe(1006);
      expect(await stillAnswers(server)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
