/**
 * Fuzz cases for IP reassembly: sequences of IPv4 / IPv6 fragments with colliding identifications,
 * overlaps, gaps, offsets past the 65,535-byte limit, zero-length pieces and floods of first fragments
 * that never finish, written as a pcap and run through the whole pipeline (targets.ts), which checks
 * every TCP segment a reassembled datagram yields and that the reassembler's buffers stay bounded.
 */
import fc from 'fast-check';
import { pcapFile } from '../unit/main/capture/capture-bytes';
import * as B from '../integration/helpers/packet-builder';

export interface FragmentSpec {
  ipv6: boolean;
  /** few values, so fragments of different cases collide on one datagram */
  identification: number;
  /** payload offset in 8-byte units; up to 9,000 units (72,000 bytes) passes the 65,535-byte limit */
  offsetUnits: number;
  moreFragments: boolean;
  length: number;
  fill: number;
  /** seconds after the previous fragment: a long gap lets a pending datagram time out */
  gapSeconds: number;
}

export interface FragmentCase {
  fragments: FragmentSpec[];
  /** extra first fragments, each its own datagram, none finished: the bounds must hold */
  flood: number;
}

const fragmentArbitrary: fc.Arbitrary<FragmentSpec> = fc.record({
  ipv6: fc.boolean(),
  identification: fc.integer({ min: 0, max: 3 }),
  offsetUnits: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 8000, max: 9000 })),
  moreFragments: fc.boolean(),
  length: fc.integer({ min: 0, max: 1500 }),
  fill: fc.integer({ min: 0, max: 255 }),
  gapSeconds: fc.oneof(fc.constant(0), fc.constant(0.001), fc.constant(90)),
});

export const fragmentCaseArbitrary: fc.Arbitrary<FragmentCase> = fc.record({
  fragments: fc.array(fragmentArbitrary, { minLength: 1, maxLength: 40 }),
  flood: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 }), fc.constant(5000)),
});

/** The first bytes of a fragment at offset 0 form a TCP header, so a completed datagram decodes as TCP. */
function payloadOf(spec: FragmentSpec): Uint8Array {
  const bytes = new Uint8Array(spec.length).fill(spec.fill);
  if (spec.offsetUnits === 0 && spec.length >= 20) {
    bytes.set(B.tcp({ srcPort: 40000, dstPort: 80, seq: spec.fill, ack: 0, flags: 0x18 }).subarray(0, 20), 0);
  }
  return bytes;
}

function fragmentFrame(spec: FragmentSpec, identification: number): Uint8Array {
  const payload = payloadOf(spec);
  const offset = spec.offsetUnits * 8;
  if (!spec.ipv6) {
    // the IPv4 offset field holds 13 bits: larger offsets wrap, as a hostile sender's would
    const packet = B.ipv4('10.0.0.1', '10.0.0.2', B.PROTOCOL_TCP, payload, {
      identification,
      fragmentOffset: (offset % 65536) & ~7,
      moreFragments: spec.moreFragments,
    });
    return B.ethernet(B.ETHERTYPE_IPV4, packet);
  }
  const fragmentHeader = new Uint8Array(8);
  fragmentHeader[0] = B.PROTOCOL_TCP;
  const field = (offset & 0xfff8) | (spec.moreFragments ? 1 : 0);
  fragmentHeader[2] = field >> 8;
  fragmentHeader[3] = field & 0xff;
  new DataView(fragmentHeader.buffer).setUint32(4, identification);
  const packet = B.ipv6('fd00::1', 'fd00::2', 44, new Uint8Array([...fragmentHeader, ...payload]));
  return B.ethernet(B.ETHERTYPE_IPV6, packet);
}

/** The case as a classic pcap file. */
export function fragmentCapture(fuzzCase: FragmentCase): Uint8Array {
  let time = 1_700_000_000;
  const records = fuzzCase.fragments.map((spec) => {
    time += spec.gapSeconds;
    return { seconds: Math.floor(time), fraction: Math.round((time % 1) * 1e6), data: fragmentFrame(spec, spec.identification) };
  });
  for (let index = 0; index < fuzzCase.flood; index++) {
    const spec: FragmentSpec = {
      ipv6: index % 2 === 1,
      identification: 0,
      offsetUnits: 0,
      moreFragments: true,
      length: 64,
      fill: 1,
      gapSeconds: 0,
    };
    records.push({ seconds: Math.floor(time), fraction: 0, data: fragmentFrame(spec, 1000 + index) });
  }
  return pcapFile({ linkType: 1 }, records);
}

export function describeFragmentCase(fuzzCase: FragmentCase): string {
  return JSON.stringify(fuzzCase);
}
