/**
 * tshark's TCP analysis flag names (`tcp.analysis.<name>`), in the contract's order. A plain list
 * without zod: the capture worker reads it on every start, and loading zod and the contract's
 * schemas there cost about 50 ms before the first packet (api-capture.ts builds its enum from it).
 */
export const ANALYSIS_FLAG_NAMES = [
  'keep_alive',
  'keep_alive_ack',
  'zero_window_probe',
  'zero_window_probe_ack',
  'zero_window',
  'window_update',
  'window_full',
  'retransmission',
  'fast_retransmission',
  'spurious_retransmission',
  'out_of_order',
  'duplicate_ack',
  'lost_segment',
  'ack_lost_segment',
  'reused_ports',
] as const;
