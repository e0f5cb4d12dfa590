/** What the fetch loop asks of a client, and what a client reports back for one request. */
import type { Socket } from 'node:net';
import type { HttpBodyMode } from '@shared/api-http';
import type { ConnectionTracker, TrackedConnection } from './http-connections';

export interface RequestPlan {
  index: number;
  /** sent as the x-lab-request header, to match diagnostics messages to this request */
  labId: string;
  url: URL;
  method: 'GET' | 'POST';
  timeoutMs: number;
  body: HttpBodyMode;
  partialBytes: number;
  signal: AbortSignal;
}

export interface RequestOutcome {
  status: number | null;
  error: string | null;
  errorCode: string | null;
  connection: TrackedConnection | null;
  /** the socket was known to this run before (identity) */
  identityReused: boolean | null;
  /** `req.reusedSocket` (http.Agent only) */
  reusedSocket: boolean | null;
  /** from undici diagnostics channels (undici only) */
  diagnosticsReused: boolean | null;
  /** lab clock, µs */
  startedUs: number;
  assignedUs: number | null;
  connectStartUs: number | null;
  connectedUs: number | null;
  firstByteUs: number | null;
  endedUs: number;
  bodyBytesRead: number;
  /** set when the body is held open (ignore mode); called at the end of the run */
  release: (() => void) | null;
  /** the client's pool was at its limit (maxSockets / connections) when the request was sent: it waited in the pool's queue */
  queuedByPool: boolean;
}

/** A request's outcome before anything happened to it, started at `startedUs` (lab clock, µs). */
export function newOutcome(startedUs: number): RequestOutcome {
  return {
    status: null,
    error: null,
    errorCode: null,
    connection: null,
    identityReused: null,
    reusedSocket: null,
    diagnosticsReused: null,
    startedUs,
    assignedUs: null,
    connectStartUs: null,
    connectedUs: null,
    firstByteUs: null,
    endedUs: 0,
    bodyBytesRead: 0,
    release: null,
    queuedByPool: false,
  };
}

export interface HttpClient {
  send(plan: RequestPlan): Promise<RequestOutcome>;
  /** Closes every socket, idle or busy. */
  close(): Promise<void>;
  /** ms the client keeps an idle connection, given the server's Keep-Alive hint */
  idleTimeout(hint: string | null): { ms: number | null; source: string };
}

/** What a client trusts and keeps over https. */
export interface TlsTrust {
  /** PEM: the lab's own certificate, trusted instead of the system's CAs; null = the system's CAs (any URL) */
  ca: string | null;
  /** TLS sessions kept for resumption; 0 = none */
  maxCachedSessions: number;
}

export interface ClientContext {
  tracker: ConnectionTracker;
  /** the run's signal: the client listens once and cancels every request in flight (one listener per request warns past 10) */
  signal?: AbortSignal;
}

export function describeError(error: unknown): { message: string; code: string | null } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = (error as { cause?: unknown }).cause;
    const causeText = cause instanceof Error && cause.message !== error.message ? ` (${cause.message})` : '';
    const causeCode = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
    // undici's HTTPParserError may carry no code: its class name is the most stable label then.
    const named = error.name !== 'Error' && error.name !== 'TypeError' ? error.name : null;
    const found = typeof code === 'string' ? code : typeof causeCode === 'string' ? causeCode : named;
    return { message: `${error.message}${causeText}`, code: found };
  }
  return { message: String(error), code: null };
}

/** Parses `timeout=<s>` from a Keep-Alive header; null when absent. */
export function keepAliveHintSeconds(hint: string | null): number | null {
  const match = hint ? /(?:^|[,\s])timeout=(\d+)/i.exec(hint) : null;
  return match?.[1] ? Number.parseInt(match[1], 10) : null;
}

export function socketOf(value: unknown): Socket | null {
  return value && typeof value === 'object' && 'remotePort' in value ? (value as Socket) : null;
}
