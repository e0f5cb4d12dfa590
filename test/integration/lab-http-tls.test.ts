/**
 * The HTTP/1 lab over TLS, on real sockets: against the embedded HTTPS server (a certificate made
 * for the run) and against nginx serving the same kind of certificate. Each new connection reports
 * its TCP connect and TLS handshake apart, its version, ALPN and whether the session was resumed;
 * the resumption verdicts must match what tshark reads in a tcpdump capture of the same runs
 * (TLS 1.3: the ServerHello carries pre_shared_key, extension 41, RFC 8446 §4.2.11).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRunConfigSchema, type HttpRunConfigInput, type HttpRunResult } from '@shared/api-http';
import { startDemoHttpServer, type DemoHttpServer } from '@engine/lab/demo-http-server';
import { runHttpLoop } from '@engine/lab/http-loop';
import { runHttpLoopWithCapture } from '@engine/correlate/http-capture';
import { sessionToHar } from '@engine/har/session-to-har';
import { startNginx, type NginxServer } from '@engine/lab/http-nginx';
import { explainErrorCode } from '@shared/http-error-text';
import { resolveHttpConfig } from '@engine/lab/http-scenarios';
import { makeLabCertificate } from '@engine/lab/tls-certificate';
import { startLoopbackCapture, type LoopbackCapture } from './helpers/tcpdump-capture';
import { decodeAs } from './helpers/tshark-decode-as';
import { captureView } from '@renderer/features/lab/run-capture-view';
import { runHttpCommand } from '../../src/cli/commands/http';
import type { CliIo } from '../../src/cli/io';

const run = promisify(execFile);
/** ms between runs sharing one capture, so each run's streams fall in its own time window */
const GAP_MS = 30;

/**
 * Per TCP stream (tshark numbering, in order): the TLS 1.3 ServerHello's verdict, resumed or full.
 * tshark is told `serverPort` is TLS: else a client port that tshark registers for another protocol
 * hides that connection's ServerHello (helpers/tshark-decode-as.ts says why).
 */
async function tsharkResumed(file: string, serverPort: number): Promise<boolean[]> {
  const { stdout } = await run('tshark', [
    '-n', '-r', file, ...decodeAs('tls', [serverPort]), '-Y', 'tls.handshake.type == 2', '-T', 'fields',
    '-e', 'tcp.stream', '-e', 'tls.handshake.extension.type', '-e', 'tls.handshake.extensions.supported_version',
  ]); // prettier-ignore
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.split('\t'))
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, extensions, version]) => {
      expect(version).toBe('0x0304');
      return (extensions ?? '').split(',').includes('41');
    });
}

const resumedOf = (result: HttpRunResult) => result.connections.map((connection) => connection.tls?.resumed);

describe('HTTP/1 lab over TLS against the embedded HTTPS server, checked with tshark', () => {
  let server: DemoHttpServer;
  let capture: LoopbackCapture;
  const results: Record<string, HttpRunResult> = {};
  const runs: Record<string, HttpRunConfigInput> = {
    'agent, cache on': { requests: 3, body: 'ignore', tls: true },
    'agent, cache off': { requests: 3, body: 'ignore', tls: true, maxCachedSessions: 0 },
    // undici frees a connection once a small body is buffered, read or not: keep-alive off makes it dial per request
    'undici, cache on': { requests: 3, tls: true, client: 'undici', undici: { pipelining: 0 } },
    'undici, cache off': { requests: 3, tls: true, client: 'undici', undici: { pipelining: 0 }, maxCachedSessions: 0 },
    'agent, drained': { requests: 5, body: 'drain', tls: true },
  };
  let wire: boolean[];

  beforeAll(async () => {
    server = await startDemoHttpServer(HttpRunConfigSchema.parse({}).server, { tls: true });
    capture = await startLoopbackCapture(server.port);
    for (const [name, config] of Object.entries(runs)) {
      results[name] = await runHttpLoop(HttpRunConfigSchema.parse(config), { server, sampleOpenSockets: false });
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    }
    await capture.stop();
    expect(capture.droppedByKernel(), 'packets tcpdump reports dropped by the kernel').toBe(0);
    wire = await tsharkResumed(capture.file, server.port);
  }, 60_000);

  afterAll(async () => {
    await capture?.dispose();
    await server?.close();
  });

  it('serves HTTPS with a certificate made at run time, which the client trusts as its only CA', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.certificate?.cert).toContain('BEGIN CERTIFICATE');
    for (const result of Object.values(results)) expect(result.errors).toBe(0);
  });

  it('resumes the TLS session on the 2nd and 3rd connection with the cache on, never with it off', () => {
    expect(resumedOf(results['agent, cache on']!)).toEqual([false, true, true]);
    expect(resumedOf(results['agent, cache off']!)).toEqual([false, false, false]);
    expect(resumedOf(results['undici, cache on']!)).toEqual([false, true, true]);
    expect(resumedOf(results['undici, cache off']!)).toEqual([false, false, false]);
  });

  it('agrees with tshark: one ServerHello per connection, resumed exactly where the lab says', () => {
    const ours = Object.values(results).flatMap(resumedOf);
    expect(wire).toEqual(ours);
  });

  it('reports TCP connect and TLS handshake apart, with version, ALPN and HTTP/1.1', () => {
    for (const result of Object.values(results)) {
      for (const connection of result.connections) {
        expect(connection.httpVersion).toBe('1.1');
        expect(connection.connectMs).toBeGreaterThan(0);
        expect(connection.tls?.version).toBe('TLS 1.3');
        expect(connection.tls?.handshakeMs).toBeGreaterThan(0);
      }
    }
    // Node's https.Agent offers no ALPN; undici offers http/1.1 (and the server agrees)
    expect(results['agent, cache on']!.connections[0]!.tls?.alpn).toBeNull();
    expect(results['undici, cache on']!.connections[0]!.tls?.alpn).toBe('http/1.1');
  });

  it('puts each handshake in the trace, right after its TCP connect', () => {
    const { session } = results['agent, cache on']!;
    const handshakes = session.events.filter((event) => event.kind === 'tls-handshake');
    expect(handshakes.map((event) => [event.conn, event.resumed])).toEqual([
      ['c1', false],
      ['c2', true],
      ['c3', true],
    ]);
    for (const handshake of handshakes) {
      const tcp = session.events.find((event) => event.kind === 'handshake-completed' && event.conn === handshake.conn)!;
      expect(handshake.t).toBeGreaterThanOrEqual(tcp.t);
      expect(handshake.t - (handshake.us ?? 0)).toBeGreaterThanOrEqual(tcp.t - 1);
    }
  });

  it('exports HAR with the TLS handshake as `ssl`, counted inside `connect` as HAR 1.2 says', () => {
    const result = results['agent, cache on']!;
    const { entries } = sessionToHar(result.session).log;
    expect(entries).toHaveLength(3);
    entries.forEach((entry, index) => {
      const connection = result.connections[index]!;
      expect(entry.request.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
      expect(entry.timings.ssl).toBeCloseTo(connection.tls!.handshakeMs!, 2);
      expect(entry.timings.connect).toBeGreaterThanOrEqual(entry.timings.ssl);
    });
  });

  it('drained bodies over TLS: one connection, one handshake for five requests', () => {
    const result = results['agent, drained']!;
    expect(result.connectionsOpened).toBe(1);
    expect(result.reused).toBe(4);
  });
});

describe('HTTP/1 lab over TLS against nginx (a server nobody here wrote)', () => {
  let nginx: NginxServer;
  const certificate = makeLabCertificate();

  beforeAll(async () => {
    nginx = await startNginx({ keepaliveTimeoutS: 5, tls: { cert: certificate.cert, key: certificate.key, http2: false } });
  }, 20_000);
  afterAll(async () => nginx?.stop());

  it('resumes sessions with the cache on and not with it off; drained bodies share one connection', async () => {
    const on = await runHttpLoop(HttpRunConfigSchema.parse({ url: nginx.url, requests: 3, body: 'ignore' }), { ca: certificate.cert });
    const off = await runHttpLoop(HttpRunConfigSchema.parse({ url: nginx.url, requests: 3, body: 'ignore', maxCachedSessions: 0 }), {
      ca: certificate.cert,
    });
    const drained = await runHttpLoop(
      HttpRunConfigSchema.parse({ url: nginx.url, requests: 4, client: 'undici', yieldBeforeNextRequest: true }),
      {
        ca: certificate.cert,
      },
    );
    expect(on.errors + off.errors + drained.errors).toBe(0);
    expect(resumedOf(on)).toEqual([false, true, true]);
    expect(resumedOf(off)).toEqual([false, false, false]);
    expect(drained.connectionsOpened).toBe(1);
    // nginx 1.22's default ssl_protocols stop at TLSv1.2 (1.23.4 added TLSv1.3): resumption is by session id then
    expect(drained.connections[0]!.tls).toMatchObject({ version: 'TLS 1.2', alpn: 'http/1.1', resumed: false });
    expect(on.connections.map((connection) => connection.tls?.version)).toEqual(['TLS 1.2', 'TLS 1.2', 'TLS 1.2']);
  }, 30_000);

  it('without the certificate trusted, every request fails and says why in plain words', async () => {
    const result = await runHttpLoop(HttpRunConfigSchema.parse({ url: nginx.url, requests: 1 }));
    expect(result.errors).toBe(1);
    const [request] = result.requests;
    expect(request!.errorCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(explainErrorCode(request!.errorCode)).toContain('not trusted');
  });
});

describe('TLS presets: what they promise is what the run shows', () => {
  it('keep-alive off over TLS: ten connections, each a TCP connect plus a TLS handshake, opened because keep-alive is off', async () => {
    const result = await runHttpLoop(resolveHttpConfig('tls-keepalive-off'));
    expect(result.connectionsOpened).toBe(10);
    expect(result.connections.every((connection) => connection.tls !== null && connection.connectMs !== null)).toBe(true);
    expect(result.connections.slice(1).map((connection) => connection.openedBecause.cause)).toEqual(Array(9).fill('keepalive-off'));
    expect(result.connections.map((connection) => connection.tls?.resumed)).toEqual([false, ...Array<boolean>(9).fill(true)]);
  });

  it('resumption off: every connection pays the full handshake; ignored bodies: opened because the body was not read', async () => {
    const preset = resolveHttpConfig('tls-resumption', { maxCachedSessions: 0 });
    const result = await runHttpLoop(preset);
    expect(result.connections.map((connection) => connection.tls?.resumed)).toEqual(Array(6).fill(false));
    expect(result.connections.slice(1).map((connection) => connection.openedBecause.cause)).toEqual(Array(5).fill('body-unread'));
  });
});

describe('live capture of a TLS run', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kal-tls-capture-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('matches every connection to its stream, does not count encrypted requests as missing, and says why none has frames', async () => {
    const file = path.join(dir, 'tls-run.pcap');
    const config = HttpRunConfigSchema.parse({ tls: true, requests: 3, body: 'ignore' });
    const result = await runHttpLoopWithCapture(config, {}, { saveTo: file });
    expect(result.capture?.status).toBe('captured');
    if (result.capture?.status !== 'captured') return;
    expect(result.capture.matched).toBe(3);
    expect(result.capture.streams).toBe(3);
    expect(result.capture.findings.map((finding) => finding.code)).not.toContain('request-count-differs');
    // the bytes are encrypted: no request gets frames, and the capture block says so with what it read of the handshakes
    expect(result.requests.map((request) => request.frames)).toEqual([[], [], []]);
    const wire = await tsharkResumed(file, Number(new URL(result.target).port));
    expect(wire).toEqual(resumedOf(result));
    expect(result.capture.encrypted).toEqual({
      connections: 3,
      requests: 3,
      handshakes: wire.length,
      resumed: wire.filter(Boolean).length,
      version: 'TLS 1.3',
    });
    const view = captureView(result.capture);
    expect(view.status === 'captured' ? view.encrypted : null).toEqual({
      headline:
        'Requests not matched to frames: the run’s 3 connections spoke TLS, so their requests and responses travel encrypted and the capture cannot tell which frames carried each of the 3 requests (the lab’s own timings still hold).',
      detail: 'The TLS handshakes travel in clear and were read: 3 handshakes, 2 resumed (TLS 1.3).',
    });
  }, 30_000);

  it('a cleartext run with capture has frames for every request and no encrypted note', async () => {
    const result = await runHttpLoopWithCapture(HttpRunConfigSchema.parse({ requests: 2 }), {}, { saveTo: null });
    if (result.capture?.status !== 'captured') throw new Error('no capture');
    expect(result.capture.encrypted).toBeUndefined();
    for (const request of result.requests) expect(request.frames?.length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});

describe('keepalive-lab http over TLS: the text output', () => {
  function io(): CliIo & { out: string[] } {
    const out: string[] = [];
    return { out, stdout: (text) => out.push(text), stderr: () => undefined, signal: new AbortController().signal };
  }

  it('ends with what TLS cost and what resumed, and with --capture says why no request has frames', async () => {
    const cli = io();
    expect(await runHttpCommand(['--preset', 'tls-ignored-body', '--requests', '4', '--capture'], cli)).toBe(0);
    const text = cli.out.join('');
    expect(text).toMatch(
      /\ntls: Each of the 4 new connections paid a TCP connect \([\d.]+ ms\) and a TLS 1\.3 handshake \([\d.]+ ms, medians\) before its first request: [\d.]+ ms in all\. Kept alive, 1 handshake would serve all 4 requests\.\n/,
    );
    expect(text).toMatch(
      /\ntls: All 3 later handshakes resumed an earlier session and took [\d.]+ ms \(median\) instead of the [\d.]+ ms of a full handshake\.\n/,
    );
    expect(text).toContain('  Requests not matched to frames: the run’s 4 connections spoke TLS');
    expect(text).toContain('  The TLS handshakes travel in clear and were read: 4 handshakes, 3 resumed (TLS 1.3).\n');
  }, 30_000);

  it('TLS session resumption on: one run shows what its title says; --compare with the cache off shows both halves, in the report too', async () => {
    const single = io();
    expect(await runHttpCommand(['--preset', 'tls-resumption', '--json'], single)).toBe(0);
    const run = JSON.parse(single.out.join('')) as { connections: Array<{ tls: { resumed: boolean } }>; session: { title: string } };
    expect(run.session.title).toBe('TLS session resumption on: later connections resume');
    expect(run.connections.map((connection) => connection.tls.resumed)).toEqual([false, ...Array<boolean>(5).fill(true)]);

    const dir = await mkdtemp(path.join(tmpdir(), 'kal-tls-compare-'));
    try {
      const report = path.join(dir, 'resumption.md');
      const both = io();
      const argv = ['--preset', 'tls-resumption', '--report', report, '--compare', '--preset tls-resumption --max-cached-sessions 0'];
      expect(await runHttpCommand(argv, both)).toBe(0);
      const text = both.out.join('');
      expect(text).toContain('What differs, A vs B:\n');
      expect(text).toContain('  TLS handshakes resumed: 5 vs 0\n');
      const markdown = await readFile(report, 'utf8');
      expect(markdown).toContain('- TLS handshakes resumed: 5 vs 0\n');
      expect(markdown).toContain('## A · TLS session resumption on: later connections resume');
      expect(markdown).toContain('## B · --preset tls-resumption --max-cached-sessions 0');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
