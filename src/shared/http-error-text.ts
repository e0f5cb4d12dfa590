/**
 * A client error code in a learner's words, the same in the HTTP lab's CLI and wherever a request failed.
 *
 * Pure TypeScript: no node:*, no DOM.
 */

/** Node's and OpenSSL's codes for a certificate the client does not trust (Node docs, "tls" X509 certificate error codes). */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A learner-facing reading of a client error code; null when the message says it all. */
export function explainErrorCode(code: string | null): string | null {
  if (code === null) return null;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === 'ECONNREFUSED') return 'nothing listens on that port';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'no answer in time';
  if (code.startsWith('HPE_') || code === 'HTTPParserError' || code === 'UND_ERR_INFO' || code === 'UND_ERR_RESPONSE')
    return 'the peer does not speak HTTP/1.1';
  if (CERTIFICATE_CODES.has(code)) return "the server's TLS certificate is not trusted";
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the server closed the connection under the request';
  return null;
}
