/**
 * The floor of any full analysis, for the "within 3× of the bare walk" target: one fused loop that
 * reads the file, decodes Ethernet/IPv4/TCP inline (the loopback and synthetic bench captures hold
 * nothing else; other frames are only counted), finds each packet's stream by its 4-tuple, keeps
 * one TCP check (keep-alive: seq = next expected − 1) and writes the same per-packet columns as
 * the analysis. No Wireshark order of checks, no evidence, no HTTP, no stream summaries.
 *
 *   classic pcap record: header(16) | Ethernet(14) | IPv4(ihl·4) | TCP(offset·4) | payload
 */
import { open } from 'node:fs/promises';
import { portPair, TupleIndex } from '../src/main/engine/capture/tuple-index';

const CHUNK_BYTES = 1024 * 1024;
const PCAP_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
const ETHERNET_BYTES = 14;
const ETHERTYPE_IPV4 = 0x0800;
const PROTOCOL_TCP = 6;

export interface MinimalLoopFigures {
  records: number;
  segments: number;
  streams: number;
  keepAlives: number;
}

/** Runs the loop over a little-endian classic pcap (as tcpdump on Linux writes). */
export async function minimalLoop(file: string): Promise<MinimalLoopFigures> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    // room for the projected packets, as the analysis reserves them
    const rows = Math.ceil(size / 100) + 1024;
    const time = new Float64Array(rows);
    const streamColumn = new Int32Array(rows);
    const flagsColumn = new Uint8Array(rows);
    const payloadColumn = new Uint32Array(rows);
    const analysisColumn = new Uint16Array(rows);
    const tuples = new TupleIndex();
    let nextSeq = new Uint32Array(1 << 16);
    const buffer = new Uint8Array(2 * CHUNK_BYTES);
    const view = new DataView(buffer.buffer);
    let have = 0;
    let position = PCAP_HEADER_BYTES;
    let fileOffset = 0;
    let records = 0;
    let segments = 0;
    let streams = 0;
    let keepAlives = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, have, CHUNK_BYTES, fileOffset);
      if (bytesRead === 0) break;
      fileOffset += bytesRead;
      have += bytesRead;
      while (have - position >= RECORD_HEADER_BYTES) {
        const captured = view.getUint32(position + 8, true);
        if (have - position - RECORD_HEADER_BYTES < captured) break;
        const frame = position + RECORD_HEADER_BYTES;
        const row = records++;
        if (row < rows) time[row] = view.getUint32(position, true) + view.getUint32(position + 4, true) / 1e6;
        position = frame + captured;
        if (row >= rows || captured < ETHERNET_BYTES + 40 || view.getUint16(frame + 12) !== ETHERTYPE_IPV4) continue;
        const ip = frame + ETHERNET_BYTES;
        if (buffer[ip + 9] !== PROTOCOL_TCP) continue;
        const ipHeader = (buffer[ip]! & 0x0f) * 4;
        const tcp = ip + ipHeader;
        const source = view.getUint32(ip + 12) & 0x7fffffff;
        const destination = view.getUint32(ip + 16) & 0x7fffffff;
        const sourcePort = view.getUint16(tcp);
        const destinationPort = view.getUint16(tcp + 2);
        const seq = view.getUint32(tcp + 4);
        const flags = buffer[tcp + 13]!;
        const payload = view.getUint16(ip + 2) - ipHeader - (buffer[tcp + 12]! >> 4) * 4;
        const low = source < destination || (source === destination && sourcePort <= destinationPort);
        const ports = low ? portPair(sourcePort, destinationPort) : portPair(destinationPort, sourcePort);
        let stream = tuples.get(low ? source : destination, low ? destination : source, ports);
        if (stream < 0) {
          stream = streams++;
          tuples.set(low ? source : destination, low ? destination : source, ports, stream);
          if (2 * streams > nextSeq.length) {
            const grown = new Uint32Array(2 * nextSeq.length);
            grown.set(nextSeq);
            nextSeq = grown;
          }
        }
        const flow = 2 * stream + (low ? 0 : 1);
        const expected = nextSeq[flow]!;
        let analysis = 0;
        if (payload <= 1 && expected !== 0 && seq === (expected - 1) >>> 0 && (flags & 0x07) === 0) {
          analysis = 0x0008;
          keepAlives += 1;
        }
        const next = (seq + payload + (flags & 0x03 ? 1 : 0)) >>> 0;
        if (expected === 0 || ((next - expected) | 0) > 0) nextSeq[flow] = next;
        streamColumn[row] = stream;
        flagsColumn[row] = flags;
        payloadColumn[row] = payload;
        analysisColumn[row] = analysis;
        segments += 1;
      }
      buffer.copyWithin(0, position, have);
      have -= position;
      position = 0;
    }
    return { records, segments, streams, keepAlives };
  } finally {
    await handle.close();
  }
}
