/**
 * The HTTP lab's headline numbers for 10 sequential requests, against the
 * embedded server and against nginx, each cross-checked with a tcpdump capture
 * read by tshark: the number of TCP streams equals connectionsOpened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRunConfigSchema, type HttpRunConfigInput, type HttpRunResult } from '@shared/api-http';
import { startDemoHttpServer, type DemoHttpServer } from '@engine/lab/demo-http-server';
import { runHttpLoop } from '@engine/lab/http-loop';
import { startNginx, type NginxServer } from '@engine/lab/http-nginx';
import { startLoopbackCapture, streamsWithin } from './helpers/tcpdump-capture';

interface Target {
  name: string;
  port: () => number;
  run: (config: HttpRunConfigInput) => Promise<HttpRunResult>;
}

type Scenario = 'drain' | 'ignore' | 'keepalive-off' | 'concurrency-2';
const scenarios: Record<Scenario, HttpRunConfigInput> = {
  drain: { requests: 10, body: 'drain' },
  ignore: { requests: 10, body: 'ignore' },
  'keepalive-off': { requests: 10, agent: { keepAlive: false } },
  'concurrency-2': { requests: 10, concurrency: 2, body: 'drain' },
};
/** ms between runs sharing one capture, so each stream's first frame falls in its run's window */
const GAP_MS = 30;

/**
 * Runs every scenario under one tcpdump capture (tshark takes seconds to start, so it
 * runs once) and counts, per run, the TCP streams whose first frame lies in its window.
 */
async function runAllCaptured(target: Target): Promise<Map<Scenario, { result: HttpRunResult; streams: number }>> {
  const capture = await startLoopbackCapture(target.port());
  const windows: Array<{ scenario: Scenario; result: HttpRunResult; fromMs: number; toMs: number }> = [];
  try {
    for (const [scenario, config] of Object.entries(scenarios) as Array<[Scenario, HttpRunConfigInput]>) {
      const fromMs = Date.now();
      const result = await target.run(config);
      windows.push({ scenario, result, fromMs, toMs: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    }
    await capture.stop();
    // a dropped SYN would read as a missing connection: say so instead
    expect(capture.droppedByKernel(), 'packets tcpdump reports dropped by the kernel').toBe(0);
    const streams = await capture.streams();
    return new Map(
      windows.map(({ scenario, result, fromMs, toMs }) => [
        scenario,
        { result, streams: streamsWithin(streams, fromMs - 1, toMs + 1).length },
      ]),
    );
  } finally {
    await capture.dispose();
  }
}

let embedded: DemoHttpServer;
let nginx: NginxServer;

beforeAll(async () => {
  embedded = await startDemoHttpServer(HttpRunConfigSchema.parse({}).server);
  nginx = await startNginx({ keepaliveTimeoutS: 2 });
});
afterAll(async () => {
  await embedded?.close();
  await nginx?.stop();
});

const targets: Target[] = [
  {
    name: 'embedded server',
    port: () => embedded.port,
    run: (config) => runHttpLoop(HttpRunConfigSchema.parse({ ...config, url: null }), { server: embedded }),
  },
  {
    name: 'nginx',
    port: () => nginx.port,
    run: (config) => runHttpLoop(HttpRunConfigSchema.parse({ ...config, url: nginx.url })),
  },
];

describe.each(targets)('10 sequential requests against $name', (target) => {
  let runs: Map<Scenario, { result: HttpRunResult; streams: number }>;
  beforeAll(async () => {
    runs = await runAllCaptured(target);
  });
  const get = (scenario: Scenario) => {
    const run = runs.get(scenario);
    if (!run) throw new Error(`no run for ${scenario}`);
    return run;
  };

  it('drained bodies: 1 connection, 9 reused', () => {
    const { result, streams } = get('drain');
    expect(result.requests.map((request) => request.status)).toEqual(Array(10).fill(200));
    expect(result.connectionsOpened).toBe(1);
    expect(result.reused).toBe(9);
    expect(result.handshakesSaved).toBe(9);
    expect(result.maxOpen).toBe(1);
    expect(result.openAtEnd).toBe(1);
    expect(result.openAfterRelease).toBe(0);
    expect(streams).toBe(result.connectionsOpened);
    // the agent's own view agrees with socket identity
    expect(result.requests.map((request) => request.reuseSignals.reusedSocket)).toEqual([false, ...Array(9).fill(true)]);
    expect(result.notes).toEqual([]);
  });

  it('ignored bodies (agent): 10 connections, all held open until released', () => {
    const { result, streams } = get('ignore');
    expect(result.connectionsOpened).toBe(10);
    expect(result.reused).toBe(0);
    expect(result.maxOpen).toBe(10);
    expect(result.openAtEnd).toBe(10);
    expect(result.openAfterRelease).toBe(0);
    expect(streams).toBe(result.connectionsOpened);
  });

  it('keep-alive off: 10 connections, never more than one open', () => {
    const { result, streams } = get('keepalive-off');
    expect(result.connectionsOpened).toBe(10);
    expect(result.reused).toBe(0);
    expect(result.openAtEnd).toBe(0);
    expect(result.maxOpen).toBeLessThanOrEqual(2);
    expect(streams).toBe(result.connectionsOpened);
  });

  it('concurrency 2 with drained bodies: 2 connections', () => {
    const { result, streams } = get('concurrency-2');
    expect(result.connectionsOpened).toBe(2);
    expect(result.reused).toBe(8);
    expect(result.maxOpen).toBe(2);
    expect(streams).toBe(result.connectionsOpened);
  });
});

describe('the session', () => {
  it('records one conn-opened per connection and request events in time order', async () => {
    const result = await targets[0]!.run({ requests: 4, body: 'drain' });
    const kinds = result.session.events.map((event) => event.kind);
    expect(kinds.filter((kind) => kind === 'conn-opened')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'request-started')).toHaveLength(4);
    expect(kinds.filter((kind) => kind === 'request-ended')).toHaveLength(4);
    expect(kinds).toContain('settings-applied');
    const times = result.session.events.map((event) => event.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const ended = result.session.events.filter((event) => event.kind === 'request-ended');
    expect(ended.map((event) => event.reused)).toEqual([false, true, true, true]);
    // the server saw the same: one socket, reused from the second request on
    expect(result.requests.map((request) => request.reuseSignals.server)).toEqual([false, true, true, true]);
  });
});
