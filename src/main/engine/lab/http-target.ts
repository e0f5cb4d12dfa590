/**
 * Two facts about an HTTP lab run that the run and its capture correlation must agree on:
 * the TCP port the target listens on, and the id the recorder gives each request.
 */

/** The default ports of RFC 9110 §4.2.1 (http) and §4.2.2 (https). */
const DEFAULT_PORT: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** The TCP port a request to `url` goes to: the explicit one, else the scheme's default. */
export function targetPort(url: URL | string): number {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return Number(parsed.port || (DEFAULT_PORT[parsed.protocol] ?? 80));
}

/** The trace's id of request `index` (1-based): `r3`, and `r3.2` for its second attempt (a retry). */
export function labRequestId(index: number, attempt: number): string {
  return attempt > 1 ? `r${index}.${attempt}` : `r${index}`;
}
