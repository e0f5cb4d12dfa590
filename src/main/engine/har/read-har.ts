/**
 * Reads a HAR file (HTTP Archive 1.2, http://www.softwareishard.com/blog/har-12-spec/) into
 * checked entries. A HAR is one JSON document:
 *
 *   { "log": { "version", "creator": {name, version}, "browser"?, "pages"?: [...],
 *              "entries": [ { "startedDateTime", "time", "request": {method, url, httpVersion},
 *                             "response": {status, httpVersion, headers}, "timings": {...},
 *                             "serverIPAddress"?, "connection"?, "pageref"? }, ... ] } }
 *
 * The file is read whole (JSON has no record boundaries to stream on without a tokenizer), so
 * it is capped at MAX_HAR_BYTES with a message that says so. Every entry is checked on its
 * own: one with a field of the wrong type is skipped and counted in a warning; timings that
 * are negative (other than HAR's -1 for "not applicable") or absurd are dropped and counted.
 */
import { readFile, stat } from 'node:fs/promises';
import { BROWSER_CONNECTION_LIMIT, type HarConnectionLimit } from '@shared/har-cause';
import { checkEntry, type HarEntry, type SkipTally } from './har-entry';

/** Largest HAR read, bytes: JSON.parse needs the text and its objects in memory at once (about 3× the file). */
export const MAX_HAR_BYTES = 100 * 1024 * 1024;
/** Most entries imported; the rest are skipped with a warning (a real page load has hundreds, a long session thousands). */
export const MAX_HAR_ENTRIES = 50_000;

export type HarErrorCode = 'empty' | 'too-large' | 'not-json' | 'not-a-har';

/** The file cannot be read as a HAR at all (one sentence, no path). */
export class HarFormatError extends Error {
  constructor(
    readonly code: HarErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HarFormatError';
  }
}

export interface HarLog {
  creator: { name: string; version: string };
  browser: { name: string; version: string } | null;
  pages: Array<{ id: string; title: string; startedDateTime: string; onLoadMs: number | null }>;
  /** checked entries, in file order */
  entries: HarEntry[];
  warnings: string[];
  /** the HTTP/1.1 connections per origin pool waits are measured against: the run's own in a Keepalive Lab export, else the browsers' 6 */
  connectionLimit: HarConnectionLimit;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

export async function readHarFile(path: string): Promise<HarLog> {
  const size = (await stat(path)).size;
  if (size > MAX_HAR_BYTES) {
    throw new HarFormatError(
      'too-large',
      `this HAR file is ${megabytes(size)}, over the ${megabytes(MAX_HAR_BYTES)} Keepalive Lab reads; save it again without response bodies (DevTools: "Save all as HAR (sanitized)") or with fewer requests`,
    );
  }
  return parseHarText((await readFile(path)).toString('utf8'));
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function nameVersion(value: unknown): { name: string; version: string } | null {
  if (!value || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  return { name: text(record['name'], 'unknown'), version: text(record['version'], '') };
}

export function parseHarText(source: string): HarLog {
  const body = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const start = body.trimStart();
  if (start.length === 0) throw new HarFormatError('empty', 'the file is empty');
  if (!start.startsWith('{')) throw new HarFormatError('not-json', 'not a HAR file: it does not start with "{"');
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    throw new HarFormatError('not-json', `not a HAR file: the JSON is broken (${(error as Error).message}); was the file cut short?`);
  }
  const log = (document as { log?: unknown }).log;
  if (!log || typeof log !== 'object') throw new HarFormatError('not-a-har', 'not a HAR file: it has no "log" object');
  const record = log as Record<string, unknown>;
  const rawEntries = record['entries'];
  if (!Array.isArray(rawEntries)) throw new HarFormatError('not-a-har', 'not a HAR file: "log.entries" is missing or not a list');
  const warnings: string[] = [];
  if (rawEntries.length > MAX_HAR_ENTRIES) {
    warnings.push(
      `the file has ${rawEntries.length.toLocaleString('en-US')} entries: only the first ${MAX_HAR_ENTRIES.toLocaleString('en-US')} were read`,
    );
  }
  const tally: SkipTally = new Map();
  const entries: HarEntry[] = [];
  const limit = Math.min(rawEntries.length, MAX_HAR_ENTRIES);
  for (let index = 0; index < limit; index++) {
    const entry = checkEntry(rawEntries[index], index, tally);
    if (entry) entries.push(entry);
  }
  for (const [reason, indexes] of tally) warnings.push(describeSkips(reason, indexes));
  return {
    creator: nameVersion(record['creator']) ?? { name: 'unknown', version: '' },
    browser: nameVersion(record['browser']),
    pages: readPages(record['pages'], warnings),
    entries,
    warnings,
    connectionLimit: labConnectionLimit(record['_keepaliveLab'], record['creator']) ?? BROWSER_CONNECTION_LIMIT,
  };
}

/** `log._keepaliveLab` of a file Keepalive Lab exported from an HTTP lab run: the run's limit per origin (session-to-har.ts). */
function labConnectionLimit(value: unknown, creator: unknown): HarConnectionLimit | null {
  if (nameVersion(creator)?.name !== 'keepalive-lab' || !value || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  const perOrigin = record['connectionsPerOrigin'];
  const setting = record['limitSetting'];
  // only the names the export writes: the setting is shown in sentences
  if (setting !== 'maxSockets' && setting !== 'connections') return null;
  if (perOrigin === null) return { perOrigin: null, from: 'lab', setting };
  if (typeof perOrigin !== 'number' || !Number.isInteger(perOrigin) || perOrigin < 1) return null;
  return { perOrigin, from: 'lab', setting };
}

/** "3 entries skipped: startedDateTime is not a date (entries 4, 7, 9)" */
function describeSkips(reason: string, indexes: number[]): string {
  const shown = indexes.slice(0, 5).join(', ');
  const more = indexes.length > 5 ? `, … ${indexes.length - 5} more` : '';
  const noun = indexes.length === 1 ? 'entry' : 'entries';
  return `${indexes.length} ${noun} ${reason} (${noun} ${shown}${more})`;
}

function readPages(value: unknown, warnings: string[]): HarLog['pages'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    warnings.push('"log.pages" is not a list: pages ignored');
    return [];
  }
  const pages: HarLog['pages'] = [];
  for (const page of value.slice(0, MAX_HAR_ENTRIES)) {
    if (!page || typeof page !== 'object' || typeof (page as { id?: unknown }).id !== 'string') continue;
    const record = page as Record<string, unknown>;
    const timings = record['pageTimings'] as Record<string, unknown> | undefined;
    const onLoad = timings?.['onLoad'];
    pages.push({
      id: record['id'] as string,
      title: text(record['title'], ''),
      startedDateTime: text(record['startedDateTime'], ''),
      onLoadMs: typeof onLoad === 'number' && Number.isFinite(onLoad) && onLoad >= 0 ? onLoad : null,
    });
  }
  if (pages.length < value.length) warnings.push(`${value.length - pages.length} pages without an id ignored`);
  return pages;
}
