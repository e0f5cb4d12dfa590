/**
 * What a file holds, from its first bytes, never its name: a pcap (the four magic numbers of
 * libpcap's savefile.c: µs or ns resolution, either byte order), a pcapng (Section Header Block
 * type 0x0A0D0D0A), a HAR (JSON: an optional UTF-8 byte-order mark, white space, then "{"), or
 * none of these. Pure: the engine reads the bytes from a path, the page from a picked or dropped file.
 */
import type { FileKind } from './api-har';

/** Bytes to read to decide: enough for a BOM and a long run of leading white space. */
export const SNIFF_BYTES = 512;
const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
const PCAPNG_BLOCK_TYPE = 0x0a0d0d0a;

export function detectKind(head: Uint8Array): FileKind {
  if (head.length >= 4) {
    const word = ((head[0] ?? 0) << 24) | ((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0);
    const magic = word >>> 0;
    if (PCAP_MAGICS.has(magic)) return 'pcap';
    if (magic === PCAPNG_BLOCK_TYPE) return 'pcapng';
  }
  let at = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  // JSON white space: space, tab, line feed, carriage return (RFC 8259 §2)
  while (at < head.length && (head[at] === 0x20 || head[at] === 0x09 || head[at] === 0x0a || head[at] === 0x0d)) at++;
  return head[at] === 0x7b ? 'har' : 'unknown';
}
