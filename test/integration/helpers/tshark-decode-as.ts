/**
 * tshark's Decode As for the servers a test started itself: `-d tcp.port==PORT,PROTOCOL` per port.
 *
 * Without it, tshark finds TLS, HTTP and HTTP/2 on a server's ephemeral port only by heuristic, and a
 * heuristic comes last. Wireshark 4.0's packet-tcp.c `decode_tcp_ports` picks a segment's dissector in
 * this order: the conversation's dissector if one is set; a port the user changed with Decode As
 * (server port, lower port, higher port); the ports' default registrations in the `tcp.port` table
 * (the server port seen on the SYN first, then the lower port, then the higher one); and only then
 * the heuristics, TLS's and HTTP's among them ("Try heuristic sub-dissectors first",
 * tcp.try_heuristic_first, is off by default). Seven ports of Linux's ephemeral range 32768–60999
 * are registered in tshark 4.0.17 (`tshark -G decodes`: 34980 ecatf, 44321 pcp, 44322 pmproxy,
 * 44818 enip, 48049 cbsp, 48898 ams, 57000 irc). A client that is given one of them, above or below
 * the server's port, has its whole connection read as that protocol, and tshark never sees its
 * ServerHello or its requests. Linux gives connect() even ports (five of those seven, among 14,116),
 * so a test of 13 connections hits one in about 1 run of 220; a server listening on one of them
 * would lose every connection.
 *
 * A port changed by Decode As is tried before all of that, whatever the client's port and whether or
 * not the SYN is in the capture (tshark-decode-as.test.ts shows both ways).
 */

/** tshark protocol names a test tells it a port carries */
export type DecodedProtocol = 'tls' | 'http' | 'http2';

/** `-d tcp.port==PORT,PROTOCOL` for each port, to put before tshark's other options. */
export function decodeAs(protocol: DecodedProtocol, ports: readonly number[]): string[] {
  return ports.flatMap((port) => ['-d', `tcp.port==${port},${protocol}`]);
}
