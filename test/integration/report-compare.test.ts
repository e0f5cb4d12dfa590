/**
 * A compared run exported keeps its comparison: `keepalive-lab http … --compare "…" --report FILE`
 * on real loopback sockets against the embedded server writes HTML, Markdown and JSON whose
 * "What differs, A vs B" sentences, compared figures and totals are the ones the CLI prints (text
 * and --json) — the same words, from src/shared/report-comparison.ts — shown before the two
 * sessions; the JSON reads back through the report schema and re-renders with the comparison.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportBundleSchema } from '@shared/report-model';
import { escapeMarkdown } from '@engine/report/render-markdown';
import { runHttpCommand } from '../../src/cli/commands/http';
import { runReportCommand } from '../../src/cli/commands/report';
import { runLearnCommand } from '../../src/cli/commands/learn';
import { runCliCommand } from '../helpers/cli';

const scratch = mkdtempSync(path.join(tmpdir(), 'report-compare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const http = (argv: string[]) => runCliCommand(runHttpCommand, argv);

interface CompareJson {
  a: { run: { session: { id: string } } };
  b: { run: { session: { id: string } } };
  compared: Array<{ field: string; label: string; a: string; b: string; differs: boolean }>;
  differences: string[];
  totals: { a: Array<{ label: string; value: string }>; b: Array<{ label: string; value: string }> };
}

const unescapeHtml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The sentences of the HTML report's "Differences" list. */
function htmlDifferences(html: string): string[] {
  const list = /<ul class="differences">(.*?)<\/ul>/s.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>(.*?)<\/li>/g)].map((match) => unescapeHtml(match[1] ?? ''));
}

/** The rows of the HTML table with this caption, cell texts. */
function htmlTable(html: string, caption: string): string[][] {
  const table = new RegExp(`<caption>${caption}</caption>.*?<tbody>(.*?)</tbody>`, 's').exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td>(.*?)<\/td>/g)].map((cell) => unescapeHtml(cell[1] ?? '')),
  );
}

/** The bullet lines under "**Differences:**" in the Markdown report. */
function markdownDifferences(markdown: string): string[] {
  const after = markdown.split('**Differences:**\n\n')[1] ?? '';
  return after
    .split('\n\n')[0]!
    .split('\n')
    .map((line) => line.replace(/^- /, ''));
}

/** The "What differs, A vs B:" lines of the CLI text. */
function textDifferences(text: string): string[] {
  const block = text.split('What differs, A vs B:\n')[1]?.split('\n\n')[0] ?? '';
  return block
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.trim());
}

describe('http --compare --report: the comparison travels with the report', () => {
  it('drained vs ignored body: --json and the JSON, HTML and Markdown reports say the same differences and figures', async () => {
    const json = path.join(scratch, 'body.json');
    const run = await http(['--preset', 'drained-body', '--json', '--report', json, '--compare', '--preset ignored-body']);
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as CompareJson;
    expect(printed.differences).toEqual(expect.arrayContaining(['connections opened: 1 vs 10', 'handshakes saved: 9 vs 0']));

    // the JSON report: checked by the report schema, its comparison the one --json printed
    const bundle = ReportBundleSchema.parse(JSON.parse(readFileSync(json, 'utf8')));
    expect(bundle.comparisons).toHaveLength(1);
    const [comparison] = bundle.comparisons!;
    expect(comparison!.differences).toEqual(printed.differences);
    expect(comparison!.figures).toEqual(printed.compared);
    expect([comparison!.a.totals, comparison!.b.totals]).toEqual([printed.totals.a, printed.totals.b]);
    expect([comparison!.a.sessionId, comparison!.b.sessionId]).toEqual([printed.a.run.session.id, printed.b.run.session.id]);
    expect(bundle.sessions.map((session) => session.id)).toEqual([printed.a.run.session.id, printed.b.run.session.id]);
    expect(comparison!.a.sessionId).not.toBe(comparison!.b.sessionId);
    // before the sessions in the file, as in the HTML and Markdown
    const text = readFileSync(json, 'utf8');
    expect(text.indexOf('"comparisons"')).toBeLessThan(text.indexOf('"sessions"'));

    // HTML and Markdown re-rendered from that JSON: the comparison is kept
    for (const format of ['html', 'md']) {
      const out = path.join(scratch, `body.${format}`);
      const converted = await runCliCommand(runReportCommand, ['--from', json, '--out', out]);
      expect(converted.code, converted.stderr).toBe(0);
    }
    const html = readFileSync(path.join(scratch, 'body.html'), 'utf8');
    expect(htmlDifferences(html)).toEqual(printed.differences);
    expect(htmlTable(html, 'Every compared figure')).toEqual(
      printed.compared.map((figure) => [figure.label, figure.a, figure.b, figure.differs ? 'yes' : '']),
    );
    expect(htmlTable(html, 'Totals of each run')).toEqual(
      printed.totals.a.map((total, index) => [total.label, total.value, printed.totals.b[index]!.value]),
    );
    expect(html.indexOf('<h2>What differs, A vs B</h2>')).toBeLessThan(html.indexOf('id="session-0"'));
    expect(html).toContain('<a href="#session-0">--preset drained-body</a>');
    expect(html).toContain('<a href="#session-1">--preset ignored-body</a>');

    const markdown = readFileSync(path.join(scratch, 'body.md'), 'utf8');
    expect(markdownDifferences(markdown)).toEqual(printed.differences.map(escapeMarkdown));
    for (const figure of printed.compared)
      expect(markdown).toContain(
        `| ${[figure.label, figure.a, figure.b].map(escapeMarkdown).join(' | ')} | ${figure.differs ? 'yes' : ''} |`,
      );
    expect(markdown.indexOf('## What differs, A vs B')).toBeLessThan(markdown.indexOf('## A · Drained body'));
    expect(markdown).toContain('## B · Ignored body');
    expect(`${html}${markdown}`).not.toMatch(/undefined|NaN|\[object/);
  });

  it('keep-alive off vs on: the text the CLI prints and the HTML and Markdown reports of the same run list the same sentences', async () => {
    for (const format of ['html', 'md'] as const) {
      const out = path.join(scratch, `keepalive.${format}`);
      const run = await http(['--preset', 'keepalive-off', '--report', out, '--compare', '--preset keepalive-off --keepalive on']);
      expect(run.code, run.stderr).toBe(0);
      const sentences = textDifferences(run.stdout);
      expect(sentences).toEqual(expect.arrayContaining(['connections opened: 10 vs 1', 'reuse: 0 % vs 90 %', 'handshakes saved: 0 vs 9']));
      const report = readFileSync(out, 'utf8');
      if (format === 'html') expect(htmlDifferences(report)).toEqual(sentences);
      else expect(markdownDifferences(report)).toEqual(sentences.map(escapeMarkdown));
      // B changed the preset with a flag: it goes by its flags, not by the title of the preset it no longer is
      expect(report).toContain('B · --preset keepalive-off --keepalive on');
      expect(report).not.toContain('B · Keep-alive off');
    }
  });

  it('HTTP/1.1 against HTTP/2: each side’s totals in its own words, the other side’s missing total shown as "–"', async () => {
    const out = path.join(scratch, 'mixed.html');
    const run = await http([
      '--requests',
      '6',
      '--concurrency',
      '3',
      '--report',
      out,
      '--compare',
      '--protocol h2 --requests 6 --concurrency 3',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(htmlDifferences(html)).toEqual(textDifferences(run.stdout));
    expect(htmlDifferences(html)).toContain('protocol: HTTP/1.1 vs HTTP/2 over TLS (h2)');
    const totals = htmlTable(html, 'Totals of each run');
    expect(totals.find((row) => row[0] === 'Waited for a free connection')?.[2]).toBe('–');
    expect(totals.find((row) => row[0] === 'Waited for a stream slot')?.[1]).toBe('–');
    // each run's order kept: A's pool wait beside B's stream totals, the run time last
    expect(totals.map((row) => row[0])).toEqual([
      'Requests',
      'Failed',
      'Connections opened',
      'Waited for a free connection',
      'Streams on one connection',
      'Waited for a stream slot',
      'PINGs',
      'GOAWAY',
      'Run time',
    ]);
  });
});

describe('a run’s title in its report', () => {
  it('a preset as given keeps its title; changed by other flags, the run goes by its flags (not --json, --report, --force)', async () => {
    const title = async (argv: string[]) => {
      const run = await http([...argv, '--json']);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { session: { title: string } }).session.title;
    };
    expect(await title(['--preset', 'keepalive-off'])).toBe('Keep-alive off');
    const report = path.join(scratch, 'title.md');
    expect(await title(['--preset', 'keepalive-off', '--report', report, '--keepalive', 'on', '--force'])).toBe(
      '--preset keepalive-off --keepalive on',
    );
    expect(readFileSync(report, 'utf8')).toContain('## --preset keepalive-off --keepalive on (http-lab');
  });
});

describe('learn: a lesson of two runs says what differs, as its Compare view does', () => {
  it('body-drain: the text lists the differences under the runs’ titles, --json carries the same comparison', async () => {
    const text = await runCliCommand(runLearnCommand, ['body-drain']);
    expect(text.code, text.stderr).toBe(0);
    const heading = /\nWhat differs, A vs B \((.+) vs (.+)\):\n/.exec(text.stdout);
    expect(heading).not.toBeNull();
    expect(textDifferences(text.stdout.replace(heading![0], '\nWhat differs, A vs B:\n'))).toEqual(
      expect.arrayContaining(['connections opened: 1 vs 10', 'handshakes saved: 9 vs 0']),
    );
    const json = await runCliCommand(runLearnCommand, ['body-drain', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const printed = JSON.parse(json.stdout) as { comparison: { a: { title: string }; b: { title: string }; differences: string[] } };
    expect([printed.comparison.a.title, printed.comparison.b.title]).toEqual([heading![1], heading![2]]);
    expect(printed.comparison.differences).toContain('connections opened: 1 vs 10');
  });
});
