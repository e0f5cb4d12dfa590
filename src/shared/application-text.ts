/**
 * One line on what a connection's TLS handshakes and HTTP/2 frames show, in the words the CLI, the
 * stream list and reports share: "TLS 1.3, resumed, handshake 0.7 ms, ALPN offered h2".
 */
import type { CaptureStream } from './api-capture';

type Tls = NonNullable<CaptureStream['tls']>;
type Http2 = NonNullable<CaptureStream['http2']>;

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function tlsText(tls: Tls): string {
  const parts = [tls.version ?? 'TLS (no ServerHello captured)'];
  if (tls.handshakes === 1)
    parts.push(tls.resumed === 1 ? 'resumed' : tls.list[0]?.kind === 'unknown' ? 'handshake not finished' : 'full handshake');
  else parts.push(`${count(tls.handshakes, 'handshake')}, ${tls.resumed} resumed`);
  if (tls.handshakeMs !== null)
    parts.push(`handshake ${tls.handshakeMs < 10 ? tls.handshakeMs.toFixed(1) : Math.round(tls.handshakeMs)} ms`);
  if (tls.sni) parts.push(`SNI ${tls.sni}`);
  const offered = tls.list[0]?.alpnOffered ?? [];
  if (tls.alpn) parts.push(`ALPN ${tls.alpn}`);
  else if (offered.length > 0) parts.push(`ALPN offered ${offered.join('/')}`);
  return parts.join(', ');
}

export function http2Text(http2: Http2): string {
  const parts = [`HTTP/2, ${count(http2.requests, 'request')}`];
  if (http2.maxConcurrentStreams > 1) parts.push(`${http2.maxConcurrentStreams} at once`);
  if (http2.pings > 0) parts.push(count(http2.pings, 'PING'));
  const goaway = http2.goaway.find((frame) => frame.error !== 'NO_ERROR') ?? http2.goaway[0];
  if (goaway) parts.push(`GOAWAY ${goaway.error} from the ${goaway.from} (last stream ${goaway.lastStreamId})`);
  return parts.join(', ');
}

/** The stream's TLS and HTTP/2 in one line; '' when it carried neither. */
export function applicationText(stream: Pick<CaptureStream, 'tls' | 'http2'>): string {
  return [stream.tls ? tlsText(stream.tls) : '', stream.http2 ? http2Text(stream.http2) : ''].filter(Boolean).join('; ');
}
