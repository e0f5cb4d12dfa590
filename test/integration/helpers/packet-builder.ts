/**
 * Byte builders for the layers a capture test puts around TCP: Ethernet with 802.1Q/QinQ tags, PPPoE,
 * IPv4, IPv6 (with a fragment header), UDP, GRE, VXLAN, Geneve, and IP fragmentation. Lengths are
 * right; checksums are zero (neither Wireshark nor the analyzer checks them by default).
 */
import { concat } from '../../unit/main/capture/capture-bytes';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_PPPOE_SESSION = 0x8864;
export const ETHERTYPE_TRANSPARENT_ETHERNET = 0x6558;
export const PROTOCOL_IPV4_IN_IP = 4;
export const PROTOCOL_TCP = 6;
export const PROTOCOL_UDP = 17;
export const PROTOCOL_IPV6_IN_IP = 41;
export const PROTOCOL_GRE = 47;

const u16 = (value: number) => new Uint8Array([value >> 8, value & 0xff]);
const u32 = (value: number) => new Uint8Array([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);

export interface TcpFields {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** TCP flag bits: FIN 1, SYN 2, RST 4, PSH 8, ACK 16 */
  flags: number;
  window?: number;
  payload?: Uint8Array;
}

export function tcp(fields: TcpFields): Uint8Array {
  const header = new Uint8Array(20);
  header.set(u16(fields.srcPort), 0);
  header.set(u16(fields.dstPort), 2);
  header.set(u32(fields.seq >>> 0), 4);
  header.set(u32(fields.ack >>> 0), 8);
  header[12] = 5 << 4;
  header[13] = fields.flags;
  header.set(u16(fields.window ?? 65535), 14);
  return concat(header, fields.payload ?? new Uint8Array(0));
}

function ipv4Address(text: string): Uint8Array {
  return new Uint8Array(text.split('.').map(Number));
}

function ipv6Address(text: string): Uint8Array {
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return concat(...groups.map((group) => u16(parseInt(group, 16))));
}

export interface Ipv4Options {
  identification?: number;
  /** payload offset of this fragment, bytes (a multiple of 8) */
  fragmentOffset?: number;
  moreFragments?: boolean;
}

export function ipv4(src: string, dst: string, protocol: number, payload: Uint8Array, options: Ipv4Options = {}): Uint8Array {
  const header = new Uint8Array(20);
  header[0] = 0x45;
  header.set(u16(20 + payload.length), 2);
  header.set(u16(options.identification ?? 0), 4);
  header.set(u16(((options.moreFragments ? 1 : 0) << 13) | ((options.fragmentOffset ?? 0) / 8)), 6);
  header[8] = 64;
  header[9] = protocol;
  header.set(ipv4Address(src), 12);
  header.set(ipv4Address(dst), 16);
  return concat(header, payload);
}

export function ipv6(src: string, dst: string, nextHeader: number, payload: Uint8Array): Uint8Array {
  const header = new Uint8Array(40);
  header[0] = 0x60;
  header.set(u16(payload.length), 4);
  header[6] = nextHeader;
  header[7] = 64;
  header.set(ipv6Address(src), 8);
  header.set(ipv6Address(dst), 24);
  return concat(header, payload);
}

/** Splits an IPv4 packet (20-byte header) into fragments carrying at most `size` payload bytes each (a multiple of 8). */
export function fragmentIpv4(packet: Uint8Array, size: number, identification: number): Uint8Array[] {
  const src = `${packet[12]}.${packet[13]}.${packet[14]}.${packet[15]}`;
  const dst = `${packet[16]}.${packet[17]}.${packet[18]}.${packet[19]}`;
  const payload = packet.subarray(20);
  const fragments: Uint8Array[] = [];
  for (let offset = 0; offset < payload.length; offset += size) {
    const piece = payload.subarray(offset, Math.min(payload.length, offset + size));
    const more = offset + size < payload.length;
    fragments.push(ipv4(src, dst, packet[9]!, piece, { identification, fragmentOffset: offset, moreFragments: more }));
  }
  return fragments;
}

/** Splits an IPv6 packet (40-byte header, no extension headers) into fragments with a fragment header. */
export function fragmentIpv6(packet: Uint8Array, size: number, identification: number): Uint8Array[] {
  const nextHeader = packet[6]!;
  const payload = packet.subarray(40);
  const fragments: Uint8Array[] = [];
  for (let offset = 0; offset < payload.length; offset += size) {
    const piece = payload.subarray(offset, Math.min(payload.length, offset + size));
    const more = offset + size < payload.length;
    const fragmentHeader = concat(new Uint8Array([nextHeader, 0]), u16(offset | (more ? 1 : 0)), u32(identification));
    const header = packet.slice(0, 40);
    header[6] = 44;
    header.set(u16(8 + piece.length), 4);
    fragments.push(concat(header, fragmentHeader, piece));
  }
  return fragments;
}

export function udp(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  return concat(u16(srcPort), u16(dstPort), u16(8 + payload.length), u16(0), payload);
}

/** Ethernet II with optional VLAN tags, outermost first: [tpid, vlan id] pairs. */
export function ethernet(etherType: number, payload: Uint8Array, tags: [number, number][] = []): Uint8Array {
  const macs = new Uint8Array([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]);
  const tagBytes = tags.map(([tpid, id]) => concat(u16(tpid), u16(id)));
  return concat(macs, ...tagBytes, u16(etherType), payload);
}

/** A PPPoE session frame's payload (RFC 2516): ver/type, code 0, session id, length, then PPP protocol 0x0021/0x0057. */
export function pppoe(ipPacket: Uint8Array, ipVersion: 4 | 6): Uint8Array {
  const protocol = ipVersion === 4 ? 0x0021 : 0x0057;
  return concat(new Uint8Array([0x11, 0x00]), u16(0x1234), u16(ipPacket.length + 2), u16(protocol), ipPacket);
}

/** GRE (RFC 2784) with no optional fields. */
export function gre(protocolType: number, payload: Uint8Array): Uint8Array {
  return concat(u16(0), u16(protocolType), payload);
}

/** VXLAN (RFC 7348): flags with the I bit, VNI. */
export function vxlan(vni: number, ethernetFrame: Uint8Array): Uint8Array {
  return concat(new Uint8Array([0x08, 0, 0, 0]), u32(vni << 8), ethernetFrame);
}

/** Geneve (RFC 8926), version 0, with `optionWords` 4-byte words of (opaque) options. */
export function geneve(protocolType: number, vni: number, payload: Uint8Array, optionWords = 0): Uint8Array {
  const options = new Uint8Array(optionWords * 4);
  if (optionWords > 0) {
    // one option: class 0x0101, type 0x01, length optionWords - 1 words
    options.set(u16(0x0101), 0);
    options[2] = 0x01;
    options[3] = optionWords - 1;
  }
  return concat(new Uint8Array([optionWords & 0x3f, 0]), u16(protocolType), u32(vni << 8), options, payload);
}
