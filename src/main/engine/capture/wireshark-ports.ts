/**
 * Where Wireshark would not show what this analyzer found: a stream whose port Wireshark registers
 * for another protocol.
 *
 * This analyzer reads HTTP/1, TLS and HTTP/2 by their bytes on any port. Wireshark first tries the
 * protocol registered for one of the stream's ports (Wireshark 4.0's packet-tcp.c `decode_tcp_ports`:
 * the server's port when the SYN was seen, then the lower port, then the higher), and looks at the
 * bytes (its "heuristic" dissectors, HTTP's and TLS's among them) only when neither port is
 * registered. So a connection from a client that happened to get a registered port, to a server on an
 * unregistered one (both in Linux's ephemeral range 32768–60999, as the lab's connections are),
 * shows in Wireshark as that other protocol, with none of its HTTP requests or TLS handshakes.
 */
import { plural, pluralWord } from '@shared/counting';
import type { StreamSummaries } from './stream-summaries';

/**
 * Every TCP port at or above 32768 that tshark 4.0.17 registers for a protocol by default
 * (`tshark -G decodes`, table `tcp.port`), with the protocol's name (`tshark -G protocols`). Each
 * one was checked to hide HTTP from tshark (`capture-wireshark-ports.test.ts`).
 */
export const WIRESHARK_HIGH_PORTS: ReadonlyMap<number, string> = new Map([
  [34980, 'EtherCAT'],
  [44321, 'Performance Co-Pilot'],
  [44322, 'Performance Co-Pilot Proxy'],
  [44818, 'EtherNet/IP'],
  [48049, '3GPP Cell Broadcast Service Protocol'],
  [48898, 'AMS'],
  [57000, 'IRC'],
]);

/** The lowest port of the range the table above covers whole: a port in it and not in the table is not registered. */
const COVERED_FROM = 32768;

/** Most stream numbers a hint names before "…". */
const STREAMS_NAMED = 5;

/**
 * The registered port Wireshark would decode stream `a:portA ⇄ b:portB` by, when the other port is
 * known to be unregistered; null otherwise. A stream with both ports registered (about one in
 * four million) is left out: which one Wireshark picks depends on which side sent the SYN.
 */
export function wiresharkPortFor(portA: number, portB: number): number | null {
  const aRegistered = WIRESHARK_HIGH_PORTS.has(portA);
  const bRegistered = WIRESHARK_HIGH_PORTS.has(portB);
  if (aRegistered && !bRegistered && portB >= COVERED_FROM) return portA;
  if (bRegistered && !aRegistered && portA >= COVERED_FROM) return portB;
  return null;
}

/** What the analyzer found on a stream that Wireshark would miss; null for nothing. */
function contentOf(streams: StreamSummaries, stream: number): Content | null {
  if (streams.tls.has(stream)) return 'TLS';
  if (streams.http2.has(stream)) return 'HTTP/2';
  if (streams.httpRequests[stream]! > 0 || streams.httpPartialRequests[stream]! > 0) return 'HTTP';
  return null;
}

type Content = 'HTTP' | 'HTTP/2' | 'TLS';

/** What Wireshark does not show of each content. */
const MISSED: Record<Content, string> = { HTTP: 'HTTP requests', 'HTTP/2': 'HTTP/2 frames', TLS: 'TLS handshakes' };

/** "TLS", "HTTP and TLS", "HTTP, HTTP/2 and TLS" (`and` → "or" for a choice) */
function listText(words: readonly string[], and = 'and'): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${and} ${words.at(-1)}`;
}

/** "stream 3", "streams 3, 9 and 12", "streams 0, 1, 2, 3, 4 and 3 more" */
function streamsText(list: readonly number[]): string {
  if (list.length === 1) return `stream ${list[0]}`;
  const named = list.slice(0, STREAMS_NAMED).map(String);
  const rest = list.length - named.length;
  return `streams ${rest > 0 ? `${named.join(', ')} and ${rest} more` : listText(named)}`;
}

/** The hint for the streams Wireshark would show as another protocol; null when there are none. */
export function wiresharkPortHint(streams: StreamSummaries): { code: 'wireshark-port'; count: number; message: string } | null {
  const byPort = new Map<number, number[]>();
  const contents = new Set<Content>();
  for (let stream = 0; stream < streams.length; stream++) {
    const port = wiresharkPortFor(streams.portA[stream]!, streams.portB[stream]!);
    if (port === null) continue;
    const content = contentOf(streams, stream);
    if (content === null) continue;
    contents.add(content);
    byPort.set(port, [...(byPort.get(port) ?? []), stream]);
  }
  if (byPort.size === 0) return null;
  const count = [...byPort.values()].reduce((sum, list) => sum + list.length, 0);
  const kinds = [...contents].sort();
  const ports = [...byPort]
    .sort(([x], [y]) => x - y)
    .map(([port, list]) => `${port} (${WIRESHARK_HIGH_PORTS.get(port)}): ${streamsText(list)}`);
  const one = count === 1;
  return {
    code: 'wireshark-port',
    count,
    message:
      `${plural(count, 'stream')} ${one ? 'uses a port' : 'use ports'} Wireshark registers for another protocol — ${ports.join('; ')}. ` +
      `Wireshark decodes a stream by its port's registered protocol before it looks at the bytes, so it shows ${one ? 'this one' : 'these'} as that protocol, ` +
      `without ${one ? 'its' : 'their'} ${listText(kinds.map((kind) => MISSED[kind]))}. ` +
      `This app finds ${listText(kinds)} by ${pluralWord(kinds.length, 'its', 'their')} bytes on any port; in Wireshark, Decode As… (the port as ${listText(kinds, 'or')}) shows ${one ? 'it' : 'them'} too.`,
  };
}
