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
import { nowUs } from './http-recorder';
import {
  describeError,
  keepAliveHintSeconds,
  newOutcome,
  type ClientContext,
  type HttpClient,
  type RequestOutcome,
  type RequestPlan,
} from './http-request-types';

/** Node's agent subtracts this from the server's hint (lib/_http_agent.js, Node 20). */
const AGENT_HINT_BUFFER_MS = 1000;

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

  return {
    send: (plan) => send(agent, plan, context, busy),
    async close() {
      for (const request of busy) request.destroy();
      agent.destroy();
    },
    idleTimeout(hint) {
      if (!config.agent.keepAlive) return { ms: 0, source: 'agent keepAlive off: closed after each response' };
      const hintSeconds = keepAliveHintSeconds(hint);
      const agentTimeout = config.agent.timeoutMs;
      if (hintSeconds !== null) {
        const fromHint = hintSeconds * 1000 - AGENT_HINT_BUFFER_MS;
        if (fromHint <= 0)
          return { ms: 0, source: `server hint ${hintSeconds} s minus ${AGENT_HINT_BUFFER_MS} ms ≤ 0: agent does not keep the socket` };
        if (agentTimeout !== null && fromHint < agentTimeout)
          return { ms: fromHint, source: `server hint ${hintSeconds} s minus ${AGENT_HINT_BUFFER_MS} ms (below agent timeout)` };
      }
      if (agentTimeout !== null) return { ms: agentTimeout, source: 'agent timeout' };
      return { ms: null, source: hintSeconds !== null ? 'none: an agent without timeout ignores the hint' : 'none: agent has no timeout' };
    },
  };
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
    busy.add(request);
    const timer = setTimeout(() => {
      request.destroy(Object.assign(new Error(`no complete response within ${plan.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, plan.timeoutMs);
    const onAbort = () => request.destroy(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
    plan.signal.addEventListener('abort', onAbort, { once: true });

    request.on('socket', (socket: Socket) => {
      outcome.assignedUs = nowUs();
      const known = context.tracker.find(socket);
      outcome.identityReused = known !== undefined;
      if (known) return void attach(known);
      if (!socket.connecting) return void attach(context.tracker.opened(socket, outcome.assignedUs));
      outcome.connectStartUs = outcome.assignedUs;
      // TLS sockets report 'secureConnect'; the TCP handshake is 'connect' on both.
      socket.once('connect', () => {
        outcome.connectedUs = nowUs();
        attach(context.tracker.opened(socket, outcome.connectStartUs ?? outcome.startedUs, outcome.connectedUs));
      });
    });
    function attach(connection: NonNullable<RequestOutcome['connection']>): void {
      outcome.connection = connection;
      connection.requests += 1;
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
      handleBody(response, plan, outcome, finish);
    });
    if (plan.method === 'POST') request.end('lab');
    else request.end();
  });
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
