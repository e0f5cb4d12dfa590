/**
 * One request at a time over Node's `http.Agent` (or `https.Agent`), observed from
 * the outside: the 'socket' event says when a connection was assigned (queueing),
 * 'connect' when a new one finished its handshake, `req.reusedSocket` what the
 * agent believes, socket identity what really happened.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { HttpRunConfig } from '../../shared/api-http';
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
} from './http-request-types';

export function createAgentClient(config: HttpRunConfig, context: ClientContext, secure: boolean): HttpClient {
  const options: http.AgentOptions = {
    keepAlive: config.agent.keepAlive,
    keepAliveMsecs: config.agent.keepAliveMsecs,
    maxSockets: config.agent.maxSockets ?? Infinity,
    maxFreeSockets: config.agent.maxFreeSockets,
    scheduling: config.agent.scheduling,
    ...(config.agent.timeoutMs !== null ? { timeout: config.agent.timeoutMs } : {}),
  };
  const agent = secure ? new https.Agent(options) : new http.Agent(options);
  const busy = new Set<http.ClientRequest>();
  // Runs after the agent's own 'free' handler (registered in its constructor): a socket it chose not to keep is destroyed by now.
  agent.on('free', (socket: Socket, freeOptions: http.ClientRequestArgs) => {
    const connection = context.tracker.find(socket);
    if (!connection || !socket.destroyed || !config.agent.keepAlive) return;
    const kept = agent.freeSockets[agent.getName(freeOptions)]?.length ?? 0;
    const request = connection.state.kind === 'idle' ? connection.state.lastRequest : connection.requestIndexes.at(-1);
    context.tracker.closedByClient(
      connection,
      kept >= config.agent.maxFreeSockets
        ? `the agent already kept maxFreeSockets (${config.agent.maxFreeSockets}) idle connections, so it closed this one when request ${request} ended`
        : `the agent did not keep it after request ${request} (the server's Keep-Alive hint left it no time)`,
    );
  });

  return {
    send: (plan) => send(agent, plan, context, busy),
    async close() {
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

function send(agent: http.Agent, plan: RequestPlan, context: ClientContext, busy: Set<http.ClientRequest>): Promise<RequestOutcome> {
  const outcome: RequestOutcome = newOutcome(nowUs());
  const transport = plan.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      plan.signal.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        const described = describeError(error);
        outcome.error = described.message;
        outcome.errorCode = described.code;
      }
      outcome.endedUs = nowUs();
      if (!outcome.release) busy.delete(request);
      resolve(outcome);
    };
    const request = transport.request(plan.url, { method: plan.method, agent, headers: { [LAB_REQUEST_HEADER]: plan.labId } });
    outcome.queuedByPool = queuedByAgent(agent, request);
    busy.add(request);
    const timer = setTimeout(() => {
      request.destroy(Object.assign(new Error(`no complete response within ${plan.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, plan.timeoutMs);
    const onAbort = () => request.destroy(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
    plan.signal.addEventListener('abort', onAbort, { once: true });

    request.on('socket', (socket: Socket) => {
      outcome.assignedUs = nowUs();
      const { tracker } = context;
      const known = tracker.find(socket);
      outcome.identityReused = known !== undefined;
      if (known) return void attach(known);
      const dial = tracker.dialStarted(outcome.assignedUs);
      if (!socket.connecting) return void attach(tracker.opened(socket, dial));
      outcome.connectStartUs = outcome.assignedUs;
      const failed = () => tracker.dialFailed();
      socket.once('error', failed);
      // TLS sockets report 'secureConnect'; the TCP handshake is 'connect' on both.
      socket.once('connect', () => {
        socket.off('error', failed);
        outcome.connectedUs = nowUs();
        attach(tracker.opened(socket, dial, outcome.connectedUs));
      });
    });
    function attach(connection: NonNullable<RequestOutcome['connection']>): void {
      outcome.connection = connection;
      context.tracker.assigned(connection, plan.index);
    }
    request.on('error', (error) => finish(error));
    request.on('response', (response) => {
      outcome.firstByteUs = nowUs();
      outcome.status = response.statusCode ?? null;
      outcome.reusedSocket = request.reusedSocket;
      const hint = response.headers['keep-alive'];
      if (outcome.connection) {
        outcome.connection.keepAliveHint = typeof hint === 'string' ? hint : null;
        outcome.connection.serverAnnouncedClose = /\bclose\b/i.test(String(response.headers.connection ?? ''));
      }
      response.on('error', (error) => finish(error));
      handleBody(response, plan, outcome, (error) => {
        bodySettled(context, plan, outcome, response);
        finish(error);
      });
    });
    if (plan.method === 'POST') request.end('lab');
    else request.end();
  });
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
