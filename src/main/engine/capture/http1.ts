/**
 * HTTP/1.x message boundaries on one TCP stream (RFC 9112 §6: message body length), so each
 * stream gets its requests and responses and a learner sees reuse. Like tshark with its HTTP
 * heuristics on, any port counts: a direction becomes HTTP when a segment starts with a request
 * or status line. Bytes are taken in sequence order; a retransmission's old bytes are skipped.
 *
 * Boundaries: Content-Length, chunked, close-delimited responses, 1xx (no body, another
 * response follows), HEAD / 204 / 304 (no body).
 *
 * Counted as tshark counts them: a message is counted when it is whole — its header block and,
 * when its length is framed (Content-Length, chunked), its body. tshark reassembles the body
 * before the HTTP dissector adds `http.request` (the "Reassemble HTTP bodies" preference, on by
 * default), so a request whose bytes a gap cut is not counted. Those are counted apart, as seen
 * in part (`partialRequests`, `partialResponses`). A close-delimited response counts at its headers.
 */
import { seqAdd, seqAfter, seqBeforeOrEqual } from './seq';

/** Longest header block we buffer, bytes; beyond it the direction is given up (not HTTP). */
const MAX_HEADER_BYTES = 64 * 1024;
/** First window decoded when looking for the end of a header block, bytes (most blocks fit). */
const FIRST_HEADER_WINDOW_BYTES = 1024;
/** Longest chunk-size line (RFC 9112 §7.1: size, extensions, CRLF) we accept, bytes; longer is not HTTP. */
const MAX_CHUNK_LINE_BYTES = 1024;
/** Most parse steps on one segment: each step consumes bytes, so this only stops a parser bug from spinning. */
const MAX_STEPS_PER_SEGMENT = 100_000;
/** the longest method token a request line may have ([A-Z][A-Z-]{0,19}), bytes */
const MAX_METHOD_BYTES = 20;
const latin1 = new TextDecoder('latin1');
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const COLON = 0x3a;
const NO_BREAK_SPACE = 0xa0;
const HTTP_PREFIX = bytesOf('HTTP/1.');
const CONTENT_LENGTH = bytesOf('content-length');
const TRANSFER_ENCODING = bytesOf('transfer-encoding');
const CHUNKED = bytesOf('chunked');
const HEAD = bytesOf('HEAD');
const NO_BYTES = new Uint8Array(0);
/** Longest start line kept for display, characters (a long URI is cut there) */
const MAX_START_LINE_CHARS = 240;

type Phase = 'unknown' | 'headers' | 'body-length' | 'chunk-size' | 'chunk-data' | 'chunk-trailer' | 'until-close' | 'not-http';

/** The message a direction is in the middle of: none, or a request or response not yet whole. */
const NO_MESSAGE = 0;
export const REQUEST_MESSAGE = 1;
export const RESPONSE_MESSAGE = 2;
type OpenMessage = typeof NO_MESSAGE | typeof REQUEST_MESSAGE | typeof RESPONSE_MESSAGE;

/** Every request method and "HTTP/" start with an ASCII capital: other bytes are skipped without decoding. */
function startsLikeMessage(firstByte: number): boolean {
  return firstByte >= 0x41 && firstByte <= 0x5a;
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (character) => character.charCodeAt(0));
}

/** What JavaScript's String#trim removes, among latin1 characters (tab, LF, VT, FF, CR, space, no-break space). */
function isTrimmed(byte: number): boolean {
  return (byte >= 0x09 && byte <= 0x0d) || byte === SPACE || byte === NO_BREAK_SPACE;
}

/** `\S` of a regular expression, for a latin1 character. */
function isNotSpace(byte: number): boolean {
  return !isTrimmed(byte);
}

/** data[start, end) equals `expected`, ASCII letters compared without case (as toLowerCase() does on latin1). */
function equalsIgnoringCase(data: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let index = 0; index < expected.length; index++) {
    let byte = data[start + index]!;
    if (byte >= 0x41 && byte <= 0x5a) byte += 0x20;
    if (byte !== expected[index]) return false;
  }
  return true;
}

/** data[start, start + expected.length) equals `expected` exactly (and is there). */
function startsWith(data: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start < expected.length) return false;
  for (let index = 0; index < expected.length; index++) if (data[start + index] !== expected[index]) return false;
  return true;
}

/** Index of the space after a method token /^[A-Z][A-Z-]{0,19} / at data[start], or -1. */
function methodEnd(data: Uint8Array, start: number, end: number): number {
  const last = Math.min(end, start + MAX_METHOD_BYTES + 1);
  for (let offset = start; offset < last; offset++) {
    const byte = data[offset]!;
    if (byte === SPACE) return offset > start ? offset : -1;
    const capital = byte >= 0x41 && byte <= 0x5a;
    if (!capital && !(byte === 0x2d && offset > start)) return -1;
  }
  return -1;
}

/** /^(HTTP\/1\.|[A-Z][A-Z-]{0,19} )/ on data[start, end) */
function looksLikeStartLine(data: Uint8Array, start: number, end: number): boolean {
  return startsWith(data, start, end, HTTP_PREFIX) || methodEnd(data, start, end) >= 0;
}

/** What one pass over a header block found. */
interface HeaderScan {
  /** index of the CR LF CR LF that ends the block, or -1 when data ends first */
  blank: number;
  /** index of the CR LF after the start line */
  firstLineEnd: number;
  /** the last Content-Length header whose value is all digits, or -1 */
  contentLength: number;
  /** a Transfer-Encoding header ends in "chunked" */
  chunked: boolean;
}

/**
 * One pass over data[start, end): lines split at CR LF, as String#split('\r\n') would; the block
 * ends before the first CR LF CR LF. Only lines whose name starts with C or T (after leading
 * whitespace) are looked at further.
 */
function scanHeaderBlock(data: Uint8Array, start: number, end: number, out: HeaderScan): void {
  out.blank = -1;
  out.firstLineEnd = -1;
  out.contentLength = -1;
  out.chunked = false;
  let lineStart = start;
  // every other byte: one of a CR LF pair's two bytes is always looked at; most bytes are above CR
  let offset = start + 1;
  while (offset < end) {
    const byte = data[offset]!;
    let lineFeed: number;
    if (byte > CR) {
      offset += 2;
      continue;
    }
    if (byte === LF) lineFeed = offset;
    else if (byte === CR && offset + 1 < end && data[offset + 1] === LF) lineFeed = offset + 1;
    else {
      offset += 2;
      continue;
    }
    const terminator = lineFeed - 1;
    offset = lineFeed + 2;
    if (terminator < lineStart || data[terminator] !== CR) continue;
    if (out.firstLineEnd < 0) out.firstLineEnd = terminator;
    else if (terminator === lineStart) {
      out.blank = lineStart - 2;
      return;
    } else readHeaderLine(data, lineStart, terminator, out);
    lineStart = lineFeed + 1;
  }
}

/**
 * A header line data[start, end): Content-Length and Transfer-Encoding, names trimmed and without
 * case. The name is compared where it starts, so most lines stop at their first differing letter
 * ("Connection" at its third) without looking for the colon.
 */
function readHeaderLine(data: Uint8Array, start: number, end: number, out: HeaderScan): void {
  let first = start;
  while (first < end && isTrimmed(data[first]!)) first++;
  const letter = (data[first] ?? 0) | 0x20;
  if (letter === 0x63) {
    const valueStart = afterName(data, first, end, CONTENT_LENGTH);
    if (valueStart < 0) return;
    const value = decimal(data, trimStart(data, valueStart, end), trimEnd(data, valueStart, end));
    if (value >= 0) out.contentLength = value;
  } else if (letter === 0x74) {
    const valueStart = afterName(data, first, end, TRANSFER_ENCODING);
    if (valueStart < 0) return;
    const valueEnd = trimEnd(data, valueStart, end);
    if (
      valueEnd - trimStart(data, valueStart, valueEnd) >= CHUNKED.length &&
      equalsIgnoringCase(data, valueEnd - CHUNKED.length, valueEnd, CHUNKED)
    )
      out.chunked = true;
  }
}

/**
 * data[first, end) starts with the header name `name` (ASCII letters without case), then trimmed
 * bytes and a colon: returns the index after the colon, else -1. The same as taking the bytes before
 * the first colon, trimmed, as the name: `name` holds no colon.
 */
function afterName(data: Uint8Array, first: number, end: number, name: Uint8Array): number {
  if (end - first <= name.length) return -1;
  for (let index = 0; index < name.length; index++) {
    let byte = data[first + index]!;
    if (byte >= 0x41 && byte <= 0x5a) byte += 0x20;
    if (byte !== name[index]) return -1;
  }
  let offset = first + name.length;
  while (offset < end && isTrimmed(data[offset]!)) offset++;
  return offset < end && data[offset] === COLON ? offset + 1 : -1;
}

/** The first index in data[start, end) that String#trim would keep, or `end`. */
function trimStart(data: Uint8Array, start: number, end: number): number {
  let offset = start;
  while (offset < end && isTrimmed(data[offset]!)) offset++;
  return offset;
}

/** One past the last index in data[start, end) that String#trim would keep, or `start`. */
function trimEnd(data: Uint8Array, start: number, end: number): number {
  let offset = end;
  while (offset > start && isTrimmed(data[offset - 1]!)) offset--;
  return offset;
}

/** /HTTP\/1\.[019]/ at data[at, at + 8) */
function isVersion(data: Uint8Array, at: number, end: number): boolean {
  // "HTTP/1." spelled out: this runs on every start line
  if (at + 8 > end || data[at] !== 0x48 || data[at + 1] !== 0x54 || data[at + 2] !== 0x54 || data[at + 3] !== 0x50) return false;
  if (data[at + 4] !== 0x2f || data[at + 5] !== 0x31 || data[at + 6] !== 0x2e) return false;
  const minor = data[at + 7];
  return minor === 0x30 || minor === 0x31 || minor === 0x39;
}

/** A parsed start line: a request (`head` for HEAD), a status line with its code, or neither. */
interface StartLine {
  kind: 'request' | 'status' | 'none';
  head: boolean;
  code: number;
}

/**
 * The start line data[start, end), as the expressions
 *   request /^([A-Z][A-Z-]{0,19}) (\S+) HTTP\/1\.[019]$/   status /^HTTP\/1\.[019] (\d{3})/
 * would read it, without making a string.
 */
function parseStartLine(data: Uint8Array, start: number, end: number, out: StartLine): void {
  out.kind = 'none';
  out.head = false;
  out.code = 0;
  if (isVersion(data, start, end) && start + 12 <= end && data[start + 8] === SPACE) {
    let code = 0;
    for (let offset = start + 9; offset < start + 12; offset++) {
      const digit = data[offset]! - 0x30;
      if (digit < 0 || digit > 9) break;
      code = code * 10 + digit;
      if (offset === start + 11) {
        out.kind = 'status';
        out.code = code;
        return;
      }
    }
  }
  // request: METHOD SP target SP HTTP/1.x, and nothing after
  const method = methodEnd(data, start, end);
  if (method < 0) return;
  let offset = method + 1;
  const targetStart = offset;
  // most target bytes are above the space: one comparison each
  for (; offset < end; offset++) {
    const byte = data[offset]!;
    if (byte > SPACE ? byte === NO_BREAK_SPACE : !isNotSpace(byte)) break;
  }
  if (offset === targetStart || data[offset] !== SPACE || offset >= end) return;
  offset += 1;
  if (offset + 8 !== end || !isVersion(data, offset, end)) return;
  out.kind = 'request';
  out.head = method - start === HEAD.length && startsWith(data, start, method, HEAD);
}

/** One direction's parser. */
class DirectionParser {
  phase: Phase = 'unknown';
  /** the header block gathered so far, when it spans segments (shared empty array until then: 100 k+ parsers) */
  private pendingHeader = NO_BYTES;
  private pendingHeaderLength = 0;
  /** a chunk-size or trailer line gathered so far */
  private pending = '';
  private bodyRemaining = 0;
  /**
   * next sequence number expected, once `sequenced` (after the first payload). Never null: a field
   * that holds null and numbers would store every sequence number from 2^31 up as a new heap number.
   */
  private nextSeq = 0;
  private sequenced = false;
  messages = 0;
  /** the message begun (start line seen) and not yet whole */
  private open: OpenMessage = NO_MESSAGE;

  private readonly startLine: StartLine = { kind: 'none', head: false, code: 0 };
  private readonly scan: HeaderScan = { blank: -1, firstLineEnd: 0, contentLength: -1, chunked: false };

  /** `owner` learns of each message and knows whether the oldest open request was a HEAD */
  constructor(private readonly owner: Http1Stream) {}

  /**
   * Feeds a segment's captured payload, `data[start, end)`, at `seq`. A gap (lost bytes)
   * resynchronises at the next message start. Takes a range, not a view, so the common case on a
   * big capture — a segment that cannot start a message while none is open — costs no allocation.
   */
  feed(seq: number, data: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length <= 0 || this.phase === 'not-http') return;
    let from = start;
    if (this.sequenced) {
      const last = seqAdd(seq, length);
      if (seqBeforeOrEqual(last, this.nextSeq)) return;
      if (seqAfter(this.nextSeq, seq)) from = start + ((this.nextSeq - seq) >>> 0);
      else if (seqAfter(seq, this.nextSeq)) {
        // bytes are missing: the open message can never be whole
        this.abandon();
        this.phase = 'unknown';
        this.pending = '';
        this.pendingHeaderLength = 0;
      }
    }
    this.nextSeq = seqAdd(seq, length);
    this.sequenced = true;
    if (this.phase === 'unknown' && !startsLikeMessage(data[from] ?? 0)) return;
    let offset = from;
    for (let guard = 0; offset < end && guard < MAX_STEPS_PER_SEGMENT; guard++) {
      const used = this.step(data, offset, end);
      if (used < 0) return;
      offset += used;
    }
  }

  /** Consumes bytes[offset, end) from the start; returns bytes used, or -1 to drop the rest of the segment. */
  private step(bytes: Uint8Array, offset: number, end: number): number {
    switch (this.phase) {
      case 'unknown':
        return this.startMessage(bytes, offset, end);
      case 'headers':
        return this.readHeaders(bytes, offset, end);
      case 'body-length': {
        const used = Math.min(this.bodyRemaining, end - offset);
        this.bodyRemaining -= used;
        if (this.bodyRemaining === 0) this.complete();
        return used;
      }
      case 'chunk-size':
      case 'chunk-trailer':
        return this.readChunkLine(bytes, offset, end);
      case 'chunk-data': {
        const used = Math.min(this.bodyRemaining, end - offset);
        this.bodyRemaining -= used;
        if (this.bodyRemaining === 0) this.phase = 'chunk-size';
        return used;
      }
      case 'until-close':
      case 'not-http':
        return -1;
      default: {
        const unreachable: never = this.phase;
        return unreachable;
      }
    }
  }

  /**
   * A message may start at `offset`. Most header blocks are whole in their first segment: the block
   * is scanned once and its start line read once. Returns the bytes used, or -1 to drop the segment.
   */
  private startMessage(bytes: Uint8Array, offset: number, end: number): number {
    if (!startsLikeMessage(bytes[offset] ?? 0)) return -1;
    const scan = this.scan;
    scanHeaderBlock(bytes, offset, end, scan);
    if (scan.blank >= 0) {
      const startLine = this.startLine;
      parseStartLine(bytes, offset, scan.firstLineEnd, startLine);
      if (startLine.kind !== 'none') {
        this.onMessageHeaders(bytes, offset, scan);
        return scan.blank + 4 - offset;
      }
      // a start line's beginning but not a valid one: not HTTP; not even its beginning: not a message start
      if (looksLikeStartLine(bytes, offset, end)) this.phase = 'not-http';
      return -1;
    }
    if (!looksLikeStartLine(bytes, offset, end)) return -1;
    this.phase = 'headers';
    this.open = startsWith(bytes, offset, end, HTTP_PREFIX) ? RESPONSE_MESSAGE : REQUEST_MESSAGE;
    this.keepHeader(bytes, offset, end);
    return end - offset;
  }

  /**
   * Looks for the blank line that ends the header block, from `offset` on (a block split across
   * segments is gathered in `pendingHeader`); returns the bytes used. Bytes, not strings, and one
   * pass: a keep-alive capture has a header block every other packet.
   */
  private readHeaders(bytes: Uint8Array, offset: number, end: number): number {
    const available = end - offset;
    const kept = this.pendingHeaderLength;
    const scan = this.scan;
    if (kept === 0) {
      scanHeaderBlock(bytes, offset, end, scan);
      if (scan.blank >= 0) {
        this.onHeaders(bytes, offset, scan);
        return scan.blank + 4 - offset;
      }
      this.keepHeader(bytes, offset, end);
      return available;
    }
    this.keepHeader(bytes, offset, end);
    if (this.pendingHeaderLength === 0) return available;
    const gathered = this.pendingHeader;
    scanHeaderBlock(gathered, 0, this.pendingHeaderLength, scan);
    if (scan.blank < 0) return available;
    this.pendingHeaderLength = 0;
    this.onHeaders(gathered, 0, scan);
    return scan.blank + 4 - kept;
  }

  /** Appends bytes[offset, end) to the gathered header block; past MAX_HEADER_BYTES the direction is not HTTP. */
  private keepHeader(bytes: Uint8Array, offset: number, end: number): void {
    const length = this.pendingHeaderLength + end - offset;
    if (length > MAX_HEADER_BYTES) {
      this.phase = 'not-http';
      this.open = NO_MESSAGE;
      this.pendingHeaderLength = 0;
      return;
    }
    if (this.pendingHeader.length < length) {
      const grown = new Uint8Array(Math.min(MAX_HEADER_BYTES, Math.max(length, 2 * this.pendingHeader.length, FIRST_HEADER_WINDOW_BYTES)));
      grown.set(this.pendingHeader.subarray(0, this.pendingHeaderLength));
      this.pendingHeader = grown;
    }
    // the last start line may be in the gathered bytes: keep its text before they are overwritten
    if (this.pendingHeaderLength === 0) this.owner.keepStartLineOf(this.pendingHeader);
    this.pendingHeader.set(bytes.subarray(offset, end), this.pendingHeaderLength);
    this.pendingHeaderLength = length;
  }

  /** The scanned header block that starts at data[start]: counts the message and sets how its body ends. */
  private onHeaders(data: Uint8Array, start: number, scan: HeaderScan): void {
    const startLine = this.startLine;
    parseStartLine(data, start, scan.firstLineEnd, startLine);
    if (startLine.kind === 'none') {
      this.phase = 'not-http';
      this.open = NO_MESSAGE;
      return;
    }
    this.onMessageHeaders(data, start, scan);
  }

  /** As onHeaders, once `startLine` holds the block's valid start line. */
  private onMessageHeaders(data: Uint8Array, start: number, scan: HeaderScan): void {
    const startLine = this.startLine;
    const request = startLine.kind === 'request';
    const headResponse = !request && this.owner.answersHead();
    this.messages += 1;
    this.open = request ? REQUEST_MESSAGE : RESPONSE_MESSAGE;
    this.owner.onHeaders(request, startLine.head, startLine.code, data, start, scan.firstLineEnd);
    const code = startLine.code;
    const bodiless = !request && ((code >= 100 && code < 200) || code === 204 || code === 304 || headResponse);
    if (bodiless) this.complete();
    else if (scan.chunked) this.phase = 'chunk-size';
    else if (scan.contentLength > 0) {
      this.bodyRemaining = scan.contentLength;
      this.phase = 'body-length';
    } else if (request || scan.contentLength === 0) this.complete();
    else {
      // close-delimited: whole only at the close, which a capture may never show; counted now
      this.complete();
      this.phase = 'until-close';
    }
  }

  /** The open message is whole: counted; the next bytes start a new one. */
  private complete(): void {
    if (this.open !== NO_MESSAGE) this.owner.onWhole(this.open === REQUEST_MESSAGE);
    this.open = NO_MESSAGE;
    this.phase = 'unknown';
  }

  /** The open message can never be whole (a gap, or the stream ended): counted as seen in part. */
  abandon(): void {
    if (this.open !== NO_MESSAGE) this.owner.onPartial(this.open === REQUEST_MESSAGE);
    this.open = NO_MESSAGE;
  }

  private readChunkLine(bytes: Uint8Array, offset: number, end: number): number {
    const text = latin1.decode(bytes.subarray(offset, Math.min(end, offset + MAX_CHUNK_LINE_BYTES)));
    const combined = this.pending + text;
    const lineLength = combined.indexOf('\r\n');
    if (lineLength < 0) {
      this.pending = combined.length > MAX_CHUNK_LINE_BYTES ? '' : combined;
      if (combined.length > MAX_CHUNK_LINE_BYTES) this.phase = 'not-http';
      return Math.min(end - offset, MAX_CHUNK_LINE_BYTES);
    }
    const line = combined.slice(0, lineLength);
    const used = lineLength + 2 - this.pending.length;
    this.pending = '';
    if (this.phase === 'chunk-trailer') {
      if (line === '') this.complete();
      return used;
    }
    const size = parseInt(line, 16);
    // a chunk size is hex digits (RFC 9112 §7.1); parseInt also takes a sign, and a negative size would step back
    if (Number.isNaN(size) || size < 0) {
      this.phase = 'not-http';
      this.open = NO_MESSAGE;
      return -1;
    }
    if (size === 0) this.phase = 'chunk-trailer';
    else {
      this.bodyRemaining = size + 2;
      this.phase = 'chunk-data';
    }
    return used;
  }
}

/** /^\d+$/ on data[start, end) as a number, or -1 */
function decimal(data: Uint8Array, start: number, end: number): number {
  if (end <= start) return -1;
  let value = 0;
  for (let offset = start; offset < end; offset++) {
    const digit = data[offset]! - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Both directions of one stream; the side that sent a request line is the client. */
export class Http1Stream {
  /** whole requests and responses (what tshark counts) */
  requests = 0;
  responses = 0;
  /** requests and responses begun but cut by missing bytes or the end of the stream */
  partialRequests = 0;
  partialResponses = 0;
  /** header blocks completed so far, and the last one's start line (for the packet list's Info column) */
  headerBlocks = 0;
  lastStartWasRequest = false;
  /**
   * Where the last start line's bytes are: decoded only when read (a keep-alive capture completes a
   * header block every other packet, and the analysis keeps the text of the first 100 000 only).
   * The bytes are the caller's buffer, so the text is only readable until the next feed.
   */
  private lastStartBytes: Uint8Array = NO_BYTES;
  private lastStartBegin = 0;
  private lastStartEnd = 0;
  /** the start line as text, once its bytes were about to be overwritten (see keepStartLineOf) */
  private lastStartText: string | null = null;
  /** requests seen, and final responses seen (each answers the oldest unanswered request) */
  private requestsSeen = 0;
  private finalResponsesSeen = 0;
  /** the numbers (in requestsSeen order) of the HEAD requests not yet answered, oldest first: most streams never hold one */
  private readonly pendingHeads: number[] = [];
  private fromA: DirectionParser | null = null;
  private fromB: DirectionParser | null = null;
  private released = false;

  /** `direction`: which endpoint of the stream sent the bytes. */
  feed(direction: 'a' | 'b', seq: number, payload: Uint8Array): void {
    this.feedRange(direction, seq, payload, 0, payload.length);
  }

  /** As `feed`, for the payload `data[start, end)` (no view to allocate on the hot path). `seq` may be signed: only differences modulo 2^32 count. */
  feedRange(direction: 'a' | 'b', seq: number, data: Uint8Array, start: number, end: number): void {
    if (this.released) return;
    if (direction === 'a') {
      this.fromA ??= new DirectionParser(this);
      this.fromA.feed(seq, data, start, end);
    } else {
      this.fromB ??= new DirectionParser(this);
      this.fromB.feed(seq, data, start, end);
    }
  }

  /** Stops parsing (the stream is closed); the counts stay, and a message still open counts as seen in part. */
  release(): void {
    this.finish();
    this.fromA = null;
    this.fromB = null;
    this.released = true;
  }

  /** The capture (or the stream) ended: messages still open can never be whole. */
  finish(): void {
    this.fromA?.abandon();
    this.fromB?.abandon();
  }

  /** The last header block's start line, e.g. "GET /ocsp HTTP/1.1": read it before the next feed (see lastStartBytes). */
  get lastStartLine(): string {
    return this.lastStartText ?? latin1.decode(this.lastStartBytes.subarray(this.lastStartBegin, this.lastStartEnd));
  }

  /** A parser is about to overwrite `buffer` (its gathered header block): decodes the start line now if it lies there. */
  keepStartLineOf(buffer: Uint8Array): void {
    if (this.lastStartText !== null || this.lastStartBytes !== buffer) return;
    this.lastStartText = this.lastStartLine;
    this.lastStartBytes = NO_BYTES;
  }

  /** the oldest unanswered request was a HEAD (its response has no body) */
  answersHead(): boolean {
    return this.pendingHeads.length > 0 && this.pendingHeads[0] === this.finalResponsesSeen;
  }

  /** A message's header block ended: a request (`head` for HEAD) or a response with status `code`; its start line is data[start, lineEnd). */
  onHeaders(request: boolean, head: boolean, code: number, data: Uint8Array, start: number, lineEnd: number): void {
    this.headerBlocks += 1;
    this.lastStartWasRequest = request;
    this.lastStartText = null;
    this.lastStartBytes = data;
    this.lastStartBegin = start;
    this.lastStartEnd = Math.min(lineEnd, start + MAX_START_LINE_CHARS);
    if (request) {
      if (head) this.pendingHeads.push(this.requestsSeen);
      this.requestsSeen += 1;
    } else if (code >= 200) {
      // a final response answers the oldest request; more responses than requests answer none
      if (this.finalResponsesSeen < this.requestsSeen) {
        if (this.pendingHeads[0] === this.finalResponsesSeen) this.pendingHeads.shift();
        this.finalResponsesSeen += 1;
      }
    }
  }

  /** A message is whole: counted as tshark counts it. */
  onWhole(request: boolean): void {
    if (request) this.requests += 1;
    else this.responses += 1;
  }

  /** A message was cut by missing bytes or the end of the stream. */
  onPartial(request: boolean): void {
    if (request) this.partialRequests += 1;
    else this.partialResponses += 1;
  }
}
