/**
 * The packet list's Info column, in Wireshark's words: the analysis in brackets, the ports, the
 * TCP flags, then relative Seq/Ack, the calculated window and the payload length —
 *   "[TCP Keep-Alive] 54154 → 80 [ACK] Seq=394 Ack=703 Win=63616 Len=0"
 * and for a segment that completes an HTTP header block, its start line, as Wireshark's HTTP
 * dissector puts it there: "GET /ocsp HTTP/1.1", "HTTP/1.1 200 OK".
 * Wireshark adds the TCP options (MSS, SACK_PERM, TSval…) after Len; they are not kept here.
 * Sources: epan/dissectors/packet-tcp.c (tcp_print_sequence_number_analysis, the Info format of
 * dissect_tcp), tshark 4.0's `_ws.col.Info` on the public captures.
 */
import { MAX_START_LINES_KEPT, type CaptureAnalysis } from './analyze';
import { groupedCount } from '@shared/counting';
import { NO_STREAM, PACKET_FROM_A, PACKET_HTTP_REQUEST, PACKET_HTTP_RESPONSE } from './packet-table';
import { ANALYSIS_FLAG_BITS, type AnalysisFlagName } from './tcp-flags';
import { TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from '@shared/tcp-header-flags';

/**
 * The bracketed words in the order tshark prints them (each check prepends its words, so the last
 * check comes first): "[TCP ACKed unseen segment] [TCP Retransmission]", "[TCP ZeroWindowProbeAck] [TCP ZeroWindow]".
 * Wireshark numbers a Dup ACK ("[TCP Dup ACK 12#3]"); the count is not kept here, so it reads "[TCP Dup ACK]".
 */
const ANALYSIS_WORDS: ReadonlyArray<readonly [AnalysisFlagName, string]> = [
  ['zero_window_probe_ack', 'TCP ZeroWindowProbeAck'],
  ['ack_lost_segment', 'TCP ACKed unseen segment'],
  ['zero_window', 'TCP ZeroWindow'],
  ['zero_window_probe', 'TCP ZeroWindowProbe'],
  ['duplicate_ack', 'TCP Dup ACK'],
  ['keep_alive_ack', 'TCP Keep-Alive ACK'],
  ['keep_alive', 'TCP Keep-Alive'],
  ['window_full', 'TCP Window Full'],
  ['window_update', 'TCP Window Update'],
  ['reused_ports', 'TCP Port numbers reused'],
  ['lost_segment', 'TCP Previous segment not captured'],
  ['out_of_order', 'TCP Out-Of-Order'],
  ['spurious_retransmission', 'TCP Spurious Retransmission'],
  ['fast_retransmission', 'TCP Fast Retransmission'],
  ['retransmission', 'TCP Retransmission'],
];

/** TCP flags as Wireshark lists them in Info: "[SYN, ACK]", "[FIN, PSH, ACK]". */
const FLAG_WORDS: ReadonlyArray<readonly [number, string]> = [
  [TCP_FIN, 'FIN'],
  [TCP_SYN, 'SYN'],
  [TCP_RST, 'RST'],
  [TCP_PSH, 'PSH'],
  [TCP_ACK, 'ACK'],
  [TCP_URG, 'URG'],
  [TCP_ECE, 'ECE'],
  [TCP_CWR, 'CWR'],
];

/** "[TCP Keep-Alive] [TCP Window Full]": the analysis words of ANALYSIS_* bits, in tshark's order. */
export function analysisWords(bits: number): string {
  return ANALYSIS_WORDS.filter(([name]) => (bits & ANALYSIS_FLAG_BITS[name]) !== 0)
    .map(([, words]) => `[${words}]`)
    .join(' ');
}

/** "SYN, ACK" */
export function tcpFlagList(bits: number): string {
  return FLAG_WORDS.filter(([bit]) => (bits & bit) !== 0)
    .map(([, word]) => word)
    .join(', ');
}

/** What a packet carries for the list: the Info text and whether it begins an HTTP message. */
export interface PacketInfo {
  info: string;
  /** the packet completes the header block of an HTTP request or response */
  http: 'request' | 'response' | null;
}

/** Frame `index + 1`'s Info, from the analysis' columns and the stream's ports. */
export function packetInfo(analysis: Pick<CaptureAnalysis, 'table' | 'streamSummaries' | 'httpStartLines'>, index: number): PacketInfo {
  const table = analysis.table;
  const stream = table.stream[index] ?? NO_STREAM;
  if (stream === NO_STREAM) return { info: 'not a TCP segment (not analysed)', http: null };
  const marks = table.marks[index] ?? 0;
  const fromA = (marks & PACKET_FROM_A) !== 0;
  const portA = analysis.streamSummaries.portA[stream] ?? 0;
  const portB = analysis.streamSummaries.portB[stream] ?? 0;
  const tcpFlags = table.tcpFlags[index] ?? 0;
  const fields = [
    `${fromA ? portA : portB} → ${fromA ? portB : portA}`,
    `[${tcpFlagList(tcpFlags)}]`,
    `Seq=${table.relativeSeq[index] ?? 0}`,
    ...((tcpFlags & TCP_ACK) !== 0 ? [`Ack=${table.relativeAck[index] ?? 0}`] : []),
    `Win=${table.window[index] ?? 0}`,
    `Len=${table.payload[index] ?? 0}`,
  ];
  const words = analysisWords(table.analysis[index] ?? 0);
  const http = (marks & PACKET_HTTP_REQUEST) !== 0 ? 'request' : (marks & PACKET_HTTP_RESPONSE) !== 0 ? 'response' : null;
  if (http !== null) {
    // past the kept lines: the TCP fields (the row's HTTP badge says request or response), then why no first line
    const startLine =
      analysis.httpStartLines.get(index + 1)?.trimEnd() ??
      `${fields.join(' ')} · first line shown for the first ${groupedCount(MAX_START_LINES_KEPT)} HTTP messages only`;
    return { info: words ? `${words} ${startLine}` : startLine, http };
  }
  return { info: words ? `${words} ${fields.join(' ')}` : fields.join(' '), http: null };
}
