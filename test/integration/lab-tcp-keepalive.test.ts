import { execFile } from 'node:child_process';
import net, { type Socket } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runTcpCommand } from '../../src/cli/commands/tcp';
import { CliError, type CliIo } from '../../src/cli/io';
import { startEchoServer, type EchoServer } from '@engine/lab/echo-server';
import { readKernelTimers, readOwnKernelTimers } from '@engine/lab/kernel-timers';
import { applyKeepalive, readOsKeepaliveDefaults } from '@engine/lab/socket-options';
import { withLeakCheck } from './helpers/fd-count';
import { startLoopbackCapture } from './helpers/tcpdump-capture';

const run = promisify(execFile);
const cleanups = withLeakCheck();

async function echo(): Promise<EchoServer> {
  const server = await startEchoServer();
  cleanups.push(() => server.close());
  return server;
}

async function connect(server: EchoServer): Promise<Socket> {
  const socket = net.connect(server.port, server.host);
  cleanups.push(async () => socket.destroy());
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
}

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), signal: new AbortController().signal };
}

describe('keepalive socket options', () => {
  it('sets idle through Node, then interval, count and user timeout, and reads them back', async () => {
    const socket = await connect(await echo());
    const { settings, notes } = await applyKeepalive(
      socket,
      { enabled: true, idleS: 2, intervalS: 3, count: 4, userTimeoutMs: 5000 },
      await readOsKeepaliveDefaults(),
    );
    expect(notes).toEqual([]);
    expect(settings).toEqual({
      enabled: true,
      idleS: 2,
      intervalS: 3,
      count: 4,
      userTimeoutMs: 5000,
      source: { enabled: 'lab', idleS: 'lab', intervalS: 'lab', count: 'lab', userTimeoutMs: 'lab' },
    });
  });

  it('says libuv chose interval 1 s and count 10 when only idle is set', async () => {
    const socket = await connect(await echo());
    const { settings } = await applyKeepalive(socket, { enabled: true, idleS: 5 }, await readOsKeepaliveDefaults());
    expect(settings).toMatchObject({ idleS: 5, intervalS: 1, count: 10, userTimeoutMs: 0 });
    expect(settings.source).toMatchObject({
      idleS: 'lab',
      intervalS: 'libuv-default',
      count: 'libuv-default',
      userTimeoutMs: 'os-default',
    });
  });

  it('refuses an idle under one second instead of letting Node drop it silently', async () => {
    const socket = await connect(await echo());
    await expect(applyKeepalive(socket, { enabled: true, idleS: 0.5 }, await readOsKeepaliveDefaults())).rejects.toThrow(
      /whole number of seconds/,
    );
  });

  it('the kernel shows the keepalive timer of our socket (matched by inode)', async () => {
    const socket = await connect(await echo());
    await applyKeepalive(socket, { enabled: true, idleS: 2 }, await readOsKeepaliveDefaults());
    const result = await readKernelTimers(new Map([['c1', socket]]));
    expect(result.available).toBe(true);
    if (!result.available) return;
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({
      conn: 'c1',
      state: 'ESTAB',
      timer: 'keepalive',
      probes: 0,
      local: `127.0.0.1:${socket.localPort}`,
    });
    expect(result.rows[0]?.nextMs).toBeLessThanOrEqual(2000);
    const own = await readOwnKernelTimers();
    expect(own.available && own.rows.some((row) => row.local === `127.0.0.1:${socket.localPort}`)).toBe(true);
  });
});

describe('tcp keepalive on the wire (tcpdump + tshark)', () => {
  it('probes and ACKs ~1 s apart with --idle-s 1 --interval-s 1, and --close rst ends with an RST', async () => {
    const server = await echo();
    const capture = await startLoopbackCapture(server.port);
    cleanups.push(() => capture.dispose());
    const io = captureIo();
    const code = await runTcpCommand(
      [
        'keepalive',
        '--idle-s',
        '1',
        '--interval-s',
        '1',
        '--hold-s',
        '4',
        '--close',
        'rst',
        '--target',
        `127.0.0.1:${server.port}`,
        '--json',
      ],
      io,
    );
    expect(code).toBe(0);
    const summary = JSON.parse(io.out.join('')) as {
      local: string;
      closedBy: string;
      settings: { idleS: number; intervalS: number; source: Record<string, string> };
      timers: unknown[];
    };
    expect(summary).toMatchObject({ closedBy: 'rst', settings: { idleS: 1, intervalS: 1, source: { idleS: 'lab', intervalS: 'lab' } } });
    expect(summary.timers.length).toBeGreaterThan(5);
    const clientPort = summary.local.split(':').pop() ?? '';
    await capture.stop();

    const frames = async (filter: string): Promise<Array<{ time: number; port: string }>> => {
      const { stdout } = await run('tshark', [
        '-r',
        capture.file,
        '-Y',
        filter,
        '-T',
        'fields',
        '-e',
        'frame.time_relative',
        '-e',
        'tcp.srcport',
      ]);
      return stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [time = '0', port = ''] = line.split('\t');
          return { time: Number(time), port };
        });
    };
    const probes = await frames('tcp.analysis.keep_alive');
    const acks = await frames('tcp.analysis.keep_alive_ack');
    expect(probes.every((probe) => probe.port === clientPort)).toBe(true);
    expect(probes.length).toBeGreaterThanOrEqual(3);
    expect(acks.length).toBeGreaterThanOrEqual(3);
    const gaps = probes.slice(1).map((probe, index) => probe.time - (probes[index]?.time ?? 0));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(0.7);
      expect(gap).toBeLessThan(1.5);
    }
    const resets = await frames('tcp.flags.reset == 1');
    expect(resets.map((frame) => frame.port)).toContain(clientPort);
  });

  it('--close fin ends with a FIN from the client and no RST', async () => {
    const server = await echo();
    const capture = await startLoopbackCapture(server.port);
    cleanups.push(() => capture.dispose());
    const io = captureIo();
    await runTcpCommand(
      ['keepalive', '--idle-s', '1', '--hold-s', '1', '--close', 'fin', '--target', `127.0.0.1:${server.port}`, '--json'],
      io,
    );
    const summary = JSON.parse(io.out.join('')) as { local: string; closedBy: string };
    expect(summary.closedBy).toBe('fin');
    await capture.stop();
    const rows = await capture.fields('tcp.srcport', 'tcp.flags.fin', 'tcp.flags.reset');
    const clientPort = summary.local.split(':').pop();
    expect(rows.some(([port, fin]) => port === clientPort && (fin === '1' || fin === 'True'))).toBe(true);
    expect(rows.some(([, , reset]) => reset === '1' || reset === 'True')).toBe(false);
  });
});

describe('tcp CLI flags', () => {
  it('rejects unknown flags and bad values with one clear line', async () => {
    const io = captureIo();
    await expect(runTcpCommand(['keepalive', '--idle-s', '1'], io)).rejects.toThrow(
      new CliError('--hold-s is required (see keepalive-lab tcp --help)'),
    );
    await expect(runTcpCommand(['keepalive', '--idle-s', '0', '--hold-s', '1'], io)).rejects.toThrow(/--idle-s must be an integer from 1/);
    await expect(runTcpCommand(['keepalive', '--idle-s', '1', '--hold-s', '1', '--close', 'slam'], io)).rejects.toThrow(
      '--close must be one of fin, rst (got "slam")',
    );
    await expect(runTcpCommand(['mux', '--requests', '5', '--concurrency', '2', '--bogus'], io)).rejects.toBeInstanceOf(CliError);
    await expect(runTcpCommand(['mux', '--requests', '5', '--concurrency', '2', '--target', 'nohost'], io)).rejects.toThrow(
      '--target must be host:port (got "nohost")',
    );
    await expect(runTcpCommand(['teleport'], io)).rejects.toThrow(/unknown tcp command "teleport"/);
  });

  it('mux and pool print the JSON shape of the issue', async () => {
    const io = captureIo();
    expect(await runTcpCommand(['mux', '--requests', '50', '--concurrency', '5', '--json'], io)).toBe(0);
    expect(await runTcpCommand(['pool', '--size', '3', '--requests', '50', '--concurrency', '6', '--json'], io)).toBe(0);
    const [mux, pool] = io.out.map((text) => JSON.parse(text) as Record<string, unknown>);
    for (const summary of [mux, pool]) {
      expect(summary).toMatchObject({
        requests: 50,
        ok: 50,
        timedOut: 0,
        failed: 0,
        ms: { p50: expect.any(Number), p99: expect.any(Number) },
      });
      expect(summary?.requestsPerSecond).toEqual(expect.any(Number));
    }
    expect(mux?.connectionsOpened).toBe(1);
    expect(pool?.connectionsOpened).toBeLessThanOrEqual(3);
  });
});
