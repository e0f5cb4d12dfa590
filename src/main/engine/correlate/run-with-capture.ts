/**
 * Runs one experiment with live capture on, whatever the experiment: start tcpdump on its
 * ports, run it, stop tcpdump, correlate. tcpdump never outlives the call: it is stopped when
 * the experiment throws, and on the signal. Without tcpdump the experiment still runs and
 * the report says why there is no capture.
 */
import type { RunCapture } from '@shared/api-correlate';
import type { Session, TraceRecorder } from '@shared/trace';
import type { Correlation } from './correlate-session';
import { startLiveCorrelation } from './live-correlation';

export interface CaptureRequest {
  /** the experiment's own TCP ports */
  ports: number[];
  /** save the pcap here (null: keep it in memory only) */
  saveTo: string | null;
  signal?: AbortSignal;
  /** the experiment's trace recorder once it exists, for live marks */
  trace: () => TraceRecorder | null;
}

export interface CapturedRun<R> {
  result: R;
  /** the correlated session; null without a capture */
  session: Session | null;
  correlation: Correlation | null;
  capture: RunCapture;
}

export async function runWithLiveCapture<R>(
  request: CaptureRequest,
  run: () => Promise<R>,
  sessionOf: (result: R) => Session,
): Promise<CapturedRun<R>> {
  const started = await startLiveCorrelation({
    ports: request.ports,
    saveTo: request.saveTo ?? undefined,
    signal: request.signal,
    trace: request.trace,
  });
  if (!started.ok) return { result: await run(), session: null, correlation: null, capture: started.capture };
  let result: R;
  try {
    result = await run();
  } catch (error) {
    await started.live.abort();
    throw error;
  }
  const finished = await started.live.finish(sessionOf(result));
  return { result, session: finished.session, correlation: finished.correlation, capture: finished.capture };
}
