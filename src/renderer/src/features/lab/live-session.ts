/**
 * A job's streamed trace (connections and events so far) as a `Session`, so the
 * timeline draws the same thing live as after the run.
 *
 * Pure TypeScript: no DOM, unit-tested in Node.
 */
import { TRACE_SCHEMA_VERSION, type Connection, type Session, type TraceEvent } from '@shared/trace';

export interface StreamedTrace {
  epochMs: number | null;
  connections: readonly Connection[];
  events: readonly TraceEvent[];
}

export function sessionFromStream(trace: StreamedTrace, kind: Session['kind'], title: string): Session {
  return {
    schemaVersion: TRACE_SCHEMA_VERSION,
    id: `live-${title}`,
    kind,
    title,
    epochMs: trace.epochMs ?? 0,
    settings: {},
    connections: [...trace.connections],
    events: [...trace.events].sort((a, b) => a.t - b.t),
    summary: {},
  };
}
