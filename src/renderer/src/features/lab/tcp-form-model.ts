/**
 * The TCP lab's experiments and their settings, and how each becomes a call of
 * the contract (src/shared/api-tcp.ts). Runs (mux, pool, keepalive) end by
 * themselves and stream under a job id; servers (echo, proxy) start, then stop
 * on request.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import type { Params } from '@shared/api';
import type { TermId } from '@shared/glossary';
import { deadPeerFromSeconds, type DeadPeerDetection } from '@shared/dead-peer';

export type TcpExperiment = 'echo' | 'mux' | 'pool' | 'proxy' | 'keepalive' | 'half-open';

export const TCP_EXPERIMENTS: ReadonlyArray<{ name: TcpExperiment; title: string; lesson: string }> = [
  {
    name: 'echo',
    title: 'Echo server',
    lesson: 'A JSON-lines server on a loopback port: send {"uid","val"} and it answers with the uid, a greeting and the time.',
  },
  {
    name: 'mux',
    title: 'Multiplexing client',
    lesson: 'Many requests in flight on ONE connection, matched by uid: one handshake, no waiting for the previous answer.',
  },
  {
    name: 'pool',
    title: 'Connection pool',
    lesson: 'Each request borrows a connection from a bounded pool and gives it back: a few connections serve many requests.',
  },
  {
    name: 'proxy',
    title: 'Proxy',
    lesson: 'A listener that forwards each client over a pooled upstream connection, copying both directions.',
  },
  {
    name: 'keepalive',
    title: 'TCP keepalive',
    lesson:
      'One idle connection with keepalive on: watch the kernel’s timer count down and re-arm each time it fires. It sends a probe once nothing has come from the peer for the idle time; each answer starts that time again.',
  },
  {
    name: 'half-open',
    title: 'Vanished peer',
    lesson:
      'The peer disappears without a FIN or RST (its network is cut): nobody answers the probes, and the kernel gives up after idle + count × interval with ETIMEDOUT.',
  },
];

export interface TcpForm {
  experiment: TcpExperiment;
  requests: number;
  concurrency: number;
  /** per-request timeout, ms (0 = none) */
  timeoutMs: number;
  /** echo server: ms before each answer */
  delayMs: number;
  /** echo server: drop every Nth answer (0 = never) */
  dropEveryNth: number;
  poolSize: number;
  /** ms a borrower may wait for a free connection */
  acquireTimeoutMs: number;
  /** s of idle before the first probe */
  idleS: number;
  /** s between unanswered probes */
  intervalS: number;
  /** unanswered probes before the kernel gives up */
  count: number;
  /** TCP_USER_TIMEOUT, ms (0 = not set) */
  userTimeoutMs: number;
  /** s to hold the connection idle */
  holdS: number;
  close: 'fin' | 'rst';
  /** 0 = any free port */
  listenPort: number;
  /** proxy copy buffer, bytes */
  highWaterMark: number;
}

export function defaultTcpForm(): TcpForm {
  return {
    experiment: 'mux',
    requests: 200,
    concurrency: 20,
    timeoutMs: 2000,
    delayMs: 0,
    dropEveryNth: 0,
    poolSize: 4,
    acquireTimeoutMs: 2000,
    idleS: 1,
    intervalS: 1,
    count: 3,
    userTimeoutMs: 0,
    holdS: 5,
    close: 'fin',
    listenPort: 0,
    highWaterMark: 64 * 1024,
  };
}

/** The server settings, sent only when they change something. */
function echoBehaviour(form: TcpForm): { delayMs?: number; dropEveryNth?: number } | undefined {
  if (form.delayMs === 0 && form.dropEveryNth === 0) return undefined;
  return { delayMs: form.delayMs, dropEveryNth: form.dropEveryNth };
}

export type TcpRunCall =
  | { method: 'tcp.runMux'; params: Params<'tcp.runMux'> }
  | { method: 'tcp.runPool'; params: Params<'tcp.runPool'> }
  | { method: 'tcp.runKeepalive'; params: Params<'tcp.runKeepalive'> }
  | { method: 'tcp.runHalfOpen'; params: Params<'tcp.runHalfOpen'> };

export type TcpStartCall =
  { method: 'tcp.startEcho'; params: Params<'tcp.startEcho'> } | { method: 'tcp.startProxy'; params: Params<'tcp.startProxy'> };

/** Runs end by themselves (mux, pool, keepalive); servers (echo, proxy) keep going until stopped. */
export function isServerExperiment(experiment: TcpExperiment): experiment is 'echo' | 'proxy' {
  return experiment === 'echo' || experiment === 'proxy';
}

export function runCall(form: TcpForm, jobId: string): TcpRunCall | null {
  const load = { jobId, requests: form.requests, concurrency: form.concurrency, timeoutMs: form.timeoutMs, server: echoBehaviour(form) };
  switch (form.experiment) {
    case 'mux':
      return { method: 'tcp.runMux', params: load };
    case 'pool':
      return { method: 'tcp.runPool', params: { ...load, size: form.poolSize, acquireTimeoutMs: form.acquireTimeoutMs } };
    case 'keepalive':
      return {
        method: 'tcp.runKeepalive',
        params: {
          jobId,
          idleS: form.idleS,
          intervalS: form.intervalS,
          count: form.count,
          holdS: form.holdS,
          close: form.close,
          ...(form.userTimeoutMs > 0 ? { userTimeoutMs: form.userTimeoutMs } : {}),
        },
      };
    case 'half-open':
      return {
        method: 'tcp.runHalfOpen',
        params: {
          jobId,
          idleS: form.idleS,
          intervalS: form.intervalS,
          count: form.count,
          ...(form.userTimeoutMs > 0 ? { userTimeoutMs: form.userTimeoutMs } : {}),
        },
      };
    case 'echo':
    case 'proxy':
      return null;
    default: {
      const never: never = form.experiment;
      return never;
    }
  }
}

export function startCall(form: TcpForm): TcpStartCall | null {
  if (form.experiment === 'echo') return { method: 'tcp.startEcho', params: { port: form.listenPort, ...echoBehaviour(form) } };
  if (form.experiment === 'proxy')
    return {
      method: 'tcp.startProxy',
      params: { listenPort: form.listenPort, poolSize: form.poolSize, highWaterMark: form.highWaterMark },
    };
  return null;
}

/** Which settings each experiment shows, in form order. */
export const TCP_FIELDS: Readonly<Record<TcpExperiment, ReadonlyArray<keyof TcpForm>>> = {
  echo: ['listenPort', 'delayMs', 'dropEveryNth'],
  mux: ['requests', 'concurrency', 'timeoutMs', 'delayMs', 'dropEveryNth'],
  pool: ['requests', 'concurrency', 'poolSize', 'acquireTimeoutMs', 'timeoutMs', 'delayMs'],
  proxy: ['listenPort', 'poolSize', 'highWaterMark'],
  keepalive: ['idleS', 'intervalS', 'count', 'userTimeoutMs', 'holdS', 'close'],
  'half-open': ['idleS', 'intervalS', 'count', 'userTimeoutMs'],
};

/** Tighter bounds where an experiment has them (tcp.runHalfOpen keeps its wait short). */
const LIMITS: Partial<Record<TcpExperiment, Partial<Record<keyof TcpForm, { min: number; max: number }>>>> = {
  'half-open': {
    idleS: { min: 1, max: 60 },
    intervalS: { min: 1, max: 60 },
    count: { min: 1, max: 20 },
    userTimeoutMs: { min: 0, max: 60_000 },
  },
};

/** The allowed range of a field for an experiment. */
export function fieldLimits(experiment: TcpExperiment, field: keyof TcpForm): { min: number; max: number } {
  const meta = TCP_FIELD_LABELS[field];
  return LIMITS[experiment]?.[field] ?? { min: meta.min, max: meta.max };
}

/** When a silent peer would be noticed with the form's keepalive settings; null for experiments without keepalive. */
export function formDeadPeer(form: TcpForm): DeadPeerDetection | null {
  if (form.experiment !== 'keepalive' && form.experiment !== 'half-open') return null;
  return deadPeerFromSeconds({
    enabled: true,
    idleS: form.idleS,
    intervalS: form.intervalS,
    count: form.count,
    userTimeoutMs: form.userTimeoutMs,
  });
}

export const TCP_FIELD_LABELS: Readonly<Record<keyof TcpForm, { label: string; unit?: string; min: number; max: number; term?: TermId }>> =
  {
    experiment: { label: 'Experiment', min: 0, max: 0 },
    requests: { label: 'Requests', min: 1, max: 1_000_000 },
    concurrency: { label: 'In flight at once', min: 1, max: 10_000 },
    timeoutMs: { label: 'Request timeout', unit: 'ms', min: 0, max: 600_000 },
    delayMs: { label: 'Server delay per answer', unit: 'ms', min: 0, max: 60_000 },
    dropEveryNth: { label: 'Server drops every Nth answer (0 = none)', min: 0, max: 1_000_000 },
    poolSize: { label: 'Pool size', min: 1, max: 1000, term: 'poolSize' },
    acquireTimeoutMs: { label: 'Longest wait for a free connection', unit: 'ms', min: 0, max: 600_000 },
    idleS: { label: 'Idle before the first probe', unit: 's', min: 1, max: 7200, term: 'idle' },
    intervalS: { label: 'Between probes', unit: 's', min: 1, max: 3600, term: 'interval' },
    count: { label: 'Unanswered probes before giving up', min: 1, max: 127, term: 'count' },
    userTimeoutMs: { label: 'TCP_USER_TIMEOUT (0 = not set)', unit: 'ms', min: 0, max: 3_600_000, term: 'userTimeout' },
    holdS: { label: 'Hold the connection idle for', unit: 's', min: 0, max: 3600 },
    close: { label: 'Close with', min: 0, max: 0, term: 'closeWith' },
    listenPort: { label: 'Listen port (0 = any free port)', min: 0, max: 65535 },
    highWaterMark: { label: 'Copy buffer', unit: 'bytes', min: 1024, max: 16 * 1024 * 1024 },
  };

const numberText = (value: number): string => value.toLocaleString('en-US');

/** What is wrong with one number in plain words ("at least 1", "at most 65,535", "a whole number"), or null. */
function numberProblem(value: number, meta: { unit?: string; min: number; max: number }): string | null {
  const unit = meta.unit ? ` ${meta.unit}` : '';
  if (Number.isNaN(value)) return 'a number is needed';
  if (value < meta.min) return `at least ${numberText(meta.min)}${unit}`;
  if (value > meta.max) return `at most ${numberText(meta.max)}${unit}`;
  if (!Number.isInteger(value)) return 'a whole number';
  return null;
}

/** Fields of the chosen experiment that are not whole numbers in range, as "Label: problem"; empty = fine. */
export function tcpFormProblems(form: TcpForm): string[] {
  const problems: string[] = [];
  for (const field of TCP_FIELDS[form.experiment]) {
    const value = form[field];
    if (typeof value !== 'number') continue;
    const meta = { ...TCP_FIELD_LABELS[field], ...fieldLimits(form.experiment, field) };
    const problem = numberProblem(value, meta);
    if (problem) problems.push(`${meta.label}: ${problem}`);
  }
  return problems;
}
