/**
 * The CLI's HAR side end to end: `analyze FILE.har --json` (the contract of issue 18), its text
 * summary, one-line failures for bad files, `--report` with a HAR, and `http --har FILE` (written,
 * refused when it exists, replaced with --force).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAnalyzeCommand } from '../../src/cli/commands/analyze';
import { runHttpCommand } from '../../src/cli/commands/http';
import { runCliCommand } from '../helpers/cli';

const HARS = path.resolve(__dirname, '../../../shared/hars');
const scratch = mkdtempSync(path.join(tmpdir(), 'cli-har-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = runCliCommand;

describe('keepalive-lab analyze FILE.har', () => {
  it('--json: format, creator, pages, warnings, connections and requests in startedDateTime order', async () => {
    const { code, stdout } = await run(runAnalyzeCommand, [path.join(HARS, 'pagexray__www.etat.lu.har'), '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ format: 'har', creator: { name: 'chrome-har', version: '0.3.2' } });
    expect(json.pages).toHaveLength(1);
    expect(Array.isArray(json.warnings)).toBe(true);
    expect(json.session).toBeUndefined();
    expect(json.connections).toHaveLength(14);
    for (const connection of json.connections) {
      expect(Object.keys(connection)).toEqual(expect.arrayContaining(['id', 'inferred', 'origin', 'httpVersion', 'requests']));
      expect(connection.inferred).toBe(false);
      expect(connection.httpVersion).toBe('h1');
    }
    const starts = json.requests.map((request: { startedDateTime: string }) => Date.parse(request.startedDateTime));
    expect(starts).toEqual([...starts].sort((a: number, b: number) => a - b));
    for (const request of json.requests) {
      expect(Object.keys(request)).toEqual(
        expect.arrayContaining(['index', 'startedDateTime', 'url', 'connection', 'reused', 'cause', 'timings']),
      );
    }
    expect(json.requests.filter((request: { reused: boolean }) => request.reused)).toHaveLength(8);
  });

  it('decides by content: a HAR named .pcap is read as a HAR', async () => {
    const renamed = path.join(scratch, 'looks-like-a.pcap');
    writeFileSync(renamed, readFileSync(path.join(HARS, 'harviewer__issue-61_ie11.fiddler.har')));
    const { code, stdout } = await run(runAnalyzeCommand, [renamed]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/HAR from Fiddler 4\.6\.2\.2, 11 entries, 2 pages/);
    expect(stdout).toMatch(/5 connections \(recorded\)/);
  });

  it('one line and exit 1 for a broken or foreign JSON file', async () => {
    const cut = path.join(scratch, 'cut.har');
    writeFileSync(cut, readFileSync(path.join(HARS, 'playwright__har-redirect.har'), 'utf8').slice(0, 3000));
    const broken = await run(runAnalyzeCommand, [cut]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/cut\.har: not a HAR file: the JSON is broken .*cut short\?\n$/);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    const foreign = path.join(scratch, 'package.json');
    writeFileSync(foreign, '{"name": "x"}');
    const other = await run(runAnalyzeCommand, [foreign]);
    expect(other.stderr).toMatch(/not a HAR file: it has no "log" object/);
  });

  it('--report includes the HAR import', async () => {
    const report = path.join(scratch, 'har-report.md');
    const { code, stderr } = await run(runAnalyzeCommand, [path.join(HARS, 'pagexray__www.etat.lu.har'), '--report', report]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/report written/);
    const text = readFileSync(report, 'utf8');
    expect(text).toMatch(/## HAR pagexray\\_\\_www\.etat\.lu\.har \(chrome-har 0\.3\.2\) \(HAR file, /);
    expect(text).toMatch(/Requests on the network: \*\*22\*\* · Never on the network: \*\*0\*\* · Connections: \*\*14\*\*/);
    expect(text).toMatch(/Reused: \*\*8\*\*/);
  });
});

describe('keepalive-lab http --har FILE', () => {
  it('writes the run as HAR, refuses to overwrite it, replaces it with --force', async () => {
    const file = path.join(scratch, 'run.har');
    const first = await run(runHttpCommand, ['--requests', '3', '--har', file]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/HAR written: .*run\.har \([\d,]+ bytes\)/);
    const document = JSON.parse(readFileSync(file, 'utf8'));
    expect(document.log.entries).toHaveLength(3);
    expect(document.log.entries.map((entry: { connection: string }) => entry.connection)).toEqual(['c1', 'c1', 'c1']);

    const again = await run(runHttpCommand, ['--requests', '3', '--har', file]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe(''); // refused before the run
    expect(again.stderr).toMatch(/run\.har already exists; choose another name or overwrite it \(--force\)/);

    const forced = await run(runHttpCommand, ['--requests', '2', '--har', file, '--force']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).log.entries).toHaveLength(2);
    expect(existsSync(file)).toBe(true);
  });
});
