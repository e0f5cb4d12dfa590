/** HTTP/2 error codes by name (RFC 9113 §7), the same for the node:http2 loop and undici. */
import http2 from 'node:http2';

/** node:http2's NGHTTP2_* constants, the codes RFC 9113 §7 lists (session and library errors left out) */
const ERROR_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(http2.constants)
    .filter(([name]) => name.startsWith('NGHTTP2_') && !name.startsWith('NGHTTP2_SESSION') && !name.startsWith('NGHTTP2_ERR'))
    .map(([name, value]) => [value as number, name.slice('NGHTTP2_'.length)]),
);

/** "ENHANCE_YOUR_CALM" for 11; a code RFC 9113 does not name in hex ("0x1f"). */
export function http2ErrorName(code: number): string {
  return (
    (
      { 0: 'NO_ERROR', 1: 'PROTOCOL_ERROR', 2: 'INTERNAL_ERROR', 7: 'REFUSED_STREAM', 8: 'CANCEL', 11: 'ENHANCE_YOUR_CALM' } as Record<
        number,
        string
      >
    )[code] ??
    ERROR_NAMES[code] ??
    `0x${code.toString(16)}`
  );
}
