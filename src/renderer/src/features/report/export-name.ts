/** Saving a report under a name: which format a file name asks for, and what to tell when it differs from the list's choice. */
import type { ReportFormat } from '@shared/report-model';

/** Short names for sentences ("saved as Markdown"). */
export const FORMAT_NAMES: Readonly<Record<ReportFormat, string>> = { html: 'HTML', md: 'Markdown', json: 'JSON' };

/** The extensions the engine's writer maps to a format (src/main/engine/report/write-report.ts). */
const FORMAT_OF_EXTENSION: Readonly<Record<string, ReportFormat>> = {
  html: 'html',
  htm: 'html',
  md: 'md',
  markdown: 'md',
  json: 'json',
};

function extensionOf(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The format a saved file's name gave it, or null when its extension is not a report's. */
export function formatOfFileName(path: string): ReportFormat | null {
  return FORMAT_OF_EXTENSION[extensionOf(path)] ?? null;
}

/**
 * The sentence after a save. The engine writes the format the name's extension
 * asks for, so when that differs from the format chosen in the list the name
 * wins, and the sentence says so.
 */
export function savedMessage(path: string, bytes: number, chosen: ReportFormat): string {
  const saved = `Saved ${path} (${bytes.toLocaleString('en-US')} bytes)`;
  const written = formatOfFileName(path);
  if (!written || written === chosen) return `${saved}.`;
  return `${saved} as ${FORMAT_NAMES[written]}: the name's .${extensionOf(path)} decides the format, not the ${FORMAT_NAMES[chosen]} chosen in the list.`;
}
