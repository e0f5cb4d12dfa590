/**
 * The TCP header's control bits (RFC 9293 §3.1; ECE and CWR from RFC 3168 §6.1) — the one
 * encoding of a segment's flags on both sides of the contract: the engine stores and sends
 * them as this bit mask, the UI turns the mask into words with `tcpFlagNames`.
 */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

/** Names in the order Wireshark's Info column prints them (packet-tcp.c, tcp_flags_to_str): SYN before FIN. */
const NAMES_IN_INFO_ORDER: ReadonlyArray<readonly [number, string]> = [
  [TCP_SYN, 'SYN'],
  [TCP_FIN, 'FIN'],
  [TCP_RST, 'RST'],
  [TCP_PSH, 'PSH'],
  [TCP_ACK, 'ACK'],
  [TCP_URG, 'URG'],
  [TCP_ECE, 'ECE'],
  [TCP_CWR, 'CWR'],
];

/** 0x12 → "SYN ACK"; "" when no bit is set. */
export function tcpFlagNames(bits: number): string {
  return NAMES_IN_INFO_ORDER.filter(([bit]) => (bits & bit) !== 0)
    .map(([, name]) => name)
    .join(' ');
}
