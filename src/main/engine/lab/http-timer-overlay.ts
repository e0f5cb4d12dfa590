/**
 * The timer overlay: for one idle keep-alive connection, the three clocks that
 * may end it — the client's free-socket timeout, the server's keepAliveTimeout
 * (or what its `Keep-Alive: timeout=` hint admits), and the kernel's TCP keepalive
 * (idle, then `count` probes `interval` apart) — and a verdict of who closes first.
 *
 * The kernel only closes a connection whose peer stopped answering probes, so on
 * a healthy connection its probes keep middleboxes' state alive but never win.
 */
import type { TimerOverlay } from '@shared/api-http';
import { keepAliveHintSeconds } from './http-request-types';

export interface OverlayInput {
  client: { ms: number | null; source: string };
  /** known for the embedded server, else null */
  serverKeepAliveTimeoutMs: number | null;
  keepAliveHint: string | null;
  kernel: TimerOverlay['kernel'];
  /** longest idle gap between two requests in this run, ms (null = single request) */
  idleGapMs: number | null;
}

export function timerOverlay(input: OverlayInput): TimerOverlay {
  const hintSeconds = keepAliveHintSeconds(input.keepAliveHint);
  const serverMs = input.serverKeepAliveTimeoutMs ?? (hintSeconds !== null ? hintSeconds * 1000 : null);
  const base = {
    clientIdleTimeoutMs: input.client.ms,
    clientIdleSource: input.client.source,
    serverKeepAliveTimeoutMs: serverMs,
    keepAliveHint: input.keepAliveHint,
    kernel: input.kernel,
  };
  return { ...base, verdict: verdict(input, serverMs) };
}

function verdict(input: OverlayInput, serverMs: number | null): TimerOverlay['verdict'] {
  const clientMs = input.client.ms;
  const kernelNote = kernelSentence(input.kernel);
  if (clientMs === 0)
    return { first: 'client', afterMs: 0, reason: `the client closes right after each response (${input.client.source}).` };
  if (clientMs !== null && serverMs === null) {
    return {
      first: 'client',
      afterMs: clientMs,
      reason: `the client closes the idle connection after ${clientMs} ms (${input.client.source}) unless the server, whose idle timeout is unknown (no Keep-Alive hint), closes it sooner. ${kernelNote}`,
    };
  }
  if (clientMs !== null && serverMs !== null && clientMs < serverMs) {
    return {
      first: 'client',
      afterMs: clientMs,
      reason: `the client closes the idle connection after ${clientMs} ms (${input.client.source}), ${serverMs - clientMs} ms before the server's ${serverMs} ms: no stale reuse. ${kernelNote}`,
    };
  }
  if (serverMs !== null && serverMs > 0) {
    const clientText = clientMs === null ? 'the client has no idle timeout' : `the client waits ${clientMs} ms`;
    const gap = input.idleGapMs;
    const risk =
      gap !== null && gap >= serverMs
        ? `This run idles ${Math.round(gap)} ms between requests, longer than that: the next request may be sent on a connection the server is closing (ECONNRESET / "socket hang up").`
        : 'A request sent just as the server closes gets a reset (the keep-alive race).';
    return {
      first: 'server',
      afterMs: serverMs,
      reason: `the server closes first after ${serverMs} ms idle while ${clientText}. ${risk} ${kernelNote}`,
    };
  }
  if (serverMs === null) {
    return {
      first: 'server',
      afterMs: null,
      reason: `the client has no idle timeout, so the server closes first, after its own idle timeout, unknown here (it sent no Keep-Alive hint); a request sent as it closes gets a reset. ${kernelNote}`,
    };
  }
  return {
    first: 'nobody',
    afterMs: null,
    reason: `neither side has an idle timeout; the connection stays until one side exits. ${kernelNote}`,
  };
}

function kernelSentence(kernel: TimerOverlay['kernel']): string {
  if (!kernel.enabled || kernel.idleS === null)
    return `TCP keepalive is off on the client socket${kernel.source ? ` (${kernel.source})` : ''}.`;
  const interval = kernel.intervalS === null ? 'at an interval not known' : `${kernel.intervalS} s apart`;
  const count = kernel.count === null ? 'a number (not known) of' : String(kernel.count);
  // an answered probe's ACK restarts the idle time (Linux tcp_keepalive_timer); the interval spaces unanswered probes only
  return `TCP keepalive probes start after ${kernel.idleS} s idle (and again ${kernel.idleS} s after each answer), ${interval} while unanswered; only ${count} unanswered probes would make the kernel close it (${kernel.source}).`;
}
