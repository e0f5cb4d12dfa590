import { describe, expect, it } from 'vitest';
import { countRearms, endpointsText, formatNextIn, kernelTimerRows, splitEndpoint } from '@renderer/features/lab/kernel-timer-rows';
import { proxyStatsText, sessionPorts, statEntries, summaryLines } from '@renderer/features/lab/tcp-summary';

const rows = [
  { state: 'ESTAB', timer: 'off', nextMs: null, probes: 0, local: '127.0.0.1:38363', remote: '127.0.0.1:51800' },
  { state: 'LISTEN', timer: 'off', nextMs: null, probes: 0, local: '127.0.0.1:34061', remote: '0.0.0.0:0' },
  { state: 'ESTAB', timer: 'off', nextMs: null, probes: 0, local: '127.0.0.1:34061', remote: '127.0.0.1:35796' },
  { state: 'ESTAB', timer: 'keepalive', nextMs: 640, probes: 0, local: '127.0.0.1:35796', remote: '127.0.0.1:34061' },
];

describe('kernelTimerRows', () => {
  it('puts the keepalive timer first, drops listeners, and keeps only the experiment’s ports', () => {
    const table = kernelTimerRows(rows, new Set([34061, 35796]));
    expect(table.map((row) => [row.endpoints, row.timer, row.nextIn])).toEqual([
      ['127.0.0.1 :35796 → :34061', 'keepalive', '0.6 s'],
      ['127.0.0.1 :34061 → :35796', 'none', '–'],
    ]);
    expect(table[0]?.keepalive).toBe(true);
    expect(kernelTimerRows(rows)).toHaveLength(3);
  });

  it('reads endpoints in both address families and formats the time to expiry', () => {
    expect(splitEndpoint('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(splitEndpoint('::1:8080')).toEqual({ host: '::1', port: 8080 });
    expect(endpointsText('10.0.0.1:1', '10.0.0.2:2')).toBe('10.0.0.1:1 → 10.0.0.2:2');
    expect(formatNextIn(28_000)).toBe('28.0 s');
    expect(formatNextIn(-5)).toBe('0.0 s');
  });

  it('lists live stats in whole words, known figures first', () => {
    const entries = statEntries({ zeta: 1, ok: 5, mode: 'mux', nextMs: null });
    expect(entries.map((entry) => entry.label)).toEqual(['mode', 'answered', 'next expiry in ms', 'zeta']);
    expect(entries[2]?.value).toBe('–');
    expect(statEntries(null)).toEqual([]);
  });
});

describe('countRearms', () => {
  it('counts a keepalive timer that rose between two reads (1 s interval, reads 250 ms apart)', () => {
    const read = (nextMs: number) => [
      { state: 'ESTAB', timer: 'keepalive', nextMs, probes: 0, local: '127.0.0.1:1', remote: '127.0.0.1:2' },
    ];
    let counts = new Map<string, number>();
    let previous: ReturnType<typeof read> = [];
    for (const nextMs of [900, 650, 400, 150, 910, 660, 410, 160, 905]) {
      counts = countRearms(previous, read(nextMs), counts);
      previous = read(nextMs);
    }
    expect([...counts.values()]).toEqual([2]);
    expect(kernelTimerRows(previous, undefined, counts)[0]?.rearms).toBe(2);
    // a timer that only counts down, or jitters by a few ms, is not re-armed
    expect(countRearms(read(400), read(420), new Map()).size).toBe(0);
  });
});

describe('summaryLines', () => {
  it('reads a keepalive summary with where each value came from', () => {
    const lines = summaryLines({
      local: '127.0.0.1:35796',
      remote: '127.0.0.1:34061',
      settings: {
        idleS: 1,
        intervalS: 1,
        count: 3,
        userTimeoutMs: 0,
        source: { idleS: 'lab', intervalS: 'lab', count: 'lab', userTimeoutMs: 'os-default' },
      },
      timers: [],
      probesInferredAtMs: [1000, 2100],
      closedBy: 'rst',
      kernelTimers: 'ss',
      notes: [],
      cancelled: false,
    });
    const byLabel = Object.fromEntries(lines.map((line) => [line.label, line.value]));
    expect(byLabel).toMatchObject({
      connection: '127.0.0.1 :35796 → :34061',
      'idle before the first probe': '1 s (set by the lab)',
      TCP_USER_TIMEOUT: 'not set (0 ms): the system’s default',
      'probes seen': '2, at 1.0 s, 2.1 s',
      'closed with': 'RST',
    });
  });

  it('reads a load summary, latency and pool figures included', () => {
    const lines = summaryLines({
      mode: 'pool',
      requests: 10,
      ok: 9,
      timedOut: 1,
      failed: 0,
      lateReplies: 0,
      connectionsOpened: 4,
      requestsPerSecond: 900,
      durationMs: 11,
      ms: { p50: 0.4, p99: 2 },
      target: '127.0.0.1:1',
      cancelled: true,
      errors: ['timeout × 1'],
      pool: { created: 4 },
    });
    const byLabel = Object.fromEntries(lines.map((line) => [line.label, line.value]));
    expect(byLabel).toMatchObject({
      answered: '9',
      'connections opened': '4',
      'latency p50 / p99, ms': '0.4 / 2',
      'pool: connections created': '4',
      errors: 'timeout × 1',
      stopped: 'yes: the figures cover what ran',
    });
  });

  it('collects both ports of every connection', () => {
    const ports = sessionPorts(
      [
        { local: { port: 1 }, remote: { port: 2 } },
        { local: null, remote: { port: 3 } },
      ],
      [9],
    );
    expect([...ports].sort((a, b) => a - b)).toEqual([1, 2, 3, 9]);
  });

  it('says what the proxy forwarded', () => {
    expect(proxyStatsText({ accepted: 1, active: 0, bytesUp: 12, bytesDown: 40, pool: {} })).toBe(
      '1 client connection, 12 bytes up, 40 bytes down.',
    );
    expect(proxyStatsText(null)).toBe('');
  });
});
