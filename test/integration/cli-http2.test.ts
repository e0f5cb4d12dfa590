/**
 * `keepalive-lab http --protocol h2` on real loopback sockets: the --json shape the issue asks for
 * (connections[] with httpVersion "2" and, over TLS, tls {version, alpn, resumed, handshakeMs};
 * each request with its stream id), the plain-text account, h2c, and clear errors for bad flags.
 */
import { describe, expect, it } from 'vitest';
import { runHttpCommand } from '../../src/cli/commands/http';
import { CliError, type CliIo } from '../../src/cli/io';

function io(): CliIo & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: (text) => out.push(text), stderr: () => undefined, signal: new AbortController().signal };
}

interface Json {
  httpVersion: string;
  connections: Array<{ httpVersion: string; tls?: { version: string; alpn: string; resumed: boolean; handshakeMs: number } }>;
  requests: Array<{ stream: number; connection: string; status: number }>;
}

describe('keepalive-lab http --protocol h2', () => {
  it('--help describes every flag its usage lines name, each on a line of its own', async () => {
    const output = io();
    expect(await runHttpCommand(['--protocol', 'h2', '--help'], output)).toBe(0);
    const help = output.out.join('');
    const usage = help.slice(0, help.indexOf('Without --url'));
    const named = [...new Set([...usage.matchAll(/\[(--[a-z0-9-]+)/g)].map((match) => match[1]!))];
    // described elsewhere in the text: the target, the preset list, the outputs and the comparison
    const elsewhere = new Set(['--url', '--preset', '--json', '--report', '--compare']);
    expect(named.length).toBeGreaterThan(15);
    for (const flag of named) if (!elsewhere.has(flag)) expect(help, flag).toMatch(new RegExp(`\\n  ${flag}\\b`));
  });

  it('--json: one TLS connection (version, ALPN h2, resumed, handshake ms) and a stream id per request', async () => {
    const cli = io();
    expect(await runHttpCommand(['--protocol', 'h2', '--requests', '6', '--concurrency', '3', '--json'], cli)).toBe(0);
    const json = JSON.parse(cli.out.join('')) as Json;
    expect(json.httpVersion).toBe('2');
    expect(json.connections).toHaveLength(1);
    expect(json.connections[0]).toMatchObject({ httpVersion: '2', tls: { version: 'TLS 1.3', alpn: 'h2', resumed: false } });
    expect(json.connections[0]!.tls!.handshakeMs).toBeGreaterThan(0);
    expect(json.requests.map((request) => request.stream).sort((a, b) => a - b)).toEqual([1, 3, 5, 7, 9, 11]);
    expect(json.requests.every((request) => request.status === 200 && request.connection === 'c1')).toBe(true);
  });

  it('--h2c --json: no tls field; the idle preset shows resumption-free reconnects after GOAWAY', async () => {
    const cli = io();
    expect(await runHttpCommand(['--protocol=h2', '--h2c', '--preset', 'idle-goaway', '--json'], cli)).toBe(0);
    const json = JSON.parse(cli.out.join('')) as Json & { connections: Array<{ goaway: { error: string } | null }> };
    expect(json.connections.length).toBe(3);
    expect(json.connections.every((connection) => connection.tls === undefined)).toBe(true);
    expect(json.connections[0]!.goaway).toMatchObject({ error: 'NO_ERROR' });
  });

  it('plain text says how many connections carried how many streams, and why requests waited', async () => {
    const cli = io();
    expect(await runHttpCommand(['--protocol', 'h2', '--preset', 'stream-limit'], cli)).toBe(0);
    const text = cli.out.join('');
    expect(text).toMatch(/^HTTP\/2 to https:\/\/127\.0\.0\.1:\d+\n/);
    expect(text).toContain('20 requests were answered on c1 alone');
    expect(text).toContain('15 of 20 requests waited for a free stream');
    expect(text).toContain('SETTINGS_MAX_CONCURRENT_STREAMS 5');
    expect(text).not.toMatch(/\{[A-Za-z]+\}|undefined|NaN/);
  });

  it('bad flags are one clear line', async () => {
    await expect(runHttpCommand(['--protocol', 'h3'], io())).rejects.toThrow(new CliError('--protocol must be h1 or h2 (got "h3")'));
    await expect(runHttpCommand(['--protocol', 'h2', '--body', 'destroy'], io())).rejects.toThrow('--body must be drain or ignore');
    await expect(runHttpCommand(['--protocol', 'h2', '--h2c', '--url', 'https://127.0.0.1:1/'], io())).rejects.toThrow(
      '--h2c is cleartext',
    );
    await expect(runHttpCommand(['--protocol', 'h2', '--requests', '0'], io())).rejects.toThrow('--requests must be an integer from 1');
  });
});
