/**
 * Link layers → the EtherType and offset of the network layer they carry.
 * Header layouts (bytes), from tcpdump.org/linktypes.html and the Wireshark dissectors named:
 *
 *   Ethernet      dst(6) src(6) type(2)      [+ 802.1Q/802.1ad tag: TPID(2) TCI(2), repeated]
 *                 type ≤ 1500 is an 802.3 length: LLC dsap(1) ssap(1) ctl(1) [SNAP: OUI(3) type(2)]
 *   NULL / LOOP   address family(4): host byte order (NULL) / network byte order (LOOP)
 *   Linux SLL     pkttype(2) hatype(2) halen(2) addr(8) protocol(2)                       = 16
 *   Linux SLL2    protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8) = 20
 *   NFLOG         family(1) version(1) resource id(2), then TLVs: length(2, host order) type(2)
 *                 value padded to 4; type 9 (NFULA_PAYLOAD) holds the IP packet
 *   PPP           [FF 03] protocol(1 or 2): 0x21 IPv4, 0x57 IPv6; 0x0F/0x8F first byte = Cisco HDLC
 *   Cisco HDLC    address(1) control(1) protocol(2, an EtherType)
 *   FDDI          frame control(1) dst(6) src(6), then LLC/SNAP
 *   ARCNET Linux  src(1) dst(1) offset(2) protocol(1) [RFC 1201: split flag(1) [+4] sequence(2)]
 *   radiotap      version(1) pad(1) length(2, little-endian) ..., then an 802.11 frame
 *   802.11 data   fc(2) duration(2) addr1-3(18) seq(2) [addr4(6)] [QoS(2)] [HT control(4)], then LLC/SNAP
 */
import type { SkipReason } from './types';
import * as L from './link-types';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
const ETHERTYPE_PPPOE_SESSION = 0x8864;
const ETHERTYPE_MPLS = 0x8847;
const MAX_ETHERNET_LENGTH_FIELD = 1500;
const MAX_STACKED_HEADERS = 8;

/** Where the network layer starts; filled in by the functions below (one object, reused). */
export interface LayerCursor {
  /** the frame is data[start, end): the reader hands over its chunk, not a copy or a view per frame */
  start: number;
  end: number;
  offset: number;
  /** ETHERTYPE_IPV4 / ETHERTYPE_IPV6 when the next layer is IP, else what the link said */
  etherType: number;
}

function u16(data: Uint8Array, offset: number): number {
  return (data[offset]! << 8) | data[offset + 1]!;
}

function ipByVersion(data: Uint8Array, offset: number, cursor: LayerCursor): SkipReason | null {
  if (offset >= cursor.end) return 'truncated';
  const version = data[offset]! >> 4;
  cursor.offset = offset;
  if (version === 4) cursor.etherType = ETHERTYPE_IPV4;
  else if (version === 6) cursor.etherType = ETHERTYPE_IPV6;
  else return 'not-ip';
  return null;
}

function byEtherType(data: Uint8Array, etherType: number, offset: number, cursor: LayerCursor): SkipReason | null {
  if (etherType === ETHERTYPE_IPV4 || etherType === ETHERTYPE_IPV6) {
    cursor.offset = offset;
    cursor.etherType = etherType;
    return null;
  }
  if (etherType === ETHERTYPE_PPPOE_SESSION) return ppp(data, offset + 6, cursor);
  if (etherType === ETHERTYPE_MPLS) return mpls(data, offset, cursor);
  return 'not-ip';
}

/** LLC with a SNAP header carrying an EtherType; anything else is not IP. */
export function llc(data: Uint8Array, offset: number, cursor: LayerCursor): SkipReason | null {
  if (offset + 8 > cursor.end) return 'truncated';
  if (data[offset] !== 0xaa || data[offset + 1] !== 0xaa || data[offset + 2] !== 0x03) return 'not-ip';
  return byEtherType(data, u16(data, offset + 6), offset + 8, cursor);
}

export function ethernet(data: Uint8Array, start: number, cursor: LayerCursor): SkipReason | null {
  let offset = start + 12;
  for (let tags = 0; tags <= MAX_STACKED_HEADERS; tags++) {
    if (offset + 2 > cursor.end) return 'truncated';
    const type = u16(data, offset);
    if (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
      offset += 4;
      continue;
    }
    if (type <= MAX_ETHERNET_LENGTH_FIELD) return llc(data, offset + 2, cursor);
    return byEtherType(data, type, offset + 2, cursor);
  }
  return 'malformed';
}

function mpls(data: Uint8Array, start: number, cursor: LayerCursor): SkipReason | null {
  let offset = start;
  for (let labels = 0; labels <= MAX_STACKED_HEADERS; labels++) {
    if (offset + 4 > cursor.end) return 'truncated';
    const bottomOfStack = (data[offset + 2]! & 0x01) === 1;
    offset += 4;
    if (bottomOfStack) return ipByVersion(data, offset, cursor);
  }
  return 'malformed';
}

export function ppp(data: Uint8Array, start: number, cursor: LayerCursor): SkipReason | null {
  let offset = start;
  if (offset + 2 > cursor.end) return 'truncated';
  if (data[offset] === 0x0f || data[offset] === 0x8f) return ciscoHdlc(data, offset, cursor);
  if (data[offset] === 0xff && data[offset + 1] === 0x03) offset += 2;
  if (offset + 1 > cursor.end) return 'truncated';
  // protocol field compression: an odd first byte is a 1-byte protocol (RFC 1661 §6.5)
  let protocol = data[offset]!;
  if ((protocol & 0x01) === 0) {
    if (offset + 2 > cursor.end) return 'truncated';
    protocol = u16(data, offset);
    offset += 2;
  } else offset += 1;
  if (protocol === 0x21) return byEtherType(data, ETHERTYPE_IPV4, offset, cursor);
  if (protocol === 0x57) return byEtherType(data, ETHERTYPE_IPV6, offset, cursor);
  return 'not-ip';
}

function ciscoHdlc(data: Uint8Array, start: number, cursor: LayerCursor): SkipReason | null {
  if (start + 4 > cursor.end) return 'truncated';
  return byEtherType(data, u16(data, start + 2), start + 4, cursor);
}

function nullLoopback(data: Uint8Array, networkOrder: boolean, cursor: LayerCursor): SkipReason | null {
  const start = cursor.start;
  if (start + 4 > cursor.end) return 'truncated';
  const big = ((data[start]! << 24) | (data[start + 1]! << 16) | (data[start + 2]! << 8) | data[start + 3]!) >>> 0;
  const little = ((data[start + 3]! << 24) | (data[start + 2]! << 16) | (data[start + 1]! << 8) | data[start]!) >>> 0;
  // NULL is in the capturing host's order: a family has no bits in the upper half (Wireshark's test)
  const family = networkOrder ? big : (little & 0xffff0000) === 0 ? little : big;
  if (family === 2) return byEtherType(data, ETHERTYPE_IPV4, start + 4, cursor);
  if (family === 24 || family === 28 || family === 30 || family === 10 || family === 23)
    return byEtherType(data, ETHERTYPE_IPV6, start + 4, cursor);
  return 'not-ip';
}

function nflog(data: Uint8Array, cursor: LayerCursor): SkipReason | null {
  const tlvHeaderBytes = 4;
  const payloadType = 9;
  let offset = cursor.start + 4;
  for (let count = 0; count < 64 && offset + tlvHeaderBytes <= cursor.end; count++) {
    // TLV fields are in the capturing host's byte order; little-endian hosts are the norm
    let length = data[offset]! | (data[offset + 1]! << 8);
    let type = data[offset + 2]! | (data[offset + 3]! << 8);
    if (length < tlvHeaderBytes || offset + length > cursor.end) {
      length = u16(data, offset);
      type = u16(data, offset + 2);
    }
    if (length < tlvHeaderBytes) return 'malformed';
    if ((type & 0x7fff) === payloadType) return ipByVersion(data, offset + tlvHeaderBytes, cursor);
    offset += (length + 3) & ~3;
  }
  return 'not-ip';
}

/** An 802.11 frame (no radiotap); only data frames that are not encrypted carry IP we can read. */
export function wlan(data: Uint8Array, start: number, cursor: LayerCursor): SkipReason | null {
  if (start + 24 > cursor.end) return 'truncated';
  const frameControl = data[start]!;
  const flags = data[start + 1]!;
  const type = (frameControl >> 2) & 0x03;
  const subtype = frameControl >> 4;
  const dataFrame = 2;
  if (type !== dataFrame || (subtype & 0x04) !== 0) return 'not-ip'; // subtypes 4-7, 12-15 carry no data
  if (flags & 0x40) return 'not-ip'; // protected: encrypted payload
  let offset = start + 24;
  if ((flags & 0x03) === 0x03) offset += 6; // to-DS and from-DS: a fourth address
  const qos = (subtype & 0x08) !== 0;
  if (qos) {
    offset += 2;
    if (flags & 0x80) offset += 4; // order bit on a QoS frame: HT control field
  }
  return llc(data, offset, cursor);
}

function radiotap(data: Uint8Array, cursor: LayerCursor): SkipReason | null {
  const start = cursor.start;
  if (start + 4 > cursor.end) return 'truncated';
  const length = data[start + 2]! | (data[start + 3]! << 8);
  return wlan(data, start + length, cursor);
}

function arcnet(data: Uint8Array, headerBytes: number, cursor: LayerCursor): SkipReason | null {
  const start = cursor.start;
  if (start + headerBytes + 1 > cursor.end) return 'truncated';
  const protocol = data[start + headerBytes]!;
  const rfc1051Ip = 0xf0;
  const rfc1201Ip = 0xd4;
  const rfc1201Ipv6 = 0xc4;
  if (protocol === rfc1051Ip) return byEtherType(data, ETHERTYPE_IPV4, start + headerBytes + 1, cursor);
  if (protocol !== rfc1201Ip && protocol !== rfc1201Ipv6) return 'not-ip';
  let offset = start + headerBytes + 1;
  if (offset + 1 > cursor.end) return 'truncated';
  if (data[offset] === 0xff) offset += 4; // RFC 1201 exception packet: flag, 0xFFFF filler, real protocol
  offset += 3; // split flag(1) sequence(2)
  return byEtherType(data, protocol === rfc1201Ip ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6, offset, cursor);
}

/** Sets `cursor` to the network layer of a frame of this link type, or says why there is none. */
export function linkToNetwork(linkType: number, data: Uint8Array, cursor: LayerCursor): SkipReason | null {
  const start = cursor.start;
  switch (linkType) {
    case L.LINKTYPE_ETHERNET:
      return ethernet(data, start, cursor);
    case L.LINKTYPE_NULL:
      return nullLoopback(data, false, cursor);
    case L.LINKTYPE_LOOP:
      return nullLoopback(data, true, cursor);
    case L.LINKTYPE_RAW:
    case L.LINKTYPE_RAW_OPENBSD:
    case L.LINKTYPE_RAW_BSDOS:
      return ipByVersion(data, start, cursor);
    case L.LINKTYPE_IPV4:
      return byEtherType(data, ETHERTYPE_IPV4, start, cursor);
    case L.LINKTYPE_IPV6:
      return byEtherType(data, ETHERTYPE_IPV6, start, cursor);
    case L.LINKTYPE_LINUX_SLL:
      if (start + 16 > cursor.end) return 'truncated';
      return byEtherType(data, u16(data, start + 14), start + 16, cursor);
    case L.LINKTYPE_LINUX_SLL2:
      if (start + 20 > cursor.end) return 'truncated';
      return byEtherType(data, u16(data, start), start + 20, cursor);
    case L.LINKTYPE_NFLOG:
      return nflog(data, cursor);
    case L.LINKTYPE_PPP:
    case L.LINKTYPE_PPP_HDLC:
      return ppp(data, start, cursor);
    case L.LINKTYPE_C_HDLC:
      return ciscoHdlc(data, start, cursor);
    case L.LINKTYPE_FDDI:
      return llc(data, start + 13, cursor);
    case L.LINKTYPE_ARCNET_LINUX:
      return arcnet(data, 4, cursor);
    case L.LINKTYPE_ARCNET_BSD:
      return arcnet(data, 2, cursor);
    case L.LINKTYPE_IEEE802_11_RADIOTAP:
      return radiotap(data, cursor);
    case 105:
      return wlan(data, start, cursor);
    default:
      return 'unknown-link-type';
  }
}
