/**
 * Fuzz seeds: the public captures (../shared/captures/public, never copied into the repo) and
 * an independent walk of their record / block boundaries, so mutations can aim at length fields.
 *
 *   classic pcap (draft-ietf-opsawg-pcap §4, §5)      pcapng (draft-ietf-opsawg-pcapng §3)
 *   +----------------------+ 0                        +--------------------------+ 0
 *   | file header (24)     |                          | block type (4)           |
 *   +----------------------+ 24   <- boundary         | block total length (4)   | <- length field
 *   | ts sec | ts frac     |                          | body …                   |
 *   | caplen | origlen     | <- length fields         | block total length (4)   |
 *   | data (caplen)        |                          +--------------------------+ <- boundary
 *   +----------------------+ <- boundary
 *
 * The walk trusts nothing: it stops at the first length that does not fit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PUBLIC_CAPTURES = path.resolve(repoRoot, '../shared/captures/public');

/** Seeds larger than this are cut at a boundary below it, bytes: keeps one case to about a millisecond. */
export const MAX_SEED_BYTES = 12 * 1024;

export type SeedFormat = 'pcap' | 'pcapng' | 'unknown';

export interface Boundary {
  /** file offset where the record / block starts */
  offset: number;
  /** file offsets of 32-bit length fields of this record / block (caplen, origlen; or both block lengths) */
  lengthFields: number[];
  /** file offset of the pcapng block type, null for pcap records */
  typeField: number | null;
}

export interface Seed {
  name: string;
  bytes: Uint8Array;
  format: SeedFormat;
  littleEndian: boolean;
  boundaries: Boundary[];
  /** offset of the pcap snaplen field or of the first IDB's snaplen, null when absent */
  snaplenField: number | null;
}

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34]);

function walkPcap(bytes: Uint8Array, view: DataView, littleEndian: boolean, modified: boolean): Boundary[] {
  const headerBytes = modified ? 24 : 16;
  const boundaries: Boundary[] = [{ offset: 0, lengthFields: [], typeField: null }];
  let offset = 24;
  // bounded by the file size: every step advances by at least headerBytes
  while (offset + headerBytes <= bytes.length) {
    boundaries.push({ offset, lengthFields: [offset + 8, offset + 12], typeField: null });
    const captured = view.getUint32(offset + 8, littleEndian);
    if (offset + headerBytes + captured > bytes.length) break;
    offset += headerBytes + captured;
  }
  if (offset <= bytes.length) boundaries.push({ offset, lengthFields: [], typeField: null });
  return boundaries;
}

function walkPcapng(bytes: Uint8Array, view: DataView): { boundaries: Boundary[]; littleEndian: boolean; snaplenField: number | null } {
  const boundaries: Boundary[] = [];
  let littleEndian = true;
  let snaplenField: number | null = null;
  let offset = 0;
  while (offset + 12 <= bytes.length) {
    if (view.getUint32(offset, false) === 0x0a0d0d0a) littleEndian = view.getUint32(offset + 8, true) === 0x1a2b3c4d;
    const type = view.getUint32(offset, littleEndian);
    const length = view.getUint32(offset + 4, littleEndian);
    if (length < 12 || length % 4 !== 0 || offset + length > bytes.length) break;
    boundaries.push({ offset, lengthFields: [offset + 4, offset + length - 4], typeField: offset });
    if (type === 1 && snaplenField === null) snaplenField = offset + 12;
    // an EPB's captured length is a length field too
    if (type === 6 && length >= 32) boundaries[boundaries.length - 1]!.lengthFields.push(offset + 20, offset + 24);
    offset += length;
  }
  boundaries.push({ offset, lengthFields: [], typeField: null });
  return { boundaries, littleEndian, snaplenField };
}

/** Describes one capture's bytes (any bytes: unknown formats get start and end as boundaries). */
export function describeSeed(name: string, bytes: Uint8Array): Seed {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24) {
    const big = view.getUint32(0, false);
    const little = view.getUint32(0, true);
    if (PCAP_MAGICS.has(big) || PCAP_MAGICS.has(little)) {
      const littleEndian = !PCAP_MAGICS.has(big);
      const magic = littleEndian ? little : big;
      return {
        name,
        bytes,
        format: 'pcap',
        littleEndian,
        boundaries: walkPcap(bytes, view, littleEndian, magic === 0xa1b2cd34),
        snaplenField: 16,
      };
    }
  }
  if (bytes.length >= 12 && view.getUint32(0, false) === 0x0a0d0d0a) {
    const walked = walkPcapng(bytes, view);
    return { name, bytes, format: 'pcapng', ...walked };
  }
  const boundaries = [0, bytes.length].map((offset) => ({ offset, lengthFields: [], typeField: null }));
  return { name, bytes, format: 'unknown', littleEndian: true, boundaries, snaplenField: null };
}

/** Cuts a seed at its last boundary at or below maxBytes (keeps whole records). */
function cutSeed(seed: Seed, maxBytes: number): Seed {
  if (seed.bytes.length <= maxBytes) return seed;
  const kept = seed.boundaries.filter((boundary) => boundary.offset <= maxBytes);
  const lastWhole = kept[kept.length - 1]?.offset ?? 0;
  // unknown formats, or a first record larger than the cut: a plain prefix
  const end = seed.format === 'unknown' || lastWhole < 64 ? maxBytes : lastWhole;
  return describeSeed(seed.name, seed.bytes.slice(0, end));
}

/** Every public capture, cut to maxBytes; throws (loudly) when the corpus is missing. */
export function loadSeeds(maxBytes = MAX_SEED_BYTES): Seed[] {
  const names = readdirSync(PUBLIC_CAPTURES)
    .filter((name) => /\.(pcap|pcapng|cap)$/.test(name))
    .sort();
  if (names.length === 0) throw new Error(`no captures in ${PUBLIC_CAPTURES}: the fuzzer needs its seeds`);
  return names.map((name) => {
    const file = path.join(PUBLIC_CAPTURES, name);
    const bytes = readFileSync(file);
    if (bytes.length === 0) throw new Error(`${file} is empty`);
    return cutSeed(describeSeed(name, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)), maxBytes);
  });
}
