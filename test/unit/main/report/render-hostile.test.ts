/**
 * Every text field of a report bundle set to hostile text, in all three formats: HTML must escape
 * it (no tag, no attribute break-out), Markdown must keep it inside its line (no injected heading,
 * list item, table row or raw HTML — a report can be written by an engine running as root, and a
 * line of its own in a file is how a cron entry gets in), JSON must carry it back unchanged.
 * The hostile strings come from fast-check: fragments of each syntax, control characters and
 * Unicode line separators in random order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '@engine/report/render-html';
import { parseReportJson, renderJson } from '@engine/report/render-json';
import { renderMarkdown } from '@engine/report/render-markdown';
import { ReportBundleSchema, type ReportBundle } from '@shared/report-model';
import { FIXED_APP, fixtureBundle } from './fixtures';

/** Marks the hostile text so the checks can find where it landed. */
const MARK = 'HOSTILE';

const FRAGMENTS = [
  '<x-hostile onx="1">',
  '</td></tr></table><script>alert(1)</script>',
  '"><x-hostile>',
  "'><x-hostile>",
  '\n# HOSTILE heading',
  '\r* * * * * root HOSTILE-cron',
  '\r\n- HOSTILE item',
  '\u2028> HOSTILE quote',
  '\u2029| HOSTILE | row |',
  '\u0085```',
  '| a | b |',
  '[HOSTILE](javascript:alert(1))',
  '![x](http://127.0.0.1/HOSTILE.png)',
  '&#10;&lt;x-hostile&gt;',
  '`code`',
  '<!--',
  ']]>',
  '\\',
  '\u0000\u001b[31m',
  '{{HOSTILE}}',
];

const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 8 })), { minLength: 1, maxLength: 6 })
  .map((parts) => `${MARK}${parts.join('')}`);

type Path = (string | number)[];

/** Paths of every string leaf. */
function stringPaths(value: unknown, path: Path = [], found: Path[] = []): Path[] {
  if (typeof value === 'string') found.push(path);
  else if (Array.isArray(value)) value.forEach((item, index) => stringPaths(item, [...path, index], found));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) stringPaths(item, [...path, key], found);
  return found;
}

function setAt(root: unknown, path: Path, value: string): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
}

/** The fixture bundle with every free-text field replaced (enum fields, which the schema checks, stay). */
function hostileBundle(texts: string[]): { bundle: ReportBundle; replaced: number } {
  const bundle = structuredClone(fixtureBundle());
  const paths = stringPaths(bundle);
  paths.forEach((path, index) => setAt(bundle, path, texts[index % texts.length]!));
  const original = fixtureBundle();
  // put back what the schema refuses as text (enums, literals): the renderers only ever get valid bundles
  let kept = paths;
  for (let round = 0; round < 5; round++) {
    const parsed = ReportBundleSchema.safeParse(bundle);
    if (parsed.success) break;
    const refused = new Set(parsed.error.issues.map((issue) => issue.path.join('.')));
    for (const path of paths) {
      if (!refused.has(path.join('.'))) continue;
      setAt(bundle, path, path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], original) as string);
    }
    kept = kept.filter((path) => !refused.has(path.join('.')));
  }
  expect(ReportBundleSchema.safeParse(bundle).success).toBe(true);
  return { bundle, replaced: kept.length };
}

/** How the renderer's own lines that hold a value begin (a hostile value must never begin one). */
const RENDERER_LINE_STARTS =
  /^(#{2,4} |- \*\*|\*\*|\| |\*|_|> Warning: |Created |Requests:|Packets:|- App version: |- Platform: |- OS keepalive defaults: )/;

/** Lines a Markdown reader would see as starting something (heading, list, quote, table, fence, HTML). */
function injectedMarkdownLines(markdown: string): string[] {
  return markdown
    .split(/\r\n|\r|\n|\u2028|\u2029|\u0085/)
    .filter((line) => line.includes(MARK))
    .filter((line) => !RENDERER_LINE_STARTS.test(line) || /(^|[^\\])<x-hostile/.test(line));
}

describe('report renderers with hostile text in every field', () => {
  it('replaces most fields of the fixture (the test reaches the free text, not just a few names)', () => {
    const { replaced } = hostileBundle([`${MARK}x`]);
    expect(replaced).toBeGreaterThan(20);
  });

  it('HTML escapes it: no element, attribute or comment from a field', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 1, maxLength: 5 }), (texts) => {
        const html = renderHtml(hostileBundle(texts).bundle);
        expect(html).not.toMatch(/<x-hostile|<script|<!--|onx="/i);
        expect(html).toContain(MARK);
      }),
      { numRuns: 60 },
    );
  });

  it('Markdown keeps it inside its own line and escapes HTML and link syntax', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 1, maxLength: 5 }), (texts) => {
        const markdown = renderMarkdown(hostileBundle(texts).bundle);
        expect(markdown).toContain(MARK);
        expect(injectedMarkdownLines(markdown)).toEqual([]);
        // eslint-disable-next-line no-control-regex -- the control characters are what must not pass
        expect(markdown).not.toMatch(/[\r\u2028\u2029\u0085\u0000\u001b]/);
        expect(markdown).not.toMatch(/(^|[^\\])<x-hostile|(^|[^\\])\[HOSTILE\]|(^|[^\\])!\[/m);
      }),
      { numRuns: 60 },
    );
  });

  it('JSON carries it back unchanged', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 1, maxLength: 5 }), (texts) => {
        const { bundle } = hostileBundle(texts);
        const back = parseReportJson(renderJson(bundle), FIXED_APP);
        expect(back.sessions).toEqual(bundle.sessions);
        expect(back.captures).toEqual(bundle.captures);
        expect(back.createdAt).toBe(bundle.createdAt);
      }),
      { numRuns: 30 },
    );
  });

  it('Markdown puts a newline in createdAt on no line of its own (the cron-line case)', () => {
    const bundle = { ...fixtureBundle(), createdAt: '2026-01-01\n* * * * * root touch /tmp/owned\n' };
    const markdown = renderMarkdown(bundle);
    expect(markdown.split('\n').filter((line) => line.startsWith('* * * * *'))).toEqual([]);
    expect(markdown).toContain('Created 2026-01-01 \\* \\* \\* \\* \\* root touch /tmp/owned  by');
  });
});
