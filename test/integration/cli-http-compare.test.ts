/**
 * `keepalive-lab http … --compare "…"` on real loopback sockets: two runs one after the other, the
 * differences in the app's Compare sentences (src/shared/compare-runs.ts) for HTTP/1.1 against
 * HTTP/2, HTTP/2 against HTTP/2 and HTTP/1.1 against HTTP/1.1, each side in its own protocol's words;
 * --json and --report cover both runs; flags that act on one run are refused in one line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHttpCommand } from '../../src/cli/commands/http';
import { compareFlag } from '../../src/cli/compare-flag';
import { runCliCommand } from '../helpers/cli';
import { http1OnlyWordsIn } from '../helpers/http1-only-words';

const scratch = mkdtempSync(path.join(tmpdir(), 'cli-http-compare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (argv: string[]) => runCliCommand(runHttpCommand, argv);

/** The lines of a "Totals of X:" block of the text output. */
function totalsOf(text: string, letter: 'A' | 'B'): string {
  return text.split(`Totals of ${letter}:\n`)[1]?.split('\n\n')[0] ?? '';
}

interface CompareJson {
  a: { protocol: string; flags: string[]; run: { connectionsOpened: number; session: { id: string } } };
  b: { protocol: string; flags: string[]; run: { httpVersion?: string; connectionsOpened: number; session: { id: string } } };
  compared: Array<{ field: string; label: string; a: string; b: string; differs: boolean }>;
  differences: string[];
}

describe('keepalive-lab http --compare', () => {
  it('HTTP/1.1 over TLS against HTTP/2: 10 connections vs 1 and their handshakes, the HTTP/2 side in HTTP/2 words', async () => {
    const { code, stdout } = await run([
      '--tls',
      '--requests',
      '20',
      '--concurrency',
      '10',
      '--compare',
      '--protocol h2 --requests 20 --concurrency 10',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^A {2}HTTP\/1\.1 over TLS, https:\/\/127\.0\.0\.1:\d+\/ — --tls --requests 20 --concurrency 10\n/);
    expect(stdout).toMatch(
      /\nB {2}HTTP\/2 over TLS \(h2\), https:\/\/127\.0\.0\.1:\d+\/? — --protocol h2 --requests 20 --concurrency 10\n/,
    );
    // 10 at a time with no socket limit: the first round opens 10 connections, the second reuses them
    expect(stdout).toContain('  protocol: HTTP/1.1 over TLS vs HTTP/2 over TLS (h2)\n');
    expect(stdout).toContain('  connections opened: 10 vs 1\n');
    expect(stdout).toContain('  handshakes paid: 10 TCP + 10 TLS vs 1 TCP + 1 TLS\n');
    expect(stdout).toMatch(/ {2}requests on one connection: up to \d+, one at a time vs up to 20 streams, 10 at once\n/);
    // 10 at a time with no socket limit: the agent never queued a request
    expect(totalsOf(stdout, 'A')).toMatch(/Waited for a free connection +none/);
    expect(totalsOf(stdout, 'B')).toMatch(/Streams on one connection +up to 20 streams, 10 at once/);
    expect(http1OnlyWordsIn(totalsOf(stdout, 'B'))).toEqual([]);
    expect(stdout).not.toMatch(/undefined|NaN|\{[A-Za-z.]+\}/);
  });

  it('two HTTP/2 runs: most streams at once 10 vs 5 and 0 vs 15 waits for a stream slot, as the app says it', async () => {
    const { code, stdout } = await run([
      '--protocol',
      'h2',
      '--preset',
      'one-connection',
      '--compare',
      '--protocol h2 --preset stream-limit',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('  most streams at once: 10 vs 5\n');
    expect(stdout).toContain('  waited for a stream slot: 0 vs 15\n');
    expect(stdout).not.toContain('connections opened:');
    expect(http1OnlyWordsIn(stdout)).toEqual([]);
  });

  it('--json: both runs, every compared figure and the difference sentences; --report: both sessions', async () => {
    const report = path.join(scratch, 'both.json');
    const { code, stdout } = await run(['--preset', 'drained-body', '--json', '--report', report, '--compare', '--preset ignored-body']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as CompareJson;
    // the flags that set each run; --json and --report cover the comparison
    expect(json.a).toMatchObject({ protocol: 'http1', flags: ['--preset', 'drained-body'] });
    expect(json.b).toMatchObject({ protocol: 'http1', flags: ['--preset', 'ignored-body'] });
    expect([json.a.run.connectionsOpened, json.b.run.connectionsOpened]).toEqual([1, 10]);
    expect(json.differences).toContain('connections opened: 1 vs 10');
    expect(json.differences).toEqual(json.compared.filter((line) => line.differs).map((line) => `${line.label}: ${line.a} vs ${line.b}`));
    const bundle = JSON.parse(readFileSync(report, 'utf8')) as { sessions: Array<{ id: string }> };
    expect(bundle.sessions.map((session) => session.id)).toEqual([json.a.run.session.id, json.b.run.session.id]);
  });

  it('refuses in one line what acts on one run, and names the run an error came from', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--compare', '--json'], /^run B \(--compare\): --json goes outside the quotes of --compare: it covers both runs$/],
      [['--capture', '--compare', '--requests 2'], /^run A: --capture works on one run/],
      [['--compare', '--har x.har'], /^run B \(--compare\): --har works on one run/],
      [['--compare', '--protocol h3'], /^run B \(--compare\): --protocol must be h1 or h2 \(got "h3"\)$/],
      [['--compare', '--protocol h2 --preset nope'], /^run B: unknown HTTP\/2 preset "nope"/],
      [['--compare', '  '], /^--compare needs the second run's flags in quotes/],
      [['--compare', '--requests 2', '--compare=--requests 3'], /^--compare given twice/],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await run(argv);
      expect(code, argv.join(' ')).toBe(1);
      expect(stderr.trim(), argv.join(' ')).toMatch(message);
    }
  });

  it('Ctrl-C during run A stops it and does not start run B', async () => {
    const controller = new AbortController();
    let stdout = '';
    const io = { stdout: (text: string) => void (stdout += text), stderr: () => undefined, signal: controller.signal };
    // run A takes at least 9.9 s (100 requests, 100 ms apart): the abort after 1 s comes while it runs
    const compared = runHttpCommand(['--requests', '100', '--interval-ms', '100', '--compare', '--requests 2'], io);
    const abort = setTimeout(() => controller.abort(new Error('interrupted')), 1_000);
    const started = Date.now();
    await expect(compared).rejects.toThrow(/^interrupted: run B did not start$/);
    clearTimeout(abort);
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(stdout).toBe('');
  });

  it('reads the flag in both spellings and leaves the others in order', () => {
    expect(compareFlag(['--tls', '--compare', '--protocol  h2 ', '--json'])).toEqual({
      other: ['--protocol', 'h2'],
      rest: ['--tls', '--json'],
    });
    expect(compareFlag(['--compare=--requests 3'])).toEqual({ other: ['--requests', '3'], rest: [] });
    expect(compareFlag(['--requests', '3'])).toEqual({ other: null, rest: ['--requests', '3'] });
  });
});
