/**
 * Many requests in flight on one TCP connection, matched by uid.
 * Each request has its own timeout; a timed-out uid is forgotten and its late
 * reply counted, not delivered. When the connection closes, every pending
 * request fails with a `MuxError` that says why. Buffers are bounded: at most
 * `maxPending` requests in flight and one unfinished reply line of `maxLineBytes`.
 */
import net, { type Socket } from 'node:net';
import { DEFAULT_MAX_LINE_BYTES, LineDecoder, LineTooLongError, parseReplyLine, type EchoResponse } from './json-lines';
import { closeSocket } from './socket-options';
import { plural } from '@shared/counting';

export type MuxErrorCode = 'timeout' | 'conn-closed' | 'too-many-pending' | 'protocol-error';

export class MuxError extends Error {
  constructor(
    readonly code: MuxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MuxError';
  }
}

export interface MuxClientOptions {
  host: string;
  port: number;
  /** default per-request timeout in ms (0 = none) */
  timeoutMs?: number;
  /** most requests in flight at once (default DEFAULT_MAX_PENDING) */
  maxPending?: number;
  maxLineBytes?: number;
  /** ms to wait for the TCP handshake (default DEFAULT_CONNECT_TIMEOUT_MS) */
  connectTimeoutMs?: number;
}

export interface MuxStats {
  sent: number;
  ok: number;
  timedOut: number;
  failed: number;
  /** replies that came after their request had timed out */
  lateReplies: number;
  /** replies whose uid we never sent (or forgot long ago) */
  unknownReplies: number;
  pending: number;
}

interface Pending {
  resolve: (response: EchoResponse) => void;
  reject: (error: MuxError) => void;
  timer: NodeJS.Timeout | null;
}

/** How many timed-out uids we remember to recognise late replies. */
const REMEMBERED_TIMEOUTS = 10_000;
/** Requests in flight at once when `maxPending` is not given: bounds the pending map. */
const DEFAULT_MAX_PENDING = 1024;
/** ms to wait for the TCP handshake when `connectTimeoutMs` is not given. */
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

export class MuxClient {
  private readonly pending = new Map<string, Pending>();
  private readonly timedOutUids = new Set<string>();
  private readonly decoder: LineDecoder;
  private readonly counters: Omit<MuxStats, 'pending'> = { sent: 0, ok: 0, timedOut: 0, failed: 0, lateReplies: 0, unknownReplies: 0 };
  private nextUid = 1;
  private closeReason: string | null = null;

  private constructor(
    readonly socket: Socket,
    private readonly options: MuxClientOptions,
  ) {
    this.decoder = new LineDecoder(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.noteClose('the server closed the connection (FIN)'));
    socket.on('error', (error: NodeJS.ErrnoException) => this.noteClose(`connection error ${error.code ?? error.message}`));
    socket.once('close', () => this.failAll(this.closeReason ?? 'the connection was closed'));
  }

  /** Connects; `prepare` runs before the handshake (e.g. to start recording the socket). */
  static connect(options: MuxClientOptions, prepare?: (socket: Socket) => void): Promise<MuxClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: options.host, port: options.port });
      prepare?.(socket);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new MuxError('timeout', `connect to ${options.host}:${options.port} timed out`));
      }, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
      const onError = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new MuxClient(socket, options));
      });
    });
  }

  /** True while the connection can carry a request: not closed, not half-closed by the peer. */
  get alive(): boolean {
    return this.closeReason === null && !this.socket.destroyed && !this.socket.readableEnded && this.socket.writable;
  }

  stats(): MuxStats {
    return { ...this.counters, pending: this.pending.size };
  }

  /** Sends one request; resolves with its response or rejects with a MuxError. */
  send(val: string, options: { timeoutMs?: number; uid?: string } = {}): Promise<EchoResponse> {
    const uid = options.uid ?? `u${this.nextUid++}`;
    if (!this.alive) return Promise.reject(new MuxError('conn-closed', `not sent: ${this.closeReason ?? 'the connection is closed'}`));
    if (this.pending.size >= (this.options.maxPending ?? DEFAULT_MAX_PENDING)) {
      return Promise.reject(new MuxError('too-many-pending', `not sent: ${this.pending.size} requests already in flight`));
    }
    if (this.pending.has(uid)) return Promise.reject(new MuxError('protocol-error', `uid ${uid} is already in flight`));
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 0;
    return new Promise<EchoResponse>((resolve, reject) => {
      const entry: Pending = { resolve, reject, timer: null };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(uid);
          this.remember(uid);
          this.counters.timedOut += 1;
          reject(new MuxError('timeout', `request ${uid} got no reply within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.pending.set(uid, entry);
      this.counters.sent += 1;
      this.socket.write(`${JSON.stringify({ uid, val })}\n`);
    });
  }

  /** Closes by FIN (`end`, pending requests may still get replies) or RST (`resetAndDestroy`). */
  close(how: 'fin' | 'rst' = 'fin'): Promise<void> {
    if (how === 'rst' && !this.socket.destroyed) this.noteClose('closed locally by RST');
    return closeSocket(this.socket, how);
  }

  private remember(uid: string): void {
    this.timedOutUids.add(uid);
    if (this.timedOutUids.size > REMEMBERED_TIMEOUTS) {
      const oldest = this.timedOutUids.values().next().value;
      if (oldest !== undefined) this.timedOutUids.delete(oldest);
    }
  }

  private onData(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof LineTooLongError)) throw error;
      this.noteClose(`reply ${error.message}`);
      this.socket.destroy();
      return;
    }
    for (const line of lines) this.onLine(line);
  }

  private onLine(line: string): void {
    const reply = parseReplyLine(line);
    if (reply.kind === 'error') {
      // the server reports an error without a uid: it cannot be matched to a request
      this.counters.unknownReplies += 1;
      return;
    }
    if (reply.kind === 'invalid') {
      this.counters.unknownReplies += 1;
      return;
    }
    const { uid } = reply.response;
    const entry = this.pending.get(uid);
    if (!entry) {
      if (this.timedOutUids.delete(uid)) this.counters.lateReplies += 1;
      else this.counters.unknownReplies += 1;
      return;
    }
    this.pending.delete(uid);
    if (entry.timer) clearTimeout(entry.timer);
    this.counters.ok += 1;
    entry.resolve(reply.response);
  }

  private noteClose(reason: string): void {
    this.closeReason ??= reason;
  }

  private failAll(reason: string): void {
    const count = this.pending.size;
    for (const [uid, entry] of this.pending) {
      if (entry.timer) clearTimeout(entry.timer);
      this.counters.failed += 1;
      entry.reject(new MuxError('conn-closed', `request ${uid} failed: ${reason} with ${plural(count, 'request')} pending`));
    }
    this.pending.clear();
  }
}
