/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, no
 * URL of any kind; a CSP meta tag forbids loads even if a trace holds markup)
 * that opens offline and prints well. Order: what differs between compared runs, summary with headline numbers,
 * then each lab session and each capture (figures, timeline, tables,
 * findings with their explanations), then the environment.
 *
 * Figures carry `data-figure` attributes so tests (and readers' tools) can
 * check them against the JSON report's `derived` block.
 */
import type { CaptureFigures, ReportBundle, ReportCapture, SessionFigures } from '@shared/report-model';
import type { Session } from '@shared/trace';
import { escapeHtml, formatCount, formatDuration } from './escape';
import { captureFindingDetails, sessionFindingDetails, type FindingDetail } from './finding-details';
import { REPORT_CSS } from './html-style';
import { captureTimeline, renderTimelineSvg, sessionTimeline } from './render-timeline-svg';
import { summarizeCapture } from './capture-figures';
import { summarizeSession } from './session-figures';
import { connectionTable, flagTable, MAX_TABLE_ROWS, settingsTable, shownStreams, streamTable, type TextTable } from './report-tables';
import { osDefaultsText } from '@shared/keepalive-settings-text';
import { http2ConnectionTable, http2FigureList, http2RunOf } from './http2-report';
import { HAR_LEGEND, harAboutLines, harConnectionTable, harFigureList, harRunOf, harSettingsTable, type HarRun } from './har-report';
import { comparedPrefix, renderComparisonHtml } from './comparison-report';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

function figure(name: string, label: string, value: number): string {
  return `<div><dt>${escapeHtml(label)}</dt><dd data-figure="${escapeHtml(name)}">${escapeHtml(formatCount(value))}</dd></div>`;
}

export function renderTableHtml(table: TextTable): string {
  const head = table.headers.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join('');
  const body = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  const note = table.note ? `<p class="note">${escapeHtml(table.note)}</p>` : '';
  return `<div class="scroll"><table><caption>${escapeHtml(table.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>${note}`;
}

/** The timeline in a frame that scrolls sideways on a narrow window (html-style.ts: .timeline-frame). */
function timelineFrame(svg: string): string {
  return `<div class="scroll timeline-frame">${svg}</div>`;
}

function renderFindings(findings: readonly FindingDetail[]): string {
  if (findings.length === 0) return '<p class="note">Nothing to explain here.</p>';
  return findings
    .map(({ explanation, seenHere }) =>
      [
        `<article class="finding" data-kind="${escapeHtml(explanation.kind)}">`,
        `<h4>${escapeHtml(explanation.title)}</h4>`,
        `<p><strong>What you see.</strong> ${escapeHtml(explanation.whatYouSee)}</p>`,
        `<p><strong>Why the tool concluded it.</strong> ${escapeHtml(explanation.whyConcluded)}</p>`,
        `<p><strong>Seen here.</strong> ${escapeHtml(seenHere)}</p>`,
        `<p><strong>Try next.</strong> ${escapeHtml(explanation.tryNext)}</p>`,
        '</article>',
      ].join(''),
    )
    .join('\n');
}

const SESSION_LEGEND =
  '<ul class="legend"><li><i style="background:var(--new)"></i>request on a new connection</li><li><i style="background:var(--reused)"></i>request on a reused connection</li><li><i style="background:var(--failed)"></i>failed request</li><li><i style="background:var(--probe)"></i>keep-alive probe</li><li>| FIN, ✕ RST</li></ul>';
/** An HTTP/2 run's lanes: streams on one connection, its PINGs; a lane ends with GOAWAY and FIN, or at the run's end. */
const HTTP2_LEGEND =
  '<ul class="legend"><li><i style="background:var(--new)"></i>stream that opened its connection (paid the TCP and TLS handshake)</li><li><i style="background:var(--reused)"></i>stream on the connection already open</li><li><i style="background:var(--failed)"></i>failed stream</li><li><i style="background:var(--probe)"></i>HTTP/2 PING</li><li>| connection closed (FIN), after the server’s GOAWAY or at the run’s end</li></ul>';
const CAPTURE_LEGEND =
  '<ul class="legend"><li><i style="background:var(--fin);opacity:.55"></i>ended with FIN</li><li><i style="background:var(--rst);opacity:.55"></i>ended with RST</li><li><i style="background:var(--open);opacity:.55"></i>still open at the end of the capture</li></ul>';

/** A HAR file's section: its own figures, lanes, connection table and findings (har-report.ts). */
function renderHarSession(run: HarRun, figures: SessionFigures, index: number, prefix: string): string {
  const { session, facts } = run;
  return [
    `<section class="session" id="session-${index}" data-session="${escapeHtml(session.id)}">`,
    `<h2>${escapeHtml(prefix + session.title)} <span class="meta">(HAR file, ${escapeHtml(formatDuration(figures.durationS))})</span></h2>`,
    `<p class="headline">${escapeHtml(figures.headline)}</p>`,
    `<ul>${harAboutLines(facts)
      .map((line) => `<li${line.startsWith('Warning:') ? ' class="warning"' : ''}>${escapeHtml(line)}</li>`)
      .join('')}</ul>`,
    '<dl class="figures">',
    ...harFigureList(figures, facts).map(([key, label, value]) => figure(key, label, value)),
    '</dl>',
    '<h3>Timeline</h3>',
    timelineFrame(renderTimelineSvg(sessionTimeline(session, figures))),
    HAR_LEGEND,
    '<h3>Connections</h3>',
    renderTableHtml(harConnectionTable(run, figures, MAX_TABLE_ROWS)),
    '<h3>Findings</h3>',
    renderFindings(sessionFindingDetails(session, figures)),
    '<h3>The file</h3>',
    renderTableHtml(harSettingsTable(session, facts)),
    '</section>',
  ].join('\n');
}

function renderSession(session: Session, figures: SessionFigures, index: number, prefix: string): string {
  const har = harRunOf(session);
  if (har) return renderHarSession(har, figures, index, prefix);
  const http2 = http2RunOf(session);
  return [
    `<section class="session" id="session-${index}" data-session="${escapeHtml(session.id)}">`,
    `<h2>${escapeHtml(prefix + session.title)} <span class="meta">(${escapeHtml(session.kind)}, ${escapeHtml(formatDuration(figures.durationS))})</span></h2>`,
    `<p class="headline">${escapeHtml(figures.headline)}</p>`,
    '<dl class="figures">',
    ...(http2
      ? http2FigureList(http2).map(([key, label, value]) => figure(key, label, value))
      : [
          figure('requests', 'Requests', figures.requests),
          figure('connections', 'Connections', figures.connections),
          figure('reused', 'Reused', figures.reusedRequests),
          figure('failed', 'Failed', figures.failedRequests),
          figure('probes', 'Keep-alive probes', figures.probes),
          figure('pool-waits', 'Waited for a free connection', figures.poolWaits),
        ]),
    '</dl>',
    '<h3>Timeline</h3>',
    timelineFrame(renderTimelineSvg(sessionTimeline(session, figures))),
    http2 ? HTTP2_LEGEND : SESSION_LEGEND,
    '<h3>Connections</h3>',
    renderTableHtml(http2 ? http2ConnectionTable(http2, session, MAX_TABLE_ROWS) : connectionTable(figures)),
    '<h3>Findings</h3>',
    renderFindings(sessionFindingDetails(session, figures)),
    '<h3>Settings</h3>',
    renderTableHtml(settingsTable(session.title, session.settings)),
    '</section>',
  ].join('\n');
}

function renderCapture(capture: ReportCapture, figures: CaptureFigures, index: number): string {
  const warnings = capture.warnings.length
    ? `<ul>${capture.warnings
        .slice(0, 50)
        .map((warning) => `<li class="warning">${escapeHtml(warning)}</li>`)
        .join('')}</ul>`
    : '';
  return [
    `<section class="capture" id="capture-${index}" data-capture="${escapeHtml(capture.file)}">`,
    `<h2>Capture ${escapeHtml(capture.file)} <span class="meta">(${escapeHtml(capture.format)})</span></h2>`,
    `<p class="headline">${escapeHtml(figures.headline)}</p>`,
    warnings,
    '<dl class="figures">',
    figure('packets', 'Packets', figures.packets),
    figure('streams', 'Connections', figures.streams),
    figure('http-requests', 'HTTP requests', figures.httpRequests),
    figure('reused', 'Reused', figures.reusedRequests),
    figure('keep-alives', 'Keep-alive probes', figures.keepAlives),
    figure('keep-alive-acks', 'Probe ACKs', figures.keepAliveAcks),
    figure('ended-rst', 'Ended with RST', figures.endedRst),
    '</dl>',
    '<h3>Timeline</h3>',
    timelineFrame(renderTimelineSvg(captureTimeline(capture.file, capture.streams, shownStreams(capture), capture.mainGroup))),
    CAPTURE_LEGEND,
    '<h3>Connections</h3>',
    renderTableHtml(streamTable(capture)),
    renderTableHtml(flagTable(capture)),
    '<h3>Findings</h3>',
    renderFindings(captureFindingDetails(capture, figures)),
    '</section>',
  ].join('\n');
}

function renderEnvironment(bundle: ReportBundle): string {
  const defaults = bundle.app.keepaliveDefaults;
  const rows: [string, string][] = [
    ['App version', `Keepalive Lab ${bundle.app.appVersion}`],
    ['Platform', bundle.app.platform],
    ['Node', bundle.app.nodeVersion],
    ['OS keepalive defaults', osDefaultsText(defaults)],
    ['Defaults read from', defaults.source],
  ];
  return `<section id="environment"><h2>Environment</h2><table><tbody>${rows.map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</tbody></table></section>`;
}

export function renderHtml(bundle: ReportBundle): string {
  const sessions = bundle.sessions.map((session) => ({ session, figures: summarizeSession(session) }));
  const captures = bundle.captures.map((capture) => ({ capture, figures: summarizeCapture(capture) }));
  const summaryItems = [
    ...sessions.map(
      ({ session, figures }, index) =>
        `<li><a href="#session-${index}">${escapeHtml(comparedPrefix(bundle, session.id) + session.title)}</a>: ${escapeHtml(figures.headline)}</li>`,
    ),
    ...captures.map(
      ({ capture, figures }, index) =>
        `<li><a href="#capture-${index}">${escapeHtml(capture.file)}</a>: ${escapeHtml(figures.headline)}</li>`,
    ),
  ];
  const body = [
    '<header><h1>Keepalive Lab report</h1>',
    `<p class="meta">Created <time datetime="${escapeHtml(bundle.createdAt)}">${escapeHtml(bundle.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</time> by Keepalive Lab ${escapeHtml(bundle.app.appVersion)}</p></header>`,
    // two runs compared: what differs comes first, before the two sessions it sums up
    ...(bundle.comparisons ?? []).map((comparison, index) => renderComparisonHtml(bundle, comparison, index, renderTableHtml)),
    '<section id="summary"><h2>Summary</h2>',
    summaryItems.length
      ? `<ul class="summary">${summaryItems.join('')}</ul>`
      : '<p class="note">This report holds no session and no capture.</p>',
    '</section>',
    ...sessions.map(({ session, figures }, index) => renderSession(session, figures, index, comparedPrefix(bundle, session.id))),
    ...captures.map(({ capture, figures }, index) => renderCapture(capture, figures, index)),
    renderEnvironment(bundle),
    '<footer>Keep-alive verdicts follow Wireshark’s TCP analysis rules; explanations are the app’s own (src/shared/explain.ts).</footer>',
  ];
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Keepalive Lab report</title>',
    `<style>${REPORT_CSS}</style></head><body>`,
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}
