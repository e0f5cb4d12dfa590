/**
 * Why the tests that read the lab's own captures with tshark tell it which server port carries TLS
 * (helpers/tshark-decode-as.ts): on real loopback connections to a TLS server on an ephemeral port,
 * each client bound to a port of the ephemeral range that tshark registers for another protocol
 * (one more left to the kernel), captured by tcpdump. Without Decode As tshark reads those clients'
 * connections as the other protocol and never sees their ServerHello, whether the client port is
 * below or above the server's; with it, every ServerHello is there, also with the SYNs cut out.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLabCertificate } from '@engine/lab/tls-certificate';
import { startLoopbackCapture, type LoopbackCapture } from './helpers/tcpdump-capture';
import { decodeAs } from './helpers/tshark-decode-as';

const run = promisify(execFile);

/** Ports of Linux's ephemeral range that tshark's `tcp.port` table gives a dissector by default. */
async function registeredEphemeralPorts(): Promise<number[]> {
  const [low, high] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
  const { stdout } = await run('tshark', ['-G', 'decodes'], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([table, port]) => table === 'tcp.port' && Number(port) >= low! && Number(port) <= high!)
    .map(([, port]) => Number(port));
}

/** The client port of each ServerHello tshark finds, in frame order. */
async function serverHelloClients(file: string, options: string[]): Promise<number[]> {
  const { stdout } = await run('tshark', [
    '-n',
    '-r',
    file,
    ...options,
    '-Y',
    'tls.handshake.type == 2',
    '-T',
    'fields',
    '-e',
    'tcp.dstport',
  ]);
  return stdout.split('\n').filter(Boolean).map(Number);
}

/** Listens on the first free port between the two middle registered ports, so that clients sit on both sides of it. */
async function listenAmong(server: tls.Server, registered: number[]): Promise<number> {
  const sorted = [...registered].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  for (let port = sorted[middle - 1]! + 1; port < sorted[middle]!; port++) {
    const listening = await new Promise<boolean>((done) => {
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => done(true));
    });
    server.removeAllListeners('error');
    if (listening) return port;
  }
  throw new Error(`no free port between ${sorted[middle - 1]} and ${sorted[middle]}`);
}

/** One TLS connection from `localPort` (0: the kernel's choice), read to its end; its client port, or null when the port is taken. */
function connectFrom(port: number, localPort: number, ca: string): Promise<number | null> {
  return new Promise((done, fail) => {
    // net.connect binds the local port; tls.connect's own options have no localPort
    const tcp = net.connect({ host: '127.0.0.1', port, localPort: localPort || undefined });
    const socket = tls.connect({ socket: tcp, host: '127.0.0.1', ca });
    tcp.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? done(null) : fail(error)));
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? done(null) : fail(error)));
    socket.once('secureConnect', () => {
      const used = tcp.localPort ?? null;
      socket.resume().once('end', () => done(used));
    });
  });
}

describe('tshark and a TLS client on a port registered to another protocol', () => {
  const certificate = makeLabCertificate();
  let server: tls.Server;
  let serverPort = 0;
  let capture: LoopbackCapture;
  let registered: Set<number>;
  /** client port of each connection, in order */
  const clients: number[] = [];

  beforeAll(async () => {
    registered = new Set(await registeredEphemeralPorts());
    expect(registered.size, 'tcp.port entries in the ephemeral range (tshark 4.0.17: 7)').toBeGreaterThanOrEqual(2);
    server = tls.createServer({ cert: certificate.cert, key: certificate.key }, (socket) =>
      socket.on('error', () => undefined).end('done'),
    );
    serverPort = await listenAmong(server, [...registered]);
    capture = await startLoopbackCapture(serverPort);
    // a port another program holds is skipped: the test needs some of them, not all
    for (const localPort of [...registered, 0]) {
      const used = await connectFrom(serverPort, localPort, certificate.cert);
      if (used !== null) clients.push(used);
    }
    await capture.stop();
    expect(capture.droppedByKernel(), 'packets tcpdump reports dropped by the kernel').toBe(0);
  }, 30_000);

  afterAll(async () => {
    await capture?.dispose();
    server?.close();
  });

  it('without Decode As, misses the ServerHello of every client on a registered port, below or above the server port', async () => {
    const onRegistered = clients.filter((port) => registered.has(port));
    const sides = `registered client ports ${onRegistered.join(', ')}, server port ${serverPort}`;
    expect(
      onRegistered.some((port) => port < serverPort),
      sides,
    ).toBe(true);
    expect(
      onRegistered.some((port) => port > serverPort),
      sides,
    ).toBe(true);
    expect(await serverHelloClients(capture.file, [])).toEqual(clients.filter((port) => !registered.has(port)));
  });

  it('with Decode As on the server port, sees one ServerHello per connection, also with the SYNs cut out', async () => {
    const options = decodeAs('tls', [serverPort]);
    expect(await serverHelloClients(capture.file, options)).toEqual(clients);
    // without a SYN tshark does not know which side is the server: the Decode As port still comes first
    const { stdout } = await run('tshark', ['-n', '-r', capture.file, '-Y', 'tcp.flags.syn == 1', '-T', 'fields', '-e', 'frame.number']);
    const withoutSyns = `${capture.file}.no-syn.pcap`;
    await run('editcap', [capture.file, withoutSyns, ...stdout.split('\n').filter(Boolean)]);
    expect(await serverHelloClients(withoutSyns, options)).toEqual(clients);
    expect((await serverHelloClients(withoutSyns, [])).length).toBeLessThan(clients.length);
  });
});
