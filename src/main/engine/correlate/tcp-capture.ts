/**
 * The TCP keepalive experiment with live capture on: the echo server is started first (or the
 * given target's port is used) so tcpdump can watch just that port; the probes the kernel
 * sends while the connection idles then appear on its lane as they are captured, and the
 * result carries the `capture` block (matched lanes, probe times, findings).
 */
import type { RunCapture } from '@shared/api-correlate';
import type { Session } from '@shared/trace';
import { HOW_TO_ENABLE_CAPTURE } from '../capture/live';
import { startLiveCorrelation, type LiveCorrelation } from './live-correlation';
import { runWithLiveCapture } from './run-with-capture';
import { startEchoServer } from '../lab/echo-server';
import { runHalfOpenScenario, type HalfOpenOptions, type HalfOpenSummary } from '../lab/half-open';
import { runKeepaliveExperiment, type KeepaliveExperimentOptions, type KeepaliveSummary } from '../lab/tcp-experiments';
import { TcpRecorder } from '../lab/tcp-recorder';

export interface KeepaliveCaptureResult {
  session: Session;
  summary: KeepaliveSummary;
  capture: RunCapture;
}

export interface HalfOpenCaptureResult {
  session: Session;
  summary: HalfOpenSummary;
  capture: RunCapture;
}

export async function runKeepaliveWithCapture(
  options: KeepaliveExperimentOptions,
  capture: { saveTo: string | null },
): Promise<KeepaliveCaptureResult> {
  const recorder = options.recorder ?? new TcpRecorder();
  const echo = options.target ? null : await startEchoServer(options.server);
  try {
    const target = options.target ?? { host: echo?.host ?? '127.0.0.1', port: echo?.port ?? 0 };
    const captured = await runWithLiveCapture(
      { ports: [target.port], saveTo: capture.saveTo, signal: options.signal, trace: () => recorder.trace },
      () => runKeepaliveExperiment({ ...options, target, recorder }),
      (result) => result.session,
    );
    return { session: captured.session ?? captured.result.session, summary: captured.result.summary, capture: captured.capture };
  } finally {
    await echo?.close();
  }
}

/**
 * The half-open scenario with live capture inside the client's network namespace, on its veth:
 * the probes that leave and are never answered, and the RST the kernel sends when it gives up.
 * Where the scenario or tcpdump is unavailable the result says why.
 */
export async function runHalfOpenWithCapture(options: HalfOpenOptions, capture: { saveTo: string | null }): Promise<HalfOpenCaptureResult> {
  const recorder = options.recorder ?? new TcpRecorder();
  // filled by the hooks, which run inside the scenario
  const state: { live: LiveCorrelation | null; unavailable: RunCapture | null } = { live: null, unavailable: null };
  const result = await runHalfOpenScenario({
    ...options,
    recorder,
    onTopology: async (where) => {
      await options.onTopology?.(where);
      const started = await startLiveCorrelation({
        ports: [where.serverPort],
        saveTo: capture.saveTo ?? undefined,
        signal: options.signal,
        trace: () => recorder.trace,
        interfaceName: where.clientInterface,
        netns: where.clientNetns,
      });
      if (started.ok) state.live = started.live;
      else state.unavailable = started.capture;
    },
    beforeCleanup: async (where) => {
      await state.live?.stop();
      await options.beforeCleanup?.(where);
    },
  });
  const running = state.live;
  if (running === null) {
    const reason = result.summary.reason ?? 'the scenario did not start';
    return {
      ...result,
      capture: state.unavailable ?? {
        status: 'unavailable',
        code: 'failed',
        message: `no capture: ${reason}`,
        howToEnable: HOW_TO_ENABLE_CAPTURE,
      },
    };
  }
  const finished = await running.finish(result.session);
  return { session: finished.session, summary: result.summary, capture: finished.capture };
}
