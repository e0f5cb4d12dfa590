/**
 * TLS and cleartext HTTP/2 in the microscope, against tshark frame by frame.
 * 1. Real traffic on loopback, captured by tcpdump: HTTPS with keep-alive and TLS 1.3 session
 *    resumption, TLS 1.2 full and resumed, h2c with PING and GOAWAY, a server that answers too many
 *    PINGs with GOAWAY ENHANCE_YOUR_CALM (as gRPC servers do), and h2 over TLS (ALPN offered).
 *    The handshake types per frame (tls.handshake.type), the HTTP/2 frame types per frame (http2.type)
 *    and each stream's full/resumed verdict, version and offered ALPN must match what tshark shows,
 *    tshark told which server port carries what (`-d tcp.port==P,tls` or `,http2`: else a client port
 *    it registers for another protocol hides a connection, helpers/tshark-decode-as.ts says why).
 * 2. Every public capture: the handshake types per TCP frame match tshark's.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile, type CaptureAnalysis } from '@engine/capture/analyze';
import { startLoopbackCapture, type LoopbackCapture } from './helpers/tcpdump-capture';
import { decodeAs } from './helpers/tshark-decode-as';

const run = promisify(execFile);
const CORPUS = resolve(import.meta.dirname, '../../../shared/captures/public');
const folder = mkdtempSync(join(tmpdir(), 'kl-tls-'));

/** Per frame, the values a field takes, joined as tshark prints them ("1", "2,11,12,14"). */
type PerFrame = Map<number, string>;

async function tsharkPerFrame(file: string, field: string, extra: string[] = []): Promise<PerFrame> {
  const args = ['-n', '-r', file, ...extra, '-Y', 'tcp', '-T', 'fields', '-e', 'frame.number', '-e', field];
  // tshark exits 2 on a capture cut short, after printing every frame it could read
  const stdout = await run('tshark', args, { maxBuffer: 256 * 1024 * 1024 }).then(
    (result) => result.stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  const result: PerFrame = new Map();
  for (const line of stdout.split('\n')) {
    const [frame, values] = line.split('\t');
    if (values) result.set(Number(frame), values);
  }
  return result;
}

interface Observed {
  analysis: CaptureAnalysis;
  handshakes: PerFrame;
  frames: PerFrame;
}

async function observe(file: string): Promise<Observed> {
  const handshakes = new Map<number, number[]>();
  const frames = new Map<number, number[]>();
  const push = (map: Map<number, number[]>, frame: number, value: number) => map.set(frame, [...(map.get(frame) ?? []), value]);
  const analysis = await analyzeCaptureFile(file, {
    observers: {
      tlsHandshake: (_stream, frame, type) => push(handshakes, frame, type),
      http2Frame: (_stream, frame, type) => push(frames, frame, type),
    },
  });
  const joined = (map: Map<number, number[]>): PerFrame => new Map([...map].map(([frame, values]) => [frame, values.join(',')]));
  return { analysis, handshakes: joined(handshakes), frames: joined(frames) };
}

function listen(server: { listen(port: number, host: string, callback: () => void): unknown; address(): unknown }): Promise<number> {
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)));
}

describe('TLS and HTTP/2 on loopback: our reading = tshark, frame by frame', () => {
  let capture: LoopbackCapture;
  let ports: { https: number; h2c: number; calm: number; h2: number };
  let ours: Observed;
  /** Decode As for every server port: TLS on the HTTPS and h2 servers, HTTP/2 on the h2c ones */
  let decode: string[];

  beforeAll(async () => {
    // a certificate for 127.0.0.1 made for this run only
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' }); // prettier-ignore
    const key = readFileSync(join(folder, 'key.pem'));
    const cert = readFileSync(join(folder, 'cert.pem'));
    const httpsServer = https.createServer({ key, cert }, (request, response) => response.end(`hello ${request.url}`));
    const h2cServer = http2.createServer();
    h2cServer.on('stream', (stream, headers) => {
      stream.respond({ ':status': 200 });
      stream.end(`h2c ${headers[':path']}`);
    });
    // answers a client's third PING with GOAWAY ENHANCE_YOUR_CALM, as a gRPC server does with too_many_pings
    const calmServer = http2.createServer();
    calmServer.on('session', (session) => {
      let pings = 0;
      session.on('ping', () => {
        if (++pings === 3) session.goaway(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, 0, Buffer.from('too_many_pings'));
      });
    });
    const h2Server = http2.createSecureServer({ key, cert });
    h2Server.on('stream', (stream) => {
      stream.respond({ ':status': 200 });
      stream.end('h2');
    });
    ports = { https: await listen(httpsServer), h2c: await listen(h2cServer), calm: await listen(calmServer), h2: await listen(h2Server) };
    capture = await startLoopbackCapture(Object.values(ports));
    decode = [...decodeAs('tls', [ports.https, ports.h2]), ...decodeAs('http2', [ports.h2c, ports.calm])];

    const get = (path: string, agent: https.Agent, maxVersion?: 'TLSv1.2') =>
      new Promise<void>((done, fail) =>
        https
          .get({ host: '127.0.0.1', port: ports.https, path, agent, ca: cert, maxVersion }, (response) => response.resume().on('end', done))
          .on('error', fail),
      );
    const agent13 = new https.Agent({ keepAlive: true, ca: cert });
    await get('/a', agent13);
    await get('/b', agent13); // the same connection
    agent13.destroy();
    await get('/c', agent13); // a new connection that resumes the session
    agent13.destroy();
    const agent12 = new https.Agent({ keepAlive: true, ca: cert, maxVersion: 'TLSv1.2' });
    await get('/d', agent12, 'TLSv1.2');
    agent12.destroy();
    await get('/e', agent12, 'TLSv1.2'); // resumed by session id
    agent12.destroy();

    const request = (session: http2.ClientHttp2Session, path: string) =>
      new Promise<void>((done) => session.request({ ':path': path }).resume().on('end', done).on('error', done));
    const h2c = http2.connect(`http://127.0.0.1:${ports.h2c}`);
    await Promise.all([request(h2c, '/x'), request(h2c, '/y'), request(h2c, '/z')]);
    await new Promise((done) => h2c.ping(Buffer.from('keepaliv'), done));
    await new Promise<void>((done) => h2c.close(done));

    const calm = http2.connect(`http://127.0.0.1:${ports.calm}`);
    calm.on('error', () => undefined); // the GOAWAY ends the session with error code 11
    await new Promise((done) => calm.once('connect', done)); // a PING before the connection is up is cancelled
    const goaway = new Promise<void>((done) => calm.once('goaway', () => done()));
    for (let index = 0; index < 3; index++) await new Promise((done) => calm.ping(Buffer.alloc(8, index), done));
    await goaway;
    calm.destroy();

    const h2 = http2.connect(`https://127.0.0.1:${ports.h2}`, { ca: cert });
    await request(h2, '/tls');
    await new Promise<void>((done) => h2.close(done));
    await new Promise((done) => setTimeout(done, 200)); // let tcpdump see the closing segments
    await capture.stop();
    for (const server of [httpsServer, h2cServer, calmServer, h2Server]) server.close();
    ours = await observe(capture.file);
  }, 60_000);

  afterAll(async () => {
    await capture?.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('sees the same TLS handshake messages in the same frames', async () => {
    const theirs = await tsharkPerFrame(capture.file, 'tls.handshake.type', decode);
    expect(theirs.size).toBeGreaterThan(8);
    expect(ours.handshakes).toEqual(theirs);
  });

  it('sees the same HTTP/2 frames in the same frames (tshark told the h2c ports are HTTP/2)', async () => {
    const theirs = await tsharkPerFrame(capture.file, 'http2.type', decode);
    expect([...theirs.values()].join(',')).toContain('6'); // PINGs are there
    expect(ours.frames).toEqual(theirs);
  });

  it('calls each handshake full or resumed, with its version and offered ALPN, as the ServerHello says', async () => {
    const { stdout } = await run('tshark', [
      '-n', '-r', capture.file, ...decode, '-Y', 'tls.handshake.type == 1 || tls.handshake.type == 2', '-T', 'fields',
      '-e', 'tcp.stream', '-e', 'tls.handshake.type', '-e', 'tls.handshake.session_id', '-e', 'tls.handshake.extension.type',
      '-e', 'tls.handshake.extensions.supported_version', '-e', 'tls.handshake.extensions_alpn_str', '-e', 'tls.handshake.version',
    ]); // prettier-ignore
    const expected = new Map<number, { resumed: boolean; version: string; alpnOffered: string[] }>();
    const clientSession = new Map<number, string>();
    const offered = new Map<number, string[]>();
    for (const line of stdout.trim().split('\n')) {
      const [stream, type, sessionId, , selected, alpn, legacy] = line.split('\t') as string[];
      const index = Number(stream);
      const extensions = line.split('\t')[3]!.split(',');
      if (type === '1') {
        clientSession.set(index, sessionId ?? '');
        offered.set(index, alpn ? alpn.split(',') : []);
        continue;
      }
      const version = selected || legacy;
      const resumed = version === '0x0304' ? extensions.includes('41') : !!sessionId && sessionId === clientSession.get(index);
      expected.set(index, { resumed, version: version === '0x0304' ? 'TLS 1.3' : 'TLS 1.2', alpnOffered: offered.get(index) ?? [] });
    }
    const seen = new Map(
      ours.analysis.streams
        .filter((stream) => stream.tls)
        .map((stream) => {
          const first = stream.tls!.list[0]!;
          return [stream.stream, { resumed: first.kind === 'resumed', version: first.version!, alpnOffered: first.alpnOffered }];
        }),
    );
    expect(seen).toEqual(expected);
    // what the run did: TLS 1.3 full then resumed, TLS 1.2 full then resumed, h2 over TLS offering "h2"
    expect([...seen.values()].map((value) => `${value.version} ${value.resumed ? 'resumed' : 'full'}`)).toEqual([
      'TLS 1.3 full',
      'TLS 1.3 resumed',
      'TLS 1.2 full',
      'TLS 1.2 resumed',
      'TLS 1.3 full',
    ]);
    expect([...seen.values()][4]!.alpnOffered).toContain('h2');
    for (const stream of ours.analysis.streams.filter((candidate) => candidate.tls)) {
      expect(stream.tls!.handshakes).toBe(1);
      expect(stream.tls!.handshakeMs).toBeGreaterThan(0);
    }
  });

  it('says when several TLS connections went to one server, each paying for a handshake', () => {
    const hint = ours.analysis.hints.find((candidate) => candidate.code === 'tls-reconnects');
    // four HTTPS connections to one server (two TLS 1.3, two TLS 1.2), then the h2 server: three were avoidable
    expect(hint?.count).toBe(3);
    expect(hint?.message).toContain(`4 TLS connections went to 127.0.0.1:${ports.https}`);
    expect(hint?.message).toContain('2 full, 2 resumed');
  });

  it('counts h2c requests, PINGs with their round trip, and GOAWAY with its error', () => {
    const byPort = (port: number) =>
      ours.analysis.streams.find((stream) => stream.b.endsWith(`:${port}`) || stream.a.endsWith(`:${port}`))!;
    const h2c = byPort(ports.h2c).http2!;
    expect(h2c.requests).toBe(3);
    expect(h2c.maxConcurrentStreams).toBeGreaterThanOrEqual(2);
    expect(h2c.pings).toBe(1);
    expect(h2c.pingList[0]!.from).toBe('client');
    expect(h2c.pingList[0]!.rttMs).toBeGreaterThanOrEqual(0);
    const calm = byPort(ports.calm).http2!;
    expect(calm.pings).toBe(3);
    expect(calm.goaway.find((goaway) => goaway.from === 'server')).toMatchObject({
      error: 'ENHANCE_YOUR_CALM',
      errorCode: 11,
      lastStreamId: 0,
    });
  });
});

describe('public captures: TLS handshake messages per frame = tshark', () => {
  const files = readdirSync(CORPUS).filter((name) => /\.pcap(ng)?$/.test(name));
  it.each(files)('%s', async (name) => {
    const file = join(CORPUS, name);
    const theirs = await tsharkPerFrame(file, 'tls.handshake.type');
    const observed = await observe(file).catch(() => null);
    // a file we refuse as a capture shows no handshake to tshark either
    if (observed === null) return expect(theirs.size).toBe(0);
    expect(observed.handshakes).toEqual(theirs);
  });
});
