/** Text and attribute escaping for the HTML/SVG report (every value from a trace is untrusted text). */
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** A duration in the unit a reader expects: µs, ms, s, min, h. */
export function formatDuration(seconds: number): string {
  const magnitude = Math.abs(seconds);
  if (magnitude === 0) return '0 s';
  if (magnitude < 0.001) return `${trim(seconds * 1e6)} µs`;
  if (magnitude < 1) return `${trim(seconds * 1e3)} ms`;
  if (magnitude < 120) return `${trim(seconds)} s`;
  if (magnitude < 7200) return `${trim(seconds / 60)} min`;
  return `${trim(seconds / 3600)} h`;
}

function trim(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
