import { describe, expect, it } from 'vitest';
import { Budget, createJobRegistry } from '@engine/jobs';
import { ServiceError } from '@engine/services/context';
import { FileGrants } from '@engine/services/file-grants';
import { applyPolicy, isLoopbackHost, type CallPolicy } from '@engine/services/policy';

function policy(overrides: Partial<CallPolicy> = {}): CallPolicy {
  return { mode: 'web', paths: 'granted', files: new FileGrants(), allowRemoteTargets: false, allowPrivilegedPorts: false, ...overrides };
}

function refusal(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    return (error as ServiceError).code;
  }
}

describe('isLoopbackHost', () => {
  it('takes 127.0.0.0/8, ::1 in its spellings and localhost; nothing else', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      '10.0.0.1',
      '192.168.1.1',
      '0.0.0.0',
      '128.0.0.1',
      'example.com',
      'localhost.example.com',
      'api.localhost',
      '::2',
      '::ffff:10.0.0.1',
      '127.0.0.1.nip.io',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('applyPolicy', () => {
  it('swaps a granted handle for its path, once unless granted for longer, and only for its access', () => {
    const files = new FileGrants();
    const once = files.grant('/data/a.pcap', 'read');
    const kept = files.grant('/data/b.pcap', 'read', { once: false });
    const write = files.grant('/out/r.html', 'write');
    const web = policy({ files });
    expect(applyPolicy('capture.open', { path: once }, web)).toEqual({ path: '/data/a.pcap' });
    expect(refusal(() => applyPolicy('capture.open', { path: once }, web))).toBe('unknown-file');
    expect(applyPolicy('capture.open', { path: kept }, web)).toEqual({ path: '/data/b.pcap' });
    expect(applyPolicy('capture.open', { path: kept }, web)).toEqual({ path: '/data/b.pcap' });
    expect(refusal(() => applyPolicy('capture.open', { path: write }, web))).toBe('unknown-file');
    const desktop = policy({ mode: 'electron', files });
    expect(applyPolicy('report.save', { path: write, force: true }, desktop)).toEqual({ path: '/out/r.html', force: true });
    files.revokeAll();
    expect(refusal(() => applyPolicy('capture.open', { path: kept }, web))).toBe('unknown-file');
  });

  it('refuses raw paths when paths are granted, takes them when any path goes, and refuses report.save in the web mode', () => {
    expect(refusal(() => applyPolicy('capture.open', { path: '/etc/shadow' }, policy()))).toBe('path-refused');
    expect(refusal(() => applyPolicy('capture.correlate', { sessionPath: '/x.json', capturePath: '/x.pcap' }, policy()))).toBe(
      'path-refused',
    );
    expect(applyPolicy('capture.open', { path: '/tmp/x.pcap' }, policy({ mode: 'cli', paths: 'any' }))).toEqual({ path: '/tmp/x.pcap' });
    expect(refusal(() => applyPolicy('report.save', { path: '/tmp/r.md', force: false }, policy({ paths: 'any' })))).toBe('not-available');
  });

  it('checks every target and listening port a method takes, and lets the serve flags lift them', () => {
    const cases: Array<[Parameters<typeof applyPolicy>[0], unknown, string]> = [
      ['http.run', { config: { url: 'http://example.com/' } }, 'target-refused'],
      ['http.compare', { a: { config: { url: 'http://127.0.0.1:8080/' } }, b: { config: { url: 'https://10.1.1.1/' } } }, 'target-refused'],
      ['tcp.runMux', { requests: 1, concurrency: 1, target: { host: '10.0.0.1', port: 7 } }, 'target-refused'],
      ['tcp.runPool', { requests: 1, concurrency: 1, size: 1, target: { host: 'example.com', port: 7 } }, 'target-refused'],
      ['tcp.runKeepalive', { idleS: 1, holdS: 1, target: { host: '192.0.2.1', port: 7 } }, 'target-refused'],
      ['tcp.startProxy', { listenPort: 0, upstream: { host: 'example.com', port: 80 } }, 'target-refused'],
      ['tcp.startEcho', { port: 80 }, 'port-refused'],
      ['tcp.startProxy', { listenPort: 1023 }, 'port-refused'],
    ];
    for (const [name, params, code] of cases) {
      expect(
        refusal(() => applyPolicy(name, params, policy())),
        name,
      ).toBe(code);
      expect(
        refusal(() => applyPolicy(name, params, policy({ allowRemoteTargets: true, allowPrivilegedPorts: true }))),
        name,
      ).toBeNull();
    }
    for (const [name, params] of [
      ['http.run', { config: { url: 'http://localhost:8080/' } }],
      ['http.run', { preset: 'drained-body' }],
      ['tcp.startEcho', { port: 0 }],
      ['tcp.startEcho', { port: 1024 }],
      ['tcp.runMux', { requests: 1, concurrency: 1, target: { host: '127.0.0.2', port: 7 } }],
    ] as const) {
      expect(
        refusal(() => applyPolicy(name, params, policy())),
        `${name} ${JSON.stringify(params)}`,
      ).toBeNull();
    }
  });
});

describe('job budget', () => {
  it('counts a job until its done (a cancelled one too), over every registry that shares it', async () => {
    const budget = new Budget('jobs', 2, 'wait for one to finish or stop one');
    const [first, second] = [createJobRegistry(budget), createJobRegistry(budget)];
    const a = first.start('a');
    const b = second.start('b');
    expect(() => first.start('c')).toThrow('too many jobs at once (at most 2): wait for one to finish or stop one');
    expect(first.cancel('a')).toBe(true);
    expect(a.signal.aborted).toBe(true);
    expect(budget.inUse).toBe(2); // still winding down
    a.done();
    expect(budget.inUse).toBe(1);
    const c = first.start('c');
    const settled = second.settled();
    let isSettled = false;
    void settled.then(() => (isSettled = true));
    await Promise.resolve();
    expect(isSettled).toBe(false);
    b.done();
    await settled;
    c.done();
    expect(budget.inUse).toBe(0);
  });
});

describe("the command line's own methods", () => {
  const calls = [
    ['analyze.file', { path: '/etc/passwd' }],
    ['report.write', { sessions: [], captures: [], path: '/tmp/report.html' }],
    ['report.convert', { from: '/tmp/report.json', to: '/tmp/report.html' }],
  ] as const;

  it('are refused in the web mode and the desktop app, plain paths and whole bundles alike', () => {
    for (const [name, params] of calls) {
      expect(
        refusal(() => applyPolicy(name, params, policy())),
        name,
      ).toBe('not-available');
      expect(
        refusal(() => applyPolicy(name, params, policy({ mode: 'electron' }))),
        name,
      ).toBe('not-available');
    }
  });

  it('are answered from the CLI, with the paths its user gave', () => {
    for (const [name, params] of calls) {
      expect(applyPolicy(name, params, policy({ mode: 'cli', paths: 'any' })), name).toEqual(params);
    }
  });
});
