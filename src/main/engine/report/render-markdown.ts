/**
 * The Markdown report: the same headline figures, tables and findings as the
 * HTML report (from the same table model), readable in a code review or a
 * course forum. No timeline: Markdown has no drawing.
 */
import type { ReportBundle, SessionFigures } from '@shared/report-model';
import { harAboutLines, harConnectionTable, harFigureList, harRunOf, harSettingsTable, type HarRun } from './har-report';
import { formatCount, formatDuration } from './escape';
import { captureFindingDetails, sessionFindingDetails, type FindingDetail } from './finding-details';
import { connectionTable, flagTable, MAX_TABLE_ROWS, settingsTable, streamTable, type TextTable } from './report-tables';
import { osDefaultsText } from '@shared/keepalive-settings-text';
import { http2ConnectionTable, http2FigureList, http2RunOf } from './http2-report';
import { summarizeCapture } from './capture-figures';
import { summarizeSession } from './session-figures';
import { comparedPrefix, renderComparisonMarkdown } from './comparison-report';

/**
 * Escapes what would break a table cell or start Markdown syntax inside text. Every line break a
 * Markdown reader or a shell reading the file would honour (\n, a lone \r, U+2028/2029, U+0085,
 * other control characters) becomes a space, so a value can never begin a line of its own.
 */
export function escapeMarkdown(text: string): string {
  return (
    String(text)
      .replace(/\\/g, '\\\\')
      .replace(/\|/g, '\\|')
      .replace(/([*_`[\]<>#&~!])/g, '\\$1')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
      .replace(/\r\n|[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, ' ')
  );
}

export function renderTableMarkdown(table: TextTable): string {
  const lines = [`*${escapeMarkdown(table.caption)}*`, ''];
  if (table.rows.length > 0) {
    lines.push(`| ${table.headers.map(escapeMarkdown).join(' | ')} |`, `|${table.headers.map(() => ' --- |').join('')}`);
    for (const row of table.rows) lines.push(`| ${row.map(escapeMarkdown).join(' | ')} |`);
    lines.push('');
  }
  if (table.note) lines.push(`_${escapeMarkdown(table.note)}_`, '');
  return lines.join('\n');
}

function renderFindings(findings: readonly FindingDetail[]): string {
  if (findings.length === 0) return '_Nothing to explain here._\n';
  return findings
    .map(({ explanation, seenHere }) =>
      [
        `#### ${escapeMarkdown(explanation.title)}`,
        '',
        `- **What you see.** ${escapeMarkdown(explanation.whatYouSee)}`,
        `- **Why the tool concluded it.** ${escapeMarkdown(explanation.whyConcluded)}`,
        `- **Seen here.** ${escapeMarkdown(seenHere)}`,
        `- **Try next.** ${escapeMarkdown(explanation.tryNext)}`,
        '',
      ].join('\n'),
    )
    .join('\n');
}

function figuresLine(figures: Record<string, number>): string {
  return Object.entries(figures)
    .map(([label, value]) => `${label}: **${formatCount(value)}**`)
    .join(' · ');
}

/** A HAR file's section: its own figures, connection table and findings (har-report.ts). */
function renderHarMarkdown(run: HarRun, figures: SessionFigures): string {
  const { session, facts } = run;
  return [
    `## ${escapeMarkdown(session.title)} (HAR file, ${formatDuration(figures.durationS)})`,
    '',
    `**${escapeMarkdown(figures.headline)}**`,
    '',
    ...harAboutLines(facts).map((line) => `> ${escapeMarkdown(line)}\n`),
    figuresLine(Object.fromEntries(harFigureList(figures, facts).map(([, label, value]) => [label, value]))),
    '',
    '### Connections',
    '',
    renderTableMarkdown(harConnectionTable(run, figures, MAX_TABLE_ROWS)),
    '### Findings',
    '',
    renderFindings(sessionFindingDetails(session, figures)),
    '### The file',
    '',
    renderTableMarkdown(harSettingsTable(session, facts)),
  ].join('\n');
}

export function renderMarkdown(bundle: ReportBundle): string {
  const sessions = bundle.sessions.map((session) => ({ session, figures: summarizeSession(session) }));
  const captures = bundle.captures.map((capture) => ({ capture, figures: summarizeCapture(capture) }));
  const lines: string[] = [
    '# Keepalive Lab report',
    '',
    `Created ${escapeMarkdown(bundle.createdAt)} by Keepalive Lab ${escapeMarkdown(bundle.app.appVersion)}.`,
    '',
    // two runs compared: what differs comes first, before the two sessions it sums up
    ...(bundle.comparisons ?? []).flatMap((comparison) => renderComparisonMarkdown(comparison, escapeMarkdown, renderTableMarkdown)),
    '## Summary',
    '',
  ];
  for (const { session, figures } of sessions)
    lines.push(`- **${escapeMarkdown(comparedPrefix(bundle, session.id) + session.title)}**: ${escapeMarkdown(figures.headline)}`);
  for (const { capture, figures } of captures) lines.push(`- **${escapeMarkdown(capture.file)}**: ${escapeMarkdown(figures.headline)}`);
  if (sessions.length + captures.length === 0) lines.push('_This report holds no session and no capture._');
  lines.push('');
  for (const { session, figures } of sessions) {
    const har = harRunOf(session);
    if (har) {
      lines.push(renderHarMarkdown(har, figures));
      continue;
    }
    lines.push(
      `## ${escapeMarkdown(comparedPrefix(bundle, session.id) + session.title)} (${escapeMarkdown(session.kind)}, ${formatDuration(figures.durationS)})`,
      '',
      `**${escapeMarkdown(figures.headline)}**`,
      '',
    );
    const http2 = http2RunOf(session);
    lines.push(
      figuresLine(
        http2
          ? Object.fromEntries(http2FigureList(http2).map(([, label, value]) => [label, value]))
          : {
              Requests: figures.requests,
              Connections: figures.connections,
              Reused: figures.reusedRequests,
              Failed: figures.failedRequests,
              'Keep-alive probes': figures.probes,
              'Waited for a free connection': figures.poolWaits,
            },
      ),
      '',
    );
    lines.push(
      '### Connections',
      '',
      renderTableMarkdown(http2 ? http2ConnectionTable(http2, session, MAX_TABLE_ROWS) : connectionTable(figures)),
      '### Findings',
      '',
      renderFindings(sessionFindingDetails(session, figures)),
    );
    lines.push('### Settings', '', renderTableMarkdown(settingsTable(session.title, session.settings)));
  }
  for (const { capture, figures } of captures) {
    lines.push(
      `## Capture ${escapeMarkdown(capture.file)} (${escapeMarkdown(capture.format)})`,
      '',
      `**${escapeMarkdown(figures.headline)}**`,
      '',
    );
    for (const warning of capture.warnings.slice(0, 50)) lines.push(`> Warning: ${escapeMarkdown(warning)}`, '');
    lines.push(
      figuresLine({
        Packets: figures.packets,
        Connections: figures.streams,
        'HTTP requests': figures.httpRequests,
        Reused: figures.reusedRequests,
        'Keep-alive probes': figures.keepAlives,
        'Probe ACKs': figures.keepAliveAcks,
        'Ended with RST': figures.endedRst,
      }),
      '',
    );
    lines.push(
      '### Connections',
      '',
      renderTableMarkdown(streamTable(capture)),
      renderTableMarkdown(flagTable(capture)),
      '### Findings',
      '',
      renderFindings(captureFindingDetails(capture, figures)),
    );
  }
  const defaults = bundle.app.keepaliveDefaults;
  lines.push(
    '## Environment',
    '',
    `- App version: Keepalive Lab ${escapeMarkdown(bundle.app.appVersion)}`,
    `- Platform: ${escapeMarkdown(bundle.app.platform)}, Node ${escapeMarkdown(bundle.app.nodeVersion)}`,
    `- OS keepalive defaults: ${osDefaultsText(defaults)} (${escapeMarkdown(defaults.source)})`,
    '',
  );
  return lines.join('\n');
}
