/**
 * A dead peer's detection time through the service: the keepalive experiment and
 * the half-open experiment both carry `deadPeerDetection` with the formula filled
 * in; tcp.halfOpenCheck says whether the half-open experiment can run, and — as
 * an unprivileged user — why not and how to fix it.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tcpMethods } from '@shared/api-tcp';
import { createTcpHandlers, TcpListenerRegistry } from '@engine/services/tcp';
import { runHttpCommand } from '../../src/cli/commands/http';
import { runTcpCommand } from '../../src/cli/commands/tcp';
import type { CliIo } from '../../src/cli/io';
import { serviceContext } from '../helpers/service-context';

/** uid/gid of `nobody` on Debian */
const NOBODY = 65534;

describe('dead-peer detection through the service', () => {
  const handlers = createTcpHandlers(serviceContext(), new TcpListenerRegistry());

  it('tcp.runKeepalive: TCP_USER_TIMEOUT 2500 ms with 1 s idle and 1 s interval is noticed at the 3000 ms tick', async () => {
    const params = tcpMethods['tcp.runKeepalive'].params.parse({ idleS: 1, intervalS: 1, count: 5, userTimeoutMs: 2500, holdS: 0.3 });
    const result = tcpMethods['tcp.runKeepalive'].result.parse(await handlers['tcp.runKeepalive'](params));
    expect(result.summary.deadPeerDetection).toMatchObject({ ms: 3000, idleMs: 1000, intervalMs: 1000, count: 5, userTimeoutMs: 2500 });
    expect(result.summary.deadPeerDetection.formula).toContain('1 s idle + 2 × 1 s interval = 3 s');
  });

  it('tcp.halfOpenCheck and tcp.runHalfOpen: the kernel gives up near idle + count × interval = 4000 ms', async () => {
    const check = tcpMethods['tcp.halfOpenCheck'].result.parse(await handlers['tcp.halfOpenCheck']({}));
    if (!check.available) throw new Error(`this test needs the scenario to run: ${check.reason}; ${check.fix}`);
    expect(check).toEqual({ available: true, reason: null, fix: null });
    const params = tcpMethods['tcp.runHalfOpen'].params.parse({ idleS: 1, intervalS: 1, count: 3 });
    const { summary } = tcpMethods['tcp.runHalfOpen'].result.parse(await handlers['tcp.runHalfOpen'](params));
    expect(summary).toMatchObject({ available: true, error: 'ETIMEDOUT', expectedGiveUpMs: 4000 });
    expect(summary.deadPeerDetection).toMatchObject({ ms: 4000, idleMs: 1000, intervalMs: 1000, count: 3 });
    // idle counts from the last data, a little before keepalive was armed
    expect(summary.gaveUpAfterMs).toBeGreaterThan(2500);
    expect(summary.gaveUpAfterMs).toBeLessThan(7000);
  });

  it('TCP_USER_TIMEOUT replaces the count: 2200 ms with 1 s idle, 1 s interval and 9 probes gives up at the 3 s check, not at 10 s', async () => {
    const params = tcpMethods['tcp.runHalfOpen'].params.parse({ idleS: 1, intervalS: 1, count: 9, userTimeoutMs: 2200 });
    const { summary } = tcpMethods['tcp.runHalfOpen'].result.parse(await handlers['tcp.runHalfOpen'](params));
    if (!summary.available) throw new Error(`this test needs the scenario to run: ${summary.reason}`);
    expect(summary).toMatchObject({ error: 'ETIMEDOUT', userTimeoutMs: 2200, expectedGiveUpMs: 3000 });
    expect(summary.deadPeerDetection.formula).toContain('1 s idle + 2 × 1 s interval = 3 s');
    // measured 2967-3019 ms on an idle machine; idle counts from the last data, a little before keepalive was armed
    expect(summary.gaveUpAfterMs).toBeGreaterThan(2300);
    expect(summary.gaveUpAfterMs).toBeLessThan(6000);
  });

  it('as an unprivileged user the half-open experiment says what stops it and the fix', () => {
    const run = spawnSync(process.execPath, ['bin/keepalive-lab.mjs', 'tcp', 'half-open', '--json'], {
      uid: NOBODY,
      gid: NOBODY,
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp' },
      timeout: 60_000,
    });
    expect(run.status, String(run.stderr)).toBe(1);
    const summary = tcpMethods['tcp.runHalfOpen'].result.shape.summary.parse(JSON.parse(String(run.stdout)));
    expect(summary.available).toBe(false);
    expect(summary.reason).toMatch(/needs root \(CAP_NET_ADMIN\).*: start the app as root, or grant it cap_net_admin/);
    expect(summary.deadPeerDetection.ms).toBe(4000);
  });
});

describe('dead-peer detection in the CLI JSON', () => {
  const io = (): CliIo & { out: string[] } => {
    const out: string[] = [];
    return { out, stdout: (text) => out.push(text), stderr: () => undefined, signal: new AbortController().signal };
  };

  it('tcp keepalive --json carries deadPeerDetection for the settings in force', async () => {
    const cli = io();
    expect(await runTcpCommand(['keepalive', '--idle-s', '2', '--interval-s', '1', '--count', '4', '--hold-s', '0.2', '--json'], cli)).toBe(
      0,
    );
    const summary = JSON.parse(cli.out.join('')) as { deadPeerDetection: Record<string, unknown> };
    expect(summary.deadPeerDetection).toMatchObject({ ms: 6000, idleMs: 2000, intervalMs: 1000, count: 4, userTimeoutMs: null });
    expect(summary.deadPeerDetection['formula']).toBe('2 s idle + 4 × 1 s interval = 6 s');
  });

  it('http --json carries it for the client sockets: keepAliveMsecs 1000 with libuv’s 1 s × 10 read back', async () => {
    const cli = io();
    expect(await runHttpCommand(['--requests', '2', '--json'], cli)).toBe(0);
    const json = JSON.parse(cli.out.join('')) as { deadPeerDetection: Record<string, unknown> };
    expect(json.deadPeerDetection).toMatchObject({ ms: 11_000, idleMs: 1000, intervalMs: 1000, count: 10, userTimeoutMs: null });
  });
});
