/**
 * One HAR entry, checked: the fields the importer reads, each of the right type, or the entry is
 * skipped with a reason. Timings follow HAR 1.2: -1 (or absent) means "does not apply" (null
 * here); `ssl` is included in `connect` (an entry that counts it apart gets it added: see
 * sslCountedApart); `time` is the sum of the non-negative parts.
 */
import type { HttpVersionFamily } from '@shared/api-har';

/** A timing above this is not a real page load's (one hour, ms): treated as missing. */
export const MAX_TIMING_MS = 3_600_000;

/** reason → entry indexes, turned into warnings by the reader */
export type SkipTally = Map<string, number[]>;

export const TIMING_NAMES = ['blocked', 'dns', 'connect', 'ssl', 'send', 'wait', 'receive'] as const;
export type TimingName = (typeof TIMING_NAMES)[number];
export type EntryTimings = Record<TimingName, number | null>;

export interface HarEntry {
  /** position in log.entries, 0-based */
  index: number;
  startedDateTime: string;
  /** ms since 1970 */
  startedMs: number;
  /** ms, the entry's `time` (or the sum of its timings) */
  totalMs: number;
  method: string;
  url: string;
  /** scheme://host[:port], "" for URLs without one (data:, blob:) */
  origin: string;
  status: number | null;
  pageref: string | null;
  httpVersion: HttpVersionFamily;
  serverIPAddress: string | null;
  /** the file's `connection` (or WebPageTest's `_socket`) as text, null when absent or empty */
  connectionField: string | null;
  socketField: string | null;
  timings: EntryTimings;
  /** the response said `Connection: close` */
  responseClosed: boolean;
  /** Chrome's `_fromCache`, or no network (status 0, no timings) */
  offNetwork: boolean;
  /** `_keepaliveLab` fields written by this app's own export */
  lab: {
    cause: string | null;
    connection: string | null;
    /** ms the lab's pool queued it (all the run's connections were busy); null: not queued; undefined: not recorded (older exports) */
    waitedForPoolMs?: number | null;
  } | null;
}

function note(tally: SkipTally, reason: string, index: number): void {
  const list = tally.get(reason);
  if (list) list.push(index);
  else tally.set(reason, [index]);
}

/** "h2", "HTTP/2.0", "http/2.0+quic/46", "spdy", "1.1", … → the family; "unknown", "", junk → unknown. */
export function httpVersionFamily(value: unknown): HttpVersionFamily {
  if (typeof value !== 'string') return 'unknown';
  const text = value.trim().toLowerCase();
  if (/^(h3|http\/3)|quic/.test(text)) return 'h3';
  if (/^(h2|http\/2|spdy)/.test(text)) return 'h2';
  if (/^(http\/)?1\.[01]$/.test(text)) return 'h1';
  return 'unknown';
}

export function originOf(url: string): string {
  if (!URL.canParse(url)) return '';
  const parsed = new URL(url);
  return parsed.origin === 'null' ? '' : parsed.origin;
}

function idText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim().length > 0) return value.trim();
  return null;
}

function readTimings(value: unknown, index: number, tally: SkipTally): EntryTimings | null {
  if (value !== undefined && (value === null || typeof value !== 'object')) return null;
  const record = (value ?? {}) as Record<string, unknown>;
  const timings = {} as EntryTimings;
  for (const name of TIMING_NAMES) {
    const raw = record[name];
    if (raw === undefined || raw === null || raw === -1) timings[name] = null;
    else if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      note(tally, `had a timing that is not a number: it was ignored`, index);
      timings[name] = null;
    } else if (raw < 0) {
      note(tally, `had a negative timing other than -1: it was ignored`, index);
      timings[name] = null;
    } else if (raw > MAX_TIMING_MS) {
      note(tally, `had a timing over an hour: it was ignored`, index);
      timings[name] = null;
    } else timings[name] = raw;
  }
  return timings;
}

/** The reader's note (a warning naming the entries) on entries whose `connect` it made TCP + TLS. */
export const SSL_APART_NOTE =
  'counted TLS (ssl) apart from connect (HAR 1.2 counts it inside): connect is shown here as TCP + TLS, the file’s connect + ssl';

/**
 * HAR 1.2: "ssl … If this field is defined then the time is also included in the connect field",
 * and `time` is the sum of the parts with ssl left out. Firefox and Playwright write ssl apart
 * instead (Firefox 111: connect 32, ssl 66, time = blocked + connect + ssl + wait). The entry
 * says which: an ssl longer than its connect cannot be inside it, nor one that `time` adds on top.
 */
function sslCountedApart(timings: EntryTimings, time: unknown): boolean {
  const ssl = timings.ssl ?? 0;
  // no connect to add it to (-1, or a timing dropped as wrong): the file's values stay as they are
  if (ssl <= 0 || timings.connect === null) return false;
  if (timings.connect < ssl) return true;
  if (typeof time !== 'number' || !Number.isFinite(time)) return false;
  const withoutSsl = TIMING_NAMES.filter((name) => name !== 'ssl').reduce((sum, name) => sum + (timings[name] ?? 0), 0);
  return Math.abs(time - (withoutSsl + ssl)) < Math.abs(time - withoutSsl);
}

function hasConnectionClose(headers: unknown): boolean {
  if (!Array.isArray(headers)) return false;
  return headers.some(
    (header) =>
      header &&
      typeof header === 'object' &&
      typeof header.name === 'string' &&
      header.name.toLowerCase() === 'connection' &&
      typeof header.value === 'string' &&
      /\bclose\b/i.test(header.value),
  );
}

function labFields(value: unknown): HarEntry['lab'] {
  if (!value || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  const waited = record['waitedForPoolMs'];
  return {
    cause: typeof record['cause'] === 'string' ? record['cause'] : null,
    connection: idText(record['connection']),
    ...(waited === null || (typeof waited === 'number' && Number.isFinite(waited) && waited >= 0) ? { waitedForPoolMs: waited } : {}),
  };
}

/** The checked entry, or null (counted in `tally` with the reason) when it cannot be used. */
export function checkEntry(raw: unknown, index: number, tally: SkipTally): HarEntry | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return skip(tally, 'skipped: not an object', index);
  const entry = raw as Record<string, unknown>;
  const request = entry['request'] as Record<string, unknown> | undefined;
  const response = entry['response'] as Record<string, unknown> | undefined;
  if (!request || typeof request !== 'object') return skip(tally, 'skipped: no "request" object', index);
  if (typeof request['url'] !== 'string') return skip(tally, 'skipped: "request.url" is not text', index);
  const started = entry['startedDateTime'];
  const startedMs = typeof started === 'string' ? Date.parse(started) + belowMillisecond(started) : Number.NaN;
  if (!Number.isFinite(startedMs)) return skip(tally, 'skipped: "startedDateTime" is not a date', index);
  const timings = readTimings(entry['timings'], index, tally);
  if (!timings) return skip(tally, 'skipped: "timings" is not an object', index);
  const time = entry['time'];
  if (sslCountedApart(timings, time)) {
    // one meaning of connect for every writer: TCP + TLS, as HAR 1.2 defines it, so no sum counts ssl twice
    timings.connect = (timings.connect ?? 0) + (timings.ssl ?? 0);
    note(tally, SSL_APART_NOTE, index);
  }
  const parts = TIMING_NAMES.filter((name) => name !== 'ssl').reduce((sum, name) => sum + (timings[name] ?? 0), 0);
  const totalMs = typeof time === 'number' && Number.isFinite(time) && time >= 0 && time <= MAX_TIMING_MS ? time : parts;
  const statusValue = response && typeof response === 'object' ? response['status'] : undefined;
  const status = typeof statusValue === 'number' && Number.isFinite(statusValue) ? statusValue : null;
  const noTimings = timings.send === null && timings.wait === null && timings.receive === null;
  const ip = entry['serverIPAddress'];
  const serverIPAddress = typeof ip === 'string' && ip.length > 0 ? ip.replace(/^\[|\]$/g, '') : null;
  const httpVersion = [request['httpVersion'], response?.['httpVersion'], entry['_protocol']]
    .map(httpVersionFamily)
    .find((v) => v !== 'unknown');
  return {
    index,
    startedDateTime: started as string,
    startedMs,
    totalMs,
    method: typeof request['method'] === 'string' ? request['method'] : 'GET',
    url: request['url'],
    origin: originOf(request['url']),
    status,
    pageref: typeof entry['pageref'] === 'string' ? entry['pageref'] : null,
    httpVersion: httpVersion ?? 'unknown',
    serverIPAddress,
    connectionField: idText(entry['connection']),
    socketField: idText(entry['_socket']),
    timings,
    responseClosed: hasConnectionClose(response?.['headers']),
    offNetwork:
      originOf(request['url']) === '' ||
      Boolean(entry['_fromCache']) ||
      ((status === 0 || status === null) && serverIPAddress === null) ||
      noTimings,
    lab: labFields(entry['_keepaliveLab']),
  };
}

/**
 * ms below the millisecond that `Date.parse` drops: ISO 8601 allows any number of digits after
 * the seconds' point, and some writers give more than three (Fiddler 7, this app's export 6), so
 * that entries following each other on one connection do not seem to overlap by a rounding.
 */
function belowMillisecond(date: string): number {
  const digits = /T\d{2}:\d{2}:\d{2}\.\d{3}(\d+)/.exec(date)?.[1];
  return digits ? Number(`0.${digits}`) : 0;
}

function skip(tally: SkipTally, reason: string, index: number): null {
  note(tally, reason, index);
  return null;
}
