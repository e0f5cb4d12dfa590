/**
 * A captured frame → its innermost TCP segment, or the reason it has none.
 * Link layer (decode-link.ts) → IP and tunnels (decode-ip.ts) → TCP (decode-tcp.ts).
 * What Wireshark feeds its TCP analysis (packet-tcp.c, dissect_tcp) is what we produce: no IP
 * fragments, no TCP quoted inside ICMP errors, payload length from the IP length fields.
 */
import type { CaptureRecord, DecodeResult, SkipReason, TcpSegment } from './types';
import { TCP_SYN } from './types';
import { linkToNetwork, type LayerCursor } from './decode-link';
import { ipToTcp, type IpLayer } from './decode-ip';
import { clearOptions, emptyOptions, readTcp, type TcpHeader } from './decode-tcp';
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
   */
  options?: 'all' | 'syn';
}

export interface Decoder {
  decode(record: CaptureRecord): DecodeResult;
  /** the addresses this decoder has seen: `segment.srcAddress` / `dstAddress` index it */
  readonly addresses: AddressBook;
}

function emptySegment(): TcpSegment {
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
  const ip: IpLayer = { ipVersion: 4, addressOffset: 0, transportOffset: 0, reportedEnd: 0 };
  const header: TcpHeader = { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, headerBytes: 0 };
  const sharedSegment = emptySegment();
  const sharedResult = { ok: true as const, segment: sharedSegment };
  /** the shared segment's options hold a SYN's values that the next non-SYN must not show */
  let sharedOptionsSet = false;

  return {
    addresses,
    decode(record) {
      const data = record.buffer;
      const start = record.start;
      const end = start + record.capturedLength;
      cursor.start = start;
      cursor.end = end;
      let reason = linkToNetwork(record.linkType, data, cursor);
      if (reason) return skipResults[reason];
      // the reported end of the frame (snaplen may have cut what we hold)
      reason = ipToTcp(data, cursor, start + Math.max(record.originalLength, record.capturedLength), ip);
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

const defaultDecoder = createDecoder();

/** Decodes one record into fresh objects (safe to keep); see createDecoder({ reuse: true }) for the hot path. */
export function decode(record: CaptureRecord): DecodeResult {
  return defaultDecoder.decode(record);
}
