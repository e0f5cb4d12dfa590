/** One packet of a lesson in words: its analysis flags as Wireshark names them, or its TCP header flags. */
import type { PacketRow } from '@shared/api-capture';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '@shared/tcp-header-flags';

const FLAG_WORDS: Partial<Record<PacketRow['flags'][number], string>> = {
  keep_alive: 'TCP keep-alive probe',
  keep_alive_ack: 'ACK to a keep-alive probe',
  zero_window: 'zero window',
  zero_window_probe: 'zero-window probe',
  retransmission: 'retransmission',
  duplicate_ack: 'duplicate ACK',
};

export function packetWords(packet: PacketRow): string {
  const named = packet.flags.map((flag) => FLAG_WORDS[flag] ?? flag.replaceAll('_', ' '));
  if (named.length > 0) return named.join(', ');
  const bits = packet.tcpFlags;
  if (bits & TCP_RST) return 'reset (RST): the connection is dropped at once';
  if (bits & TCP_FIN) return 'FIN: nothing more to send';
  if (bits & TCP_SYN) return bits & TCP_ACK ? 'SYN-ACK: handshake reply' : 'SYN: a new connection';
  return 'segment';
}
