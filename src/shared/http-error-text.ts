/**
 * A client error code in a learner's words, the same in the HTTP lab's CLI and wherever a request failed.
 *
 * Pure TypeScript: no node:*, no DOM.
 */

/** What each certificate failure means, said to a learner (Node's codes are OpenSSL's X509_V_ERR_* names; Node docs, "tls" X509 certificate error codes). */
const CERTIFICATE_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it signed itself, and no CA this client trusts vouches for it',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a CA this client does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'no CA this client trusts signed it (or the server did not send its intermediate certificate)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'no CA this client trusts signed it (or the server did not send its intermediate certificate)',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet (check the clock)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for another host name',
};

/** A learner-facing reading of a client error code; null when the message says it all. */
export function explainErrorCode(code: string | null): string | null {
  if (code === null) return null;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === 'ECONNREFUSED') return 'nothing listens on that port';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'no answer in time';
  if (code.startsWith('HPE_') || code === 'HTTPParserError' || code === 'UND_ERR_INFO' || code === 'UND_ERR_RESPONSE')
    return 'the peer does not speak HTTP/1.1';
  const certificate = CERTIFICATE_PROBLEMS[code];
  // the client checks against the system's CAs (or, for the lab's own server, its certificate alone) and never turns the check off
  if (certificate) return `the server's TLS certificate is not trusted: ${certificate}`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the server closed the connection under the request';
  return null;
}
