/**
 * Socket identity and state for one HTTP lab run: every client socket gets a
 * connection id when the client dials it; the tracker follows what it is doing
 * (busy with a request, idle, ending) until 'close', remembers who ended it and
 * why, and decides at each dial why the client needed another connection.
 */
import type { Socket } from 'node:net';
import type { NewConnection } from '@shared/connection-cause';
import type { KeepaliveSettings } from '@shared/trace';
import { tlsVersionName, type ConnectionTls } from '@shared/tls-handshake';
import type { TLSSocket } from 'node:tls';
import { dialCause, endingOf, type DialPolicy, type Ending } from './http-dial-cause';
import { endpointOf, endpointText, nowUs, type HttpRecorder } from './http-recorder';

/** What a connection is doing: carrying a request (its body perhaps held unread), or waiting for the next one. */
export type ConnectionState = { kind: 'busy'; request: number; unread: boolean } | { kind: 'idle'; sinceUs: number; lastRequest: number };

export interface TrackedConnection {
  id: string;
  socket: Socket;
  local: string | null;
  remote: string | null;
  remoteAddress: string | null;
  remotePort: number | null;
  /** requests assigned so far */
  requests: number;
  /** the numbers of the requests it carried, in order */
  requestIndexes: number[];
  state: ConnectionState;
  /** why the client dialled it */
  openedBecause: NewConnection;
  /** last `Keep-Alive` response header seen on it */
  keepAliveHint: string | null;
  /** the server answered `Connection: close`: it decided to end the connection */
  serverAnnouncedClose: boolean;
  /** the peer sent FIN ('end' seen) */
  remoteEnded: boolean;
  keepalive: KeepaliveSettings | null;
  /** lab clock, µs */
  connectStartUs: number;
  connectedUs: number;
  /** over https: the TLS handshake after the TCP connect (null until it finished, and over http) */
  tls: ConnectionTls | null;
  /** first sign that it is going away (known before 'close' fires), with who and why */
  ending: Ending | null;
  /** a later dial already named this connection's end as its cause */
  replaced: boolean;
  closed: { how: 'fin' | 'rst' | 'error' | 'released'; by: 'local' | 'remote' | 'unknown' } | null;
}

/** A dial in progress: when it began and why. */
export interface Dial {
  startUs: number;
  openedBecause: NewConnection;
}

export class ConnectionTracker {
  private readonly bySocket = new WeakMap<Socket, TrackedConnection>();
  readonly all: TrackedConnection[] = [];
  private openCount = 0;
  private dialling = 0;
  /** most connections open at once, from socket events */
  maxOpen = 0;
  private releasing = false;

  /** connections the client has put back in its pool at least once */
  private readonly pooledOnce = new WeakSet<TrackedConnection>();

  /**
   * `onOpened`: called when a connection is established, and again with `pooled` true when the
   * client first puts it back in its pool (Node's https.Agent turns TCP keepalive on only then).
   */
  constructor(
    private readonly recorder: HttpRecorder,
    private readonly policy: DialPolicy,
    private readonly onOpened: (connection: TrackedConnection, pooled: boolean) => void = () => undefined,
  ) {}

  /** The client has put `connection` back in its pool: the first time, its socket settings are read again. */
  pooled(connection: TrackedConnection): void {
    if (this.pooledOnce.has(connection)) return;
    this.pooledOnce.add(connection);
    this.onOpened(connection, true);
  }

  get open(): number {
    return this.openCount;
  }

  /** Connections on their way out (a close announced or begun, a FIN either way) whose 'close' has not come yet. */
  get closing(): number {
    let count = 0;
    for (const { closed, ending, remoteEnded, socket } of this.all)
      if (closed === null && (ending !== null || remoteEnded || socket.writableEnded || socket.destroyed)) count += 1;
    return count;
  }

  find(socket: Socket): TrackedConnection | undefined {
    return this.bySocket.get(socket);
  }

  /** The client starts a handshake now: why, from every connection's state at this moment. */
  dialStarted(startUs = nowUs()): Dial {
    const { newConnection, replaces } = dialCause(this.all, this.dialling, this.policy, startUs);
    if (replaces) replaces.replaced = true;
    this.dialling += 1;
    return { startUs, openedBecause: newConnection };
  }

  /** A dial that never produced a socket. */
  dialFailed(): void {
    this.dialling = Math.max(0, this.dialling - 1);
  }

  /** Registers a connected socket (idempotent). */
  opened(socket: Socket, dial: Dial, connectedUs = nowUs()): TrackedConnection {
    const known = this.bySocket.get(socket);
    if (known) return known;
    this.dialling = Math.max(0, this.dialling - 1);
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
      requestIndexes: [],
      // busy from the start: it was dialled for a request, which the client assigns next
      state: { kind: 'busy', request: 0, unread: false },
      openedBecause: dial.openedBecause,
      keepAliveHint: null,
      serverAnnouncedClose: false,
      remoteEnded: false,
      keepalive: null,
      connectStartUs: dial.startUs,
      connectedUs,
      tls: null,
      ending: null,
      replaced: false,
      closed: null,
    };
    this.bySocket.set(socket, connection);
    this.all.push(connection);
    this.openCount += 1;
    this.maxOpen = Math.max(this.maxOpen, this.openCount);
    this.recorder.connectionOpened(connection.id, local, remote, dial.startUs, connectedUs, dial.openedBecause);
    this.onOpened(connection, false);
    this.follow(connection);
    return connection;
  }

  /** Waits for a TLS socket's 'secureConnect' (Node's agent hands the socket over when TCP is up), then records the handshake. */
  followTls(connection: TrackedConnection, socket: TLSSocket): void {
    socket.once('secureConnect', () => this.secured(connection, socket, nowUs()));
  }

  /** The TLS handshake finished at `securedUs` (lab clock, µs): what it agreed, and its cost after the TCP connect. */
  secured(connection: TrackedConnection, socket: TLSSocket, securedUs: number): void {
    connection.tls = {
      version: tlsVersionName(socket.getProtocol()),
      // false when the client offered no ALPN (Node's https.Agent offers none) or the server chose none
      alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
      resumed: socket.isSessionReused(),
      handshakeMs: Math.max(0, securedUs - connection.connectedUs) / 1000,
    };
    this.recorder.tlsHandshake(connection.id, connection.tls, securedUs);
  }

  /** The client put request `request` on this connection. */
  assigned(connection: TrackedConnection, request: number): void {
    connection.requests += 1;
    // a retry carries the same number as its first attempt, right after it
    if (connection.requestIndexes.at(-1) !== request) connection.requestIndexes.push(request);
    connection.state = { kind: 'busy', request, unread: false };
  }

  /** The response's body was read to its end: the connection is free again (unless the server announced its close). */
  bodyEnded(connection: TrackedConnection, request: number): void {
    connection.state = { kind: 'idle', sinceUs: nowUs(), lastRequest: request };
    if (connection.serverAnnouncedClose)
      this.markEnding(connection, { by: 'remote', reason: `the server answered request ${request} with Connection: close` });
  }

  /** The response arrived but nobody reads its body: the connection stays busy until the run releases it. */
  bodyHeld(connection: TrackedConnection, request: number): void {
    connection.state = { kind: 'busy', request, unread: true };
  }

  /** The client destroyed the response before its end, which closes the connection. */
  bodyDestroyed(connection: TrackedConnection, request: number): void {
    this.markEnding(connection, { by: 'local', reason: `the client destroyed request ${request}'s response before its end` });
  }

  /** The client closed it for a reason only the client knows (e.g. http.Agent's maxFreeSockets). */
  closedByClient(connection: TrackedConnection, reason: string): void {
    this.markEnding(connection, { by: 'local', reason });
  }

  /** From now on a close is the run's own cleanup. */
  markReleasing(): void {
    this.releasing = true;
  }

  private markEnding(connection: TrackedConnection, ending: Omit<Ending, 'atUs'>): void {
    connection.ending ??= { ...ending, atUs: nowUs() };
  }

  private follow(connection: TrackedConnection): void {
    const { socket } = connection;
    let errorCode: string | undefined;
    socket.once('end', () => (connection.remoteEnded = true));
    socket.on('error', (error: NodeJS.ErrnoException) => (errorCode ??= error.code));
    socket.once('close', (hadError: boolean) => {
      this.openCount -= 1;
      const reset = errorCode === 'ECONNRESET';
      const by = this.releasing
        ? 'local'
        : connection.remoteEnded || reset || connection.serverAnnouncedClose
          ? 'remote'
          : hadError
            ? 'unknown'
            : 'local';
      const how = this.releasing ? 'released' : reset ? 'rst' : hadError ? 'error' : 'fin';
      connection.closed = { how, by };
      if (!this.releasing) connection.ending ??= endingOf(connection, this.policy, nowUs(), reset);
      this.recorder.connectionClosed(
        connection.id,
        how === 'released' ? 'fin' : how,
        by,
        this.releasing ? 'released at the end of the run' : connection.ending?.reason,
      );
    });
  }
}
