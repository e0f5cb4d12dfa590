/**
 * Socket identity for one HTTP lab run: every client socket gets a connection id
 * the first time a client reports it; the tracker follows it until 'close' and
 * remembers who ended it (an 'end' before 'close' means the peer sent FIN first).
 */
import type { Socket } from 'node:net';
import type { KeepaliveSettings } from '../../shared/trace';
import { endpointOf, endpointText, nowUs, type HttpRecorder } from './http-recorder';

export interface TrackedConnection {
  id: string;
  socket: Socket;
  local: string | null;
  remote: string | null;
  remoteAddress: string | null;
  remotePort: number | null;
  /** requests assigned so far */
  requests: number;
  /** last `Keep-Alive` response header seen on it */
  keepAliveHint: string | null;
  /** the server answered `Connection: close`: it decided to end the connection */
  serverAnnouncedClose: boolean;
  keepalive: KeepaliveSettings | null;
  /** lab clock, µs */
  connectStartUs: number;
  connectedUs: number;
  closed: { how: 'fin' | 'rst' | 'error' | 'released'; by: 'local' | 'remote' | 'unknown' } | null;
}

export class ConnectionTracker {
  private readonly bySocket = new WeakMap<Socket, TrackedConnection>();
  readonly all: TrackedConnection[] = [];
  private openCount = 0;
  /** most connections open at once, from socket events */
  maxOpen = 0;
  private releasing = false;

  constructor(
    private readonly recorder: HttpRecorder,
    private readonly onOpened: (connection: TrackedConnection) => void = () => undefined,
  ) {}

  get open(): number {
    return this.openCount;
  }

  find(socket: Socket): TrackedConnection | undefined {
    return this.bySocket.get(socket);
  }

  /** Registers a connected socket (idempotent); `connectStartUs` on the lab clock. */
  opened(socket: Socket, connectStartUs: number, connectedUs = nowUs()): TrackedConnection {
    const known = this.bySocket.get(socket);
    if (known) return known;
    const local = endpointOf(socket.localAddress, socket.localPort);
    const remote = endpointOf(socket.remoteAddress, socket.remotePort);
    const connection: TrackedConnection = {
      id: `c${this.all.length + 1}`,
      socket,
      local: endpointText(local),
      remote: endpointText(remote),
      remoteAddress: remote?.address ?? null,
      remotePort: remote?.port ?? null,
      requests: 0,
      keepAliveHint: null,
      serverAnnouncedClose: false,
      keepalive: null,
      connectStartUs,
      connectedUs,
      closed: null,
    };
    this.bySocket.set(socket, connection);
    this.all.push(connection);
    this.openCount += 1;
    this.maxOpen = Math.max(this.maxOpen, this.openCount);
    this.recorder.connectionOpened(connection.id, local, remote, connectStartUs, connectedUs);
    this.onOpened(connection);
    let remoteEnded = false;
    let errorCode: string | undefined;
    socket.once('end', () => (remoteEnded = true));
    socket.on('error', (error: NodeJS.ErrnoException) => (errorCode ??= error.code));
    socket.once('close', (hadError: boolean) => {
      this.openCount -= 1;
      const by = this.releasing
        ? 'local'
        : remoteEnded || errorCode === 'ECONNRESET' || connection.serverAnnouncedClose
          ? 'remote'
          : hadError
            ? 'unknown'
            : 'local';
      const how = this.releasing ? 'released' : errorCode === 'ECONNRESET' ? 'rst' : hadError ? 'error' : 'fin';
      connection.closed = { how, by };
      this.recorder.connectionClosed(
        connection.id,
        how === 'released' ? 'fin' : how,
        by,
        this.releasing ? 'released at the end of the run' : undefined,
      );
    });
    return connection;
  }

  /** From now on a close is the run's own cleanup. */
  markReleasing(): void {
    this.releasing = true;
  }
}
