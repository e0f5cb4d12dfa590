/**
 * Live capture wrapped around one lab experiment: tcpdump on the experiment's own ports
 * (capture/live.ts) feeds a WireLog; while the experiment runs, probes, ACKs, FIN and RST
 * are put on their connection's lane as they arrive (so the timeline shows them live); when
 * it ends, the whole capture is correlated with the finished session (correlate-session.ts).
 * Where tcpdump is missing or may not capture, the experiment runs without it and the
 * report says why and how to enable it.
 */
import type { RunCapture } from '@shared/api-correlate';
import type { Session, TraceRecorder } from '@shared/trace';
import { startLiveCapture, type LiveCapture } from '../capture/live';
import { captureReport } from './capture-report';
import { correlateSession, type Correlation } from './correlate-session';
import { endpointKey, pairKey } from './match';
import { marksOf, wireEventsFor } from './wire-events';
import { WireLog, type WireSegment } from './wire-log';

/** Segments waiting for their connection to be registered (its SYN precedes the lab's conn-opened). */
const MAX_PENDING_SEGMENTS = 10_000;

export interface LiveCorrelationOptions {
  /** the experiment's own TCP ports */
  ports: number[];
  /** save the pcap here */
  saveTo?: string;
  signal?: AbortSignal;
  /** the experiment's recorder once it exists; live marks are recorded on it */
  trace: () => TraceRecorder | null;
  /** capture interface (default "lo") and network namespace (default: ours) */
  interfaceName?: string;
  netns?: string;
}

export interface LiveCorrelation {
  /** Stops tcpdump (idempotent): for experiments that tear down their network before they return. */
  stop(): Promise<void>;
  /** Stops tcpdump (if not yet) and correlates everything it saw with the finished session. */
  finish(session: Session): Promise<{ session: Session; capture: RunCapture; correlation: Correlation }>;
  /** Stops tcpdump without correlating (the experiment failed). */
  abort(): Promise<void>;
}

/** Puts mark-worthy segments on the lane of the connection with their 4-tuple, as they arrive. */
class LiveMarker {
  private readonly connOfStream = new Map<number, { conn: string; localKey: string }>();
  private pending: WireSegment[] = [];
  private knownConnections = 0;

  constructor(private readonly trace: () => TraceRecorder | null) {}

  readonly onSegment = (segment: WireSegment): void => {
    const recorder = this.trace();
    if (recorder !== null && this.pending.length > 0 && recorder.connections.size !== this.knownConnections) this.retry(recorder);
    if (marksOf(segment).length === 0) return;
    if (recorder === null || !this.place(recorder, segment)) this.hold(segment);
  };

  private hold(segment: WireSegment): void {
    if (this.pending.length < MAX_PENDING_SEGMENTS) this.pending.push(segment);
  }

  private retry(recorder: TraceRecorder): void {
    this.knownConnections = recorder.connections.size;
    const waiting = this.pending;
    this.pending = [];
    for (const segment of waiting) if (!this.place(recorder, segment)) this.hold(segment);
  }

  private place(recorder: TraceRecorder, segment: WireSegment): boolean {
    let lane = this.connOfStream.get(segment.stream);
    if (!lane) {
      const key = pairKey(segment.source, segment.destination);
      // the newest connection on this 4-tuple: a port used again belongs to the latest one
      for (const connection of recorder.connections.values()) {
        if (!connection.local || !connection.remote) continue;
        const localKey = endpointKey(connection.local);
        if (pairKey(localKey, endpointKey(connection.remote)) === key) lane = { conn: connection.id, localKey };
      }
      if (!lane) return false;
      this.connOfStream.set(segment.stream, lane);
    }
    for (const event of wireEventsFor(segment, lane.conn, lane.localKey, recorder.epochMs)) recorder.record(event);
    return true;
  }
}

/**
 * Starts tcpdump for `ports`. Resolves with a handle, or with the `unavailable` report when
 * tcpdump cannot run here (the caller runs the experiment without it).
 */
export async function startLiveCorrelation(
  options: LiveCorrelationOptions,
): Promise<{ ok: true; live: LiveCorrelation } | { ok: false; capture: RunCapture }> {
  const marker = new LiveMarker(options.trace);
  const wire = new WireLog(marker.onSegment);
  const started = await startLiveCapture({
    ports: options.ports,
    onRecord: wire.onRecord,
    saveTo: options.saveTo,
    signal: options.signal,
    interfaceName: options.interfaceName,
    netns: options.netns,
  });
  if (!started.ok) return { ok: false, capture: { status: 'unavailable', ...started.unavailable } };
  const capture: LiveCapture = started.capture;
  return {
    ok: true,
    live: {
      async finish(session) {
        const stopped = await capture.stop();
        const correlation = correlateSession(session, wire.finish());
        const warnings = [...stopped.warnings];
        return {
          session: correlation.session,
          correlation,
          capture: captureReport(correlation, { file: stopped.file, filter: capture.filter, warnings }),
        };
      },
      async stop() {
        await capture.stop();
      },
      async abort() {
        await capture.stop();
      },
    },
  };
}
