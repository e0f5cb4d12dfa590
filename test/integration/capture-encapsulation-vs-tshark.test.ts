/**
 * The same TCP conversation (handshake, two HTTP/1.1 requests on one connection, a keep-alive probe
 * and its ACK, a retransmission, FIN) wrapped in each encapsulation tshark decodes by default around
 * TCP — 802.1Q, QinQ, PPPoE, GRE (IP and Ethernet inside), VXLAN, Geneve (IP and Ethernet inside),
 * IP-in-IP, 6in4 — and carried in IPv4 and IPv6 fragments (in order, reversed, overlapping, and
 * fragmented outside a tunnel). Written by the test, read by tshark and by our analyzer: the stream
 * of every frame, the analysis flags of every frame and the HTTP requests per stream must agree.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { ANALYSIS_FLAG_NAMES, analysisFlagNames } from '@engine/capture/tcp-flags';
import { pcapFile } from '../unit/main/capture/capture-bytes';
import * as B from './helpers/packet-builder';

const run = promisify(execFile);
const folder = mkdtempSync(join(tmpdir(), 'kl-encapsulation-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Segment {
  time: number;
  fromClient: boolean;
  bytes: Uint8Array;
}

const SYN = 2;
const ACK = 16;
const PSH = 8;
const FIN = 1;
const text = (value: string) => new TextEncoder().encode(value);

/** One HTTP/1.1 keep-alive conversation; requests padded past 1,000 bytes so fragmentation splits them. */
function conversation(clientPort: number): Segment[] {
  const request = (path: string) => text(`GET ${path} HTTP/1.1\r\nHost: lab\r\nX-Pad: ${'a'.repeat(1100)}\r\n\r\n`);
  const response = text('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nhi');
  const out: Segment[] = [];
  let clientSeq = 1000;
  let serverSeq = 5000;
  const send = (time: number, fromClient: boolean, flags: number, payload = new Uint8Array(0), seqOverride?: number) => {
    const seq = seqOverride ?? (fromClient ? clientSeq : serverSeq);
    const ack = fromClient ? serverSeq : clientSeq;
    const [srcPort, dstPort] = fromClient ? [clientPort, 80] : [80, clientPort];
    out.push({ time, fromClient, bytes: B.tcp({ srcPort, dstPort, seq, ack: flags & ACK ? ack : 0, flags, payload }) });
    if (seqOverride === undefined) {
      const advance = payload.length + (flags & (SYN | FIN) ? 1 : 0);
      if (fromClient) clientSeq += advance;
      else serverSeq += advance;
    }
  };
  send(0, true, SYN);
  send(0.001, false, SYN | ACK);
  send(0.002, true, ACK);
  send(0.003, true, PSH | ACK, request('/one'));
  send(0.004, false, PSH | ACK, response);
  send(0.005, true, PSH | ACK, request('/two'));
  const secondResponseSeq = serverSeq;
  send(0.006, false, PSH | ACK, response);
  send(0.007, true, ACK);
  // idle 10 s, then a keep-alive probe (seq one below the next expected, no data) and its ACK
  send(10, true, ACK, new Uint8Array(0), clientSeq - 1);
  send(10.001, false, ACK);
  // the second response again: a retransmission
  send(11, false, PSH | ACK, response, secondResponseSeq);
  send(12, true, FIN | ACK);
  send(12.001, false, FIN | ACK);
  send(12.002, true, ACK);
  return out;
}

const CLIENT4 = '10.0.0.1';
const SERVER4 = '10.0.0.2';
const CLIENT6 = 'fd00::1';
const SERVER6 = 'fd00::2';
const OUTER_A = '192.0.2.1';
const OUTER_B = '192.0.2.2';

type Encapsulation = (segment: Segment, index: number) => Uint8Array[];

const inner4 = (s: Segment) =>
  s.fromClient ? B.ipv4(CLIENT4, SERVER4, B.PROTOCOL_TCP, s.bytes) : B.ipv4(SERVER4, CLIENT4, B.PROTOCOL_TCP, s.bytes);
const inner6 = (s: Segment) =>
  s.fromClient ? B.ipv6(CLIENT6, SERVER6, B.PROTOCOL_TCP, s.bytes) : B.ipv6(SERVER6, CLIENT6, B.PROTOCOL_TCP, s.bytes);
const outer4 = (s: Segment, protocol: number, payload: Uint8Array, identification = 0) =>
  s.fromClient
    ? B.ipv4(OUTER_A, OUTER_B, protocol, payload, { identification })
    : B.ipv4(OUTER_B, OUTER_A, protocol, payload, { identification });
const eth4 = (packet: Uint8Array) => B.ethernet(B.ETHERTYPE_IPV4, packet);

const ENCAPSULATIONS: Record<string, Encapsulation> = {
  'ipv4 fragments, in order': (s, i) => B.fragmentIpv4(inner4(s), 512, 100 + i).map(eth4),
  'ipv4 fragments, last first': (s, i) =>
    B.fragmentIpv4(inner4(s), 512, 100 + i)
      .reverse()
      .map(eth4),
  'ipv4 fragments, one sent twice (overlap)': (s, i) => {
    const pieces = B.fragmentIpv4(inner4(s), 512, 100 + i);
    return [...pieces.slice(0, 1), ...pieces].map(eth4);
  },
  'ipv6 fragments': (s, i) => B.fragmentIpv6(inner6(s), 504, 7000 + i).map((p) => B.ethernet(B.ETHERTYPE_IPV6, p)),
  '802.1Q': (s) => [B.ethernet(B.ETHERTYPE_IPV4, inner4(s), [[B.ETHERTYPE_VLAN, 10]])],
  QinQ: (s) => [
    B.ethernet(B.ETHERTYPE_IPV4, inner4(s), [
      [B.ETHERTYPE_QINQ, 100],
      [B.ETHERTYPE_VLAN, 10],
    ]),
  ],
  PPPoE: (s) => [B.ethernet(B.ETHERTYPE_PPPOE_SESSION, B.pppoe(inner4(s), 4))],
  'GRE, IPv4 inside': (s) => [eth4(outer4(s, B.PROTOCOL_GRE, B.gre(B.ETHERTYPE_IPV4, inner4(s))))],
  'GRE, Ethernet inside': (s) => [eth4(outer4(s, B.PROTOCOL_GRE, B.gre(B.ETHERTYPE_TRANSPARENT_ETHERNET, eth4(inner4(s)))))],
  VXLAN: (s) => [eth4(outer4(s, B.PROTOCOL_UDP, B.udp(s.fromClient ? 51000 : 52000, 4789, B.vxlan(42, eth4(inner4(s))))))],
  'Geneve, IPv4 inside': (s) => [eth4(outer4(s, B.PROTOCOL_UDP, B.udp(51001, 6081, B.geneve(B.ETHERTYPE_IPV4, 7, inner4(s)))))],
  'Geneve, Ethernet inside (0x6558), with options': (s) => [
    eth4(outer4(s, B.PROTOCOL_UDP, B.udp(51002, 6081, B.geneve(B.ETHERTYPE_TRANSPARENT_ETHERNET, 7, eth4(inner4(s)), 2)))),
  ],
  'IP-in-IP': (s) => [eth4(outer4(s, B.PROTOCOL_IPV4_IN_IP, inner4(s)))],
  '6in4': (s) => [eth4(outer4(s, B.PROTOCOL_IPV6_IN_IP, inner6(s)))],
  'two VXLAN tunnels carrying the same inner 4-tuple': (s) => [
    eth4(outer4(s, B.PROTOCOL_UDP, B.udp(51004, 4789, B.vxlan(42, eth4(inner4(s)))))),
    eth4(B.ipv4('198.51.100.1', '198.51.100.2', B.PROTOCOL_UDP, B.udp(51005, 4789, B.vxlan(43, eth4(inner4(s)))))),
  ],
  'VXLAN carried in outer IPv4 fragments': (s, i) =>
    B.fragmentIpv4(outer4(s, B.PROTOCOL_UDP, B.udp(51003, 4789, B.vxlan(42, eth4(inner4(s))))), 400, 300 + i).map(eth4),
};

function writeCapture(name: string, encapsulate: Encapsulation): string {
  const records = conversation(40000).flatMap((segment, index) =>
    encapsulate(segment, index).map((data, piece) => ({
      seconds: 1_700_000_000 + Math.floor(segment.time),
      fraction: Math.round((segment.time % 1) * 1e6) + piece,
      data,
    })),
  );
  const file = join(folder, `${name.replace(/[^a-z0-9]+/gi, '-')}.pcap`);
  writeFileSync(file, pcapFile({ linkType: 1 }, records));
  return file;
}

interface Verdicts {
  streams: (number | null)[];
  flags: string[][];
  httpRequests: Record<string, number>;
}

async function tsharkVerdicts(file: string): Promise<Verdicts> {
  const { stdout } = await run('tshark', ['-n', '-r', file, '-T', 'pdml']);
  const streams: (number | null)[] = [];
  const flags: string[][] = [];
  const httpRequests: Record<string, number> = {};
  for (const packet of stdout.split('<packet>').slice(1)) {
    const stream = /name="tcp\.stream"[^>]*show="(\d+)"/.exec(packet)?.[1];
    streams.push(stream === undefined ? null : Number(stream));
    const names = [...packet.matchAll(/name="tcp\.analysis\.([a-z_]+)"/g)]
      .map((m) => m[1]!)
      .filter((name) => (ANALYSIS_FLAG_NAMES as readonly string[]).includes(name));
    flags.push([...new Set(names)].sort());
    if (/name="http\.request"/.test(packet) && stream !== undefined) httpRequests[stream] = (httpRequests[stream] ?? 0) + 1;
  }
  return { streams, flags, httpRequests };
}

async function ourVerdicts(file: string): Promise<Verdicts> {
  const analysis = await analyzeCaptureFile(file);
  const streams: (number | null)[] = [];
  const flags: string[][] = [];
  for (let index = 0; index < analysis.table.length; index++) {
    const stream = analysis.table.stream[index]!;
    streams.push(stream < 0 ? null : stream);
    flags.push([...analysisFlagNames(analysis.table.analysis[index] ?? 0)].sort());
  }
  const httpRequests: Record<string, number> = {};
  for (const stream of analysis.streams) if (stream.httpRequests > 0) httpRequests[String(stream.stream)] = stream.httpRequests;
  return { streams, flags, httpRequests };
}

describe('encapsulations and IP fragments: our analysis = tshark, frame by frame', () => {
  for (const [name, encapsulate] of Object.entries(ENCAPSULATIONS)) {
    it(name, async () => {
      const file = writeCapture(name, encapsulate);
      const [theirs, ours] = await Promise.all([tsharkVerdicts(file), ourVerdicts(file)]);
      // the conversation is seen at all: a stream, keep-alive and its ACK, a retransmission, two requests
      expect(theirs.streams.some((stream) => stream === 0)).toBe(true);
      expect(theirs.flags.flat()).toEqual(expect.arrayContaining(['keep_alive', 'keep_alive_ack', 'retransmission']));
      expect(ours.streams, 'tcp.stream per frame').toEqual(theirs.streams);
      expect(ours.flags, 'analysis flags per frame').toEqual(theirs.flags);
      expect(ours.httpRequests, 'HTTP requests per stream').toEqual(theirs.httpRequests);
    });
  }
});
