/**
 * A stream's `resumed` count covers all its handshakes, not only the first 16 that are listed one by
 * one. TLS 1.2 (RFC 5246 §7.4.1.3): a ServerHello echoing the ClientHello's session id resumes it; a
 * Certificate from the server after that means it did not after all.
 */
import { describe, expect, it } from 'vitest';
import { HANDSHAKE_CLIENT_HELLO, HANDSHAKE_SERVER_HELLO, TlsConversation } from '../../../../src/main/engine/capture/tls';

const TLS12 = [0x03, 0x03];
const sessionId = (id: number) => [32, ...Array.from({ length: 32 }, (_, at) => (id + at) & 0xff)];

function clientHello(id: number): Uint8Array {
  // version, random, session id, one cipher suite, one compression method, no extensions
  return Uint8Array.from([...TLS12, ...new Array(32).fill(1), ...sessionId(id), 0, 2, 0x00, 0x2f, 1, 0]);
}

function serverHello(id: number): Uint8Array {
  return Uint8Array.from([...TLS12, ...new Array(32).fill(2), ...sessionId(id), 0x00, 0x2f, 0]);
}

describe('TLS resumed count', () => {
  it('counts the resumed handshakes past the 16 listed ones', () => {
    const tls = new TlsConversation();
    let frame = 1;
    for (let handshake = 0; handshake < 40; handshake += 1) {
      const resumes = handshake % 2 === 1; // every second one: the server echoes the session id
      tls.onHandshake('a', HANDSHAKE_CLIENT_HELLO, clientHello(7), frame++, handshake);
      tls.onHandshake('b', HANDSHAKE_SERVER_HELLO, serverHello(resumes ? 7 : 100 + handshake), frame++, handshake + 0.001);
    }
    const summary = tls.summary()!;
    expect(summary.handshakes).toBe(40);
    expect(summary.list).toHaveLength(16);
    expect(summary.list.filter((handshake) => handshake.kind === 'resumed')).toHaveLength(8);
    expect(summary.resumed).toBe(20);
  });

  it('does not count a handshake whose server then sent its certificate (a full one after all)', () => {
    const tls = new TlsConversation();
    let frame = 1;
    for (let handshake = 0; handshake < 20; handshake += 1) {
      tls.onHandshake('a', HANDSHAKE_CLIENT_HELLO, clientHello(7), frame++, handshake);
      tls.onHandshake('b', HANDSHAKE_SERVER_HELLO, serverHello(7), frame++, handshake + 0.001);
      if (handshake >= 18) tls.onHandshake('b', 11, new Uint8Array(3), frame++, handshake + 0.002); // Certificate
    }
    expect(tls.summary()!.resumed).toBe(18);
  });
});
