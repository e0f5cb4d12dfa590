/**
 * IPv4 / IPv6 (with extension headers) down to the innermost TCP, through tunnels:
 * IP-in-IP (4), IPv6-in-IP (41), GRE (47: IP, transparent Ethernet, Aruba 802.11, PPTP's PPP),
 * and over UDP the ports Wireshark decodes by default: VXLAN (4789, RFC 7348) and Geneve (6081,
 * RFC 8926, an inner IP packet or an inner Ethernet frame). A fragment is described in `out.fragment`
 * and reported as 'ip-fragment', so the decoder can reassemble it (ip-reassembly.ts).
 *
 *   IPv4 (RFC 791)                                   IPv6 (RFC 8200)
 *   | ver(4) ihl(4) | tos | total length(16) |  0    | ver(4) class(8) flow(20)            |  0
 *   | id(16)        | flags(3) frag offset(13)|  4    | payload length(16) | next(8) | hops |  4
 *   | ttl | protocol | checksum(16)           |  8    | source (128)                        |  8
 *   | source(32) | destination(32) | options  | 12    | destination (128)                   | 24
 *   extension headers: next(8) length(8) ...; hop-by-hop/routing/dest-opts (len+1)·8, AH (len+2)·4, fragment 8
 *   GRE (RFC 2784/2890, PPTP RFC 2637): flags+version(16) protocol(16) [checksum+reserved(32)] [key(32)] [seq(32)] [ack(32), v1]
 *
 * Lengths follow Wireshark: the IP length fields set the "reported" end of the packet (so
 * Ethernet padding is not payload); an IPv4 total length of 0 (TSO) keeps the frame's length.
 */
import type { SkipReason } from './types';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, ethernet, ppp, wlan, type LayerCursor } from './decode-link';
import type { Fragment } from './ip-reassembly';

const PROTOCOL_ICMP = 1;
const PROTOCOL_IPV4_IN_IP = 4;
const PROTOCOL_TCP = 6;
const PROTOCOL_IPV6_IN_IP = 41;
const PROTOCOL_GRE = 47;
const PROTOCOL_ICMPV6 = 58;
const IPV6_HOP_BY_HOP = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_AUTHENTICATION = 51;
const IPV6_DESTINATION_OPTIONS = 60;
const IPV6_MOBILITY = 135;
const IPV6_HEADER_BYTES = 40;
const PROTOCOL_UDP = 17;
const UDP_HEADER_BYTES = 8;
const UDP_PORT_VXLAN = 4789;
const UDP_PORT_GENEVE = 6081;
/** VXLAN: flags(8) reserved(24) VNI(24) reserved(8), then an Ethernet frame */
const VXLAN_HEADER_BYTES = 8;
/** Geneve: version(2) options length(6, in 4-byte words) | O C reserved(6) | protocol type(16) | VNI(24) reserved(8) */
const GENEVE_HEADER_BYTES = 8;
/** the protocols whose fragments can lead to TCP: only those are held for reassembly */
const REASSEMBLED_PROTOCOLS = new Set([PROTOCOL_IPV4_IN_IP, PROTOCOL_TCP, PROTOCOL_UDP, PROTOCOL_IPV6_IN_IP, PROTOCOL_GRE]);
/** tunnels inside tunnels: more than this is malformed or hostile */
const MAX_TUNNEL_DEPTH = 8;
const MAX_EXTENSION_HEADERS = 16;
const GRE_TRANSPARENT_ETHERNET = 0x6558;
const GRE_ARUBA_WLAN = 0x8200;
const GRE_PPP = 0x880b;
/** ICMP (RFC 792) and ICMPv6 (RFC 4443) error types, which quote the packet that caused them */
const ICMP_ERROR_TYPES = new Set([3, 4, 5, 11, 12]);
const ICMPV6_ERROR_MAX_TYPE = 4;

/** The innermost IP header that carries TCP. */
export interface IpLayer {
  ipVersion: 4 | 6;
  /** offset of the source address; the destination follows (4 or 16 bytes later) */
  addressOffset: number;
  transportOffset: number;
  /** offset (in the record's data) just past the IP packet as the length fields report it; may exceed the captured bytes */
  reportedEnd: number;
  /** set when ipToTcp answers 'ip-fragment' for a fragment worth reassembling (whole in the capture, of a protocol that can carry TCP) */
  fragment: Fragment | null;
}

/** A fresh IpLayer, with the fragment description it fills reused. */
export function createIpLayer(): IpLayer {
  return {
    ipVersion: 4,
    addressOffset: 0,
    transportOffset: 0,
    reportedEnd: 0,
    fragment: null,
  };
}

const fragmentOut: Fragment = {
  ipVersion: 4,
  data: new Uint8Array(0),
  headerOffset: 0,
  payloadOffset: 0,
  payloadEnd: 0,
  fragmentOffset: 0,
  moreFragments: false,
  identification: 0,
  protocol: 0,
  time: 0,
};

/**
 * From the network layer in `cursor` (which this moves through tunnels) to the TCP header.
 * `reportedEnd` starts as the frame's original length.
 */
export function ipToTcp(data: Uint8Array, cursor: LayerCursor, reportedEnd: number, out: IpLayer): SkipReason | null {
  let end = reportedEnd;
  out.fragment = null;
  for (let depth = 0; depth < MAX_TUNNEL_DEPTH; depth++) {
    let protocol: number;
    let next: number;
    if (cursor.etherType === ETHERTYPE_IPV4) {
      const start = cursor.offset;
      if (start + 20 > cursor.end) return 'truncated';
      if (data[start]! >> 4 !== 4) return 'malformed';
      const headerBytes = (data[start]! & 0x0f) * 4;
      if (headerBytes < 20) return 'malformed';
      if (start + headerBytes > cursor.end) return 'truncated';
      const totalLength = (data[start + 2]! << 8) | data[start + 3]!;
      if (totalLength !== 0) {
        if (totalLength < headerBytes) return 'malformed';
        end = Math.min(end, start + totalLength);
      }
      const fragment = (data[start + 6]! << 8) | data[start + 7]!;
      protocol = data[start + 9]!;
      next = start + headerBytes;
      out.ipVersion = 4;
      out.addressOffset = start + 12;
      // more-fragments bit or a non-zero offset (in 8-byte units)
      if ((fragment & 0x3fff) !== 0) {
        const identification = (data[start + 4]! << 8) | data[start + 5]!;
        describeFragment(
          out,
          data,
          cursor.end,
          start,
          next,
          end,
          (fragment & 0x1fff) * 8,
          (fragment & 0x2000) !== 0,
          identification,
          protocol,
        );
        return 'ip-fragment';
      }
      if (protocol === PROTOCOL_ICMP) return icmpReason(data, next, cursor.end, false);
    } else if (cursor.etherType === ETHERTYPE_IPV6) {
      const start = cursor.offset;
      if (start + IPV6_HEADER_BYTES > cursor.end) return 'truncated';
      if (data[start]! >> 4 !== 6) return 'malformed';
      const payloadLength = (data[start + 4]! << 8) | data[start + 5]!;
      if (payloadLength !== 0) end = Math.min(end, start + IPV6_HEADER_BYTES + payloadLength);
      out.ipVersion = 6;
      out.addressOffset = start + 8;
      const walked = walkIpv6Extensions(data, cursor.end, data[start + 6]!, start + IPV6_HEADER_BYTES);
      if (walked === 'ip-fragment') {
        const f = ipv6Fragment;
        describeFragment(
          out,
          data,
          cursor.end,
          start,
          f.payloadOffset,
          end,
          f.fragmentOffset,
          f.moreFragments,
          f.identification,
          f.protocol,
        );
        return walked;
      }
      if (typeof walked === 'string') return walked;
      protocol = walked.protocol;
      next = walked.offset;
      if (protocol === PROTOCOL_ICMPV6) return icmpReason(data, next, cursor.end, true);
    } else return 'not-ip';

    if (protocol === PROTOCOL_TCP) {
      out.transportOffset = next;
      out.reportedEnd = end;
      return null;
    }
    if (protocol === PROTOCOL_IPV4_IN_IP || protocol === PROTOCOL_IPV6_IN_IP) {
      cursor.offset = next;
      cursor.etherType = protocol === PROTOCOL_IPV4_IN_IP ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
      continue;
    }
    if (protocol === PROTOCOL_GRE) {
      const reason = gre(data, next, cursor);
      if (reason) return reason;
      continue;
    }
    if (protocol === PROTOCOL_UDP) {
      const reason = udpTunnel(data, next, cursor);
      if (reason) return reason;
      // the inner packet's own length fields set its end; the UDP length bounds it
      end = Math.min(end, next + Math.max(UDP_HEADER_BYTES, (data[next + 4]! << 8) | data[next + 5]!));
      continue;
    }
    return 'not-tcp';
  }
  return 'malformed';
}

function icmpReason(data: Uint8Array, offset: number, end: number, version6: boolean): SkipReason {
  if (offset >= end) return 'not-tcp';
  const type = data[offset]!;
  const isError = version6 ? type >= 1 && type <= ICMPV6_ERROR_MAX_TYPE : ICMP_ERROR_TYPES.has(type);
  return isError ? 'icmp-error' : 'not-tcp';
}

/**
 * Fills `out.fragment` for a fragment the decoder may reassemble: one whose bytes are all in the
 * capture (a snaplen cut makes the datagram impossible to rebuild) and whose protocol can carry TCP.
 */
function describeFragment(
  out: IpLayer,
  data: Uint8Array,
  capturedEnd: number,
  headerOffset: number,
  payloadOffset: number,
  reportedEnd: number,
  fragmentOffset: number,
  moreFragments: boolean,
  identification: number,
  protocol: number,
): void {
  if (reportedEnd > capturedEnd || payloadOffset > reportedEnd || !REASSEMBLED_PROTOCOLS.has(protocol)) return;
  const fragment = fragmentOut;
  fragment.ipVersion = out.ipVersion;
  fragment.data = data;
  fragment.headerOffset = headerOffset;
  fragment.payloadOffset = payloadOffset;
  fragment.payloadEnd = reportedEnd;
  fragment.fragmentOffset = fragmentOffset;
  fragment.moreFragments = moreFragments;
  fragment.identification = identification;
  fragment.protocol = protocol;
  out.fragment = fragment;
}

/** VXLAN and Geneve over UDP (by either port, as Wireshark's UDP port table matches); anything else is not TCP. */
function udpTunnel(data: Uint8Array, start: number, cursor: LayerCursor): SkipReason | null {
  if (start + UDP_HEADER_BYTES > cursor.end) return 'truncated';
  const sourcePort = (data[start]! << 8) | data[start + 1]!;
  const destinationPort = (data[start + 2]! << 8) | data[start + 3]!;
  const payload = start + UDP_HEADER_BYTES;
  if (destinationPort === UDP_PORT_VXLAN || sourcePort === UDP_PORT_VXLAN) {
    if (payload + VXLAN_HEADER_BYTES > cursor.end) return 'truncated';
    return ethernet(data, payload + VXLAN_HEADER_BYTES, cursor);
  }
  if (destinationPort === UDP_PORT_GENEVE || sourcePort === UDP_PORT_GENEVE) {
    if (payload + GENEVE_HEADER_BYTES > cursor.end) return 'truncated';
    if (data[payload]! >> 6 !== 0) return 'not-tcp'; // only version 0 is defined
    const inner = payload + GENEVE_HEADER_BYTES + (data[payload]! & 0x3f) * 4;
    if (inner > cursor.end) return 'truncated';
    const protocolType = (data[payload + 2]! << 8) | data[payload + 3]!;
    if (protocolType === GRE_TRANSPARENT_ETHERNET) return ethernet(data, inner, cursor);
    if (protocolType === ETHERTYPE_IPV4 || protocolType === ETHERTYPE_IPV6) {
      cursor.offset = inner;
      cursor.etherType = protocolType;
      return null;
    }
    return 'not-tcp';
  }
  return 'not-tcp';
}

/** The fragment header's fields when walkIpv6Extensions answers 'ip-fragment'. */
const ipv6Fragment = { payloadOffset: 0, fragmentOffset: 0, moreFragments: false, identification: 0, protocol: 0 };

const walkResult = { protocol: 0, offset: 0 };

function walkIpv6Extensions(data: Uint8Array, end: number, firstHeader: number, firstOffset: number): typeof walkResult | SkipReason {
  let header = firstHeader;
  let offset = firstOffset;
  for (let count = 0; count < MAX_EXTENSION_HEADERS; count++) {
    if (header === IPV6_HOP_BY_HOP || header === IPV6_ROUTING || header === IPV6_DESTINATION_OPTIONS || header === IPV6_MOBILITY) {
      if (offset + 2 > end) return 'truncated';
      const nextHeader = data[offset]!;
      offset += (data[offset + 1]! + 1) * 8;
      header = nextHeader;
    } else if (header === IPV6_AUTHENTICATION) {
      if (offset + 2 > end) return 'truncated';
      const nextHeader = data[offset]!;
      offset += (data[offset + 1]! + 2) * 4;
      header = nextHeader;
    } else if (header === IPV6_FRAGMENT) {
      if (offset + 8 > end) return 'truncated';
      const fragment = (data[offset + 2]! << 8) | data[offset + 3]!;
      // offset (13 bits) and M flag: an "atomic" fragment (both 0) is a whole packet (RFC 6946)
      if ((fragment & 0xfff9) !== 0) {
        ipv6Fragment.payloadOffset = offset + 8;
        ipv6Fragment.fragmentOffset = fragment & 0xfff8;
        ipv6Fragment.moreFragments = (fragment & 1) !== 0;
        ipv6Fragment.identification =
          ((data[offset + 4]! << 24) | (data[offset + 5]! << 16) | (data[offset + 6]! << 8) | data[offset + 7]!) >>> 0;
        ipv6Fragment.protocol = data[offset]!;
        return 'ip-fragment';
      }
      header = data[offset]!;
      offset += 8;
    } else {
      walkResult.protocol = header;
      walkResult.offset = offset;
      return walkResult;
    }
  }
  return 'malformed';
}

function gre(data: Uint8Array, start: number, cursor: LayerCursor): SkipReason | null {
  if (start + 4 > cursor.end) return 'truncated';
  const flags = (data[start]! << 8) | data[start + 1]!;
  const protocol = (data[start + 2]! << 8) | data[start + 3]!;
  const version = flags & 0x07;
  const routingPresent = (flags & 0x4000) !== 0;
  if (routingPresent) return 'not-tcp';
  let offset = start + 4;
  if (flags & 0x8000) offset += 4; // checksum + reserved
  if (flags & 0x2000) offset += 4; // key (PPTP: payload length + call id)
  if (flags & 0x1000) offset += 4; // sequence number
  if (version === 1 && flags & 0x0080) offset += 4; // PPTP acknowledgment number
  if (offset > cursor.end) return 'truncated';
  switch (protocol) {
    case ETHERTYPE_IPV4:
    case ETHERTYPE_IPV6:
      cursor.offset = offset;
      cursor.etherType = protocol;
      return null;
    case GRE_TRANSPARENT_ETHERNET:
      return ethernet(data, offset, cursor);
    case GRE_ARUBA_WLAN:
      return wlan(data, offset, cursor);
    case GRE_PPP:
      return ppp(data, offset, cursor);
    default:
      return 'not-tcp';
  }
}
