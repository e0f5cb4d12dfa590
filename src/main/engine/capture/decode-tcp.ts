/**
 * TCP header and options (RFC 9293 §3.1; options: MSS kind 2, window scale 3 (RFC 7323),
 * SACK permitted 4 and SACK 5 (RFC 2018), timestamps 8 (RFC 7323)).
 *
 *   | source port(16)          | destination port(16)      |  0
 *   | sequence number(32)                                  |  4
 *   | acknowledgment number(32)                            |  8
 *   | offset(4) rsv(4) flags(8) | window(16)               | 12
 *   | checksum(16)             | urgent pointer(16)        | 16
 *   | options (offset·4 − 20 bytes)                         | 20
 */
import type { SkipReason, TcpOptions, TcpSegment } from './types';

const TCP_MINIMUM_HEADER_BYTES = 20;
const OPTION_END = 0;
const OPTION_NOP = 1;
const OPTION_MSS = 2;
const OPTION_WINDOW_SCALE = 3;
const OPTION_SACK_PERMITTED = 4;
const OPTION_SACK = 5;
const OPTION_TIMESTAMPS = 8;

/** The fixed TCP fields, filled in place: the segment's own (same meaning, see TcpSegment) and the header's length. */
export interface TcpHeader extends Pick<TcpSegment, 'srcPort' | 'dstPort' | 'seq' | 'ack' | 'flags' | 'window'> {
  /** data offset × 4, bytes */
  headerBytes: number;
}

/** Resets `options` to "none seen" in place. */
export function clearOptions(options: TcpOptions): void {
  options.mss = null;
  options.windowScale = null;
  options.sackPermitted = false;
  if (options.sackBlocks.length > 0) options.sackBlocks = [];
  options.tsVal = null;
  options.tsEcr = null;
}

export function emptyOptions(): TcpOptions {
  return { mss: null, windowScale: null, sackPermitted: false, sackBlocks: [], tsVal: null, tsEcr: null };
}

function u32(data: Uint8Array, offset: number): number {
  return ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
}

/**
 * Reads the header at `start` of a frame that ends at `end` into `header`, and — when `withOptions`
 * — its options into `options` (reset first; left alone otherwise). Needs the 20 fixed bytes
 * captured; the caller checks `headerBytes` against the IP payload.
 */
export function readTcp(
  data: Uint8Array,
  start: number,
  end: number,
  header: TcpHeader,
  options: TcpOptions,
  withOptions: boolean,
): SkipReason | null {
  if (start + TCP_MINIMUM_HEADER_BYTES > end) return 'truncated';
  const headerBytes = (data[start + 12]! >> 4) * 4;
  // a bogus header length: Wireshark gives up on the segment (no stream)
  if (headerBytes < TCP_MINIMUM_HEADER_BYTES) return 'malformed';
  header.srcPort = (data[start]! << 8) | data[start + 1]!;
  header.dstPort = (data[start + 2]! << 8) | data[start + 3]!;
  header.seq = u32(data, start + 4);
  header.ack = u32(data, start + 8);
  header.flags = data[start + 13]!;
  header.window = (data[start + 14]! << 8) | data[start + 15]!;
  header.headerBytes = headerBytes;
  if (!withOptions) return null;
  clearOptions(options);
  // options cut by the snaplen are read as far as they were captured
  const optionsEnd = Math.min(start + headerBytes, end);
  if (optionsEnd > start + TCP_MINIMUM_HEADER_BYTES) readOptions(data, start + TCP_MINIMUM_HEADER_BYTES, optionsEnd, options);
  return null;
}

/**
 * The TSval of the timestamp option of the header at `start` (options up to `optionsEnd`), or -1.
 * Linux, macOS and the BSDs put the option first, after two NOPs: that layout is read directly,
 * any other by walking the options as readOptions does.
 */
export function timestampValue(data: Uint8Array, start: number, optionsEnd: number): number {
  const first = start + TCP_MINIMUM_HEADER_BYTES;
  if (optionsEnd <= first) return -1;
  if (
    first + 12 <= optionsEnd &&
    data[first] === OPTION_NOP &&
    data[first + 1] === OPTION_NOP &&
    data[first + 2] === OPTION_TIMESTAMPS &&
    data[first + 3] === 10
  )
    return u32(data, first + 4);
  const options = emptyOptions();
  readOptions(data, first, optionsEnd, options);
  return options.tsVal ?? -1;
}

/** A malformed option ends the walk; what was read before it stays (as Wireshark shows it). */
function readOptions(data: Uint8Array, start: number, end: number, options: TcpOptions): void {
  let offset = start;
  while (offset < end) {
    const kind = data[offset]!;
    if (kind === OPTION_END) return;
    if (kind === OPTION_NOP) {
      offset += 1;
      continue;
    }
    if (offset + 2 > end) return;
    const length = data[offset + 1]!;
    if (length < 2 || offset + length > end) return;
    if (kind === OPTION_MSS && length === 4) options.mss = (data[offset + 2]! << 8) | data[offset + 3]!;
    else if (kind === OPTION_WINDOW_SCALE && length === 3) options.windowScale = data[offset + 2]!;
    else if (kind === OPTION_SACK_PERMITTED && length === 2) options.sackPermitted = true;
    else if (kind === OPTION_TIMESTAMPS && length === 10) {
      options.tsVal = u32(data, offset + 2);
      options.tsEcr = u32(data, offset + 6);
    } else if (kind === OPTION_SACK && (length - 2) % 8 === 0) {
      const blocks: number[] = [];
      for (let block = offset + 2; block < offset + length; block += 8) blocks.push(u32(data, block), u32(data, block + 4));
      options.sackBlocks = blocks;
    }
    offset += length;
  }
}
