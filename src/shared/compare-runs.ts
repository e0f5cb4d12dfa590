/**
 * Two runs of the Lab page side by side: the figures that differ, in words a learner reads at a
 * glance ("connections opened: 6 vs 1"), and each run's totals. Any two runs compare: HTTP/1.1
 * with HTTP/1.1 (reuse, handshakes saved, waits for a free connection), HTTP/2 with HTTP/2
 * (streams, streams at once, waits for a stream slot, PINGs, GOAWAY), and HTTP/1.1 with HTTP/2,
 * where each side is said in its own protocol's words: an HTTP/2 stream never waits in a pool
 * and never "reuses" a connection, it is multiplexed on it (RFC 9113 §5).
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import type { HttpRunResult } from './api-http';
import { percentOf } from './counting';
import { goawayWords, handshakesPaid, perConnection, runFigures, waitedWords, type ComparedRun, type RunFigures } from './run-figures';

export type { ComparedRun } from './run-figures';

export interface CompareLine {
  /** stable key of the figure */
  field: string;
  /** the counters to outline in either column because the figure differs (HTTP/1.1 and HTTP/2 counters have their own names) */
  counters: readonly string[];
  label: string;
  a: string;
  b: string;
  differs: boolean;
}

type Side = { figures: RunFigures; run: ComparedRun };

/** Timings always differ a little between runs: only a gap of over 25 ms and over 3× counts as a difference (a cold first request alone can wait 50 ms on a busy machine). */
const NOISE_MS = 25;
function clearlyDifferent(a: number, b: number): boolean {
  const [low, high] = a < b ? [a, b] : [b, a];
  return high - low > NOISE_MS && high > 3 * low;
}

function line(field: string, label: string, a: string, b: string, differs = a !== b, counters: readonly string[] = [field]): CompareLine {
  return { field, counters, label, a, b, differs };
}

const percent = (value: number | null) => (value === null ? '–' : `${value} %`);
const runTime = (a: RunFigures, b: RunFigures) =>
  line('durationMs', 'run time', `${Math.round(a.durationMs)} ms`, `${Math.round(b.durationMs)} ms`, false);
const anyTls = (a: RunFigures, b: RunFigures) => a.tlsFull + a.tlsResumed + b.tlsFull + b.tlsResumed > 0;

/** HTTP/1.1 against HTTP/1.1: reuse, handshakes saved, most open at once, the requests that waited for a free connection. */
function http1Lines(a: HttpRunResult, b: HttpRunResult, figuresA: RunFigures, figuresB: RunFigures): CompareLine[] {
  const count = (value: number) => String(value);
  const lines = [
    line('connectionsOpened', 'connections opened', count(a.connectionsOpened), count(b.connectionsOpened)),
    line('reusePercent', 'reuse', percent(percentOf(a.reused, a.requests.length)), percent(percentOf(b.reused, b.requests.length))),
    line('handshakesSaved', 'handshakes saved', count(a.handshakesSaved), count(b.handshakesSaved)),
    line('maxOpen', 'most open at once', count(a.maxOpen), count(b.maxOpen)),
    line('errors', 'errors', count(a.errors), count(b.errors)),
  ];
  // over TLS: how many new connections resumed their session (the resumption scenario's point)
  if (anyTls(figuresA, figuresB))
    lines.push(line('tlsResumed', 'TLS handshakes resumed', count(figuresA.tlsResumed), count(figuresB.tlsResumed)));
  // pool waits only (pool-waits.ts): a new connection's handshakes are counted above, not as a wait
  const [longestA, longestB] = [figuresA.longestWaitMs ?? 0, figuresB.longestWaitMs ?? 0];
  const waitsDiffer = figuresA.waited !== figuresB.waited || clearlyDifferent(longestA, longestB);
  lines.push(line('waited', 'requests that waited', waitedWords(figuresA), waitedWords(figuresB), waitsDiffer));
  return [...lines, runTime(figuresA, figuresB)];
}

/** HTTP/2 against HTTP/2: streams, streams at once, waits for a stream slot, PINGs and GOAWAY. */
function http2Lines(a: Side, b: Side): CompareLine[] {
  const [x, y] = [a.figures, b.figures];
  const clientOf = (side: Side) => (side.run.protocol === 'http2' && side.run.result.config.client === 'undici' ? 'undici' : 'node:http2');
  const waitA = x.longestWaitMs ?? 0;
  const waitB = y.longestWaitMs ?? 0;
  const lines = [
    line('protocol', 'protocol', x.protocolName, y.protocolName),
    line('client', 'client', clientOf(a), clientOf(b)),
    line('requests', 'requests', String(x.requests), String(y.requests)),
    line('connections', 'connections opened', String(x.connections), String(y.connections)),
    line('streams', 'most streams on one connection', String(x.mostPerConnection), String(y.mostPerConnection)),
    line('streamsAtOnce', 'most streams at once', String(x.mostAtOnce), String(y.mostAtOnce)),
    line('waited', 'waited for a stream slot', String(x.waited), String(y.waited)),
    line('longestWaitMs', 'longest wait for a stream slot', `${waitA} ms`, `${waitB} ms`, clearlyDifferent(waitA, waitB)),
    line('pings', 'PINGs', String(x.pings), String(y.pings)),
    line('goaways', 'GOAWAY', goawayWords(x), goawayWords(y)),
    line('errors', 'failed', String(x.failed), String(y.failed), undefined, ['answered']),
  ];
  if (anyTls(x, y)) lines.push(line('tlsResumed', 'TLS handshakes resumed', String(x.tlsResumed), String(y.tlsResumed)));
  return [...lines, runTime(x, y)];
}

/** HTTP/1.1 against HTTP/2: the same questions — how many connections, handshakes, requests on one, waits — each side in its own words. */
function mixedLines(x: RunFigures, y: RunFigures): CompareLine[] {
  const [http1, http2] = x.protocol === 'http1' ? [x, y] : [y, x];
  const lines = [
    line('protocol', 'protocol', x.protocolName, y.protocolName, true),
    line('requests', 'requests', String(x.requests), String(y.requests)),
    line('connections', 'connections opened', String(x.connections), String(y.connections), undefined, [
      'connectionsOpened',
      'connections',
    ]),
    line(
      'handshakes',
      'handshakes paid',
      handshakesPaid(x),
      handshakesPaid(y),
      x.connections !== y.connections || x.tlsFull !== y.tlsFull || x.tlsResumed !== y.tlsResumed,
    ),
    line(
      'perConnection',
      'requests on one connection',
      perConnection(x),
      perConnection(y),
      http2.mostAtOnce > 1 || x.mostPerConnection !== y.mostPerConnection,
    ),
    line('waited', 'requests that waited', waitedWords(x), waitedWords(y), x.waited !== y.waited, ['waited']),
  ];
  const absent = (what: string) => `none (HTTP/1.1 has no ${what} frame)`;
  const onlyHttp2 = (field: string, label: string, what: string, value: string) =>
    line(field, label, x === http1 ? absent(what) : value, y === http1 ? absent(what) : value, true);
  if (http2.pings > 0) lines.push(onlyHttp2('pings', 'PINGs', 'PING', String(http2.pings)));
  if (http2.goaways > 0) lines.push(onlyHttp2('goaways', 'GOAWAY', 'GOAWAY', goawayWords(http2)));
  lines.push(line('errors', 'failed', String(x.failed), String(y.failed), undefined, ['answered']));
  return [...lines, runTime(x, y)];
}

/** Every compared figure of both runs, with `differs` set where they are not equal. */
export function compareRuns(a: ComparedRun, b: ComparedRun): CompareLine[] {
  const sideA = { run: a, figures: runFigures(a) };
  const sideB = { run: b, figures: runFigures(b) };
  if (a.protocol === 'http1' && b.protocol === 'http1') return http1Lines(a.result, b.result, sideA.figures, sideB.figures);
  if (a.protocol === 'http2' && b.protocol === 'http2') return http2Lines(sideA, sideB);
  return mixedLines(sideA.figures, sideB.figures);
}

/** "connections opened: 1 vs 10" for each figure that differs (run time aside: it always differs a little). */
export function differenceSentences(lines: readonly CompareLine[]): string[] {
  return lines.filter((line) => line.differs).map((line) => `${line.label}: ${line.a} vs ${line.b}`);
}

/** "15, the longest 40 ms", or "none": requests that waited for a free connection (HTTP/1.1) or a stream slot (HTTP/2). */
function waits(figures: RunFigures): string {
  if (figures.waited === 0) return 'none';
  return figures.longestWaitMs === null ? String(figures.waited) : `${figures.waited}, the longest ${figures.longestWaitMs} ms`;
}

/** The totals under each compared run, label and value, in the words of its protocol. */
export function runTotals(run: ComparedRun): Array<{ label: string; value: string }> {
  const figures = runFigures(run);
  const common = [
    { label: 'Requests', value: String(figures.requests) },
    { label: 'Failed', value: String(figures.failed) },
    { label: 'Connections opened', value: String(figures.connections) },
  ];
  const duration = { label: 'Run time', value: `${Math.round(figures.durationMs)} ms` };
  if (run.protocol === 'http1') return [...common, { label: 'Waited for a free connection', value: waits(figures) }, duration];
  return [
    ...common,
    { label: 'Streams on one connection', value: perConnection(figures) },
    { label: 'Waited for a stream slot', value: waits(figures) },
    { label: 'PINGs', value: String(figures.pings) },
    { label: 'GOAWAY', value: goawayWords(figures) },
    duration,
  ];
}
