/**
 * The per-packet annotations a learner can filter on and see as chips, in tshark's
 * vocabulary (`tcp.analysis.<flag>`), with a short label, the theme colour and the
 * explanation entry of `src/shared/explain.ts`. Pure.
 */
import { explainKindForFlag, type ExplainKind } from '@shared/explain';

export interface AnnotationKind {
  /** tshark flag name, e.g. `keep_alive` */
  flag: string;
  /** chip text, short */
  label: string;
  /** CSS variable of the theme that colours the chip */
  colorVar: string;
}

/** Listed in the order a learner of keep-alive cares about them; also the filter menu's order. */
export const ANNOTATION_KINDS: readonly AnnotationKind[] = [
  { flag: 'keep_alive', label: 'Keep-alive', colorVar: '--probe' },
  { flag: 'keep_alive_ack', label: 'Keep-alive ACK', colorVar: '--ack' },
  { flag: 'zero_window_probe', label: 'Zero-window probe', colorVar: '--warn' },
  { flag: 'zero_window_probe_ack', label: 'ZWP ACK', colorVar: '--warn' },
  { flag: 'zero_window', label: 'Zero window', colorVar: '--warn' },
  { flag: 'window_update', label: 'Window update', colorVar: '--muted' },
  { flag: 'window_full', label: 'Window full', colorVar: '--warn' },
  { flag: 'retransmission', label: 'Retransmission', colorVar: '--rst' },
  { flag: 'duplicate_ack', label: 'Dup ACK', colorVar: '--new' },
  { flag: 'fast_retransmission', label: 'Fast retrans.', colorVar: '--rst' },
  { flag: 'spurious_retransmission', label: 'Spurious retrans.', colorVar: '--rst' },
  { flag: 'out_of_order', label: 'Out of order', colorVar: '--new' },
  { flag: 'lost_segment', label: 'Segment not captured', colorVar: '--fin' },
  { flag: 'ack_lost_segment', label: 'ACKed unseen', colorVar: '--fin' },
  { flag: 'reused_ports', label: 'Ports reused', colorVar: '--fin' },
];

const BY_FLAG = new Map(ANNOTATION_KINDS.map((kind) => [kind.flag, kind]));

/** The chip of a flag; unknown flags keep their name so nothing the engine says is hidden. */
export function annotationKind(flag: string): AnnotationKind {
  return BY_FLAG.get(flag) ?? { flag, label: flag.replaceAll('_', ' '), colorVar: '--muted' };
}

/**
 * The flag whose explanation to show first for a packet: the first in the order above
 * (a fast retransmission also carries `retransmission`; the keep-alive wins over a dup ACK).
 */
export function primaryFlag(flags: readonly string[]): string | null {
  for (const kind of ANNOTATION_KINDS) if (flags.includes(kind.flag)) return kind.flag;
  return flags[0] ?? null;
}

/** The explanation entries of a packet's flags, primary first, each once. */
export function explainKindsForFlags(flags: readonly string[]): ExplainKind[] {
  const ordered = [...flags].sort((a, b) => orderOf(a) - orderOf(b));
  const kinds: ExplainKind[] = [];
  for (const flag of ordered) {
    const kind = explainKindForFlag(flag);
    if (kind && !kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

function orderOf(flag: string): number {
  const index = ANNOTATION_KINDS.findIndex((kind) => kind.flag === flag);
  return index < 0 ? ANNOTATION_KINDS.length : index;
}
