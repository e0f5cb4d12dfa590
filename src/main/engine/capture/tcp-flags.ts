/**
 * Wireshark's TCP analysis flags (`TCP_A_*` in epan/dissectors/packet-tcp.c, same bit values)
 * and their display-filter names (`tcp.analysis.<name>`).
 */
import { ANALYSIS_FLAG_NAMES } from '@shared/analysis-flag-names';

export const ANALYSIS_RETRANSMISSION = 0x0001;
export const ANALYSIS_LOST_SEGMENT = 0x0002;
export const ANALYSIS_ACK_LOST_SEGMENT = 0x0004;
export const ANALYSIS_KEEP_ALIVE = 0x0008;
export const ANALYSIS_DUPLICATE_ACK = 0x0010;
export const ANALYSIS_ZERO_WINDOW = 0x0020;
export const ANALYSIS_ZERO_WINDOW_PROBE = 0x0040;
export const ANALYSIS_ZERO_WINDOW_PROBE_ACK = 0x0080;
export const ANALYSIS_KEEP_ALIVE_ACK = 0x0100;
export const ANALYSIS_OUT_OF_ORDER = 0x0200;
export const ANALYSIS_FAST_RETRANSMISSION = 0x0400;
export const ANALYSIS_WINDOW_UPDATE = 0x0800;
export const ANALYSIS_WINDOW_FULL = 0x1000;
export const ANALYSIS_REUSED_PORTS = 0x2000;
export const ANALYSIS_SPURIOUS_RETRANSMISSION = 0x4000;

/** tshark's flag names, in the contract's order (one list, which the contract's enum is made from). */
export { ANALYSIS_FLAG_NAMES };

export type AnalysisFlagName = (typeof ANALYSIS_FLAG_NAMES)[number];

export const ANALYSIS_FLAG_BITS: Record<AnalysisFlagName, number> = {
  keep_alive: ANALYSIS_KEEP_ALIVE,
  keep_alive_ack: ANALYSIS_KEEP_ALIVE_ACK,
  zero_window_probe: ANALYSIS_ZERO_WINDOW_PROBE,
  zero_window_probe_ack: ANALYSIS_ZERO_WINDOW_PROBE_ACK,
  zero_window: ANALYSIS_ZERO_WINDOW,
  window_update: ANALYSIS_WINDOW_UPDATE,
  window_full: ANALYSIS_WINDOW_FULL,
  retransmission: ANALYSIS_RETRANSMISSION,
  fast_retransmission: ANALYSIS_FAST_RETRANSMISSION,
  spurious_retransmission: ANALYSIS_SPURIOUS_RETRANSMISSION,
  out_of_order: ANALYSIS_OUT_OF_ORDER,
  duplicate_ack: ANALYSIS_DUPLICATE_ACK,
  lost_segment: ANALYSIS_LOST_SEGMENT,
  ack_lost_segment: ANALYSIS_ACK_LOST_SEGMENT,
  reused_ports: ANALYSIS_REUSED_PORTS,
};

/**
 * The names a display filter matches on a frame with these flag bits. Wireshark adds the
 * `tcp.analysis.retransmission` expert item to fast and spurious retransmissions too, so
 * `-Y tcp.analysis.retransmission` matches all three; we name them the same way.
 */
export function analysisFlagNames(bits: number): AnalysisFlagName[] {
  const names: AnalysisFlagName[] = [];
  for (const name of ANALYSIS_FLAG_NAMES) {
    const bit = ANALYSIS_FLAG_BITS[name];
    const matchesRetransmission =
      name === 'retransmission' && (bits & (ANALYSIS_FAST_RETRANSMISSION | ANALYSIS_SPURIOUS_RETRANSMISSION)) !== 0;
    if ((bits & bit) !== 0 || matchesRetransmission) names.push(name);
  }
  return names;
}
