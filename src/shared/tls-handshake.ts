/**
 * What a lab client saw of one connection's TLS handshake (RFC 8446 for TLS 1.3, RFC 5246 for
 * TLS 1.2), and the sentence a learner reads about it: "TLS 1.3 handshake: 2.1 ms on top of the
 * 0.3 ms TCP connect; resumed: no". Shared by the HTTP/1 lab's result, its trace, the CLI and the
 * renderer.
 */
import { z } from 'zod';
import type { EncryptedTraffic } from './api-correlate';
import { plural } from './counting';

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

/**
 * Why a capture of a run over TLS matches no request to frames, and what it did read, as two
 * sentences for the app's and the CLI's capture summaries: "Requests not matched to frames: …";
 * "The handshakes travel in clear and were read: 10, 9 of them resumed (TLS 1.3)."
 */
export function encryptedCaptureText(encrypted: EncryptedTraffic): { headline: string; detail: string } {
  const many = encrypted.connections !== 1;
  const who = many ? `the run’s ${plural(encrypted.connections, 'connection')} spoke TLS` : 'the run’s connection spoke TLS';
  const headline =
    `Requests not matched to frames: ${who}, so ${many ? 'their' : 'its'} requests and responses travel encrypted and the capture cannot tell ` +
    `which frames carried each of the ${plural(encrypted.requests, 'request')} (the lab’s own timings still hold).`;
  if (encrypted.handshakes === 0) {
    const detail = many
      ? 'The capture read none of their TLS handshakes: they were done before it started, or were not captured.'
      : 'The capture did not read its TLS handshake: it was done before the capture started, or was not captured.';
    return { headline, detail };
  }
  const resumed =
    encrypted.resumed === 0 ? 'none resumed' : `${encrypted.resumed === encrypted.handshakes ? 'all' : encrypted.resumed} resumed`;
  const version = encrypted.version ? ` (${encrypted.version})` : '';
  return {
    headline,
    detail: `The TLS handshakes travel in clear and were read: ${plural(encrypted.handshakes, 'handshake')}, ${resumed}${version}.`,
  };
}

/**
 * Why an opened capture's HTTP request count leaves out its TLS streams, for the capture's summary.
 * `where` names the place that lists each stream's handshakes: the app's Streams tab, or the CLI's lines.
 */
export function encryptedStreamsNote(tlsStreams: number, where = 'the Streams tab’s TLS / HTTP/2 column'): string {
  const one = tlsStreams === 1;
  return (
    `${plural(tlsStreams, 'TCP stream')} carried TLS: ${one ? 'its' : 'their'} HTTP requests travel encrypted, so they are not in the HTTP requests count; ` +
    `${one ? 'its handshakes are' : 'their handshakes are'} read in clear (full or resumed, version, server name: ${where}).`
  );
}
