/**
 * What a lab client saw of one connection's TLS handshake (RFC 8446 for TLS 1.3, RFC 5246 for
 * TLS 1.2), and the sentence a learner reads about it: "TLS 1.3 handshake: 2.1 ms on top of the
 * 0.3 ms TCP connect; resumed: no". Shared by the HTTP/1 lab's result, its trace, the CLI and the
 * renderer.
 */
import { z } from 'zod';

export const ConnectionTlsSchema = z.object({
  /** "TLS 1.3", "TLS 1.2"; null when the handshake did not finish */
  version: z.string().nullable(),
  /** the protocol ALPN chose (RFC 7301), e.g. "http/1.1"; null when the client offered none or the server chose none */
  alpn: z.string().nullable(),
  /** the handshake resumed an earlier session (a ticket or PSK: no certificate sent, fewer computations) */
  resumed: z.boolean(),
  /** ms from the TCP connection being up to the TLS handshake being done */
  handshakeMs: z.number().nullable(),
});
export type ConnectionTls = z.infer<typeof ConnectionTlsSchema>;

/** Node's `getProtocol()` names → the names RFCs and Wireshark use. */
const VERSION_NAMES: Record<string, string> = { 'TLSv1.3': 'TLS 1.3', 'TLSv1.2': 'TLS 1.2', 'TLSv1.1': 'TLS 1.1', TLSv1: 'TLS 1.0' };

/** "TLSv1.3" → "TLS 1.3"; null stays null. */
export function tlsVersionName(protocol: string | null | undefined): string | null {
  if (!protocol) return null;
  return VERSION_NAMES[protocol] ?? protocol;
}

/** ms with a precision that suits loopback and the internet alike: "0.31", "2.1", "38". */
export function handshakeMsText(ms: number): string {
  if (ms < 1) return ms.toFixed(2);
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}

/** "TLS 1.3 handshake: 2.1 ms on top of the 0.3 ms TCP connect; resumed: no; ALPN: http/1.1" */
export function tlsHandshakeSentence(tls: ConnectionTls, connectMs: number | null): string {
  const what = `${tls.version ?? 'TLS'} handshake`;
  const cost = tls.handshakeMs === null ? 'not finished' : `${handshakeMsText(tls.handshakeMs)} ms`;
  const onTop = connectMs === null ? '' : ` on top of the ${handshakeMsText(connectMs)} ms TCP connect`;
  const resumed = tls.resumed ? 'yes (an earlier session was reused: no certificate this time)' : 'no (a full handshake)';
  const alpn = tls.alpn ? `ALPN: ${tls.alpn}` : 'ALPN: none agreed';
  return `${what}: ${cost}${onTop}; resumed: ${resumed}; ${alpn}`;
}

/** The short form for a timeline tooltip or a table cell: "TLS 1.3, full, 2.1 ms" or "TLS 1.3, resumed, 0.4 ms". */
export function tlsShortText(tls: ConnectionTls): string {
  const parts = [tls.version ?? 'TLS', tls.resumed ? 'resumed' : 'full handshake'];
  if (tls.handshakeMs !== null) parts.push(`${handshakeMsText(tls.handshakeMs)} ms`);
  return parts.join(', ');
}
