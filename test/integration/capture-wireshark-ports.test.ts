/**
 * A stream on a port Wireshark registers for another protocol: tshark shows none of its HTTP or TLS
 * (it tries the port's protocol first), this analyzer reads them by their bytes, and the capture's
 * hints say so. Captures written by the test, tshark as the oracle: for every port of the table, the
 * client on it and the server on it, with and without the handshake in the capture.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { WIRESHARK_HIGH_PORTS, wiresharkPortFor } from '@engine/capture/wireshark-ports';
import { pcapFile } from '../unit/main/capture/capture-bytes';
import * as B from './helpers/packet-builder';

const run = promisify(execFile);
const folder = mkdtempSync(join(tmpdir(), 'kl-wireshark-ports-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const SYN = 2;
const ACK = 16;
const PSH = 8;
const text = (value: string) => new TextEncoder().encode(value);

/** A TLS 1.2 handshake record (RFC 5246 §6.2.1, §7.4) holding one message of `type`. */
function tlsRecord(type: number, body: number[]): Uint8Array<ArrayBuffer> {
  const message = [type, 0, body.length >> 8, body.length & 0xff, ...body];
  return Uint8Array.from([22, 3, 3, message.length >> 8, message.length & 0xff, ...message]);
}
const TLS12 = [3, 3];
const CLIENT_HELLO = tlsRecord(1, [...TLS12, ...new Array(32).fill(1), 0, 0, 2, 0x00, 0x2f, 1, 0]);
const SERVER_HELLO = tlsRecord(2, [...TLS12, ...new Array(32).fill(2), 0, 0x00, 0x2f, 0]);

type Content = 'http' | 'tls';

interface Conversation {
  clientPort: number;
  serverPort: number;
  content: Content;
  handshake: boolean;
}

/**
 * Each conversation between its own pair of addresses (10.0.N.1 → 10.0.N.2), so each is a stream:
 * two HTTP/1.1 requests on one connection, or a TLS hello each way; with or without the handshake.
 */
function writeCapture(name: string, conversations: readonly Conversation[]): string {
  const packets: Uint8Array[] = [];
  conversations.forEach(({ clientPort, serverPort, content, handshake }, index) => {
    let clientSeq = 1000;
    let serverSeq = 5000;
    const send = (fromClient: boolean, flags: number, payload = new Uint8Array(0)) => {
      const [srcPort, dstPort] = fromClient ? [clientPort, serverPort] : [serverPort, clientPort];
      const ack = flags & ACK ? (fromClient ? serverSeq : clientSeq) : 0;
      const segment = B.tcp({ srcPort, dstPort, seq: fromClient ? clientSeq : serverSeq, ack, flags, payload });
      const [src, dst] = fromClient ? [`10.0.${index}.1`, `10.0.${index}.2`] : [`10.0.${index}.2`, `10.0.${index}.1`];
      packets.push(B.ethernet(B.ETHERTYPE_IPV4, B.ipv4(src, dst, B.PROTOCOL_TCP, segment)));
      const advance = payload.length + (flags & SYN ? 1 : 0);
      if (fromClient) clientSeq += advance;
      else serverSeq += advance;
    };
    if (handshake) {
      send(true, SYN);
      send(false, SYN | ACK);
      send(true, ACK);
    }
    if (content === 'http') {
      for (const path of ['/one', '/two']) {
        send(true, PSH | ACK, text(`GET ${path} HTTP/1.1\r\nHost: lab\r\n\r\n`));
        send(false, PSH | ACK, text('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi'));
      }
    } else {
      send(true, PSH | ACK, CLIENT_HELLO);
      send(false, PSH | ACK, SERVER_HELLO);
    }
  });
  const file = join(folder, `${name}.pcap`);
  const records = packets.map((data, index) => ({ seconds: 1_700_000_000, fraction: index * 1000, data }));
  writeFileSync(file, pcapFile({ linkType: 1 }, records));
  return file;
}

/** The streams of the frames tshark shows as an HTTP request or a TLS ClientHello. */
async function tsharkFinds(file: string): Promise<number[]> {
  const filter = 'http.request || tls.handshake.type == 1';
  const { stdout } = await run('tshark', ['-n', '-r', file, '-Y', filter, '-T', 'fields', '-e', 'tcp.stream']);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number);
}

const UNREGISTERED_CLIENT = 50002;
const UNREGISTERED_SERVER = 41655;

describe('ports Wireshark registers for another protocol', () => {
  it('the table is tshark’s: every port at or above 32768 of its tcp.port table, no other', async () => {
    const { stdout } = await run('tshark', ['-G', 'decodes']);
    const registered = stdout
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([table, port]) => table === 'tcp.port' && Number(port) >= 32768)
      .map(([, port]) => Number(port))
      .sort((x, y) => x - y);
    expect([...WIRESHARK_HIGH_PORTS.keys()].sort((x, y) => x - y)).toEqual(registered);
  });

  for (const port of WIRESHARK_HIGH_PORTS.keys()) {
    it(`port ${port}: tshark finds no HTTP or TLS on it; the analyzer finds them and names the port`, async () => {
      // the client on the port and the server on it; HTTP and TLS; with the handshake and without
      const conversations = [
        [port, UNREGISTERED_SERVER],
        [UNREGISTERED_CLIENT, port],
      ].flatMap(([clientPort, serverPort]) =>
        (['http', 'tls'] as const).flatMap((content) =>
          [true, false].map((handshake) => ({ clientPort: clientPort!, serverPort: serverPort!, content, handshake })),
        ),
      );
      const file = writeCapture(`port-${port}`, conversations);
      expect(await tsharkFinds(file)).toEqual([]);
      const analysis = await analyzeCaptureFile(file);
      expect(analysis.streams).toHaveLength(conversations.length);
      conversations.forEach(({ content }, stream) => {
        if (content === 'http') expect(analysis.streams[stream]!.httpRequests).toBe(2);
        else expect(analysis.streamSummaries.tls.has(stream)).toBe(true);
      });
      const hint = analysis.hints.find((candidate) => candidate.code === 'wireshark-port');
      expect(hint?.count).toBe(conversations.length);
      expect(hint?.message).toBe(
        `8 streams use ports Wireshark registers for another protocol — ${port} (${WIRESHARK_HIGH_PORTS.get(port)}): streams 0, 1, 2, 3, 4 and 3 more. ` +
          "Wireshark decodes a stream by its port's registered protocol before it looks at the bytes, so it shows these as that protocol, without their HTTP requests and TLS handshakes. " +
          'This app finds HTTP and TLS by their bytes on any port; in Wireshark, Decode As… (the port as HTTP or TLS) shows them too.',
      );
    });
  }

  it('one stream is named alone, in the singular', async () => {
    const file = writeCapture('one', [{ clientPort: 44818, serverPort: UNREGISTERED_SERVER, content: 'http', handshake: true }]);
    expect(await tsharkFinds(file)).toEqual([]);
    const hint = (await analyzeCaptureFile(file)).hints.find((candidate) => candidate.code === 'wireshark-port');
    expect(hint?.message).toBe(
      '1 stream uses a port Wireshark registers for another protocol — 44818 (EtherNet/IP): stream 0. ' +
        "Wireshark decodes a stream by its port's registered protocol before it looks at the bytes, so it shows this one as that protocol, without its HTTP requests. " +
        'This app finds HTTP by its bytes on any port; in Wireshark, Decode As… (the port as HTTP) shows it too.',
    );
  });

  it('no hint where tshark finds the same: unregistered ports, or a registered HTTP port on the other side', async () => {
    const conversations = [
      [UNREGISTERED_CLIENT, UNREGISTERED_SERVER],
      [44818, 80],
      [57000, 8080],
    ].map(([clientPort, serverPort]) => ({ clientPort: clientPort!, serverPort: serverPort!, content: 'http' as const, handshake: true }));
    const file = writeCapture('agree', conversations);
    expect(await tsharkFinds(file)).toEqual([0, 0, 1, 1, 2, 2]);
    const analysis = await analyzeCaptureFile(file);
    expect(analysis.streams.map((stream) => stream.httpRequests)).toEqual([2, 2, 2]);
    expect(analysis.hints.map((hint) => hint.code)).not.toContain('wireshark-port');
  });

  it('a port below 32768 is not claimed (whether it is registered is not in the table)', () => {
    expect(wiresharkPortFor(44818, 41655)).toBe(44818);
    expect(wiresharkPortFor(41655, 57000)).toBe(57000);
    expect(wiresharkPortFor(44818, 20000)).toBeNull();
    expect(wiresharkPortFor(44818, 57000)).toBeNull();
  });
});
