/**
 * `--json` output written in pieces: the same text as `JSON.stringify(value, null, 2)` plus a newline,
 * but never held as one string. A 100,000-request `http --json` is about 80 MB of text; built at once,
 * that string (UTF-16 in V8, so twice its size) and the stringifier's own buffers sat beside the result.
 * Written value by value, memory grows by one piece at a time (stdout to a file or a pipe is
 * synchronous on Linux: https://nodejs.org/api/process.html#a-note-on-process-io).
 */

/** Pieces smaller than this (characters) are gathered before a write, so small values do not each cost a write call. */
const PIECE_CHARS = 64 * 1024;
const INDENT = '  ';

/** Writes `value` as `JSON.stringify(value, null, 2) + '\n'` does, through `write`, a piece at a time. */
export function writeJson(value: unknown, write: (text: string) => void): void {
  let pending = '';
  const emit = (text: string) => {
    pending += text;
    if (pending.length >= PIECE_CHARS) {
      write(pending);
      pending = '';
    }
  };
  writeValue(value, '', emit);
  write(`${pending}\n`);
}

/** What JSON.stringify makes of a value before it writes it: toJSON applied. */
function prepared(value: unknown): unknown {
  const withToJson = value as { toJSON?: () => unknown } | null;
  return withToJson !== null && typeof withToJson === 'object' && typeof withToJson.toJSON === 'function' ? withToJson.toJSON() : value;
}

/** Values JSON.stringify leaves out of an object (and writes as null in an array). */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function writeValue(raw: unknown, indent: string, emit: (text: string) => void): void {
  const value = prepared(raw);
  if (value === null || typeof value !== 'object') {
    emit(JSON.stringify(value) ?? 'null');
    return;
  }
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    if (value.length === 0) return emit('[]');
    emit('[');
    value.forEach((item, index) => {
      emit(`${index === 0 ? '' : ','}\n${inner}`);
      if (isSkipped(prepared(item))) emit('null');
      else writeValue(item, inner, emit);
    });
    emit(`\n${indent}]`);
    return;
  }
  const entries = Object.entries(value).filter(([, item]) => !isSkipped(prepared(item)));
  if (entries.length === 0) return emit('{}');
  emit('{');
  entries.forEach(([key, item], index) => {
    emit(`${index === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `);
    writeValue(item, inner, emit);
  });
  emit(`\n${indent}}`);
}
