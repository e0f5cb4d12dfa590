/**
 * One decoded TCP segment for the analysis tests, between A = 10.0.0.1:40000 and B = 10.0.0.2:80
 * over IPv4 (54 header bytes: Ethernet 14 + IPv4 20 + TCP 20). A test gives only what its case varies.
 */
import type { TcpSegment } from '@engine/capture/types';

/** Capture times start here, s since the epoch (any fixed instant). */
const EPOCH_S = 1_700_000_000;
/** Ethernet + IPv4 + TCP headers without options, bytes. */
const HEADER_BYTES = 54;

export interface SegmentSpec {
  frame: number;
  /** s after EPOCH_S; the frame number when omitted (one segment a second) */
  seconds?: number;
  from: 'A' | 'B';
  seq: number;
  ack: number;
  flags: number;
  /** TCP payload bytes (default 0) */
  length?: number;
  /** the raw 16-bit window (default 1000) */
  window?: number;
  windowScale?: number;
  /** false: the snap length cut the payload off (only headers captured) */
  payloadCaptured?: boolean;
}

export function segment(spec: SegmentSpec): TcpSegment {
  const fromA = spec.from === 'A';
  const length = spec.length ?? 0;
  const captured = spec.payloadCaptured === false ? 0 : length;
  const seconds = spec.seconds ?? spec.frame;
  const tsSec = EPOCH_S + Math.floor(seconds);
  const tsNsec = Math.round((seconds % 1) * 1e9);
  return {
    frame: spec.frame,
    tsSec,
    tsNsec,
    time: tsSec + tsNsec / 1e9,
    ipVersion: 4,
    src: fromA ? '10.0.0.1' : '10.0.0.2',
    dst: fromA ? '10.0.0.2' : '10.0.0.1',
    srcAddress: fromA ? 1 : 2,
    dstAddress: fromA ? 2 : 1,
    srcPort: fromA ? 40000 : 80,
    dstPort: fromA ? 80 : 40000,
    seq: spec.seq >>> 0,
    ack: spec.ack >>> 0,
    flags: spec.flags,
    window: spec.window ?? 1000,
    payloadLength: length,
    capturedPayloadLength: captured,
    payloadOffset: 0,
    data: new Uint8Array(captured),
    options: { mss: null, windowScale: spec.windowScale ?? null, sackPermitted: false, sackBlocks: [], tsVal: null, tsEcr: null },
    timestampValue: -1,
    ipId: -1,
    capturedLength: HEADER_BYTES + captured,
    originalLength: HEADER_BYTES + length,
  };
}
