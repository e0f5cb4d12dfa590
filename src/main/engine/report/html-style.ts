/**
 * The report's only style sheet, inlined in the file. No fonts, images or
 * imports: the report must open offline and print on paper as on screen.
 */
export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de;
  --new: #d4760a; --reused: #1a7f37; --failed: #cf222e; --probe: #8250df; --fin: #57606a; --rst: #cf222e; --open: #0969da; }
@media screen and (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9da7b3; --bg: #0d1117; --panel: #161b22; --line: #30363d;
    --new: #f0883e; --reused: #3fb950; --failed: #f85149; --probe: #bc8cff; --fin: #9da7b3; --rst: #f85149; --open: #58a6ff; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1040px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta, .note, caption { color: var(--muted); }
caption { text-align: left; padding: 4px 0; }
.headline { font-size: 16px; font-weight: 600; }
ul.summary { padding-left: 18px; }
ul.sides { list-style: none; padding-left: 0; } ul.sides b { display: inline-block; min-width: 1.6em; }
ul.differences li { font-size: 15px; font-weight: 600; }
dl.figures { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
dl.figures div { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 110px; }
dl.figures dt { color: var(--muted); font-size: 12px; }
dl.figures dd { margin: 0; font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 12.5px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: var(--panel); }
.scroll { overflow-x: auto; }
svg.timeline { max-width: 100%; height: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
/* on a narrow window the timeline scrolls sideways rather than shrink its 11 px labels below 9 px */
.timeline-frame svg.timeline { min-width: 800px; }
svg .axis, svg .label { font-size: 11px; fill: var(--muted); }
svg .axis { text-anchor: middle; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .life { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 2 2; }
svg .span.new { fill: var(--new); } svg .span.reused { fill: var(--reused); } svg .span.failed, svg .span.error { fill: var(--failed); }
svg .span.fin, svg .span.timeout { fill: var(--fin); opacity: 0.55; } svg .span.rst { fill: var(--rst); opacity: 0.55; } svg .span.open { fill: var(--open); opacity: 0.55; }
svg .probe { stroke: var(--probe); stroke-width: 1.5; }
svg .end { font-size: 12px; font-weight: 700; text-anchor: middle; } svg .end.fin { fill: var(--fin); } svg .end.rst { fill: var(--rst); }
svg .density { fill: var(--open); opacity: 0.7; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; color: var(--muted); margin: 4px 0 10px; padding: 0; list-style: none; }
.legend i { display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: middle; border-radius: 2px; }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--probe); border-radius: 6px; padding: 8px 12px; margin: 10px 0; background: var(--panel); }
.finding h4 { margin: 0 0 4px; font-size: 14px; }
.finding p { margin: 4px 0; }
.warning { color: var(--failed); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  section, .finding, table, svg.timeline { break-inside: avoid; }
  h2 { break-after: avoid; }
  .scroll { overflow: visible; }
  .timeline-frame svg.timeline { min-width: 0; }
  dl.figures div, th, .finding, svg.timeline { background: none; }
}
`;
