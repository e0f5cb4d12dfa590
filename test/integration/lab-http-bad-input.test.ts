/**
 * Bad input to `keepalive-lab http`: each case ends with one clear line (a
 * CliError, as the dispatcher prints it), never a hang or a stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHttpCommand } from '../../src/cli/commands/http';
import { CliError, type CliIo } from '../../src/cli/io';

/** every case must end well within this, ms (the per-request timeout is 2000) */
const ENDS_WITHIN_MS = 8000;

async function runCli(argv: string[]): Promise<{ code: number; message: string; stdout: string; ms: number }> {
  let stdout = '';
  const io: CliIo = { stdout: (text) => (stdout += text), stderr: () => undefined, signal: new AbortController().signal };
  const started = Date.now();
  try {
    const code = await runHttpCommand(['--timeout-ms', '2000', ...argv], io);
    return { code, message: '', stdout, ms: Date.now() - started };
  } catch (error) {
    // The dispatcher turns a CliError into one stderr line; anything else would be a bug.
    expect(error).toBeInstanceOf(CliError);
    return { code: (error as CliError).exitCode, message: (error as Error).message, stdout, ms: Date.now() - started };
  }
}

function expectOneClearLine(message: string, pattern: RegExp): void {
  expect(message).toMatch(pattern);
  expect(message).not.toContain('\n');
  expect(message).not.toMatch(/\bat .+:\d+:\d+/);
}

let garbagePeer: net.Server;
let garbagePort: number;
let tlsServer: https.Server;
let tlsPort: number;
let refusedPort: number;
let certDir: string;

beforeAll(async () => {
  garbagePeer = net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n\r\n'));
  await new Promise<void>((resolve) => garbagePeer.listen(0, '127.0.0.1', resolve));
  garbagePort = (garbagePeer.address() as net.AddressInfo).port;

  // A port that was just free: nothing listens there.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  refusedPort = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  certDir = await mkdtemp(path.join(tmpdir(), 'keepalive-lab-cert-'));
  const keyFile = path.join(certDir, 'key.pem');
  const certFile = path.join(certDir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  tlsServer = https.createServer({ key: await readFile(keyFile), cert: await readFile(certFile) }, (_request, response) =>
    response.end('ok'),
  );
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  tlsPort = (tlsServer.address() as net.AddressInfo).port;
});

afterAll(async () => {
  garbagePeer?.close();
  tlsServer?.closeAllConnections();
  tlsServer?.close();
  if (certDir) await rm(certDir, { recursive: true, force: true });
});

describe.each(['agent', 'undici'])('keepalive-lab http --client %s', (client) => {
  it('an unreachable URL (a name that cannot resolve, RFC 6761 .invalid)', async () => {
    const { code, message, ms } = await runCli(['--client', client, '--url', 'http://unreachable.invalid/', '--requests', '2']);
    expect(code).toBe(1);
    expectOneClearLine(message, /all 2 requests to http:\/\/unreachable\.invalid\/ failed: .*(ENOTFOUND|EAI_AGAIN).*does not resolve/);
    expect(ms).toBeLessThan(ENDS_WITHIN_MS);
  });

  it('a refused port', async () => {
    const { code, message, ms } = await runCli(['--client', client, '--url', `http://127.0.0.1:${refusedPort}/`, '--requests', '2']);
    expect(code).toBe(1);
    expectOneClearLine(message, /ECONNREFUSED.*nothing listens on that port/);
    expect(ms).toBeLessThan(ENDS_WITHIN_MS);
  });

  it('a peer that does not speak HTTP', async () => {
    const { code, message, ms } = await runCli(['--client', client, '--url', `http://127.0.0.1:${garbagePort}/`, '--requests', '2']);
    expect(code).toBe(1);
    expectOneClearLine(message, /failed: .*Expected HTTP\/.*the peer does not speak HTTP\/1\.1/);
    expect(ms).toBeLessThan(ENDS_WITHIN_MS);
  });

  it('https with a self-signed certificate', async () => {
    const { code, message, ms } = await runCli(['--client', client, '--url', `https://127.0.0.1:${tlsPort}/`, '--requests', '1']);
    expect(code).toBe(1);
    expectOneClearLine(message, /self[- ]signed certificate.*not trusted/);
    expect(ms).toBeLessThan(ENDS_WITHIN_MS);
  });
});

describe('keepalive-lab http flags', () => {
  it.each([
    [['--url', 'ftp://example.invalid/'], /--url must be an http:\/\/ or https:\/\/ URL/],
    [['--url', 'not a url'], /--url must be an http:\/\/ or https:\/\/ URL/],
    [['--requests', 'abc'], /--requests must be an integer from 1 to 100000/],
    [['--requests', '100001'], /--requests must be an integer from 1 to 100000/],
    [['--schedule', 'burst'], /--schedule must be one of rounds, steady/],
    [['--client', 'curl'], /--client must be one of agent, undici/],
    [['--body', 'eat'], /--body must be one of drain, ignore, destroy, partial/],
    [['--preset', 'nope'], /unknown preset "nope"; known: drained-body/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('%j → one clear line', async (argv, pattern) => {
    const { code, message } = await runCli(argv);
    expect(code).toBe(1);
    expectOneClearLine(message, pattern);
  });

  it('--json against the embedded server prints the documented shape', async () => {
    const { code, stdout } = await runCli(['--requests', '3', '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as Record<string, unknown> & { requests: Record<string, unknown>[] };
    expect(Object.keys(parsed)).toEqual(
      expect.arrayContaining(['config', 'requests', 'connectionsOpened', 'reused', 'maxOpen', 'openAtEnd']),
    );
    expect(parsed.connectionsOpened).toBe(1);
    expect(parsed.reused).toBe(2);
    expect(Object.keys(parsed.requests[0]!)).toEqual(expect.arrayContaining(['index', 'status', 'error', 'connection', 'reused', 'ms']));
    expect(parsed.requests[0]!.connection).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
