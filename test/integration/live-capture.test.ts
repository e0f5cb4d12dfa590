/**
 * Live capture on real loopback sockets with the real tcpdump: HTTP drain and ignore runs and
 * a TCP keepalive hold, each correlated with its own capture; an aborted run and a crashed
 * "app" leave no tcpdump behind (checked in the process table).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRunConfigSchema, type HttpRunResult } from '@shared/api-http';
import type { CorrelatedCapture } from '@shared/api-correlate';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { startLiveCapture } from '@engine/capture/live';
import { startDemoHttpServer } from '@engine/lab/demo-http-server';
import { resolveHttpConfig } from '@engine/lab/http-scenarios';
import { runHttpLoopWithCapture } from '@engine/correlate/http-capture';
import { runHalfOpenWithCapture, runKeepaliveWithCapture } from '@engine/correlate/tcp-capture';
import { TcpRecorder } from '@engine/lab/tcp-recorder';
import { main } from '../../src/cli/main';
import { ourCaptures, processTable, waitForOurTcpdump, waitUntilGone } from './helpers/process-table';
import { runCorrelateCommand } from '../../src/cli/commands/correlate';
import { CliError } from '../../src/cli/io';
import { Budget, createJobRegistry } from '@engine/jobs';
import { createService } from '@engine/service';
import type { EngineEvent } from '@shared/api';
import { SessionLog } from '@engine/session-log';
import { createCorrelateHandlers } from '@engine/services/correlate';
import type { ServiceContext } from '@engine/services/context';

const repoRoot = path.resolve(import.meta.dirname, '../..');

function captured(result: { capture?: unknown }): CorrelatedCapture {
  const capture = result.capture as CorrelatedCapture | { status: string; message: string } | undefined;
  if (!capture || capture.status !== 'captured') throw new Error(`no capture: ${JSON.stringify(capture)}`);
  return capture as CorrelatedCapture;
}

/** Every lab connection matched to exactly one stream, and the client's requests per connection = HTTP requests on that stream (read again by the analyzer from the saved file). */
async function expectOneStreamPerConnection(result: HttpRunResult, file: string): Promise<void> {
  const capture = captured(result);
  expect(capture.matched).toBe(result.connectionsOpened);
  expect(capture.unmatched).toBe(0);
  const streams = capture.connections.map((entry) => entry.stream);
  expect(new Set(streams).size).toBe(streams.length);
  expect(new Set(capture.connections.map((entry) => entry.conn))).toEqual(new Set(result.connections.map((connection) => connection.id)));
  const analysis = await analyzeCaptureFile(file);
  expect(analysis.streams.length).toBe(result.connectionsOpened);
  for (const { conn, stream } of capture.connections) {
    const clientCount = result.requests.filter((request) => request.connection === conn).length;
    expect(analysis.streams.find((summary) => summary.stream === stream)?.httpRequests, `${conn} on stream ${stream}`).toBe(clientCount);
  }
  for (const request of result.requests) {
    expect(request.stream, `request ${request.index}`).toBe(capture.connections.find((entry) => entry.conn === request.connection)?.stream);
    expect(request.frames?.length, `request ${request.index} frames`).toBeGreaterThanOrEqual(2);
  }
}

describe('live capture of the lab, correlated (tcpdump on lo)', () => {
  let dir = '';
  const ports: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'keepalive-lab-live-'));
  });
  afterAll(async () => {
    expect(await ourCaptures(ports)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });

  it('HTTP drain: one connection, one stream, every request with its frames', async () => {
    const server = await startDemoHttpServer(HttpRunConfigSchema.parse({}).server);
    ports.push(server.port);
    try {
      const file = path.join(dir, 'drain.pcap');
      const result = await runHttpLoopWithCapture(HttpRunConfigSchema.parse({ requests: 6, body: 'drain' }), { server }, { saveTo: file });
      expect(result.connectionsOpened).toBe(1);
      await expectOneStreamPerConnection(result, file);
      const capture = captured(result);
      expect(capture.findings).toEqual([]);
      expect(capture.filter).toBe(`tcp port ${server.port}`);
      // import: the saved pcap + the saved run JSON give the same correlation as the live one
      const sessionPath = path.join(dir, 'drain-run.json');
      await writeFile(sessionPath, JSON.stringify(result));
      const ctx: ServiceContext = {
        emit: () => undefined,
        jobs: createJobRegistry(),
        listenerBudget: new Budget('listeners', 32, 'stop one'),
        sessions: new SessionLog(),
        mode: 'cli',
        dataDir: dir,
        onDispose: () => undefined,
      };
      const imported = await createCorrelateHandlers(ctx)['capture.correlate']({ sessionPath, capturePath: file });
      expect(imported.capture.connections).toEqual(capture.connections);
      expect(imported.capture.requests).toEqual(capture.requests);
      expect(imported.session.events.filter((event) => event.kind === 'wire-seen')).toEqual(
        result.session.events.filter((event) => event.kind === 'wire-seen'),
      );
      let stdout = '';
      const io = { stdout: (text: string) => (stdout += text), stderr: () => undefined, signal: new AbortController().signal };
      expect(await runCorrelateCommand(['--session', sessionPath, '--capture', file, '--json'], io)).toBe(0);
      expect((JSON.parse(stdout) as { capture: CorrelatedCapture }).capture.requests).toEqual(capture.requests);
      await expect(runCorrelateCommand(['--session', file, '--capture', file], io)).rejects.toThrow(CliError);
      await expect(runCorrelateCommand(['--session', sessionPath, '--capture', sessionPath], io)).rejects.toThrow(/not a pcap/);
      // the lane shows the handshake and the FIN the capture saw
      const marks = result.session.events.filter(
        (event) => event.kind === 'wire-seen' && event.source === 'capture' && event.conn === 'c1',
      );
      expect(
        marks.map((event) => (event.kind === 'wire-seen' ? event.mark : '')).filter((mark) => mark === 'syn' || mark === 'fin'),
      ).toEqual(['syn', 'fin', 'fin']);
    } finally {
      await server.close();
    }
  });

  it('HTTP ignore: a new connection per request, each matched to its own stream', async () => {
    const server = await startDemoHttpServer(HttpRunConfigSchema.parse({}).server);
    ports.push(server.port);
    try {
      const file = path.join(dir, 'ignore.pcap');
      const result = await runHttpLoopWithCapture(HttpRunConfigSchema.parse({ requests: 5, body: 'ignore' }), { server }, { saveTo: file });
      expect(result.connectionsOpened).toBe(5);
      await expectOneStreamPerConnection(result, file);
    } finally {
      await server.close();
    }
  });

  it('the stale race on the wire: the server’s FIN crossed the reused request, which got no response', async () => {
    const config = resolveHttpConfig('stale-race', {});
    const server = await startDemoHttpServer(config.server);
    ports.push(server.port);
    try {
      const result = await runHttpLoopWithCapture(config, { server }, { saveTo: null });
      const failed = result.requests.find((request) => request.error !== null);
      expect(failed?.reused).toBe(true);
      const capture = captured(result);
      expect(capture.matched).toBe(result.connectionsOpened);
      const race = capture.findings.filter((finding) => finding.code === 'close-crossed-request');
      expect(race).toHaveLength(1);
      expect(race[0]?.conn).toBe(failed?.connection);
      const wire = capture.requests.find((request) => request.request === `r${failed?.index}`);
      expect(wire?.requestFrames.length).toBeGreaterThan(0);
      expect(wire?.responseFrames).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('TCP keepalive hold: probes on the connection’s lane, from its side, 1 s apart', async () => {
    const recorder = new TcpRecorder();
    // the order of the trace's events, not wall-clock time: a loaded machine delays both alike
    const order: string[] = [];
    recorder.trace.onEvent((event) => {
      if (event.kind === 'wire-seen' && event.source === 'capture' && event.mark === 'keepalive-probe') order.push('probe');
      if (event.kind === 'conn-closed' || (event.kind === 'wire-seen' && event.mark === 'fin' && event.source === 'kernel'))
        order.push('closing');
    });
    const result = await runKeepaliveWithCapture({ idleS: 1, intervalS: 1, holdS: 3.6, recorder }, { saveTo: null });
    // probes reached the lane while the connection was still held, not only when it closed
    expect(order.filter((what) => what === 'probe').length).toBeGreaterThanOrEqual(2);
    expect(order.indexOf('probe')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('probe')).toBeLessThan(order.indexOf('closing'));
    const capture = captured(result);
    expect(capture.matched).toBe(1);
    expect(capture.unmatched).toBe(0);
    const lane = capture.lanes[0];
    expect(lane?.conn).toBe('c1');
    expect(lane?.probesFrom).toBe('a');
    // idle 1 s then a probe every second while the hold lasts (answered probes re-arm the idle timer): 2 or 3
    expect(lane?.keepAlives).toBeGreaterThanOrEqual(2);
    expect(lane?.keepAliveAcks).toBe(lane?.keepAlives);
    const times = lane?.probeTimesMs ?? [];
    for (let index = 1; index < times.length; index++) {
      const gapS = ((times[index] ?? 0) - (times[index - 1] ?? 0)) / 1000;
      expect(gapS).toBeGreaterThan(0.8);
      expect(gapS).toBeLessThan(1.5);
    }
    const probes = result.session.events.filter(
      (event) => event.kind === 'wire-seen' && event.source === 'capture' && event.mark === 'keepalive-probe',
    );
    expect(probes.length).toBe(lane?.keepAlives);
    expect(probes.every((event) => event.conn === 'c1' && event.kind === 'wire-seen' && event.from === 'a')).toBe(true);
    expect(result.session.connections[0]?.stream).toBe(lane?.stream);
  });

  it('half-open peer on the wire: probes nobody answers, then the kernel’s RST', async () => {
    const result = await runHalfOpenWithCapture({ idleS: 1, intervalS: 1, count: 3 }, { saveTo: null });
    expect(result.summary.available, result.summary.reason ?? '').toBe(true);
    ports.push(result.summary.topology?.serverPort ?? 0);
    const capture = captured(result);
    expect(capture.matched).toBe(1);
    expect(capture.lanes[0]).toMatchObject({ conn: 'c1', keepAlives: 3, keepAliveAcks: 0, probesFrom: 'a', end: 'rst' });
    const gaveUp = capture.findings.filter((finding) => finding.code === 'unanswered-probes');
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]?.frames).toHaveLength(4);
    expect(gaveUp[0]?.message).toContain('then the kernel gave up');
  });

  it('CLI: keepalive-lab http --capture FILE --json carries the capture block and per-request frames', async () => {
    let stdout = '';
    const file = path.join(dir, 'cli.pcap');
    const code = await main(['http', '--requests', '3', '--capture', file, '--json'], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      signal: new AbortController().signal,
    });
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as {
      capture: CorrelatedCapture;
      requests: { stream: number; frames: number[]; connectionId: string }[];
    };
    ports.push(Number(/tcp port (\d+)/.exec(json.capture.filter ?? '')?.[1]));
    expect(json.capture).toMatchObject({ status: 'captured', file, streams: 1, matched: 1, unmatched: 0, keepAlives: 0, findings: [] });
    expect(json.requests.map((request) => request.stream)).toEqual([0, 0, 0]);
    expect(json.requests.every((request) => request.frames.length >= 2)).toBe(true);
  });

  it('CLI: keepalive-lab tcp keepalive --capture --json carries the probes seen on the wire', async () => {
    let stdout = '';
    const io = { stdout: (text: string) => (stdout += text), stderr: () => undefined, signal: new AbortController().signal };
    expect(await main(['tcp', 'keepalive', '--idle-s', '1', '--interval-s', '1', '--hold-s', '2.5', '--capture', '--json'], io)).toBe(0);
    const json = JSON.parse(stdout) as { closedBy: string; capture: CorrelatedCapture };
    ports.push(Number(/tcp port (\d+)/.exec(json.capture.filter ?? '')?.[1]));
    expect(json.closedBy).toBe('fin');
    expect(json.capture).toMatchObject({ status: 'captured', file: null, streams: 1, matched: 1, unmatched: 0 });
    expect(json.capture.keepAlives).toBeGreaterThanOrEqual(1);
    expect(json.capture.lanes[0]).toMatchObject({ conn: 'c1', probesFrom: 'a', end: 'fin' });
  });

  it('service: http.run with capture on pushes the capture marks to the UI and returns the capture block', async () => {
    const service = createService({ mode: 'web', dataDir: dir });
    const pushed: EngineEvent[] = [];
    service.onEvent((event) => pushed.push(event));
    try {
      const reply = await service.call('http.run', {
        config: { requests: 3 },
        capture: true,
        saveCapture: true,
        jobId: 'live-capture-test',
      });
      if (!reply.ok) throw new Error(reply.error.message);
      const value = reply.value as HttpRunResult;
      const capture = captured(value);
      ports.push(Number(/tcp port (\d+)/.exec(capture.filter ?? '')?.[1]));
      expect(capture.matched).toBe(1);
      // named after the job, plus a random part: the file is created exclusively, never over another
      expect(path.dirname(capture.file ?? '')).toBe(dir);
      expect(path.basename(capture.file ?? '')).toMatch(/^live-capture-test-[0-9a-f]{8}\.pcap$/);
      const marks = pushed
        .flatMap((event) => (event.kind === 'trace-appended' ? event.events : []))
        .filter((event) => event.kind === 'wire-seen' && event.source === 'capture');
      expect(marks.some((event) => event.kind === 'wire-seen' && event.mark === 'syn' && event.conn === 'c1')).toBe(true);
    } finally {
      await service.dispose();
    }
  });

  it('an HTTP run aborted mid-way leaves no tcpdump process', async () => {
    const server = await startDemoHttpServer(HttpRunConfigSchema.parse({}).server);
    ports.push(server.port);
    try {
      const controller = new AbortController();
      const running = runHttpLoopWithCapture(
        HttpRunConfigSchema.parse({ requests: 20, intervalMs: 200 }),
        { server, signal: controller.signal },
        { saveTo: null },
      );
      // the run's tcpdump, as soon as it is up (a fixed 700 ms pause missed it on a loaded machine);
      // the run sends its requests only once its capture listens, so it is still under way then
      const during = await waitForOurTcpdump([server.port], 15_000);
      expect(during.some((row) => row.args.startsWith('tcpdump '))).toBe(true);
      controller.abort();
      const result = await running;
      expect(result.requests.length).toBeLessThan(20);
      expect(await waitUntilGone(during.map((row) => row.pid))).toEqual([]);
      expect(await ourCaptures([server.port])).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('a crashed app (SIGKILL) leaves no tcpdump: the watchdog sees its pipe close', async () => {
    const port = 40_000 + (process.pid % 20_000);
    ports.push(port);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'test/integration/helpers/live-capture-child.ts'), String(port)],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`child printed nothing in 20 s: ${out}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve(out.split('\n')[0] ?? '');
        }
      });
    });
    const pids = JSON.parse(line) as { watchdogPid: number; tcpdumpPid: number };
    expect((await processTable()).some((row) => row.pid === pids.tcpdumpPid && row.args.startsWith('tcpdump '))).toBe(true);
    child.kill('SIGKILL');
    expect(await waitUntilGone([pids.watchdogPid, pids.tcpdumpPid])).toEqual([]);
  });

  it('without tcpdump the capture says why and how to enable it', async () => {
    const started = await startLiveCapture({ ports: [9], tcpdumpCommand: 'tcpdump-not-installed-here' });
    expect(started.ok).toBe(false);
    if (started.ok) return;
    expect(started.unavailable.code).toBe('missing');
    expect(started.unavailable.howToEnable).toContain('setcap cap_net_raw,cap_net_admin=eip');
    const failed = await startLiveCapture({ ports: [9], interfaceName: 'no-such-interface0' });
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.unavailable.message).toMatch(/no-such-interface0|No such device/);
  });
});
