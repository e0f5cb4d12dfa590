/** One packet of a lesson in words: its analysis flags as Wireshark names them, or its TCP header flags. */
import type { PacketRow } from '../../../../shared/api-capture';

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
  if (packet.tcpFlags.includes('R')) return 'reset (RST): the connection is dropped at once';
  if (packet.tcpFlags.includes('F')) return 'FIN: nothing more to send';
  if (packet.tcpFlags.includes('S')) return packet.tcpFlags.includes('A') ? 'SYN-ACK: handshake reply' : 'SYN: a new connection';
  return 'segment';
}
