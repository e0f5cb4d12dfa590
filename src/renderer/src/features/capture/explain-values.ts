/**
 * The values an explanation template needs (`{seq}`, `{nextExpected}`, …), taken
 * from the rule's own values first and the packet's decoded fields second. Pure.
 */
import type { ExplainKind, ExplainValues } from '@shared/explain';
import { explainKindForFlag } from '@shared/explain';
import { annotationKind, explainKindsForFlags } from './annotation-kinds';
import type { PacketListRow, StreamRow } from './capture-model';

export interface PacketExplanation {
  kind: ExplainKind;
  flag: string;
  values: ExplainValues;
  /** the engine's sentence: the rule that fired and the values compared */
  engineReason: string | undefined;
  /** theme variable for the panel's colour */
  colorVar: string;
}

/** One explanation per distinct kind of the packet's flags, the most telling first. */
export function explanationsForPacket(packet: PacketListRow): PacketExplanation[] {
  return explainKindsForFlags(packet.flags).map((kind) => {
    const flag = packet.flags.find((candidate) => explainKindForFlag(candidate) === kind) ?? kind;
    const reason = packet.reasons.find((candidate) => candidate.flag === flag);
    return {
      kind,
      flag,
      values: { ...packetValues(packet), ...(reason?.values ?? {}) },
      engineReason: reason?.text,
      colorVar: annotationKind(flag).colorVar,
    };
  });
}

/** The packet's own fields under the names the templates use (the rule's values override them). */
export function packetValues(packet: PacketListRow): Record<string, string | number | null> {
  return { payload: packet.payload, frame: packet.frame, stream: packet.stream };
}

/** What a whole stream shows a learner: connection reuse, a capture that began mid-connection. */
export function explanationsForStream(stream: StreamRow): Array<{ kind: ExplainKind; values: ExplainValues }> {
  const entries: Array<{ kind: ExplainKind; values: ExplainValues }> = [];
  if (stream.httpRequests > 1) {
    entries.push({
      kind: 'connection-reused',
      values: { request: stream.httpRequests, conn: `stream ${stream.stream}`, previousRequests: stream.httpRequests - 1 },
    });
  }
  if (!stream.synSeen) entries.push({ kind: 'capture-mid-connection', values: { stream: stream.stream, frame: stream.firstFrame } });
  return entries;
}
