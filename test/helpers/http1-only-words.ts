/**
 * Words of HTTP/1.1 and TCP keepalive that say something false about an HTTP/2 run: an HTTP/2
 * request is a stream multiplexed on the connection (RFC 9113 §5), it never "reuses" one and never
 * waits in a pool; it waits for a stream slot. The reports (test/integration/report-http2-words.test.ts)
 * and the Compare view (test/unit/shared/compare-runs.test.ts, test/e2e/lab-compare-http2.test.ts) are read against it.
 */
export const HTTP1_ONLY_WORDS: readonly RegExp[] = [
  /reused connection/i,
  /\breused?\b/i,
  /\bpool\b/i,
  /keep-alive probe/i,
  /probes \(ACKs\)/i,
  /probe spacing/i,
  /keepalive settings/i,
  /maxSockets/,
  /\bthe agent\b/i,
  /idle gaps?/i,
  /no idle connection/i,
  /handshakes? saved/i,
];

/** The HTTP/1-only words found in `text`, as their patterns. */
export function http1OnlyWordsIn(text: string): string[] {
  return HTTP1_ONLY_WORDS.filter((word) => word.test(text)).map(String);
}
