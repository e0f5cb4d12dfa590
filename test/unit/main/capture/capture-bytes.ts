/** Tiny builders for capture-file fixtures: hex text to bytes, and pcap / pcapng containers around frames. */

export function hex(text: string): Uint8Array {
  const clean = text.replace(/[^0-9a-f]/gi, '');
  const bytes = new Uint8Array(clean.length / 2);
  for (let index = 0; index < bytes.length; index++) bytes[index] = parseInt(clean.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface PcapRecordFixture {
  seconds: number;
  fraction: number;
  data: Uint8Array;
  /** defaults to data.length */
  originalLength?: number;
}

/** A classic pcap file: magic a1b2c3d4 (µs) or a1b23c4d (ns), written in the chosen byte order. */
export function pcapFile(
  options: { littleEndian?: boolean; nanoseconds?: boolean; linkType?: number; minor?: number; snapLength?: number },
  records: PcapRecordFixture[],
): Uint8Array {
  const little = options.littleEndian ?? true;
  const header = new DataView(new ArrayBuffer(24));
  header.setUint32(0, options.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, little);
  header.setUint16(4, 2, little);
  header.setUint16(6, options.minor ?? 4, little);
  header.setUint32(16, options.snapLength ?? 262144, little);
  header.setUint32(20, options.linkType ?? 1, little);
  const parts: Uint8Array[] = [new Uint8Array(header.buffer)];
  for (const record of records) {
    const recordHeader = new DataView(new ArrayBuffer(16));
    recordHeader.setUint32(0, record.seconds, little);
    recordHeader.setUint32(4, record.fraction, little);
    recordHeader.setUint32(8, record.data.length, little);
    recordHeader.setUint32(12, record.originalLength ?? record.data.length, little);
    parts.push(new Uint8Array(recordHeader.buffer), record.data);
  }
  return concat(...parts);
}

/** One pcapng block: type, total length, body padded to 32 bits, total length. */
export function block(type: number, body: Uint8Array, littleEndian = true): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, type, littleEndian);
  view.setUint32(4, total, littleEndian);
  bytes.set(body, 8);
  view.setUint32(total - 4, total, littleEndian);
  return bytes;
}

export function option(code: number, value: Uint8Array, littleEndian = true): Uint8Array {
  const head = new DataView(new ArrayBuffer(4));
  head.setUint16(0, code, littleEndian);
  head.setUint16(2, value.length, littleEndian);
  const padding = new Uint8Array(((value.length + 3) & ~3) - value.length);
  return concat(new Uint8Array(head.buffer), value, padding);
}

export function sectionHeader(littleEndian = true): Uint8Array {
  const body = new DataView(new ArrayBuffer(16));
  body.setUint32(0, 0x1a2b3c4d, littleEndian);
  body.setUint16(4, 1, littleEndian);
  body.setUint16(6, 0, littleEndian);
  body.setBigInt64(8, -1n, littleEndian);
  return block(0x0a0d0d0a, new Uint8Array(body.buffer), littleEndian);
}

export function interfaceBlock(linkType: number, options: Uint8Array[] = [], littleEndian = true, snapLength = 0): Uint8Array {
  const fixed = new DataView(new ArrayBuffer(8));
  fixed.setUint16(0, linkType, littleEndian);
  fixed.setUint32(4, snapLength, littleEndian);
  const end = options.length > 0 ? [new Uint8Array(4)] : [];
  return block(1, concat(new Uint8Array(fixed.buffer), ...options, ...end), littleEndian);
}

export function enhancedPacket(
  interfaceId: number,
  units: bigint,
  data: Uint8Array,
  littleEndian = true,
  originalLength = data.length,
): Uint8Array {
  const fixed = new DataView(new ArrayBuffer(20));
  fixed.setUint32(0, interfaceId, littleEndian);
  fixed.setUint32(4, Number(units >> 32n), littleEndian);
  fixed.setUint32(8, Number(units & 0xffffffffn), littleEndian);
  fixed.setUint32(12, data.length, littleEndian);
  fixed.setUint32(16, originalLength, littleEndian);
  return block(6, concat(new Uint8Array(fixed.buffer), data), littleEndian);
}

/** IPv4 + TCP (32-byte header with NOP NOP timestamps) 192.168.0.1:50000 → 192.168.0.2:8080, seq 100, ack 200, PSH|ACK, payload "abcd". */
export const IPV4_TCP = hex(`
  45 00 00 38 12 34 40 00 40 06 00 00 c0 a8 00 01 c0 a8 00 02
  c3 50 1f 90 00 00 00 64 00 00 00 c8 80 18 ff ff 00 00 00 00
  01 01 08 0a 00 00 00 01 00 00 00 02
  61 62 63 64`);

/** the same segment over IPv6 ::1 → 2001:db8::2 (payload length 36) */
export const IPV6_TCP = hex(`
  60 00 00 00 00 24 06 40 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
  c3 50 1f 90 00 00 00 64 00 00 00 c8 80 18 ff ff 00 00 00 00
  01 01 08 0a 00 00 00 01 00 00 00 02
  61 62 63 64`);
