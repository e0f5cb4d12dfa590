/**
 * Writes a realistic synthetic loopback TCP capture (classic pcap, little-endian, µs, Ethernet
 * with zero MACs as Linux `lo` captures have): many interleaved connections, each with a
 * handshake, request/response rounds with ACKs, idle gaps with keep-alive probes and their
 * ACKs, then FIN/ACK closes (every 10th connection ends with an RST instead). The payloads are real
 * HTTP/1.1 requests and responses (Content-Length framed), one each per round.
 * Fast: packets are built in place in one buffer and written in 4 MiB chunks.
 *
 *   record: pcap header(16) | Ethernet(14) | IPv4(20) | TCP(32: 20 + NOP NOP timestamps) | payload
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const WRITE_CHUNK_BYTES = 4 * 1024 * 1024;
const RECORD_HEADER_BYTES = 16;
const ETHERNET_BYTES = 14;
const IPV4_BYTES = 20;
const TCP_BYTES = 32;
const FRAME_OVERHEAD_BYTES = ETHERNET_BYTES + IPV4_BYTES + TCP_BYTES;
/** connections open at once, interleaved round-robin like a busy client */
const CONCURRENT_CONNECTIONS = 64;
/** small HTTP/1.1 exchanges: about 350 MB for 3 M packets, like the reference capture */
const REQUEST_BYTES = 60;
const RESPONSE_BYTES = 160;
const latin1 = (text: string) => Uint8Array.from(text, (character) => character.charCodeAt(0));
/** a real request and response, padded to their sizes, so the HTTP/1 boundary finder has work as on a real capture */
const REQUEST = paddedMessage('GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Pad: ', '\r\n\r\n', REQUEST_BYTES);
const RESPONSE = (() => {
  const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ';
  const bodyBytes = RESPONSE_BYTES - head.length - '\r\n\r\n'.length - 2;
  return latin1(`${head}${String(bodyBytes).padStart(2, '0')}\r\n\r\n${'a'.repeat(bodyBytes)}`);
})();

function paddedMessage(head: string, tail: string, bytes: number): Uint8Array {
  return latin1(`${head}${'a'.repeat(bytes - head.length - tail.length)}${tail}`);
}
const FLAG_FIN = 0x01;
const FLAG_SYN = 0x02;
const FLAG_RST = 0x04;
const FLAG_PSH = 0x08;
const FLAG_ACK = 0x10;

interface Connection {
  id: number;
  clientPort: number;
  clientSeq: number;
  serverSeq: number;
  /** index into the connection's script */
  step: number;
  script: Step[];
}

type Step = { from: 'client' | 'server'; flags: number; payload: number; seqOffset?: number };

/** `short`: 0 or 1 request round and no idle gap (about 8 packets a connection, for many streams in few packets). */
function scriptFor(id: number, short = false, idle?: SyntheticCaptureOptions['idleConnection']): Step[] {
  const steps: Step[] = [
    { from: 'client', flags: FLAG_SYN, payload: 0 },
    { from: 'server', flags: FLAG_SYN | FLAG_ACK, payload: 0 },
    { from: 'client', flags: FLAG_ACK, payload: 0 },
  ];
  if (id === idle?.connection) {
    // no request: the kernel's probes (seq = next − 1, no payload) and the peer's ACKs, then a FIN close
    for (let probe = 0; probe < idle.probes; probe++) {
      steps.push({ from: 'client', flags: FLAG_ACK, payload: 0, seqOffset: -1 });
      steps.push({ from: 'server', flags: FLAG_ACK, payload: 0 });
    }
    steps.push({ from: 'client', flags: FLAG_FIN | FLAG_ACK, payload: 0 });
    steps.push({ from: 'server', flags: FLAG_FIN | FLAG_ACK, payload: 0 });
    steps.push({ from: 'client', flags: FLAG_ACK, payload: 0 });
    return steps;
  }
  const rounds = short ? id % 2 : 2 + (id % 5);
  for (let round = 0; round < rounds; round++) {
    steps.push({ from: 'client', flags: FLAG_PSH | FLAG_ACK, payload: REQUEST_BYTES });
    steps.push({ from: 'server', flags: FLAG_ACK, payload: 0 });
    steps.push({ from: 'server', flags: FLAG_PSH | FLAG_ACK, payload: RESPONSE_BYTES });
    steps.push({ from: 'client', flags: FLAG_ACK, payload: 0 });
    if (round % 2 === 1 && !short) {
      // an idle gap: the kernel's probe (seq = next − 1, no payload) and the peer's ACK
      steps.push({ from: 'client', flags: FLAG_ACK, payload: 0, seqOffset: -1 });
      steps.push({ from: 'server', flags: FLAG_ACK, payload: 0 });
    }
  }
  if (id % 10 === 9) steps.push({ from: 'client', flags: FLAG_RST | FLAG_ACK, payload: 0 });
  else {
    steps.push({ from: 'client', flags: FLAG_FIN | FLAG_ACK, payload: 0 });
    steps.push({ from: 'server', flags: FLAG_FIN | FLAG_ACK, payload: 0 });
    steps.push({ from: 'client', flags: FLAG_ACK, payload: 0 });
  }
  return steps;
}

export interface SyntheticCaptureOptions {
  /** each connection a handshake, at most one request and its close (120,000 streams in about 0.9 M packets) */
  shortConnections?: boolean;
  /**
   * a second group of packets far later in time, as in a merged capture: connection `fromConnection`
   * (stream number, counted from 0) and the later ones open only after every earlier one has closed,
   * `afterSeconds` after the last packet of those
   */
  secondGroup?: { fromConnection: number; afterSeconds: number };
  /**
   * connection `connection` (counted from 0) sends no request and stays open through `probes`
   * keep-alive probes and their ACKs, one step per turn of the round robin: with short connections
   * it outlives about `probes / 4` of them (about 8 packets each) and overlaps every one opened meanwhile
   */
  idleConnection?: { connection: number; probes: number };
}

/** Writes `packets` packets to `file`; returns the bytes written. */
export function writeSyntheticCapture(file: string, packets: number, options: SyntheticCaptureOptions = {}): number {
  const descriptor = openSync(file, 'w');
  const buffer = new Uint8Array(WRITE_CHUNK_BYTES);
  const view = new DataView(buffer.buffer);
  let used = 0;
  let written = 0;
  const flush = (): void => {
    writeSync(descriptor, buffer, 0, used);
    written += used;
    used = 0;
  };
  // pcap file header: µs magic, version 2.4, snaplen 262144, LINKTYPE_ETHERNET
  view.setUint32(0, 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 262144, true);
  view.setUint32(20, 1, true);
  used = 24;

  const open: Connection[] = [];
  let nextId = 0;
  let timeMicroseconds = 1_700_000_000 * 1e6;
  try {
    for (let count = 0; count < packets; count++) {
      while (open.length < CONCURRENT_CONNECTIONS) {
        if (nextId === options.secondGroup?.fromConnection) {
          // the first group drains before the second opens, so no stream spans the gap
          if (open.length > 0) break;
          timeMicroseconds += options.secondGroup.afterSeconds * 1e6;
        }
        const id = nextId++;
        open.push({
          id,
          clientPort: 32768 + (id % 28000),
          clientSeq: (id * 2654435761) >>> 0,
          serverSeq: (id * 40503 + 7) >>> 0,
          step: 0,
          script: scriptFor(id, options.shortConnections, options.idleConnection),
        });
      }
      const slot = count % open.length;
      const connection = open[slot]!;
      const step = connection.script[connection.step]!;
      if (used + RECORD_HEADER_BYTES + FRAME_OVERHEAD_BYTES + RESPONSE_BYTES > buffer.length) flush();
      timeMicroseconds += 37;
      used = writePacket(view, used, connection, step, timeMicroseconds);
      connection.step += 1;
      if (connection.step === connection.script.length) open.splice(slot, 1);
    }
    flush();
  } finally {
    closeSync(descriptor);
  }
  return written;
}

function writePacket(view: DataView, start: number, connection: Connection, step: Step, timeMicroseconds: number): number {
  const frameBytes = FRAME_OVERHEAD_BYTES + step.payload;
  view.setUint32(start, Math.floor(timeMicroseconds / 1e6), true);
  view.setUint32(start + 4, timeMicroseconds % 1e6, true);
  view.setUint32(start + 8, frameBytes, true);
  view.setUint32(start + 12, frameBytes, true);
  const ethernet = start + RECORD_HEADER_BYTES;
  for (let index = 0; index < 12; index++) view.setUint8(ethernet + index, 0);
  view.setUint16(ethernet + 12, 0x0800);
  const ip = ethernet + ETHERNET_BYTES;
  view.setUint8(ip, 0x45);
  view.setUint8(ip + 1, 0);
  view.setUint16(ip + 2, IPV4_BYTES + TCP_BYTES + step.payload);
  view.setUint16(ip + 4, connection.step);
  view.setUint16(ip + 6, 0x4000);
  view.setUint8(ip + 8, 64);
  view.setUint8(ip + 9, 6);
  view.setUint16(ip + 10, 0);
  view.setUint32(ip + 12, 0x7f000001);
  view.setUint32(ip + 16, 0x7f000001);
  const fromClient = step.from === 'client';
  const tcp = ip + IPV4_BYTES;
  view.setUint16(tcp, fromClient ? connection.clientPort : 8080);
  view.setUint16(tcp + 2, fromClient ? 8080 : connection.clientPort);
  const seq = fromClient ? connection.clientSeq : connection.serverSeq;
  const ack = fromClient ? connection.serverSeq : connection.clientSeq;
  view.setUint32(tcp + 4, (seq + (step.seqOffset ?? 0)) >>> 0);
  view.setUint32(tcp + 8, step.flags & FLAG_ACK ? ack : 0);
  view.setUint8(tcp + 12, (TCP_BYTES / 4) << 4);
  view.setUint8(tcp + 13, step.flags);
  view.setUint16(tcp + 14, 65483);
  view.setUint32(tcp + 16, 0);
  view.setUint32(tcp + 20, 0x0101080a); // NOP NOP timestamps(10)
  view.setUint32(tcp + 24, (timeMicroseconds / 1000) >>> 0);
  view.setUint32(tcp + 28, 0);
  const payload = tcp + TCP_BYTES;
  if (step.payload > 0) new Uint8Array(view.buffer).set(fromClient ? REQUEST : RESPONSE, payload);
  // sequence space: payload, SYN and FIN each take one number
  const advance = step.payload + (step.flags & (FLAG_SYN | FLAG_FIN) ? 1 : 0);
  if (fromClient) connection.clientSeq = (connection.clientSeq + advance) >>> 0;
  else connection.serverSeq = (connection.serverSeq + advance) >>> 0;
  return payload + step.payload;
}
