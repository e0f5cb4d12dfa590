/**
 * IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) fragment reassembly, as Wireshark does it by default
 * (`ip.defragment` and `ipv6.defragment` are on): the fragments of one datagram are collected by
 * (source, destination, protocol, identification) for IPv4 and (source, destination, identification)
 * for IPv6, and the whole datagram is handed to the next layer in the frame whose fragment completes
 * it; the frames before it carry only a fragment (no TCP of their own, as in tshark).
 *
 *   fragment i:  [offset_i, offset_i + length_i) of the datagram's payload, "more fragments" bit set
 *   last one:    more-fragments clear, so offset + length is the payload's total length
 *   complete:    the last one seen and every byte of [0, total) covered
 *
 * Overlapping fragments keep the bytes that arrived first (RFC 5722 says to drop an IPv6 datagram with
 * overlaps; Wireshark keeps it and flags the overlap, which is what the TCP analysis then sees).
 *
 * Bounded: at most MAX_PENDING_DATAGRAMS unfinished datagrams and MAX_PENDING_BYTES buffered (the
 * oldest is dropped first), a datagram is given up PENDING_TIMEOUT_SECONDS of capture time after its
 * first fragment, and an offset past MAX_DATAGRAM_PAYLOAD_BYTES is refused.
 */

/** The largest payload an IP length field can describe (IPv4 total length minus the smallest header). */
export const MAX_DATAGRAM_PAYLOAD_BYTES = 65_535;
/** unfinished datagrams kept at once; more means a flood of first fragments, not a conversation */
export const MAX_PENDING_DATAGRAMS = 4096;
/** bytes buffered over all unfinished datagrams */
export const MAX_PENDING_BYTES = 32 * 1024 * 1024;
/** Linux gives up after 30 s (net.ipv4.ipfrag_time); twice that keeps slow captures whole, seconds */
const PENDING_TIMEOUT_SECONDS = 60;

export interface Fragment {
  /** 4 or 6 */
  ipVersion: 4 | 6;
  /** the bytes holding the fragment (a reader's buffer) */
  data: Uint8Array;
  /** where this fragment's IP header starts in `data` */
  headerOffset: number;
  /** where the fragment's payload starts and ends in `data` (end as the IP length says, within the captured bytes) */
  payloadOffset: number;
  payloadEnd: number;
  /** the payload's place in the datagram, bytes */
  fragmentOffset: number;
  moreFragments: boolean;
  identification: number;
  /** the protocol the whole datagram carries (IPv4 protocol field, IPv6 fragment header's next header) */
  protocol: number;
  /** capture time of the frame, seconds */
  time: number;
}

interface Piece {
  start: number;
  bytes: Uint8Array;
}

/** the payload in 8-byte units (RFC 791's fragment offset unit): 8,192 of them, a bit each */
const UNIT_BYTES = 8;
const MAX_UNITS = Math.ceil(MAX_DATAGRAM_PAYLOAD_BYTES / UNIT_BYTES);

interface Pending {
  key: string;
  firstTime: number;
  pieces: Piece[];
  /** a bit per 8-byte unit of the payload that some piece covers whole (or up to the end) */
  covered: Uint8Array;
  coveredUnits: number;
  bufferedBytes: number;
  /** payload length, known once the last fragment arrived */
  total: number | null;
  /** the IP header to put in front of the whole datagram (from the fragment at offset 0) */
  header: Uint8Array | null;
}

export interface ReassemblyStats {
  /** datagrams handed on whole */
  completed: number;
  /** datagrams given up: timed out, evicted by the bounds, or a fragment that made no sense */
  abandoned: number;
  /** datagrams waiting for fragments now, and the payload bytes they hold */
  pendingDatagrams: number;
  pendingBytes: number;
}

export class IpReassembler {
  private readonly pending = new Map<string, Pending>();
  readonly stats: ReassemblyStats = { completed: 0, abandoned: 0, pendingDatagrams: 0, pendingBytes: 0 };

  /**
   * Adds one fragment. Returns the whole datagram — an IP header with the fragment fields cleared
   * and the lengths set, then the payload — when this fragment completes it, else null.
   */
  add(fragment: Fragment, sourceKey: string): Uint8Array | null {
    this.expire(fragment.time);
    const length = fragment.payloadEnd - fragment.payloadOffset;
    const end = fragment.fragmentOffset + length;
    if (length < 0 || end > MAX_DATAGRAM_PAYLOAD_BYTES) return null;
    const key = `${fragment.ipVersion}|${sourceKey}|${fragment.protocol}|${fragment.identification}`;
    let datagram = this.pending.get(key);
    if (!datagram) {
      datagram = {
        key,
        firstTime: fragment.time,
        pieces: [],
        covered: new Uint8Array(MAX_UNITS / 8 + 1),
        coveredUnits: 0,
        bufferedBytes: 0,
        total: null,
        header: null,
      };
      this.pending.set(key, datagram);
      this.stats.pendingDatagrams = this.pending.size;
    }
    if (!fragment.moreFragments) {
      if (datagram.total !== null && datagram.total !== end) return this.abandon(datagram);
      datagram.total = end;
    }
    if (fragment.fragmentOffset === 0 && datagram.header === null) datagram.header = copyHeader(fragment);
    if (length > 0) {
      datagram.pieces.push({ start: fragment.fragmentOffset, bytes: fragment.data.slice(fragment.payloadOffset, fragment.payloadEnd) });
      datagram.bufferedBytes += length;
      this.stats.pendingBytes += length;
      markCovered(datagram, fragment.fragmentOffset, end, !fragment.moreFragments);
    }
    if (datagram.total !== null && datagram.pieces.some((piece) => piece.start + piece.bytes.length > datagram.total!)) {
      return this.abandon(datagram);
    }
    const whole = this.tryComplete(datagram);
    if (whole) return whole;
    this.bound();
    return null;
  }

  private tryComplete(datagram: Pending): Uint8Array | null {
    if (datagram.total === null || datagram.header === null) return null;
    if (datagram.coveredUnits < Math.ceil(datagram.total / UNIT_BYTES)) return null;
    const header = datagram.header;
    const out = new Uint8Array(header.length + datagram.total);
    out.set(header, 0);
    // first arrival wins where fragments overlap: write in reverse arrival order
    for (let index = datagram.pieces.length - 1; index >= 0; index--) {
      const piece = datagram.pieces[index]!;
      out.set(piece.bytes, header.length + piece.start);
    }
    setLengths(out, header.length, datagram.total);
    this.forget(datagram);
    this.stats.completed += 1;
    return out;
  }

  private abandon(datagram: Pending): null {
    this.forget(datagram);
    this.stats.abandoned += 1;
    return null;
  }

  private forget(datagram: Pending): void {
    this.pending.delete(datagram.key);
    this.stats.pendingDatagrams = this.pending.size;
    this.stats.pendingBytes -= datagram.bufferedBytes;
  }

  /** Gives up datagrams whose first fragment is older than the timeout (Map order is arrival order). */
  private expire(now: number): void {
    for (const datagram of this.pending.values()) {
      if (now - datagram.firstTime <= PENDING_TIMEOUT_SECONDS) break;
      this.abandon(datagram);
    }
  }

  private bound(): void {
    for (const datagram of this.pending.values()) {
      if (this.pending.size <= MAX_PENDING_DATAGRAMS && this.stats.pendingBytes <= MAX_PENDING_BYTES) break;
      this.abandon(datagram);
    }
  }
}

/**
 * Marks the units [start, end) covers whole; a piece that ends the datagram also covers its last,
 * shorter unit. A unit split between two odd-length pieces stays unmarked (hostile input only:
 * every fragment but the last carries a multiple of 8 bytes, RFC 791 §3.2).
 */
function markCovered(datagram: Pending, start: number, end: number, last: boolean): void {
  const first = Math.ceil(start / UNIT_BYTES);
  const stop = last ? Math.ceil(end / UNIT_BYTES) : Math.floor(end / UNIT_BYTES);
  for (let unit = first; unit < stop && unit < MAX_UNITS; unit++) {
    const mask = 1 << (unit & 7);
    if ((datagram.covered[unit >> 3]! & mask) !== 0) continue;
    datagram.covered[unit >> 3]! |= mask;
    datagram.coveredUnits += 1;
  }
}

/**
 * The header for the whole datagram. IPv4: the offset-0 fragment's header (with its options).
 * IPv6: the fixed 40 bytes, with next header = the fragment header's next header, so the unfragmentable
 * extension headers and the fragment header itself are left out (nothing after them needs them).
 */
function copyHeader(fragment: Fragment): Uint8Array {
  if (fragment.ipVersion === 4) {
    const header = fragment.data.slice(fragment.headerOffset, fragment.payloadOffset);
    header[6] = 0; // flags and fragment offset
    header[7] = 0;
    return header;
  }
  const header = fragment.data.slice(fragment.headerOffset, fragment.headerOffset + 40);
  header[6] = fragment.protocol;
  return header;
}

function setLengths(out: Uint8Array, headerBytes: number, payloadBytes: number): void {
  if (out[0]! >> 4 === 4) {
    const total = headerBytes + payloadBytes;
    // a reassembled datagram over 65,535 bytes cannot exist; 0 tells the decoder to take the buffer's length
    const field = total > 0xffff ? 0 : total;
    out[2] = field >> 8;
    out[3] = field & 0xff;
  } else {
    out[4] = payloadBytes >> 8;
    out[5] = payloadBytes & 0xff;
  }
}
