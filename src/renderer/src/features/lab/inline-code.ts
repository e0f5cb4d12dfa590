/**
 * Text with `backtick` spans, as the scenario lessons write option names and
 * header values, split into text and code parts (drawn as <code>, never as raw backticks).
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */

const BACKTICKED = /`([^`]+)`/g;

/** Splits "send `Connection: close`" into text and code parts; an unpaired backtick stays as it is. */
export function inlineCodeParts(text: string): Array<{ code: boolean; text: string }> {
  const parts: Array<{ code: boolean; text: string }> = [];
  let last = 0;
  for (const match of text.matchAll(BACKTICKED)) {
    const start = match.index ?? 0;
    if (start > last) parts.push({ code: false, text: text.slice(last, start) });
    parts.push({ code: true, text: match[1] ?? '' });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push({ code: false, text: text.slice(last) });
  return parts;
}
