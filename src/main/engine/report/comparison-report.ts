/**
 * A comparison of two runs in the HTML and Markdown reports: which run is A and which is B, the
 * "What differs, A vs B" sentences, every compared figure and each run's totals — the words the
 * CLI's `http --compare` and the app's Compare view print, read from the bundle's `comparisons`
 * (src/shared/report-comparison.ts), never worded a second time here. Shown before the sessions.
 */
import type { ReportBundle } from '@shared/report-model';
import { COMPARISON_HEADING, SAME_FIGURES, type ComparedSide, type ReportComparison } from '@shared/report-comparison';
import { escapeHtml } from './escape';
import type { TextTable } from './report-tables';

/** Every compared figure, A and B, and whether it counts as a difference. */
export function comparedFiguresTable(comparison: ReportComparison): TextTable {
  return {
    caption: 'Every compared figure',
    headers: ['Figure', 'A', 'B', 'Differs'],
    rows: comparison.figures.map((figure) => [figure.label, figure.a, figure.b, figure.differs ? 'yes' : '']),
    note: 'Run time always differs a little between two runs: it is shown, never counted as a difference.',
  };
}

/**
 * A's labels in order, with each of B's own labels placed before the next label both runs share
 * (so "Run time", last in both, stays last): HTTP/1.1 and HTTP/2 totals interleave as each lists them.
 */
function mergedLabels(a: readonly string[], b: readonly string[]): string[] {
  const merged: string[] = [];
  const onlyB = (from: number, to?: number) => b.slice(from, to).filter((label) => !a.includes(label));
  let next = 0;
  for (const label of a) {
    const inB = b.indexOf(label, next);
    if (inB >= 0) {
      merged.push(...onlyB(next, inB));
      next = inB + 1;
    }
    merged.push(label);
  }
  return [...merged, ...onlyB(next)];
}

/** Each run's totals in one table; a total only one protocol has shows "–" for the other run. */
export function comparedTotalsTable(comparison: ReportComparison): TextTable {
  const labelsOf = (side: ComparedSide) => side.totals.map((total) => total.label);
  const labels = mergedLabels(labelsOf(comparison.a), labelsOf(comparison.b));
  const valueOf = (side: ComparedSide, label: string) => side.totals.find((total) => total.label === label)?.value ?? '–';
  return {
    caption: 'Totals of each run',
    headers: ['Total', 'A', 'B'],
    rows: labels.map((label) => [label, valueOf(comparison.a, label), valueOf(comparison.b, label)]),
    note: null,
  };
}

/** "A · " before the title of a session that is run A or B of a comparison in the bundle, else "". */
export function comparedPrefix(bundle: ReportBundle, sessionId: string): string {
  for (const comparison of bundle.comparisons ?? []) {
    if (comparison.a.sessionId === sessionId) return 'A · ';
    if (comparison.b.sessionId === sessionId) return 'B · ';
  }
  return '';
}

/** "HTTP/1.1, http://127.0.0.1:41234/": what a side ran against. */
export function sideDetails(side: ComparedSide): string {
  return `${side.protocolName}, ${side.target}`;
}

/** The index of the session a side ran (its section's anchor), or null when the bundle lacks it. */
export function sessionIndexOf(bundle: ReportBundle, side: ComparedSide): number | null {
  const index = bundle.sessions.findIndex((session) => session.id === side.sessionId);
  return index < 0 ? null : index;
}

function sideHtml(bundle: ReportBundle, letter: 'A' | 'B', side: ComparedSide): string {
  const index = sessionIndexOf(bundle, side);
  const title = escapeHtml(side.title);
  const named = index === null ? title : `<a href="#session-${index}">${title}</a>`;
  return `<li><b>${letter}</b> ${named} <span class="meta">(${escapeHtml(sideDetails(side))})</span></li>`;
}

/** One comparison as an HTML section; `renderTable` is the report's own table renderer. */
export function renderComparisonHtml(
  bundle: ReportBundle,
  comparison: ReportComparison,
  index: number,
  renderTable: (table: TextTable) => string,
): string {
  const differences =
    comparison.differences.length > 0
      ? `<p><b>Differences:</b></p><ul class="differences">${comparison.differences.map((sentence) => `<li>${escapeHtml(sentence)}</li>`).join('')}</ul>`
      : `<p class="headline">${escapeHtml(SAME_FIGURES)}</p>`;
  return [
    `<section class="comparison" id="comparison-${index}" data-sessions="${escapeHtml(`${comparison.a.sessionId} ${comparison.b.sessionId}`)}">`,
    `<h2>${escapeHtml(COMPARISON_HEADING)}</h2>`,
    `<ul class="sides">${sideHtml(bundle, 'A', comparison.a)}${sideHtml(bundle, 'B', comparison.b)}</ul>`,
    differences,
    renderTable(comparedFiguresTable(comparison)),
    renderTable(comparedTotalsTable(comparison)),
    '</section>',
  ].join('\n');
}

/** One comparison as Markdown lines; `escape` and `renderTable` are the Markdown report's own. */
export function renderComparisonMarkdown(
  comparison: ReportComparison,
  escape: (text: string) => string,
  renderTable: (table: TextTable) => string,
): string[] {
  const side = (letter: 'A' | 'B', value: ComparedSide) => `- **${letter}** ${escape(value.title)} (${escape(sideDetails(value))})`;
  const differences =
    comparison.differences.length > 0
      ? ['**Differences:**', '', ...comparison.differences.map((sentence) => `- ${escape(sentence)}`)]
      : [`**${SAME_FIGURES}**`];
  return [
    `## ${COMPARISON_HEADING}`,
    '',
    side('A', comparison.a),
    side('B', comparison.b),
    '',
    ...differences,
    '',
    renderTable(comparedFiguresTable(comparison)),
    renderTable(comparedTotalsTable(comparison)),
  ];
}
