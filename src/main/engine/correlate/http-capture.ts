/**
 * An HTTP lab run with live capture on: the embedded server is started first so its port is
 * known, tcpdump watches that port (or the URL's), the run goes as usual, and its result gets
 * the `capture` block, the correlated session (probes, FIN, RST on each connection's lane)
 * and, per request, the stream and frames that carried it.
 */
import type { HttpRunConfig, HttpRunResult } from '@shared/api-http';
import type { TraceRecorder } from '@shared/trace';
import { runWithLiveCapture } from './run-with-capture';
import { startDemoHttpServer } from '../lab/demo-http-server';
import { runHttpLoop, type HttpRunOptions } from '../lab/http-loop';
import { labRequestId, targetPort } from '../lab/http-target';

export interface HttpCaptureOptions {
  /** save the pcap here; null keeps it in memory only */
  saveTo: string | null;
}

export async function runHttpLoopWithCapture(
  config: HttpRunConfig,
  options: HttpRunOptions,
  capture: HttpCaptureOptions,
): Promise<HttpRunResult> {
  const ownServer = config.url === null && !options.server ? await startDemoHttpServer(config.server, { tls: config.tls }) : null;
  const server = options.server ?? ownServer ?? undefined;
  try {
    const port = config.url !== null ? targetPort(config.url) : (server?.port ?? 0);
    let trace: TraceRecorder | null = null;
    const run = () =>
      runHttpLoop(config, {
        ...options,
        server,
        onEvent: (event, recorder) => {
          trace = recorder.trace;
          options.onEvent?.(event, recorder);
        },
      });
    const captured = await runWithLiveCapture(
      { ports: [port], saveTo: capture.saveTo, signal: options.signal, trace: () => trace },
      run,
      (result) => result.session,
    );
    const result = captured.result;
    if (captured.correlation === null || captured.session === null) return { ...result, capture: captured.capture };
    const frames = new Map(captured.correlation.requests.map((request) => [request.request, request]));
    return {
      ...result,
      session: captured.session,
      capture: captured.capture,
      requests: result.requests.map((request) => {
        const wire = frames.get(labRequestId(request.index, request.retried ? 2 : 1));
        return { ...request, stream: wire?.stream ?? null, frames: wire?.frames ?? [] };
      }),
    };
  } finally {
    await ownServer?.close();
  }
}
