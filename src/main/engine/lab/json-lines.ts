/**
 * Newline-delimited JSON framing shared by the echo server and the mux client.
 * A line is bytes up to '\n'; the decoder never holds more than `maxLineBytes`
 * of an unfinished line, so a peer cannot make us buffer without bound.
 */

/** 1 MiB: a longer line is treated as abuse and the connection is closed */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;

export class LineTooLongError extends Error {
  readonly code = 'line-too-long';
  constructor(readonly limitBytes: number) {
    super(`line longer than ${limitBytes} bytes`);
    this.name = 'LineTooLongError';
  }
}

/** Splits a byte stream into lines; `push` returns the complete lines found in the chunk. */
export class LineDecoder {
  private parts: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES) {}

  /** Throws LineTooLongError once an unfinished line exceeds the limit. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let index = chunk.indexOf(NEWLINE); index !== -1; index = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, index);
      if (this.pendingBytes + piece.length > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes);
      this.parts.push(piece);
      lines.push(Buffer.concat(this.parts).toString('utf8'));
      this.parts = [];
      this.pendingBytes = 0;
      start = index + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.pendingBytes += rest.length;
      if (this.pendingBytes > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes);
      // copy: the socket may reuse its chunk buffer
      this.parts.push(Buffer.from(rest));
    }
    return lines;
  }

  /** bytes of an unfinished line held right now */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }
}

export interface EchoRequest {
  uid: string;
  val: string;
}

export interface EchoResponse {
  uid: string;
  val: string;
  /** ISO 8601 time the server answered */
  ts: string;
}

export type ParsedLine = { kind: 'request'; request: EchoRequest } | { kind: 'invalid'; reason: string };

/** A line as a JSON object, or why it is not one. */
function parseObject(line: string): { kind: 'object'; record: Record<string, unknown> } | { kind: 'invalid'; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null) return { kind: 'invalid', reason: 'not a JSON object' };
  return { kind: 'object', record: value as Record<string, unknown> };
}

/** Validates a request line: an object with string `uid` and `val`. */
export function parseRequestLine(line: string): ParsedLine {
  const parsed = parseObject(line);
  if (parsed.kind === 'invalid') return parsed;
  const { uid, val } = parsed.record;
  if (typeof uid !== 'string' || typeof val !== 'string') return { kind: 'invalid', reason: 'expected {"uid": string, "val": string}' };
  return { kind: 'request', request: { uid, val } };
}

export type ParsedReply =
  { kind: 'response'; response: EchoResponse } | { kind: 'error'; error: string } | { kind: 'invalid'; reason: string };

export function parseReplyLine(line: string): ParsedReply {
  const parsed = parseObject(line);
  if (parsed.kind === 'invalid') return parsed;
  const record = parsed.record;
  if (typeof record.error === 'string') return { kind: 'error', error: record.error };
  if (typeof record.uid !== 'string' || typeof record.val !== 'string' || typeof record.ts !== 'string') {
    return { kind: 'invalid', reason: 'expected {"uid", "val", "ts"}' };
  }
  return { kind: 'response', response: { uid: record.uid, val: record.val, ts: record.ts } };
}
