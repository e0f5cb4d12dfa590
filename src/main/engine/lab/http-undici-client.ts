/**
 * One request at a time over an undici 7 Agent (a Pool per origin). Sockets are
 * made by our own connector wrapper (so we know when each dial starts, why, and
 * which sockets are ours); undici's diagnostics channels `undici:client:connected`
 * and `undici:client:sendHeaders` (which carry the socket: undici docs/api/DiagnosticsChannel.md) give an independent
 * reuse verdict to cross-check against socket identity.
 */
import diagnostics from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Readable } from 'node:stream';
import { Agent, buildConnector } from 'undici';
import type { HttpRunConfig } from '@shared/api-http';
import { LAB_REQUEST_HEADER } from './demo-http-server';
import type { ConnectionTracker } from './http-connections';
import { UNDICI_TCP_KEEPALIVE_DELAY_MS } from './http-kernel-keepalive';
import { undiciIdleTimeout } from './http-idle-timeouts';
import { nowUs } from './http-recorder';
import {
  describeError,
  newOutcome,
  socketOf,
  type ClientContext,
  type HttpClient,
  type RequestOutcome,
  type RequestPlan,
  type TlsTrust,
} from './http-request-types';

/** the lab's request id in the raw request head undici sends (built once: it runs per request) */
const LAB_ID_PATTERN = new RegExp(`${LAB_REQUEST_HEADER}: (\\S+)`, 'i');

type Body = Readable & AsyncIterable<Buffer>;

/** Our sockets, from the dial (connector) to each request's headers (diagnostics channel). */
class SocketWatch {
  private readonly ours = new WeakSet<Socket>();
  /** sockets the `connected` channel announced, and how many requests sendHeaders put on each */
  private readonly announced = new WeakSet<Socket>();
  private readonly headersSent = new WeakMap<Socket, number>();
  /** per lab request id: called when its headers go out on a socket */
  readonly waiting = new Map<string, (socket: Socket, reused: boolean) => void>();
  readonly connector: buildConnector.connector;

  constructor(tracker: ConnectionTracker, options: { timeoutMs: number; tls: TlsTrust }) {
    const base = buildConnector({
      keepAlive: true,
      keepAliveInitialDelay: UNDICI_TCP_KEEPALIVE_DELAY_MS,
      timeout: options.timeoutMs,
      // over https: undici's own session cache (core/connect.js), 0 = off; `ca` only for the lab's own server
      maxCachedSessions: options.tls.maxCachedSessions,
      ...(options.tls.ca ? { ca: options.tls.ca } : {}),
    });
    this.connector = (connectOptions, callback) => {
      const dial = tracker.dialStarted();
      let tcpConnectedUs: number | null = null;
      // undici's connector returns the socket it made (core/connect.js), though its type says void
      const socket = base(connectOptions, (error, connected) => {
        if (connected) {
          this.ours.add(connected);
          // over https undici calls back on 'secureConnect' (synchronously): now is when TLS finished
          const connection = tracker.opened(connected, dial, tcpConnectedUs ?? nowUs());
          if (connectOptions.protocol === 'https:') tracker.secured(connection, connected as TLSSocket, nowUs());
        } else tracker.dialFailed();
        callback(error as null, connected as Socket);
      }) as unknown as Socket | undefined;
      // the TCP handshake alone: a TLS socket emits 'connect' before its handshake starts
      socket?.once('connect', () => (tcpConnectedUs = nowUs()));
      return socket;
    };
    diagnostics.subscribe('undici:client:connected', this.onConnected);
    diagnostics.subscribe('undici:client:sendHeaders', this.onSendHeaders);
  }

  private readonly onConnected = (message: unknown) => {
    const socket = socketOf((message as { socket?: unknown }).socket);
    if (socket && this.ours.has(socket)) this.announced.add(socket);
  };

  private readonly onSendHeaders = (message: unknown) => {
    const { headers, socket: rawSocket } = message as { headers?: unknown; socket?: unknown };
    const socket = socketOf(rawSocket);
    if (!socket || !this.ours.has(socket) || typeof headers !== 'string') return;
    const labId = LAB_ID_PATTERN.exec(headers)?.[1];
    const before = this.headersSent.get(socket) ?? 0;
    this.headersSent.set(socket, before + 1);
    if (labId) this.waiting.get(labId)?.(socket, !this.announced.has(socket) || before > 0);
  };

  close(): void {
    diagnostics.unsubscribe('undici:client:connected', this.onConnected);
    diagnostics.unsubscribe('undici:client:sendHeaders', this.onSendHeaders);
  }
}

/** Requests waiting in the origin's pool for a connection (PoolStats.queued; 0 before the pool exists). */
function poolQueue(agent: Agent, origin: string): number {
  const stats = agent.stats[origin];
  return stats && 'queued' in stats ? stats.queued : 0;
}

/**
 * Before a request is dispatched: whether the origin's one connection is already full. With
 * `connections: 1` undici's Agent makes a single Client, not a Pool (agent.js defaultFactory), and a
 * Client has no queue count: it holds a request while its connection carries `pipelining` requests
 * (ClientStats.size: sent and waiting), then sends it on that connection when one ends.
 */
function singleConnectionFull(agent: Agent, origin: string, pipelining: number): boolean {
  const stats = agent.stats[origin];
  // pipelining 0 still sends one request at a time (client.js: `getPipelining(client) || 1`)
  return stats !== undefined && !('queued' in stats) && stats.size >= Math.max(1, pipelining);
}

/**
 * A request's cancel switch, as undici accepts it ("an EventEmitter or EventTarget",
 * api-request.js): an AbortController per request (an EventTarget) was a tenth of the
 * lab's own time at 100,000 requests; an EventEmitter with `aborted` and `reason` costs little.
 */
class CancelSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** One request's life over undici: its outcome, its timer and cancel wiring. */
class UndiciExchange {
  readonly outcome: RequestOutcome = newOutcome(nowUs());
  private readonly abort = new CancelSignal();

  constructor(
    private readonly plan: RequestPlan,
    private readonly tracker: ConnectionTracker,
  ) {}

  /** The request's headers went out on `socket`: that is its connection. */
  readonly onHeadersSent = (socket: Socket, reused: boolean): void => {
    const { outcome } = this;
    outcome.assignedUs = nowUs();
    outcome.diagnosticsReused = reused;
    const connection = this.tracker.find(socket) ?? null;
    outcome.identityReused = connection ? connection.requests > 0 : null;
    if (connection && connection.requests === 0) {
      // A new connection was made for this request: it was assigned when the dial began.
      outcome.connectStartUs = connection.connectStartUs;
      outcome.connectedUs = connection.connectedUs;
      outcome.assignedUs = Math.max(outcome.startedUs, connection.connectStartUs);
    }
    if (connection) this.tracker.assigned(connection, this.plan.index);
    outcome.connection = connection;
  };

  /** Cancels this request (the client calls it for every request in flight when the run is cancelled). */
  cancel(): void {
    this.abort.abort(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
  }

  /**
   * `limited`: the pool has a connection limit; without one undici's Pool dials instead of queueing
   * (pool.js kGetDispatcher). `pipelining`: requests one connection carries at once.
   */
  async run(agent: Agent, held: Set<Body>, limited: boolean, pipelining: number): Promise<RequestOutcome> {
    const { plan, outcome } = this;
    const timer = setTimeout(
      () => this.abort.abort(Object.assign(new Error(`no complete response within ${plan.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      plan.timeoutMs,
    );
    try {
      // agent.stats builds every origin's PoolStats: read only when the pool can queue at all
      const queuedBefore = limited ? poolQueue(agent, plan.url.origin) : 0;
      const waitsForTheOnlyConnection = limited && singleConnectionFull(agent, plan.url.origin, pipelining);
      // undici dispatches synchronously: a request that found the pool full is in its queue right after this call
      const pending = agent.request({
        origin: plan.url.origin,
        path: `${plan.url.pathname}${plan.url.search}`,
        method: plan.method,
        headers: { [LAB_REQUEST_HEADER]: plan.labId },
        body: plan.method === 'POST' ? 'lab' : null,
        signal: this.abort,
      });
      outcome.queuedByPool = waitsForTheOnlyConnection || (limited && poolQueue(agent, plan.url.origin) > queuedBefore);
      const response = await pending;
      outcome.firstByteUs = nowUs();
      outcome.status = response.statusCode;
      const hint = response.headers['keep-alive'];
      if (outcome.connection) {
        outcome.connection.keepAliveHint = typeof hint === 'string' ? hint : null;
        outcome.connection.serverAnnouncedClose = /\bclose\b/i.test(String(response.headers.connection ?? ''));
      }
      await this.readBody(response.body, held);
    } catch (error) {
      const described = describeError(error);
      outcome.error = described.message;
      outcome.errorCode = described.code;
    } finally {
      clearTimeout(timer);
      outcome.endedUs = nowUs();
    }
    return outcome;
  }

  private async readBody(body: Body, held: Set<Body>): Promise<void> {
    const { plan, outcome, tracker } = this;
    const connection = outcome.connection;
    // Destroying an unfinished body makes it emit RequestAbortedError; that is the point, not a fault.
    body.on('error', () => undefined);
    if (plan.body === 'ignore') {
      held.add(body);
      outcome.release = () => body.destroy();
      if (connection) tracker.bodyHeld(connection, plan.index);
      return;
    }
    const destroy = () => {
      body.destroy();
      if (connection) tracker.bodyDestroyed(connection, plan.index);
    };
    if (plan.body === 'destroy' || (plan.body === 'partial' && plan.partialBytes === 0)) return destroy();
    if (plan.body === 'drain') {
      await drain(body, outcome);
      if (connection) tracker.bodyEnded(connection, plan.index);
      return;
    }
    for await (const chunk of body) {
      outcome.bodyBytesRead += chunk.length;
      if (plan.body === 'partial' && outcome.bodyBytesRead >= plan.partialBytes) return destroy();
    }
    if (connection) tracker.bodyEnded(connection, plan.index);
  }
}

/**
 * Reads a body to its end, counting bytes. Events rather than `for await`: an async
 * iterator per body was a tenth of the lab's own time at 100,000 requests.
 */
function drain(body: Body, outcome: RequestOutcome): Promise<void> {
  return new Promise((resolve, reject) => {
    let ended = false;
    body.on('data', (chunk: Buffer) => (outcome.bodyBytesRead += chunk.length));
    body.once('end', () => {
      ended = true;
      resolve();
    });
    body.once('error', reject);
    // 'close' follows every 'end': build the error (a stack trace, costly per request) only for a body cut short
    body.once('close', () => {
      if (!ended) reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
  });
}

export function createUndiciClient(config: HttpRunConfig, context: ClientContext, tls: TlsTrust): HttpClient {
  const watch = new SocketWatch(context.tracker, { timeoutMs: config.timeoutMs, tls });
  const agent = new Agent({
    keepAliveTimeout: config.undici.keepAliveTimeoutMs,
    pipelining: config.undici.pipelining,
    connect: watch.connector,
    ...(config.undici.connections !== null ? { connections: config.undici.connections } : {}),
  });
  const held = new Set<Body>();
  const inFlight = new Set<UndiciExchange>();
  const cancelAll = () => {
    for (const exchange of inFlight) exchange.cancel();
  };
  context.signal?.addEventListener('abort', cancelAll, { once: true });
  return {
    async send(plan) {
      const exchange = new UndiciExchange(plan, context.tracker);
      watch.waiting.set(plan.labId, exchange.onHeadersSent);
      inFlight.add(exchange);
      try {
        if (plan.signal.aborted) exchange.cancel();
        return await exchange.run(agent, held, config.undici.connections !== null, config.undici.pipelining);
      } finally {
        inFlight.delete(exchange);
        watch.waiting.delete(plan.labId);
      }
    },
    async close() {
      context.signal?.removeEventListener('abort', cancelAll);
      for (const body of held) body.destroy();
      watch.close();
      await agent.destroy();
    },
    idleTimeout: (hint) => undiciIdleTimeout(config, hint),
  };
}
