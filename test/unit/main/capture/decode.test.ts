/**
 * decode() layer by layer, on inline hex fixtures: link layers, IP (options, extension headers,
 * fragments, tunnels, ICMP errors), TCP (options, payload length as tshark's tcp.len).
 */
import { describe, expect, it } from 'vitest';
import { createDecoder, decode } from '@engine/capture/decode';
import type { CaptureRecord, TcpSegment } from '@engine/capture/types';
import { IPV4_TCP, IPV6_TCP, concat, hex } from './capture-bytes';

function record(linkType: number, data: Uint8Array, originalLength = data.length): CaptureRecord {
  return {
    frame: 1,
    tsSec: 0,
    tsNsec: 0,
    linkType,
    interfaceId: 0,
    capturedLength: data.length,
    originalLength,
    buffer: data,
    start: 0,
    data,
  };
}

function segmentOf(linkType: number, data: Uint8Array, originalLength?: number): TcpSegment {
  const result = decode(record(linkType, data, originalLength));
  if (!result.ok) throw new Error(`not decoded: ${result.reason}`);
  return result.segment;
}

function reasonOf(linkType: number, data: Uint8Array): string {
  const result = decode(record(linkType, data));
  return result.ok ? 'ok' : result.reason;
}

const ETHERNET_IPV4 = hex('000000000000 000000000000 0800');
const expectedIpv4 = {
  ipVersion: 4,
  src: '192.168.0.1',
  dst: '192.168.0.2',
  srcPort: 50000,
  dstPort: 8080,
  seq: 100,
  ack: 200,
  flags: 0x18,
  window: 0xffff,
  payloadLength: 4,
};

describe('decode: link layers', () => {
  it('Ethernet, with 802.1Q and 802.1ad (QinQ) tags', () => {
    expect(segmentOf(1, concat(ETHERNET_IPV4, IPV4_TCP))).toMatchObject({ ...expectedIpv4, payloadOffset: 14 + 52 });
    const qinq = hex('000000000000 000000000000 88a8 0064 8100 00c8 0800');
    expect(segmentOf(1, concat(qinq, IPV4_TCP))).toMatchObject({ ...expectedIpv4, payloadOffset: 22 + 52 });
  });

  it('Ethernet padding and trailers are not payload: the IP total length decides', () => {
    const padded = concat(ETHERNET_IPV4, IPV4_TCP, hex('00000000 00000000'));
    expect(segmentOf(1, padded)).toMatchObject({ payloadLength: 4, capturedPayloadLength: 4 });
  });

  it('802.3 length + LLC/SNAP', () => {
    const snap = hex('000000000000 000000000000 0040 aaaa03 000000 0800');
    expect(segmentOf(1, concat(snap, IPV4_TCP))).toMatchObject(expectedIpv4);
  });

  it('Linux cooked SLL (protocol at 14) and SLL2 (protocol at 0)', () => {
    expect(segmentOf(113, concat(hex('0000 0304 0006 000000000000 0000 0800'), IPV4_TCP))).toMatchObject(expectedIpv4);
    expect(segmentOf(276, concat(hex('86dd 0000 00000001 0304 00 06 0000000000000000'), IPV6_TCP))).toMatchObject({
      src: '::1',
      dst: '2001:db8::2',
      payloadLength: 4,
    });
  });

  it('NULL in either byte order, LOOP in network order (BSD address families)', () => {
    expect(segmentOf(0, concat(hex('02000000'), IPV4_TCP))).toMatchObject(expectedIpv4);
    expect(segmentOf(0, concat(hex('00000002'), IPV4_TCP))).toMatchObject(expectedIpv4);
    expect(segmentOf(0, concat(hex('1e000000'), IPV6_TCP))).toMatchObject({ ipVersion: 6 });
    expect(segmentOf(108, concat(hex('00000018'), IPV6_TCP))).toMatchObject({ ipVersion: 6 });
    expect(reasonOf(0, concat(hex('07000000'), IPV4_TCP))).toBe('not-ip');
  });

  it('raw IP by version nibble (101), and LINKTYPE_IPV4 / IPV6 (228 / 229)', () => {
    expect(segmentOf(101, IPV4_TCP)).toMatchObject(expectedIpv4);
    expect(segmentOf(101, IPV6_TCP)).toMatchObject({ ipVersion: 6 });
    expect(segmentOf(228, IPV4_TCP)).toMatchObject(expectedIpv4);
    expect(segmentOf(229, IPV6_TCP)).toMatchObject({ ipVersion: 6 });
  });

  it('NFLOG: the payload TLV (type 9) after the others', () => {
    const header = hex('02 00 002a  0800 0100 00000300  0500 0a00 00000000');
    const payloadTlv = hex('3c00 0900');
    expect(segmentOf(239, concat(header, payloadTlv, IPV4_TCP))).toMatchObject(expectedIpv4);
  });

  it('PPP (with and without FF 03), Cisco HDLC, and Cisco HDLC inside a PPP capture', () => {
    expect(segmentOf(9, concat(hex('ff03 0021'), IPV4_TCP))).toMatchObject(expectedIpv4);
    expect(segmentOf(9, concat(hex('0057'), IPV6_TCP))).toMatchObject({ ipVersion: 6 });
    expect(segmentOf(104, concat(hex('0f00 0800'), IPV4_TCP))).toMatchObject(expectedIpv4);
    expect(segmentOf(9, concat(hex('0f00 0800'), IPV4_TCP))).toMatchObject(expectedIpv4);
  });

  it('FDDI with LLC/SNAP, and Linux ARCNET (RFC 1051 and RFC 1201)', () => {
    expect(segmentOf(10, concat(hex('50 aa0004008200 aa0004008300 aaaa03 000000 0800'), IPV4_TCP))).toMatchObject(expectedIpv4);
    expect(segmentOf(129, concat(hex('be 50 ab08 f0'), IPV4_TCP))).toMatchObject(expectedIpv4);
    expect(segmentOf(129, concat(hex('be 50 ab08 d4 00 0001'), IPV4_TCP))).toMatchObject(expectedIpv4);
  });

  it('802.11 QoS data with radiotap (127), LLC/SNAP; protected frames are not readable', () => {
    const radiotap = hex('00 00 0800 00000000');
    const qosData = hex('8801 0000 ffffffffffff 020000000001 020000000002 0000 0000');
    const snap = hex('aaaa03 000000 0800');
    expect(segmentOf(127, concat(radiotap, qosData, snap, IPV4_TCP))).toMatchObject(expectedIpv4);
    const protectedData = hex('8841 0000 ffffffffffff 020000000001 020000000002 0000 0000');
    expect(reasonOf(127, concat(radiotap, protectedData, snap, IPV4_TCP))).toBe('not-ip');
  });

  it('names unknown link types and non-IP frames', () => {
    expect(reasonOf(147, IPV4_TCP)).toBe('unknown-link-type');
    expect(reasonOf(1, hex('000000000000 000000000000 0806 0001 0800 0604 0001'))).toBe('not-ip');
  });
});

describe('decode: IP', () => {
  it('IPv4 options are skipped by the header length', () => {
    const withOptions = hex('46 00 003c 1234 4000 4006 0000 c0a80001 c0a80002 01010100');
    expect(segmentOf(101, concat(withOptions, IPV4_TCP.subarray(20)))).toMatchObject({ ...expectedIpv4, payloadOffset: 24 + 32 });
  });

  it('IPv6 extension headers: hop-by-hop, routing, destination options, AH', () => {
    const base = IPV6_TCP.subarray(0, 40);
    const header = concat(base);
    header[6] = 0; // next: hop-by-hop
    header[5] = 36 + 8 + 8 + 8 + 16;
    const hopByHop = hex('2b00 0000 00000000'); // next routing (43), 8 bytes
    const routing = hex('3c00 0000 00000000'); // next destination options (60)
    const destination = hex('3300 0000 00000000'); // next AH (51)
    const authentication = hex('0602 0000 00000001 00000001 00000000'); // next TCP, (2+2)·4 = 16 bytes
    expect(segmentOf(229, concat(header, hopByHop, routing, destination, authentication, IPV6_TCP.subarray(40)))).toMatchObject({
      dst: '2001:db8::2',
      payloadLength: 4,
    });
  });

  it('IP fragments are skipped; an IPv6 atomic fragment is a whole packet', () => {
    const moreFragments = concat(IPV4_TCP);
    moreFragments[6] = 0x20;
    expect(reasonOf(101, moreFragments)).toBe('ip-fragment');
    const laterFragment = concat(IPV4_TCP);
    laterFragment[6] = 0x00;
    laterFragment[7] = 0x10;
    expect(reasonOf(101, laterFragment)).toBe('ip-fragment');
    const ipv6Header = concat(IPV6_TCP.subarray(0, 40));
    ipv6Header[6] = 44;
    ipv6Header[5] = 44;
    expect(reasonOf(229, concat(ipv6Header, hex('0600 0001 12345678'), IPV6_TCP.subarray(40)))).toBe('ip-fragment');
    expect(segmentOf(229, concat(ipv6Header, hex('0600 0000 12345678'), IPV6_TCP.subarray(40)))).toMatchObject({ payloadLength: 4 });
  });

  it('ICMP errors quoting a TCP header are not TCP segments', () => {
    const icmp = hex('45 00 0058 0000 0000 4001 0000 0a000001 c0a80001  03 03 0000 00000000');
    expect(reasonOf(101, concat(icmp, IPV4_TCP))).toBe('icmp-error');
    const echo = hex('45 00 001c 0000 0000 4001 0000 0a000001 c0a80001  08 00 0000 00000000');
    expect(reasonOf(101, echo)).toBe('not-tcp');
    expect(reasonOf(101, hex('45 00 001c 0000 0000 4011 0000 0a000001 c0a80001 0035 0035 0008 0000'))).toBe('not-tcp');
  });

  it('tunnels: IP-in-IP, IPv6-in-IPv4, GRE with IP and with transparent Ethernet; the innermost IP names the stream', () => {
    const outer = (protocol: number, innerLength: number) =>
      hex(
        `45 00 ${(20 + innerLength).toString(16).padStart(4, '0')} 0000 0000 40 ${protocol.toString(16).padStart(2, '0')} 0000 0a000001 0a000002`,
      );
    expect(segmentOf(101, concat(outer(4, IPV4_TCP.length), IPV4_TCP))).toMatchObject(expectedIpv4);
    expect(segmentOf(101, concat(outer(41, IPV6_TCP.length), IPV6_TCP))).toMatchObject({ src: '::1' });
    const greIp = hex('0000 0800');
    expect(segmentOf(101, concat(outer(47, 4 + IPV4_TCP.length), greIp, IPV4_TCP))).toMatchObject(expectedIpv4);
    const greEthernet = hex('2000 6558 00000001');
    expect(segmentOf(101, concat(outer(47, 8 + 14 + IPV4_TCP.length), greEthernet, ETHERNET_IPV4, IPV4_TCP))).toMatchObject(expectedIpv4);
  });

  it('IPv4 total length 0 (TSO): the captured frame decides the payload', () => {
    const tso = concat(IPV4_TCP, hex('65666768'));
    tso[2] = 0;
    tso[3] = 0;
    expect(segmentOf(101, tso)).toMatchObject({ payloadLength: 8 });
  });
});

describe('decode: TCP', () => {
  it('reads MSS, window scale, SACK permitted, SACK blocks and timestamps', () => {
    const tcp = hex(`
      c350 1f90 00000064 00000000 d0 02 ffff 0000 0000
      0204 05b4 0402 080a 0000000a 00000000 0103 0307
      050a 00000001 00000002 0000`);
    const ip = hex('45 00 0048 0000 4000 4006 0000 c0a80001 c0a80002');
    expect(segmentOf(101, concat(ip, tcp)).options).toEqual({
      mss: 1460,
      windowScale: 7,
      sackPermitted: true,
      sackBlocks: [1, 2],
      tsVal: 10,
      tsEcr: 0,
    });
  });

  it('payloadLength comes from the IP length even when the snaplen cut the payload', () => {
    const cut = concat(ETHERNET_IPV4, IPV4_TCP).subarray(0, 14 + 52 + 1);
    expect(segmentOf(1, cut, 14 + IPV4_TCP.length)).toMatchObject({ payloadLength: 4, capturedPayloadLength: 1 });
  });

  it('a header longer than the IP payload is a short segment (Wireshark: a stream, no tcp.len); too short for 20 bytes is malformed', () => {
    const short = concat(IPV4_TCP.subarray(0, 20), IPV4_TCP.subarray(20, 40));
    short[3] = 40;
    short[32] = 0xf0;
    expect(segmentOf(101, short)).toMatchObject({ shortHeader: true, payloadLength: 0 });
    const tooShort = concat(IPV4_TCP);
    tooShort[3] = 35;
    expect(reasonOf(101, tooShort)).toBe('malformed');
    expect(decode(record(101, IPV4_TCP.subarray(0, 30), IPV4_TCP.length))).toEqual({ ok: false, reason: 'truncated' });
  });

  it("reads every segment's TSval and IPv4 identification, also when options are read from SYNs only (the copies rule compares them)", () => {
    const ip = hex('45 00 0034 beef 4000 4006 0000 c0a80001 c0a80002');
    // an ACK with NOP NOP TS (Linux's layout), and one whose timestamp follows a SACK block
    const linux = hex('c350 1f90 00000064 000000c8 80 10 ffff 0000 0000 0101 080a 8000000a 00000007');
    const other = hex('c350 1f90 00000064 000000c8 b0 10 ffff 0000 0000 0101 050a 00000001 00000002 080a 0000002a 00000007 0000');
    const otherIp = hex('45 00 0040 0001 4000 4006 0000 c0a80001 c0a80002');
    const bare = hex('c350 1f90 00000064 000000c8 50 10 ffff 0000 0000');
    const bareIp = hex('45 00 0028 0002 4000 4006 0000 c0a80001 c0a80002');
    const synOnly = createDecoder({ reuse: true, options: 'syn' });
    const first = synOnly.decode(record(101, concat(ip, linux)));
    expect(first.ok && first.segment).toMatchObject({ timestampValue: 0x8000000a, ipId: 0xbeef, options: { tsVal: null } });
    const second = synOnly.decode(record(101, concat(otherIp, other)));
    expect(second.ok && second.segment).toMatchObject({ timestampValue: 42, ipId: 1 });
    const none = synOnly.decode(record(101, concat(bareIp, bare)));
    expect(none.ok && none.segment.timestampValue).toBe(-1);
    expect(segmentOf(101, IPV6_TCP).ipId).toBe(-1);
  });

  it('reuse mode fills the same objects each call; the default makes fresh ones', () => {
    const reusing = createDecoder({ reuse: true });
    const first = reusing.decode(record(101, IPV4_TCP));
    const second = reusing.decode(record(101, IPV6_TCP));
    expect(first).toBe(second);
    expect(decode(record(101, IPV4_TCP))).not.toBe(decode(record(101, IPV4_TCP)));
  });
});
