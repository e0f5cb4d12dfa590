/**
 * The seam between the capture readers/decoders and the TCP analysis.
 * Readers turn bytes into `CaptureRecord`s (one per captured frame, in file order);
 * `decode` turns a record into a `TcpSegment` (or says why it is not one);
 * the analysis consumes segments in frame order.
 */

/**
 * A frame as read from the file: its bytes are buffer[start, start + capturedLength).
 * Readers reuse one record object and hand over their read buffer (no copy, no view per frame):
 * the record and its bytes are only valid during the callback that receives them.
 */
export interface CaptureRecord {
  /** 1-based, file order, counting every record (as tshark's frame.number) */
  frame: number;
  /** seconds since 1970 */
  tsSec: number;
  /**
   * nanoseconds within the second, whatever the file's resolution: normally 0..999_999_999, but passed on
   * raw when the file holds more (a pcap µs field ≥ 1e6, as tshark keeps it; see fuzz-regressions.test.ts)
   */
  tsNsec: number;
  /** LINKTYPE_* number of the interface the frame came from */
  linkType: number;
  /** pcapng interface id (0 for classic pcap) */
  interfaceId: number;
  /** bytes present in the file for this frame */
  capturedLength: number;
  /** bytes the frame had on the wire */
  originalLength: number;
  /** the bytes holding the frame (the reader's buffer: the frame starts at `start`) */
  buffer: Uint8Array;
  start: number;
  /** the frame's own bytes, buffer[start, start + capturedLength): a view made on each access */
  readonly data: Uint8Array;
}

/** the header's control bits: one table for engine and UI (src/shared/tcp-header-flags.ts) */
export { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '@shared/tcp-header-flags';

export interface TcpOptions {
  mss: number | null;
  /** shift count from the window-scale option, null when absent */
  windowScale: number | null;
  sackPermitted: boolean;
  /** SACK blocks as [left, right) uint32 pairs, flattened */
  sackBlocks: number[];
  tsVal: number | null;
  tsEcr: number | null;
}

/** A decoded TCP segment (the innermost TCP when tunnelled). */
export interface TcpSegment {
  frame: number;
  tsSec: number;
  tsNsec: number;
  /** tsSec + tsNsec / 1e9: seconds since 1970, computed once by the decoder */
  time: number;
  ipVersion: 4 | 6;
  /** IPv4 dotted quad or compressed IPv6 text (no brackets) */
  src: string;
  dst: string;
  /** the same addresses as ids in the decoder's AddressBook: equal ids, equal addresses */
  srcAddress: number;
  dstAddress: number;
  srcPort: number;
  dstPort: number;
  /** uint32 */
  seq: number;
  /** uint32 */
  ack: number;
  /** TCP_* bits (low 8 bits of the flags field) */
  flags: number;
  /** raw 16-bit window field, not scaled */
  window: number;
  /** TCP payload length as tshark's tcp.len: IP payload length minus TCP header, from the IP length fields (not from what was captured) */
  payloadLength: number;
  /** bytes of that payload actually present in `data` (snaplen may cut it) */
  capturedPayloadLength: number;
  /** offset of the TCP payload within `data` */
  payloadOffset: number;
  /** bytes holding the frame (the record's buffer; valid only during the callback) */
  data: Uint8Array;
  /** read from every segment by default; a decoder made with `options: 'syn'` reads them from SYNs only (the others' are empty) */
  options: TcpOptions;
  /**
   * the TCP timestamp option's TSval (uint32), read from every segment whatever `options` holds; -1
   * when the segment has none. A number, never null: stored for every packet, a nullable field would
   * box every value from 2^30 up as a new heap number.
   */
  timestampValue: number;
  /** the IPv4 header's identification field (of the innermost IPv4 header); -1 for IPv6, which has none outside fragments */
  ipId: number;
  capturedLength: number;
  originalLength: number;
  /**
   * True when the TCP header length runs past the IP payload ("Short segment" in Wireshark):
   * Wireshark still gives the segment a tcp.stream but no tcp.len and no analysis flags.
   * Then payloadLength and capturedPayloadLength are 0. Absent means false.
   */
  shortHeader?: boolean;
}

/**
 * Why a record produced no TCP segment; counted per reason, never fatal. 'ip-fragment': the frame holds
 * a fragment only — its datagram is handed on in the frame that completes it (as in tshark), or never
 * completed (a missing piece, a snaplen cut, a protocol that cannot carry TCP).
 */
export type SkipReason = 'unknown-link-type' | 'not-ip' | 'not-tcp' | 'ip-fragment' | 'truncated' | 'malformed' | 'icmp-error';

export type DecodeResult = { ok: true; segment: TcpSegment } | { ok: false; reason: SkipReason };
