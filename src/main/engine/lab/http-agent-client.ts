/**
 * One request at a time over Node's `http.Agent` (or `https.Agent`), observed from
 * the outside: the 'socket' event says when a connection was assigned (queueing),
 * 'connect' when a new one finished its handshake, `req.reusedSocket` what the
 * agent believes, socket identity what really happened.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { HttpRunConfig } from '@shared/api-http';
import { LAB_REQUEST_HEADER } from './demo-http-server';
import { agentIdleTimeout } from './http-idle-timeouts';
import { nowUs } from './http-recorder';
import {
  describeError,
  newOutcome,
  type ClientContext,
  type HttpClient,
  type RequestOutcome,
  type RequestPlan,
  type TlsTrust,
} from './http-request-types';

export function createAgentClient(config: HttpRunConfig, context: ClientContext, tls: TlsTrust | null): HttpClient {
  const options: https.AgentOptions = {
    keepAlive: config.agent.keepAlive,
    keepAliveMsecs: config.agent.keepAliveMsecs,
    maxSockets: config.agent.maxSockets ?? Infinity,
    maxFreeSockets: config.agent.maxFreeSockets,
    scheduling: config.agent.scheduling,
    ...(config.agent.timeoutMs !== null ? { timeout: config.agent.timeoutMs } : {}),
  };
  const agent = tls
    ? // the agent's session cache (maxCachedSessions) resumes TLS on its next connections; `ca` only for the lab's own server
      new https.Agent({ ...options, maxCachedSessions: tls.maxCachedSessions, ...(tls.ca ? { ca: tls.ca } : {}) })
    : new http.Agent(options);
  const busy = new Set<http.ClientRequest>();
  /** requests not finished yet: what a cancel destroys (a held body is finished, and released by the run) */
  const inFlight = new Set<http.ClientRequest>();
  const cancelAll = () => {
    for (const request of inFlight) request.destroy(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
  };
  context.signal?.addEventListener('abort', cancelAll, { once: true });
  // Runs after the agent's own 'free' handler (registered in its constructor): a socket it chose not to keep is destroyed by now.
  agent.on('free', (socket: Socket, freeOptions: http.ClientRequestArgs) => {
    const connection = context.tracker.find(socket);
    const free = agent.freeSockets[agent.getName(freeOptions)];
    // kept: the agent has just turned TCP keepalive on for it (keepSocketAlive), which an https.Agent does only now.
    // A socket handed straight to a queued request (maxSockets reached) skips keepSocketAlive and the free list:
    // its keepalive is still off (ss -tnoe shows no keepalive timer), so it is not read as pooled yet.
    if (connection && !socket.destroyed && free?.includes(socket)) context.tracker.pooled(connection);
    // the peer's own close (FIN, Connection: close) is told by the socket, not here
    if (!connection || !socket.destroyed || !config.agent.keepAlive || connection.remoteEnded || connection.serverAnnouncedClose) return;
    const kept = free?.length ?? 0;
    const request = connection.state.kind === 'idle' ? connection.state.lastRequest : connection.requestIndexes.at(-1);
    const noTime = agentIdleTimeout(config, connection.keepAliveHint).ms === 0;
    context.tracker.closedByClient(
      connection,
      kept >= config.agent.maxFreeSockets
        ? `the agent already kept maxFreeSockets (${config.agent.maxFreeSockets}) idle connections, so it closed this one when request ${request} ended`
        : `the agent did not keep it after request ${request}${noTime ? ' (the server’s Keep-Alive hint left it no idle time)' : ''}`,
    );
  });

  return {
    send: (plan) => new AgentExchange(agent, plan, context, busy, inFlight).run(),
    async close() {
      context.signal?.removeEventListener('abort', cancelAll);
      for (const request of busy) request.destroy();
      agent.destroy();
    },
    idleTimeout: (hint) => agentIdleTimeout(config, hint),
  };
}

/** The agent keeps requests it cannot place yet (maxSockets reached) in `agent.requests`, per origin. */
function queuedByAgent(agent: http.Agent, request: http.ClientRequest): boolean {
  return Object.values(agent.requests).some((queue) => (queue as unknown as http.ClientRequest[] | undefined)?.includes(request) ?? false);
}

/** One request's life over the agent: its outcome, timer and cancel wiring, and what it tells the tracker. */
class AgentExchange {
  readonly outcome: RequestOutcome = newOutcome(nowUs());
  private request: http.ClientRequest | null = null;
  private timer: NodeJS.Timeout | undefined;
  private settled = false;
  private resolve: (outcome: RequestOutcome) => void = () => undefined;

  constructor(
    private readonly agent: http.Agent,
    private readonly plan: RequestPlan,
    private readonly context: ClientContext,
    private readonly busy: Set<http.ClientRequest>,
    /** the client's requests not finished yet: it cancels them all through one listener on the run's signal */
    private readonly inFlight: Set<http.ClientRequest>,
  ) {}

  run(): Promise<RequestOutcome> {
    const { plan } = this;
    return new Promise((resolve) => {
      this.resolve = resolve;
      const transport = plan.url.protocol === 'https:' ? https : http;
      const request = transport.request(plan.url, {
        method: plan.method,
        agent: this.agent,
        headers: { [LAB_REQUEST_HEADER]: plan.labId },
      });
      this.request = request;
      this.outcome.queuedByPool = queuedByAgent(this.agent, request);
      this.busy.add(request);
      this.inFlight.add(request);
      this.timer = setTimeout(() => {
        request.destroy(Object.assign(new Error(`no complete response within ${plan.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }, plan.timeoutMs);
      request.on('socket', (socket: Socket) => this.onSocket(socket));
      request.on('error', (error) => this.finish(error));
      request.on('response', (response) => this.onResponse(request, response));
      if (plan.method === 'POST') request.end('lab');
      else request.end();
    });
  }

  /** A connection was assigned: a known one (reused), or a new one whose dial starts now. */
  private onSocket(socket: Socket): void {
    const { outcome } = this;
    const { tracker } = this.context;
    outcome.assignedUs = nowUs();
    const known = tracker.find(socket);
    outcome.identityReused = known !== undefined;
    if (known) return this.attach(known);
    const dial = tracker.dialStarted(outcome.assignedUs);
    if (!socket.connecting) return this.attach(tracker.opened(socket, dial));
    outcome.connectStartUs = outcome.assignedUs;
    const failed = () => tracker.dialFailed();
    socket.once('error', failed);
    // The TCP handshake is 'connect' on both; a TLS socket then reports 'secureConnect' (followed by the tracker).
    socket.once('connect', () => {
      socket.off('error', failed);
      outcome.connectedUs = nowUs();
      const connection = tracker.opened(socket, dial, outcome.connectedUs);
      if (socket instanceof TLSSocket) tracker.followTls(connection, socket);
      this.attach(connection);
    });
  }

  private attach(connection: NonNullable<RequestOutcome['connection']>): void {
    this.outcome.connection = connection;
    this.context.tracker.assigned(connection, this.plan.index);
  }

  private onResponse(request: http.ClientRequest, response: http.IncomingMessage): void {
    const { outcome } = this;
    outcome.firstByteUs = nowUs();
    outcome.status = response.statusCode ?? null;
    outcome.reusedSocket = request.reusedSocket;
    const hint = response.headers['keep-alive'];
    if (outcome.connection) {
      outcome.connection.keepAliveHint = typeof hint === 'string' ? hint : null;
      outcome.connection.serverAnnouncedClose = /\bclose\b/i.test(String(response.headers.connection ?? ''));
    }
    response.on('error', (error) => this.finish(error));
    handleBody(response, this.plan, outcome, (error) => {
      bodySettled(this.context, this.plan, outcome, response);
      this.finish(error);
    });
  }

  private finish(error?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (this.request) this.inFlight.delete(this.request);
    if (error !== undefined) {
      const described = describeError(error);
      this.outcome.error = described.message;
      this.outcome.errorCode = described.code;
    }
    this.outcome.endedUs = nowUs();
    if (!this.outcome.release && this.request) this.busy.delete(this.request);
    this.resolve(this.outcome);
  }
}

/** Tells the tracker what the body's fate did to the connection: free again, held unread, or closing. */
function bodySettled(context: ClientContext, plan: RequestPlan, outcome: RequestOutcome, response: http.IncomingMessage): void {
  const connection = outcome.connection;
  if (!connection) return;
  if (outcome.release) context.tracker.bodyHeld(connection, plan.index);
  else if (response.complete) context.tracker.bodyEnded(connection, plan.index);
  // a drained body cut short was the peer's doing: the socket's close says how
  else if (plan.body !== 'drain') context.tracker.bodyDestroyed(connection, plan.index);
}

function handleBody(response: http.IncomingMessage, plan: RequestPlan, outcome: RequestOutcome, finish: (error?: unknown) => void): void {
  switch (plan.body) {
    case 'drain':
      response.on('data', (chunk: Buffer) => (outcome.bodyBytesRead += chunk.length));
      response.on('end', () => finish());
      response.on('aborted', () => finish(new Error('response aborted before its end')));
      return;
    case 'ignore':
      // Never read: the socket stays busy until the run releases it.
      outcome.release = () => response.destroy();
      finish();
      return;
    case 'destroy':
      response.destroy();
      finish();
      return;
    case 'partial': {
      if (plan.partialBytes === 0) return void (response.destroy(), finish());
      response.on('data', (chunk: Buffer) => {
        outcome.bodyBytesRead += chunk.length;
        if (outcome.bodyBytesRead >= plan.partialBytes && !response.complete) {
          response.destroy();
          finish();
        }
      });
      response.on('end', () => finish());
      return;
    }
  }
}
