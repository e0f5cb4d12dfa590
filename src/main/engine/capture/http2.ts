/**
 * HTTP/2 in cleartext ("h2c" with prior knowledge, RFC 9113 §3.3) on one TCP stream: the client's
 * connection preface, then frames both ways, so a learner sees many requests on one connection,
 * PING used as a keep-alive (with its round trip), and GOAWAY with its error code and last stream id.
 * HTTP/2 inside TLS cannot be read without keys; tls.ts says which streams offered or chose "h2".
 *
 *   preface:  "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (24 bytes, client only)
 *   frame:    length(24) type(8) flags(8) reserved(1) stream id(31), payload(length)
 *   PING:     8 opaque bytes, flag ACK (0x1) on the answer      GOAWAY: last stream id(32) error code(32) …
 *
 * Recognised by the client's preface on any port; the server side by its first frame, a SETTINGS
 * frame on stream 0 (it may be sent before the preface arrives), confirmed once the preface is seen.
 */
import { NEED_MORE, NOT_THIS, PduStream } from './pdu-stream';

const PREFACE = Uint8Array.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', (character) => character.charCodeAt(0));
const FRAME_HEADER_BYTES = 9;
const FRAME_DATA = 0;
const FRAME_HEADERS = 1;
const FRAME_RST_STREAM = 3;
const FRAME_SETTINGS = 4;
const FRAME_PING = 6;
const FRAME_GOAWAY = 7;
const FLAG_END_STREAM = 0x1;
const FLAG_ACK = 0x1;
const SETTINGS_ENTRY_BYTES = 6;
/** PINGs and GOAWAYs listed per connection; more are counted only */
const MAX_LISTED = 64;
/** frame events kept while the connection is not confirmed h2 (the server spoke first) */
const MAX_UNCONFIRMED_EVENTS = 64;

/** RFC 9113 §7 error codes */
const ERROR_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
];

export interface Http2Ping {
  /** side that sent the PING */
  from: 'client' | 'server';
  frame: number;
  /** seconds since 1970 */
  time: number;
  /** until the matching ACK, ms; null when none was seen */
  rttMs: number | null;
}

export interface Http2Goaway {
  from: 'client' | 'server';
  frame: number;
  time: number;
  /** the highest stream id the sender may have processed: later requests were not */
  lastStreamId: number;
  errorCode: number;
  /** NO_ERROR, ENHANCE_YOUR_CALM (gRPC's too_many_pings), … */
  error: string;
}

export interface Http2Summary {
  /** requests: client HEADERS frames that opened a stream */
  requests: number;
  /** most streams open at once */
  maxConcurrentStreams: number;
  /** PINGs sent (not counting ACKs), and the first MAX_LISTED of them */
  pings: number;
  pingList: Http2Ping[];
  goaway: Http2Goaway[];
  rstStreams: number;
}

/** Observes each frame: `frame` completed it (tshark's http2.type per frame). */
export type Http2FrameObserver = (frame: number, type: number) => void;

export function startsWithPreface(data: Uint8Array, offset: number, end: number): boolean {
  if (end - offset < PREFACE.length) return false;
  for (let index = 0; index < PREFACE.length; index++) if (data[offset + index] !== PREFACE[index]) return false;
  return true;
}

/** A SETTINGS frame header on stream 0 with a whole number of entries: how a server opens h2. */
export function startsWithSettings(data: Uint8Array, offset: number, end: number): boolean {
  if (end - offset < FRAME_HEADER_BYTES) return false;
  const length = (data[offset]! << 16) | (data[offset + 1]! << 8) | data[offset + 2]!;
  const streamId = ((data[offset + 5]! & 0x7f) << 24) | (data[offset + 6]! << 16) | (data[offset + 7]! << 8) | data[offset + 8]!;
  return data[offset + 3] === FRAME_SETTINGS && data[offset + 4] === 0 && streamId === 0 && length % SETTINGS_ENTRY_BYTES === 0;
}

function frameLength(data: Uint8Array, offset: number, available: number): number {
  if (available < FRAME_HEADER_BYTES) return NEED_MORE;
  return FRAME_HEADER_BYTES + ((data[offset]! << 16) | (data[offset + 1]! << 8) | data[offset + 2]!);
}

function u32(data: Uint8Array, offset: number): number {
  return ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
}

export class Http2Conversation {
  private client: 'a' | 'b' | null = null;
  private readonly streams: Record<'a' | 'b', PduStream | undefined> = { a: undefined, b: undefined };
  private prefaceSeen = false;
  private readonly pending: [number, number][] = [];
  private readonly open = new Set<number>();
  private readonly seen = new Set<number>();
  private readonly outstanding = new Map<string, Http2Ping>();
  private readonly summaryData: Http2Summary = { requests: 0, maxConcurrentStreams: 0, pings: 0, pingList: [], goaway: [], rstStreams: 0 };

  constructor(private readonly observer?: Http2FrameObserver) {}

  /** The client side is the one that sent the preface; `serverFirst` is the side whose first frame was SETTINGS. */
  start(direction: 'a' | 'b', asClient: boolean): void {
    if (this.streams[direction]) return;
    if (asClient) this.client = direction;
    else if (this.client === null) this.client = direction === 'a' ? 'b' : 'a';
    let prefaceDone = !asClient;
    this.streams[direction] = new PduStream(
      (data, offset, available) => {
        if (prefaceDone) return frameLength(data, offset, available);
        if (available < PREFACE.length) return NEED_MORE;
        return startsWithPreface(data, offset, offset + available) ? PREFACE.length : NOT_THIS;
      },
      (data, offset, length, frame, time) => {
        if (!prefaceDone) {
          prefaceDone = true;
          this.confirm();
          return;
        }
        this.onFrame(direction, data, offset, length, frame, time);
      },
    );
  }

  feed(direction: 'a' | 'b', seq: number, data: Uint8Array, start: number, end: number, frame: number, time: number): void {
    this.streams[direction]?.feed(seq, data, start, end, frame, time);
  }

  private confirm(): void {
    this.prefaceSeen = true;
    for (const [frame, type] of this.pending) this.observer?.(frame, type);
    this.pending.length = 0;
  }

  private onFrame(direction: 'a' | 'b', data: Uint8Array, offset: number, length: number, frame: number, time: number): void {
    const type = data[offset + 3]!;
    if (this.prefaceSeen) this.observer?.(frame, type);
    else if (this.pending.length < MAX_UNCONFIRMED_EVENTS) this.pending.push([frame, type]);
    const flags = data[offset + 4]!;
    const streamId = u32(data, offset + 5) & 0x7fffffff;
    const payload = offset + FRAME_HEADER_BYTES;
    const fromClient = direction === this.client;
    const summary = this.summaryData;
    switch (type) {
      case FRAME_HEADERS:
        if (fromClient && !this.seen.has(streamId)) {
          this.seen.add(streamId);
          this.open.add(streamId);
          summary.requests += 1;
          summary.maxConcurrentStreams = Math.max(summary.maxConcurrentStreams, this.open.size);
        }
        if (!fromClient && flags & FLAG_END_STREAM) this.open.delete(streamId);
        break;
      case FRAME_DATA:
        if (!fromClient && flags & FLAG_END_STREAM) this.open.delete(streamId);
        break;
      case FRAME_RST_STREAM:
        summary.rstStreams += 1;
        this.open.delete(streamId);
        break;
      case FRAME_PING:
        if (length < FRAME_HEADER_BYTES + 8) break;
        this.onPing(fromClient, (flags & FLAG_ACK) !== 0, data.subarray(payload, payload + 8), frame, time);
        break;
      case FRAME_GOAWAY:
        if (length < FRAME_HEADER_BYTES + 8 || summary.goaway.length >= MAX_LISTED) break;
        summary.goaway.push({
          from: fromClient ? 'client' : 'server',
          frame,
          time,
          lastStreamId: u32(data, payload) & 0x7fffffff,
          errorCode: u32(data, payload + 4),
          error: ERROR_NAMES[u32(data, payload + 4)] ?? `0x${u32(data, payload + 4).toString(16)}`,
        });
        break;
      default:
        break;
    }
  }

  private onPing(fromClient: boolean, ack: boolean, opaque: Uint8Array, frame: number, time: number): void {
    const sender = fromClient ? 'client' : 'server';
    const key = `${ack ? (fromClient ? 'server' : 'client') : sender}:${opaque.join(',')}`;
    if (ack) {
      const ping = this.outstanding.get(key);
      if (ping) {
        ping.rttMs = Math.max(0, (time - ping.time) * 1000);
        this.outstanding.delete(key);
      }
      return;
    }
    const summary = this.summaryData;
    summary.pings += 1;
    if (summary.pingList.length >= MAX_LISTED) return;
    const ping: Http2Ping = { from: sender, frame, time, rttMs: null };
    summary.pingList.push(ping);
    this.outstanding.set(key, ping);
  }

  /** The connection's summary; null unless the client's preface was seen. */
  summary(): Http2Summary | null {
    if (!this.prefaceSeen) return null;
    const summary = this.summaryData;
    return { ...summary, pingList: summary.pingList.map((ping) => ({ ...ping })), goaway: summary.goaway.map((goaway) => ({ ...goaway })) };
  }
}
