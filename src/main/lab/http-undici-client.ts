/**
 * One request at a time over an undici 7 Agent (a Pool per origin). Sockets are
 * made by our own connector wrapper (so we know the handshake time and which
 * sockets are ours); undici's diagnostics channels `undici:client:connected` and
 * `undici:client:sendHeaders` (which carry the socket: undici docs/api/DiagnosticsChannel.md)
 * give an independent reuse verdict to cross-check against socket identity.
 */
import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { HttpRunConfig } from '../../shared/api-http';
import { LAB_REQUEST_HEADER } from './demo-http-server';
import { UNDICI_TCP_KEEPALIVE_DELAY_MS } from './http-kernel-keepalive';
import { nowUs } from './http-recorder';
import {
  describeError,
  keepAliveHintSeconds,
  newOutcome,
  socketOf,
  type ClientContext,
  type HttpClient,
  type RequestOutcome,
  type RequestPlan,
} from './http-request-types';

/** undici subtracts keepAliveTimeoutThreshold (default 2000 ms) from the server's hint. */
const UNDICI_HINT_THRESHOLD_MS = 2000;
/** undici's cap on a hinted timeout (keepAliveMaxTimeout default), ms */
const UNDICI_HINT_MAX_MS = 600_000;

interface SendHeadersMessage {
  headers?: unknown;
  socket?: unknown;
}

export function createUndiciClient(config: HttpRunConfig, context: ClientContext): HttpClient {
  const ourSockets = new WeakSet<Socket>();
  /** sockets the `connected` channel announced, and how many requests sendHeaders put on each */
  const announced = new WeakSet<Socket>();
  const headersSent = new WeakMap<Socket, number>();
  const pending = new Map<string, (socket: Socket, reused: boolean) => void>();

  const baseConnector = buildConnector({
    keepAlive: true,
    keepAliveInitialDelay: UNDICI_TCP_KEEPALIVE_DELAY_MS,
    timeout: config.timeoutMs,
  });
  const connector: buildConnector.connector = (options, callback) => {
    const startUs = nowUs();
    return baseConnector(options, (error, socket) => {
      if (socket) {
        ourSockets.add(socket);
        context.tracker.opened(socket, startUs);
      }
      callback(error as null, socket as Socket);
    });
  };
  const onConnected = (message: unknown) => {
    const socket = socketOf((message as { socket?: unknown }).socket);
    if (socket && ourSockets.has(socket)) announced.add(socket);
  };
  const onSendHeaders = (message: unknown) => {
    const { headers, socket: rawSocket } = message as SendHeadersMessage;
    const socket = socketOf(rawSocket);
    if (!socket || !ourSockets.has(socket) || typeof headers !== 'string') return;
    const labId = new RegExp(`${LAB_REQUEST_HEADER}: (\\S+)`, 'i').exec(headers)?.[1];
    const before = headersSent.get(socket) ?? 0;
    headersSent.set(socket, before + 1);
    if (labId) pending.get(labId)?.(socket, !announced.has(socket) || before > 0);
  };
  diagnostics.subscribe('undici:client:connected', onConnected);
  diagnostics.subscribe('undici:client:sendHeaders', onSendHeaders);

  const agent = new Agent({
    keepAliveTimeout: config.undici.keepAliveTimeoutMs,
    pipelining: config.undici.pipelining,
    connect: connector,
    ...(config.undici.connections !== null ? { connections: config.undici.connections } : {}),
  });
  const held = new Set<{ destroy(): void }>();

  async function send(plan: RequestPlan): Promise<RequestOutcome> {
    const outcome: RequestOutcome = newOutcome(nowUs());
    pending.set(plan.labId, (socket, reused) => {
      outcome.assignedUs = nowUs();
      outcome.diagnosticsReused = reused;
      const connection = context.tracker.find(socket) ?? null;
      outcome.identityReused = connection ? connection.requests > 0 : null;
      if (connection && connection.requests === 0) {
        // A new connection was made for this request: it was assigned when the dial began.
        outcome.connectStartUs = connection.connectStartUs;
        outcome.connectedUs = connection.connectedUs;
        outcome.assignedUs = Math.max(outcome.startedUs, connection.connectStartUs);
      }
      if (connection) connection.requests += 1;
      outcome.connection = connection;
    });
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(Object.assign(new Error(`no complete response within ${plan.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      plan.timeoutMs,
    );
    const onCancel = () => abort.abort(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' }));
    plan.signal.addEventListener('abort', onCancel, { once: true });
    try {
      const response = await agent.request({
        origin: plan.url.origin,
        path: `${plan.url.pathname}${plan.url.search}`,
        method: plan.method,
        headers: { [LAB_REQUEST_HEADER]: plan.labId },
        body: plan.method === 'POST' ? 'lab' : null,
        signal: abort.signal,
      });
      outcome.firstByteUs = nowUs();
      outcome.status = response.statusCode;
      const hint = response.headers['keep-alive'];
      if (outcome.connection) {
        outcome.connection.keepAliveHint = typeof hint === 'string' ? hint : null;
        outcome.connection.serverAnnouncedClose = /\bclose\b/i.test(String(response.headers.connection ?? ''));
      }
      await handleBody(response.body, plan, outcome);
    } catch (error) {
      const described = describeError(error);
      outcome.error = described.message;
      outcome.errorCode = described.code;
    } finally {
      clearTimeout(timer);
      plan.signal.removeEventListener('abort', onCancel);
      pending.delete(plan.labId);
      outcome.endedUs = nowUs();
    }
    return outcome;
  }

  async function handleBody(
    body: AsyncIterable<Buffer> & { destroy(): void; on(event: 'error', listener: () => void): unknown },
    plan: RequestPlan,
    outcome: RequestOutcome,
  ): Promise<void> {
    // Destroying an unfinished body makes it emit RequestAbortedError; that is the point, not a fault.
    body.on('error', () => undefined);
    if (plan.body === 'ignore') {
      held.add(body);
      outcome.release = () => body.destroy();
      return;
    }
    if (plan.body === 'destroy' || (plan.body === 'partial' && plan.partialBytes === 0)) return void body.destroy();
    for await (const chunk of body) {
      outcome.bodyBytesRead += chunk.length;
      if (plan.body === 'partial' && outcome.bodyBytesRead >= plan.partialBytes) {
        body.destroy();
        return;
      }
    }
  }

  return {
    send,
    async close() {
      for (const body of held) body.destroy();
      diagnostics.unsubscribe('undici:client:connected', onConnected);
      diagnostics.unsubscribe('undici:client:sendHeaders', onSendHeaders);
      await agent.destroy();
    },
    idleTimeout(hint) {
      if (config.undici.pipelining === 0) return { ms: 0, source: 'pipelining 0: keep-alive disabled' };
      const hintSeconds = keepAliveHintSeconds(hint);
      if (hintSeconds !== null) {
        const fromHint = Math.min(hintSeconds * 1000 - UNDICI_HINT_THRESHOLD_MS, UNDICI_HINT_MAX_MS);
        if (fromHint <= 0)
          return {
            ms: 0,
            source: `server hint ${hintSeconds} s minus ${UNDICI_HINT_THRESHOLD_MS} ms ≤ 0: undici closes after the response`,
          };
        return { ms: fromHint, source: `server hint ${hintSeconds} s minus ${UNDICI_HINT_THRESHOLD_MS} ms (replaces keepAliveTimeout)` };
      }
      return { ms: config.undici.keepAliveTimeoutMs, source: 'undici keepAliveTimeout' };
    },
  };
}
