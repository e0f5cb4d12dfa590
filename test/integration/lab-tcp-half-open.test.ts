import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { halfOpenPrerequisite, runHalfOpenScenario, type HalfOpenTopology } from '@engine/lab/half-open';

const run = promisify(execFile);
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function namespaces(): Promise<string> {
  return (await run('ip', ['netns', 'list'])).stdout;
}

/** tcpdump inside the client's namespace: proves the probes really leave. */
async function captureInNamespace(where: HalfOpenTopology, file: string): Promise<ChildProcess> {
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      where.clientNetns,
      'tcpdump',
      '-i',
      where.clientInterface,
      '-U',
      '--immediate-mode',
      '-w',
      file,
      `tcp port ${where.serverPort}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  cleanups.push(async () => child.exitCode === null && child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}

describe('half-open peer (network namespaces)', () => {
  it('keepalive probes go unanswered and the kernel gives up with ETIMEDOUT after ~idle + count × interval', async () => {
    const missing = await halfOpenPrerequisite();
    if (missing) throw new Error(`this test needs the scenario to run: ${missing}`);
    const dir = await mkdtemp(path.join(tmpdir(), 'keepalive-lab-halfopen-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'client.pcap');
    let tcpdump: ChildProcess | null = null;
    const { summary, session } = await runHalfOpenScenario({
      idleS: 1,
      intervalS: 1,
      count: 3,
      onTopology: async (where) => {
        tcpdump = await captureInNamespace(where, file);
      },
      beforeCleanup: async () => {
        const child = tcpdump;
        if (!child || child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      },
    });
    expect(summary).toMatchObject({ available: true, reason: null, error: 'ETIMEDOUT', expectedGiveUpMs: 4000 });
    // idle counts from the last data, which came a little before keepalive was armed
    expect(summary.gaveUpAfterMs).toBeGreaterThan(2500);
    expect(summary.gaveUpAfterMs).toBeLessThan(7000);
    expect(summary.probesSeen).toBeGreaterThanOrEqual(2);
    const kinds = session.events.map((event) => event.kind);
    expect(kinds.indexOf('settings-applied')).toBeLessThan(kinds.indexOf('half-open-detected'));
    expect(session.events.at(-1)).toMatchObject({ kind: 'conn-closed', how: 'timeout', reason: 'ETIMEDOUT' });

    const { stdout: probes } = await run('tshark', ['-r', file, '-Y', 'tcp.analysis.keep_alive', '-T', 'fields', '-e', 'ip.src']);
    const { stdout: acks } = await run('tshark', ['-r', file, '-Y', 'tcp.analysis.keep_alive_ack', '-T', 'fields', '-e', 'ip.src']);
    expect(probes.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3);
    expect(acks.trim()).toBe('');
    // the figures the lesson puts on the timeline line up with the capture: the RST that ends it comes from this side,
    // as far after the SYN as the give-up is after the connection opened; the peer vanished before the first probe
    const { stdout: frames } = await run('tshark', [
      '-r',
      file,
      '-T',
      'fields',
      '-e',
      'frame.time_relative',
      '-e',
      'ip.src',
      '-e',
      'tcp.flags.reset',
      '-e',
      'tcp.analysis.keep_alive',
    ]);
    const rows = frames
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
    const rst = rows.find(([, , reset]) => reset === '1' || reset === 'True');
    const firstProbe = rows.find(([, , , keepAlive]) => keepAlive !== undefined && keepAlive !== '');
    expect(rst?.[1]).toBe('10.77.0.1');
    const openedMs = (session.events.find((event) => event.kind === 'conn-opened')?.t ?? NaN) / 1000;
    expect(summary.gaveUpAtMs).not.toBeNull();
    expect(Math.abs(summary.gaveUpAtMs! - openedMs - Number(rst![0]) * 1000)).toBeLessThan(250);
    expect(summary.peerVanishedAtMs! - openedMs).toBeLessThan(Number(firstProbe![0]) * 1000);
    expect(summary.keepaliveOnAtMs!).toBeGreaterThanOrEqual(summary.peerVanishedAtMs!);
    const topology = summary.topology;
    expect(await namespaces()).not.toContain(topology?.clientNetns ?? 'missing');
    expect(await namespaces()).not.toContain(topology?.serverNetns ?? 'missing');
  });

  it('deletes its namespaces when cancelled half-way', async () => {
    const controller = new AbortController();
    let seen: HalfOpenTopology | null = null;
    const running = runHalfOpenScenario({
      idleS: 5,
      beforeArm: async (where) => {
        seen = where;
        expect(await namespaces()).toContain(where.clientNetns);
        setTimeout(() => controller.abort(), 300);
      },
      signal: controller.signal,
    });
    const { summary } = await running;
    expect(summary.error).toBe('cancelled');
    expect(seen).not.toBeNull();
    expect(await namespaces()).not.toContain((seen as HalfOpenTopology | null)?.clientNetns ?? 'missing');
  });
});
