/**
 * The string-based HTTP/1 boundary finder that src/main/engine/capture/http1.ts replaced with a byte-based
 * one (a header block every other packet made its strings and regular expressions the biggest cost
 * of a loopback capture). Kept only as the reference model for http1-model.test.ts.
 */
import { seqAdd, seqAfter, seqBeforeOrEqual } from '@engine/capture/seq';

/** Longest header block we buffer, bytes; beyond it the direction is given up (not HTTP). */
const MAX_HEADER_BYTES = 64 * 1024;
/** First window decoded when looking for the end of a header block, bytes (most blocks fit). */
const FIRST_HEADER_WINDOW_BYTES = 1024;
const REQUEST_LINE = /^([A-Z][A-Z-]{0,19}) (\S+) HTTP\/1\.[019]$/;
const STATUS_LINE = /^HTTP\/1\.[019] (\d{3})/;
const latin1 = new TextDecoder('latin1');

type Phase = 'unknown' | 'headers' | 'body-length' | 'chunk-size' | 'chunk-data' | 'chunk-trailer' | 'until-close' | 'not-http';

/** Every request method and "HTTP/" start with an ASCII capital: other bytes are skipped without decoding. */
function startsLikeMessage(firstByte: number): boolean {
  return firstByte >= 0x41 && firstByte <= 0x5a;
}

/** One direction's parser. */
class DirectionParser {
  phase: Phase = 'unknown';
  /** bytes of the header block (or chunk line) gathered so far */
  private pending = '';
  private bodyRemaining = 0;
  /** next sequence number expected; null until the first payload */
  private nextSeq: number | null = null;
  messages = 0;
  /** the message begun and not yet whole: a request, a response, or none */
  private open: 'request' | 'response' | null = null;

  /** `owner` learns of each message and knows whether the oldest open request was a HEAD */
  constructor(private readonly owner: Http1StreamModel) {}

  /**
   * Feeds a segment's captured payload, `data[start, end)`, at `seq`. A gap (lost bytes)
   * resynchronises at the next message start. Takes a range, not a view, so the common case on a
   * big capture — a segment that cannot start a message while none is open — costs no allocation.
   */
  feed(seq: number, data: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length <= 0 || this.phase === 'not-http') return;
    let from = start;
    if (this.nextSeq !== null) {
      const last = seqAdd(seq, length);
      if (seqBeforeOrEqual(last, this.nextSeq)) return;
      if (seqAfter(this.nextSeq, seq)) from = start + ((this.nextSeq - seq) >>> 0);
      else if (seqAfter(seq, this.nextSeq)) {
        this.abandon();
        this.phase = 'unknown';
        this.pending = '';
      }
    }
    this.nextSeq = seqAdd(seq, length);
    if (this.phase === 'unknown' && !startsLikeMessage(data[from] ?? 0)) return;
    const bytes = data.subarray(from, end);
    let offset = 0;
    for (let guard = 0; offset < bytes.length && guard < 100_000; guard++) {
      const used = this.step(bytes, offset);
      if (used < 0) return;
      offset += used;
    }
  }

  /** Consumes from `offset`; returns bytes used, or -1 to drop the rest of the segment. */
  private step(bytes: Uint8Array, offset: number): number {
    switch (this.phase) {
      case 'unknown': {
        if (!startsLikeMessage(bytes[offset] ?? 0)) return -1;
        const head = latin1.decode(bytes.subarray(offset, offset + 24));
        if (!/^(HTTP\/1\.|[A-Z][A-Z-]{0,19} )/.test(head)) return -1;
        this.phase = 'headers';
        this.open = head.startsWith('HTTP/1.') ? 'response' : 'request';
        return 0;
      }
      case 'headers':
        return this.readHeaders(bytes, offset);
      case 'body-length': {
        const used = Math.min(this.bodyRemaining, bytes.length - offset);
        this.bodyRemaining -= used;
        if (this.bodyRemaining === 0) this.complete();
        return used;
      }
      case 'chunk-size':
      case 'chunk-trailer':
        return this.readChunkLine(bytes, offset);
      case 'chunk-data': {
        const used = Math.min(this.bodyRemaining, bytes.length - offset);
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

  private readHeaders(bytes: Uint8Array, offset: number): number {
    const available = bytes.length - offset;
    // Decode a window that grows 4× until it holds the blank line, never the whole rest of the segment at once:
    // that was quadratic in pipelined messages per segment (14,563 requests in 256 KiB took 22 s).
    for (let size = Math.min(available, FIRST_HEADER_WINDOW_BYTES); ; size = Math.min(available, size * 4)) {
      const combined = this.pending + latin1.decode(bytes.subarray(offset, offset + size));
      const end = combined.indexOf('\r\n\r\n');
      if (end >= 0) {
        const used = end + 4 - this.pending.length;
        this.pending = '';
        this.onHeaders(combined.slice(0, end));
        return used;
      }
      if (size >= available) {
        this.pending = combined;
        if (combined.length > MAX_HEADER_BYTES) {
          this.phase = 'not-http';
          this.open = null;
        }
        return available;
      }
    }
  }

  private onHeaders(block: string): void {
    const lines = block.split('\r\n');
    const startLine = lines[0] ?? '';
    const request = REQUEST_LINE.exec(startLine);
    const status = STATUS_LINE.exec(startLine);
    if (!request && !status) {
      this.phase = 'not-http';
      this.open = null;
      return;
    }
    const headResponse = status !== null && this.owner.answersHead();
    this.messages += 1;
    this.open = request ? 'request' : 'response';
    this.owner.onMessage(startLine);
    let contentLength = -1;
    let chunked = false;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line
        .slice(colon + 1)
        .trim()
        .toLowerCase();
      if (name === 'content-length' && /^\d+$/.test(value)) contentLength = Number(value);
      if (name === 'transfer-encoding' && value.endsWith('chunked')) chunked = true;
    }
    const code = status ? Number(status[1]) : 0;
    const bodiless = status !== null && ((code >= 100 && code < 200) || code === 204 || code === 304 || headResponse);
    if (bodiless) this.complete();
    else if (chunked) this.phase = 'chunk-size';
    else if (contentLength > 0) {
      this.bodyRemaining = contentLength;
      this.phase = 'body-length';
    } else if (request || contentLength === 0) this.complete();
    else {
      this.complete();
      this.phase = 'until-close';
    }
  }

  private complete(): void {
    if (this.open !== null) this.owner.onWhole(this.open);
    this.open = null;
    this.phase = 'unknown';
  }

  abandon(): void {
    if (this.open !== null) this.owner.onPartial(this.open);
    this.open = null;
  }

  private readChunkLine(bytes: Uint8Array, offset: number): number {
    const text = latin1.decode(bytes.subarray(offset, Math.min(bytes.length, offset + 1024)));
    const combined = this.pending + text;
    const end = combined.indexOf('\r\n');
    if (end < 0) {
      this.pending = combined.length > 1024 ? '' : combined;
      if (combined.length > 1024) this.phase = 'not-http';
      return Math.min(bytes.length - offset, 1024);
    }
    const line = combined.slice(0, end);
    const used = end + 2 - this.pending.length;
    this.pending = '';
    if (this.phase === 'chunk-trailer') {
      if (line === '') this.complete();
      return used;
    }
    const size = parseInt(line, 16);
    // a chunk size is hex digits (RFC 9112 §7.1): parseInt also takes a sign, and the byte parser
    // (http1.ts) refuses a negative size as it refuses no digits at all
    if (Number.isNaN(size) || size < 0) {
      this.phase = 'not-http';
      this.open = null;
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

/** Both directions of one stream; the side that sent a request line is the client. */
export class Http1StreamModel {
  requests = 0;
  responses = 0;
  partialRequests = 0;
  partialResponses = 0;
  /** HEAD requests not yet answered by a final response, oldest first as `true`, others `false` */
  private readonly pendingHead: boolean[] = [];
  private fromA: DirectionParser | null = null;
  private fromB: DirectionParser | null = null;
  private released = false;

  /** `direction`: which endpoint of the stream sent the bytes. */
  feed(direction: 'a' | 'b', seq: number, payload: Uint8Array): void {
    this.feedRange(direction, seq, payload, 0, payload.length);
  }

  /** As `feed`, for the payload `data[start, end)` (no view to allocate on the hot path). */
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

  /** Stops parsing (the stream is closed); the counts stay. */
  release(): void {
    this.fromA = null;
    this.fromB = null;
    this.released = true;
  }

  /** the oldest unanswered request was a HEAD (its response has no body) */
  answersHead(): boolean {
    return this.pendingHead[0] === true;
  }

  /** whole messages count (tshark reassembles a message before it counts it); cut ones are partial */
  onWhole(kind: 'request' | 'response'): void {
    if (kind === 'request') this.requests += 1;
    else this.responses += 1;
  }

  onPartial(kind: 'request' | 'response'): void {
    if (kind === 'request') this.partialRequests += 1;
    else this.partialResponses += 1;
  }

  finish(): void {
    this.fromA?.abandon();
    this.fromB?.abandon();
  }

  onMessage(startLine: string): void {
    const request = REQUEST_LINE.exec(startLine);
    if (request) {
      this.pendingHead.push(request[1] === 'HEAD');
      return;
    }
    const code = Number(STATUS_LINE.exec(startLine)?.[1] ?? 0);
    if (code >= 200) this.pendingHead.shift();
  }
}
