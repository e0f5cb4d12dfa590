/**
 * A captured frame → its innermost TCP segment, or the reason it has none.
 * Link layer (decode-link.ts) → IP and tunnels (decode-ip.ts) → TCP (decode-tcp.ts).
 * What Wireshark feeds its TCP analysis (packet-tcp.c, dissect_tcp) is what we produce: IP fragments reassembled (ip-reassembly.ts)
 * and the TCP segment given to the frame that completes its datagram, no TCP quoted inside ICMP errors,
 * payload length from the IP length fields.
 */
import type { CaptureRecord, DecodeResult, SkipReason, TcpSegment } from './types';
import { TCP_SYN } from './types';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, linkToNetwork, type LayerCursor } from './decode-link';
import { createIpLayer, ipToTcp } from './decode-ip';
import { IpReassembler, type ReassemblyStats } from './ip-reassembly';
import { clearOptions, emptyOptions, readTcp, timestampValue, type TcpHeader } from './decode-tcp';
import { AddressBook } from './address-book';

const TCP_FIXED_HEADER_BYTES = 20;

export interface DecoderOptions {
  /**
   * Reuse one result and one segment object for every call (no allocation per packet).
   * The result is then only valid until the next call: copy what you keep.
   */
  reuse?: boolean;
  /**
   * 'all' (default) reads the TCP options of every segment; 'syn' only those of SYN segments,
   * which is all the analysis needs (the handshake's window scale), and leaves the others empty.
   * Either way every segment's `timestampValue` is read.
   */
  options?: 'all' | 'syn';
  /**
   * Reassemble IP fragments (default true, as Wireshark's ip.defragment / ipv6.defragment): the decoder
   * then keeps state across calls, so feed it one capture's records in file order.
   */
  reassemble?: boolean;
}

/** a datagram reassembled inside a tunnel may itself be a fragment of an outer one: this many rounds at most */
const MAX_REASSEMBLY_ROUNDS = 4;

export interface Decoder {
  decode(record: CaptureRecord): DecodeResult;
  /** the addresses this decoder has seen: `segment.srcAddress` / `dstAddress` index it */
  readonly addresses: AddressBook;
  /** datagrams reassembled and given up so far (null when reassembly is off) */
  readonly reassembly: ReassemblyStats | null;
}

/** A segment with every field empty: the one object a decoder (or the summary thread) fills again for each packet. */
export function emptySegment(): TcpSegment {
  return {
    frame: 0,
    tsSec: 0,
    tsNsec: 0,
    time: 0,
    ipVersion: 4,
    src: '',
    dst: '',
    srcAddress: 0,
    dstAddress: 0,
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    window: 0,
    payloadLength: 0,
    capturedPayloadLength: 0,
    payloadOffset: 0,
    data: new Uint8Array(0),
    options: emptyOptions(),
    capturedLength: 0,
    originalLength: 0,
    shortHeader: false,
    timestampValue: -1,
    ipId: -1,
  };
}

const skipResults: Record<SkipReason, DecodeResult> = {
  'unknown-link-type': { ok: false, reason: 'unknown-link-type' },
  'not-ip': { ok: false, reason: 'not-ip' },
  'not-tcp': { ok: false, reason: 'not-tcp' },
  'ip-fragment': { ok: false, reason: 'ip-fragment' },
  truncated: { ok: false, reason: 'truncated' },
  malformed: { ok: false, reason: 'malformed' },
  'icmp-error': { ok: false, reason: 'icmp-error' },
};

export function createDecoder(options: DecoderOptions = {}): Decoder {
  const reuse = options.reuse ?? false;
  const allOptions = (options.options ?? 'all') === 'all';
  const addresses = new AddressBook();
  const cursor: LayerCursor = { start: 0, end: 0, offset: 0, etherType: 0 };
  const ip = createIpLayer();
  const reassembler = (options.reassemble ?? true) ? new IpReassembler() : null;
  const header: TcpHeader = { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, headerBytes: 0 };
  const sharedSegment = emptySegment();
  const sharedResult = { ok: true as const, segment: sharedSegment };
  /** the shared segment's options hold a SYN's values that the next non-SYN must not show */
  let sharedOptionsSet = false;

  return {
    addresses,
    reassembly: reassembler ? reassembler.stats : null,
    decode(record) {
      let data = record.buffer;
      const start = record.start;
      let end = start + record.capturedLength;
      cursor.start = start;
      cursor.end = end;
      let reason = linkToNetwork(record.linkType, data, cursor);
      if (reason) return skipResults[reason];
      // the reported end of the frame (snaplen may have cut what we hold)
      reason = ipToTcp(data, cursor, start + Math.max(record.originalLength, record.capturedLength), ip);
      for (let round = 0; reason === 'ip-fragment' && reassembler && ip.fragment && round < MAX_REASSEMBLY_ROUNDS; round++) {
        const fragment = ip.fragment;
        fragment.time = record.tsSec + record.tsNsec / 1e9;
        const wide = fragment.ipVersion === 6;
        const source = wide ? addresses.ipv6(data, ip.addressOffset) : addresses.ipv4(data, ip.addressOffset);
        const destination = wide ? addresses.ipv6(data, ip.addressOffset + 16) : addresses.ipv4(data, ip.addressOffset + 4);
        const whole = reassembler.add(fragment, `${source}|${destination}`);
        if (!whole) break;
        // the whole datagram is this frame's packet from here on
        data = whole;
        end = whole.length;
        cursor.start = 0;
        cursor.end = end;
        cursor.offset = 0;
        cursor.etherType = wide ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
        reason = ipToTcp(data, cursor, end, ip);
      }
      if (reason) return skipResults[reason];
      // the IP length leaves no room for TCP's 20 fixed bytes: Wireshark stops at an exception (no stream)
      if (ip.reportedEnd - ip.transportOffset < TCP_FIXED_HEADER_BYTES) return skipResults.malformed;
      const segment = reuse ? sharedSegment : emptySegment();
      const transport = ip.transportOffset;
      const withOptions = allOptions || (transport + 13 < end && (data[transport + 13]! & TCP_SYN) !== 0);
      reason = readTcp(data, transport, end, header, segment.options, withOptions);
      if (reason) return skipResults[reason];
      if (reuse) {
        if (!withOptions && sharedOptionsSet) clearOptions(segment.options);
        sharedOptionsSet = withOptions;
      }
      segment.timestampValue = withOptions
        ? (segment.options.tsVal ?? -1)
        : timestampValue(data, transport, Math.min(transport + header.headerBytes, end));
      // a header longer than the IP payload: Wireshark's "Short segment", a stream but no tcp.len
      const shortHeader = ip.reportedEnd - transport < header.headerBytes;
      const payloadStart = transport + header.headerBytes;
      const payloadOffset = Math.min(payloadStart, end);
      const payloadLength = shortHeader ? 0 : ip.reportedEnd - payloadStart;
      segment.frame = record.frame;
      segment.tsSec = record.tsSec;
      segment.tsNsec = record.tsNsec;
      segment.time = record.tsSec + record.tsNsec / 1e9;
      segment.ipVersion = ip.ipVersion;
      // the identification field lies 8 bytes before the IPv4 source address
      segment.ipId = ip.ipVersion === 4 ? (data[ip.addressOffset - 8]! << 8) | data[ip.addressOffset - 7]! : -1;
      if (ip.ipVersion === 4) {
        segment.srcAddress = addresses.ipv4(data, ip.addressOffset);
        segment.dstAddress = addresses.ipv4(data, ip.addressOffset + 4);
      } else {
        segment.srcAddress = addresses.ipv6(data, ip.addressOffset);
        segment.dstAddress = addresses.ipv6(data, ip.addressOffset + 16);
      }
      segment.src = addresses.text(segment.srcAddress);
      segment.dst = addresses.text(segment.dstAddress);
      segment.srcPort = header.srcPort;
      segment.dstPort = header.dstPort;
      segment.seq = header.seq;
      segment.ack = header.ack;
      segment.flags = header.flags;
      segment.window = header.window;
      segment.payloadLength = payloadLength;
      segment.capturedPayloadLength = shortHeader ? 0 : Math.max(0, Math.min(end, ip.reportedEnd) - payloadOffset);
      segment.shortHeader = shortHeader;
      segment.payloadOffset = payloadOffset;
      segment.data = data;
      segment.capturedLength = record.capturedLength;
      segment.originalLength = record.originalLength;
      return reuse ? sharedResult : { ok: true, segment };
    },
  };
}

/** unrelated records, one at a time: no state across calls, so no reassembly */
const defaultDecoder = createDecoder({ reassemble: false });

/**
 * Decodes one record into fresh objects (safe to keep), without IP reassembly (a fragment stays
 * 'ip-fragment'); see createDecoder({ reuse: true }) for the hot path over a whole capture.
 */
export function decode(record: CaptureRecord): DecodeResult {
  return defaultDecoder.decode(record);
}
