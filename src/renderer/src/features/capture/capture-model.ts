/**
 * What the Captures view shows, in its own terms. `capture-client.ts` fills these
 * from the engine's contract (`src/shared/api-capture.ts`), so a change there
 * touches one adapter, not every panel.
 */

export interface CaptureOverview {
  captureId: string;
  fileName: string;
  /** "pcap" | "pcapng" (+ byte order / resolution in words) */
  format: string;
  linkTypes: string[];
  packets: number;
  tcpPackets: number | null;
  streams: number;
  /** seconds between the first and the last packet */
  durationS: number | null;
  /** epoch seconds of the first packet, to turn absolute times into relative ones */
  firstTimeS: number | null;
  /** frames flagged per tshark flag name (keep_alive, keep_alive_ack, ...) */
  flagCounts: Record<string, number>;
  httpRequests: number;
  /** requests seen in part (their bytes were not all captured): not in httpRequests, as tshark does not count them */
  httpPartialRequests: number;
  /** streams that carried more than one HTTP request: connection reuse */
  reusedStreams: number;
  /** streams that carried TLS: their HTTP requests are encrypted, so not in httpRequests */
  tlsStreams: number;
  /** capture-quality hints and read warnings, in plain words */
  warnings: string[];
  /** groups of packets far apart in time (a merged capture, a clock jump); empty when the packets form one group */
  timeGroups: TimeGroupView[];
}

export interface TimeGroupView {
  /** seconds since the first packet (frame 1) */
  startS: number;
  endS: number;
  packets: number;
  firstFrame: number;
  lastFrame: number;
}

export type StreamEnd = 'fin' | 'rst' | 'open';

export interface StreamRow {
  stream: number;
  /** "ip:port" of the first segment's source / destination */
  a: string;
  b: string;
  firstFrame: number;
  lastFrame: number;
  /** seconds since frame 1's time (negative for a stream before it) */
  startS: number;
  endS: number;
  packets: number;
  end: StreamEnd;
  httpRequests: number;
  keepAlives: number;
  keepAliveAcks: number;
  /** inferred keepalive settings: idle before the first probe, interval between unanswered probes, probes before giving up */
  keepaliveIdleS: number | null;
  keepaliveIntervalS: number | null;
  keepaliveProbes: number | null;
  /** probes and ACKs that were `-i any` copies of the packet before, left out of the inferred settings */
  duplicateProbesIgnored: number;
  /** the handshake was captured (false: the capture began mid-connection) */
  synSeen: boolean;
  /** requests seen only in part (a gap in the capture): absent is none */
  httpPartialRequests?: number;
  /** what its TLS handshakes and HTTP/2 frames show ("TLS 1.3, resumed, …"); '' for neither */
  application: string;
}

/** A packet as the packet list shows it (times relative, flags in words); the contract's PacketRow is what the engine sends. */
export interface PacketListRow {
  frame: number;
  /** seconds since the capture's first packet */
  timeS: number;
  stream: number | null;
  /** the stream's two endpoints, "a ⇄ b" (the engine does not say which side sent a packet) */
  endpoints: string;
  /** "SYN ACK", "PSH ACK", ... */
  tcpFlags: string;
  /** TCP payload bytes (tcp.len) */
  payload: number;
  /** tshark flag names */
  flags: string[];
  /** per flag: the rule that fired and the values compared (read from the rule's sentence) */
  reasons: Array<{ flag: string; text: string; values: Record<string, number> }>;
  /** a probe-looking packet that is not one: the rule that failed */
  nearMiss: { title: string; text: string } | null;
  /** Wireshark's Info column ("[TCP Keep-Alive] 54154 → 80 [ACK] Seq=394 …", "GET /ocsp HTTP/1.1"); empty until known */
  info: string;
  /** the packet completes an HTTP request's or response's header block */
  http: 'request' | 'response' | null;
}

export interface PacketQuery {
  /** tshark flag names; empty = every packet */
  flags: string[];
  /** a stream index, or null for all */
  stream: number | null;
}

export interface PacketPage {
  /** rows matching the query in all */
  total: number;
  /** index of `rows[0]` among the matching rows */
  offset: number;
  rows: PacketListRow[];
}
