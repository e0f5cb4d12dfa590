/**
 * Turns socket events of the TCP lab into trace events (src/shared/trace.ts).
 * One recorder per experiment; every socket it watches gets a connection id
 * ("c1", "c2", …) for its whole life, opened and closed exactly once.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TraceRecorder, type CloseHow, type Endpoint, type TraceEvent } from '@shared/trace';

/** A trace event without its time stamp, one member of the union at a time. */
export type TraceEventInput = TraceEvent extends infer Event
  ? Event extends TraceEvent
    ? Omit<Event, 't'> & { t?: number }
    : never
  : never;

interface Watched {
  id: string;
  /** set when we close on purpose, so the close event can say who and how */
  localClose: 'fin' | 'rst' | null;
  remoteEnded: boolean;
  lastError: NodeJS.ErrnoException | null;
  openedAtUs: number;
}

export function monotonicMicroseconds(): number {
  return performance.now() * 1000;
}

export function socketEndpoints(socket: Socket): { local: Endpoint | null; remote: Endpoint | null } {
  const local = socket.localAddress && socket.localPort !== undefined ? { address: socket.localAddress, port: socket.localPort } : null;
  const remote =
    socket.remoteAddress && socket.remotePort !== undefined ? { address: socket.remoteAddress, port: socket.remotePort } : null;
  return { local, remote };
}

/** How a socket's close should be shown, from what we know about it. */
export function classifyClose(state: { localClose: 'fin' | 'rst' | null; remoteEnded: boolean; error: NodeJS.ErrnoException | null }): {
  how: CloseHow;
  by: 'local' | 'remote' | 'unknown';
  reason?: string;
} {
  const code = state.error?.code;
  if (code === 'ECONNRESET' || code === 'EPIPE') return { how: 'rst', by: 'remote', reason: code };
  if (code === 'ETIMEDOUT') return { how: 'timeout', by: 'local', reason: 'ETIMEDOUT: the kernel gave up (keepalive or retransmission)' };
  if (state.localClose) return { how: state.localClose, by: 'local' };
  if (state.error) return { how: 'error', by: 'unknown', reason: state.error.message };
  if (state.remoteEnded) return { how: 'fin', by: 'remote' };
  return { how: 'fin', by: 'local' };
}

export class TcpRecorder {
  readonly trace: TraceRecorder;
  private nextId = 1;
  private readonly watched = new WeakMap<Socket, Watched>();

  constructor(
    trace?: TraceRecorder,
    private readonly idPrefix = 'c',
  ) {
    this.trace = trace ?? new TraceRecorder(monotonicMicroseconds, Date.now());
  }

  record(event: TraceEventInput): TraceEvent {
    return this.trace.record(event as Omit<TraceEvent, 't'>);
  }

  note(level: 'info' | 'warn' | 'error', message: string): void {
    this.record({ kind: 'note-logged', level, message });
  }

  /** The id of a watched socket (undefined when not watched). */
  idOf(socket: Socket): string | undefined {
    return this.watched.get(socket)?.id;
  }

  /**
   * Starts watching a socket: conn-opened (+ handshake-completed for our own
   * connects) when it is connected, conn-closed when it closes.
   */
  watch(socket: Socket, options: { label: string; via?: 'new' | 'pool'; connecting?: boolean }): string {
    const existing = this.watched.get(socket);
    if (existing) return existing.id;
    const id = `${this.idPrefix}${this.nextId++}`;
    const state: Watched = { id, localClose: null, remoteEnded: false, lastError: null, openedAtUs: this.trace.now() };
    this.watched.set(socket, state);
    let wasOpened = false;
    const opened = (): void => {
      wasOpened = true;
      const { local, remote } = socketEndpoints(socket);
      this.trace.addConnection({ id, label: options.label, local, remote });
      this.record({ kind: 'conn-opened', conn: id, via: options.via ?? 'new', local, remote });
      if (options.connecting) this.record({ kind: 'handshake-completed', conn: id, us: this.trace.now() - state.openedAtUs });
    };
    if (socket.connecting) socket.once('connect', opened);
    else opened();
    socket.on('end', () => {
      state.remoteEnded = true;
      this.record({ kind: 'wire-seen', conn: id, mark: 'fin', source: 'kernel', from: 'b' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      state.lastError = error;
    });
    socket.once('close', () => {
      // a connect that failed never opened: its error is the caller's to report
      if (!wasOpened) return;
      const verdict = classifyClose({ localClose: state.localClose, remoteEnded: state.remoteEnded, error: state.lastError });
      this.record({ kind: 'conn-closed', conn: id, ...verdict });
    });
    return id;
  }

  /** Says that we are about to close this socket on purpose. */
  markLocalClose(socket: Socket, how: 'fin' | 'rst'): void {
    const state = this.watched.get(socket);
    if (state && !state.localClose) state.localClose = how;
  }
}
