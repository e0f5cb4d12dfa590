/**
 * Learner explanations, one per annotation (what Wireshark/tshark flags on a
 * packet) and per phenomenon (what a lab run or a capture shows). The UI panel
 * and the reports read the same texts.
 *
 * The texts are templates (syntax above `fillTemplate`): `{name}` is replaced by
 * a value the tool compared (a sequence number, a count, a time). Sources:
 * Wireshark's epan/dissectors/packet-tcp.c (tcp_analyze_sequence_number: the checks
 * and their order) and its User's Guide chapter "TCP Analysis"; RFC 1122 §4.2.3.6 and
 * RFC 9293 §3.8.4 (keep-alives); RFC 9112 §9.3 (persistent connections); Node's
 * http.Agent docs and undici's Client docs.
 *
 * What TLS adds to a connection has its own texts (explain-tls-text.ts), merged in here.
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import { TLS_EXPLAIN_KINDS, TLS_TEXTS } from './explain-tls-text';

export const EXPLAIN_KINDS = [
  // per-packet annotations, in tshark's vocabulary
  'keepalive-probe',
  'keepalive-ack',
  'zero-window-probe',
  'zero-window-probe-ack',
  'zero-window',
  'window-update',
  'retransmission',
  'fast-retransmission',
  'spurious-retransmission',
  'out-of-order',
  'duplicate-ack',
  'lost-segment',
  'ack-lost-segment',
  'reused-ports',
  // phenomena of a connection or a run
  'connection-reused',
  'new-connection',
  'new-connection-body-not-drained',
  'keepalive-off',
  'queued-above-max-sockets',
  'stale-race',
  'half-open-peer',
  'fin-vs-rst',
  'pool-wait',
  'capture-mid-connection',
  ...TLS_EXPLAIN_KINDS,
] as const;
export type ExplainKind = (typeof EXPLAIN_KINDS)[number];

export interface Explanation {
  kind: ExplainKind;
  title: string;
  /** what the learner is looking at, in plain words */
  whatYouSee: string;
  /** why the tool concluded it; `{name}` placeholders take the compared values (see fillTemplate) */
  whyConcluded: string;
  /** an experiment or a check to do next */
  tryNext: string;
  /**
   * What to try next when the packets come from someone else's capture, where
   * the lab's settings (an http.Agent, a body mode) are not the learner's to
   * change; absent when `tryNext` already fits a capture.
   */
  tryNextInCapture?: string;
}

type Text = Omit<Explanation, 'kind'>;

const TEXTS: Record<ExplainKind, Text> = {
  'keepalive-probe': {
    title: 'TCP keep-alive probe',
    whatYouSee:
      'A tiny segment (no data, or one garbage byte) on a connection that has been quiet. The sender’s kernel asks “are you still there?” after the keepalive idle time; the application never sees it.',
    whyConcluded:
      'Its sequence number[ {seq}] is one less than the next expected[ {nextExpected}], it carries [{payload byte/bytes} of payload (0 or 1 allowed)|0 or 1 byte of payload] and no SYN, FIN or RST: the keep-alive form of RFC 1122 §4.2.3.6 (SEG.SEQ = SND.NXT − 1), which forces the peer to answer.',
    tryNext:
      'Measure the gap from the last data to the first probe (the idle time, TCP_KEEPIDLE) and between unanswered probes (TCP_KEEPINTVL); an answered probe restarts the idle time, so answered probes come an idle time apart. A Node http.Agent with keepAlive probes after about 1 s idle (keepAliveMsecs), and libuv sets the interval to 1 s; Linux’s default idle is 7200 s.',
    tryNextInCapture:
      'Measure the gap from the last data to the first probe (the idle time, TCP_KEEPIDLE) and between unanswered probes (TCP_KEEPINTVL) on the timeline; answered probes come an idle time apart, as each answer restarts it. Linux’s and Windows’ default idle is 2 hours (7200 s): probes after seconds or minutes mean the sending program asked for a shorter idle time.',
  },
  'keepalive-ack': {
    title: 'ACK to a keep-alive probe',
    whatYouSee:
      'The peer’s answer to a keep-alive probe: a pure ACK repeating the acknowledgement it already sent. It proves the peer’s TCP stack still knows this connection.',
    whyConcluded:
      'No payload, window[ {window}] unchanged, sequence[ {seq}] and ack[ {ack}] the same as this side’s previous segment, and the other side’s most recent segment was a keep-alive probe.',
    tryNext:
      'Unanswered probes are retried every interval; after the probe count the kernel drops the connection (ETIMEDOUT). An ACK with a changed window is shown as a Window Update instead.',
  },
  'zero-window-probe': {
    title: 'Zero-window probe',
    whatYouSee:
      'One byte of data sent while the receiver advertises a window of 0: the sender’s persist timer checking whether the window has reopened. It is about a full receiver, not an idle connection.',
    whyConcluded:
      '[Payload {payload} byte|One byte of payload] at sequence[ {seq}], equal to the next expected[ {nextExpected}], and the peer’s last advertised window was 0.',
    tryNext:
      'Find the application that stopped reading: its receive buffer is full. Probes that resend the last byte (next expected − 1) are labelled keep-alive by Wireshark instead.',
  },
  'zero-window-probe-ack': {
    title: 'ACK to a zero-window probe',
    whatYouSee: 'The receiver answers the persist probe and still says its window is 0: it has no room yet.',
    whyConcluded:
      'No payload, window 0 as before, ack[ {ack}] unchanged (or one more), and the other side’s last segment was a zero-window probe.',
    tryNext: 'Watch for the Window Update that reopens the window, or for the sender giving up after many probes.',
  },
  'zero-window': {
    title: 'Zero window',
    whatYouSee: 'This side advertises a receive window of 0: its buffer is full and the other side must stop sending data.',
    whyConcluded: 'The raw window field is 0 and the segment has no SYN, FIN or RST.',
    tryNext:
      'A slow or stuck reader causes it. In the lab, pause reading on one end and watch the window shrink to 0, then the persist probes.',
    tryNextInCapture:
      'A slow or stuck reader causes it: follow this stream to the Window Update that reopens the window, or to the zero-window probes the sender sends meanwhile.',
  },
  'window-update': {
    title: 'Window update',
    whatYouSee: 'A pure ACK whose only news is a new receive window.',
    whyConcluded: 'No payload, sequence and ack unchanged, window[ {window}] different from the previous[ {previousWindow}].',
    tryNext: 'An ACK to a keep-alive probe whose window changed is shown as a Window Update, not a Keep-Alive ACK: both are normal.',
  },
  retransmission: {
    title: 'Retransmission',
    whatYouSee: 'Data (or a FIN) sent again because it was not acknowledged in time.',
    whyConcluded:
      'Sequence[ {seq}] is behind the next expected[ {nextExpected}] and the segment carries [{payload byte/bytes}|data] or a FIN, and it is not a keep-alive probe.',
    tryNext:
      'Many retransmissions on an idle-looking connection mean the peer is gone: compare with TCP_USER_TIMEOUT, which bounds how long unacknowledged data may wait.',
  },
  'fast-retransmission': {
    title: 'Fast retransmission',
    whatYouSee: 'Data resent right after the receiver sent duplicate ACKs, without waiting for the retransmission timer.',
    whyConcluded:
      'Sequence[ {seq}] is behind the next expected[ {nextExpected}] and the other side sent[ {duplicateAcks}] duplicate ACKs shortly before (within 20 ms).',
    tryNext: 'Look for the lost segment the duplicate ACKs point at.',
  },
  'spurious-retransmission': {
    title: 'Spurious retransmission',
    whatYouSee: 'Data sent again although the receiver had already acknowledged all of it.',
    whyConcluded: 'The segment ends[ ({segmentEnd})] at or before the last ack[ ({lastAck})] from the other side.',
    tryNext: 'Usually a retransmission timer that fired too early or a lost ACK; it costs bandwidth, not data.',
  },
  'out-of-order': {
    title: 'Out of order',
    whatYouSee: 'A segment that arrived after a later one, within a short time.',
    whyConcluded:
      'Sequence[ {seq}] is behind the next expected[ {nextExpected}] and it came within the out-of-order threshold (first RTT or 3 ms).',
    tryNext: 'Check whether the capture point sees two paths, or whether packets were reordered by the capture itself.',
  },
  'duplicate-ack': {
    title: 'Duplicate ACK',
    whatYouSee: 'The receiver repeats the same acknowledgement: it is still waiting for the same byte.',
    whyConcluded: 'No payload, window and ack[ {ack}] unchanged, and the other side’s last segment was not a keep-alive probe.',
    tryNext:
      'When the capture started mid-connection, keep-alive probes and their ACKs look like duplicate ACKs: see “capture started mid-connection”.',
  },
  'lost-segment': {
    title: 'Previous segment not captured',
    whatYouSee: 'A gap in the byte stream: data before this segment never appeared in the capture.',
    whyConcluded: 'Sequence[ {seq}] is beyond the next expected[ {nextExpected}].',
    tryNext: 'The packet may have been lost on the wire or dropped by the capture (snaplen, buffer). Compare the capture’s drop counters.',
  },
  'ack-lost-segment': {
    title: 'ACKed unseen segment',
    whatYouSee: 'An acknowledgement for data the capture never saw.',
    whyConcluded: 'Ack[ {ack}] is beyond the highest sequence[ {maxSeqToBeAcked}] seen from the other side.',
    tryNext: 'Typical at the start of a capture taken mid-connection, or when the capture dropped packets.',
  },
  'reused-ports': {
    title: 'Port numbers reused',
    whatYouSee: 'A new connection on the same two addresses and ports as an earlier, finished one.',
    whyConcluded: 'A SYN arrived on a 4-tuple already seen, and its initial sequence number[ {seq}] is not the earlier connection’s.',
    tryNext: 'The tools count it as a new stream: compare their lanes on the timeline.',
  },
  'connection-reused': {
    title: 'Connection reused (HTTP keep-alive)',
    whatYouSee: 'A request sent on a connection that an earlier request had already used: no new TCP handshake.',
    whyConcluded:
      '[Request {request}|A request] ran on [connection {conn}|a connection], which had already carried [{previousRequests request/requests}|at least one request].',
    tryNext: 'Count the handshakes saved. Then turn keep-alive off, or ignore response bodies, and watch a new connection per request.',
    tryNextInCapture:
      'Count the requests per stream in the Streams tab: each request after a stream’s first saved a handshake. Streams with one request each mean the client closed or could not reuse its connections.',
  },
  'new-connection': {
    title: 'New connection',
    whatYouSee: 'A request that had to open a TCP connection (SYN, SYN-ACK, ACK) before it could be sent.',
    whyConcluded:
      'No idle connection[ to {target}] was free when [request {request}|the request] started, so the agent opened [connection {conn}|a new one].',
    tryNext:
      'The first request always opens one. If every request does, check that bodies are drained and that keep-alive is on on both sides.',
  },
  'new-connection-body-not-drained': {
    title: 'New connection because the body was not read',
    whatYouSee: 'Each request opened its own connection although keep-alive was on[: {connections} connections for {requests} requests].',
    whyConcluded:
      'The response body was left unread[ ({bodyMode})]; a connection returns to the pool only after its response has been read to the end.',
    tryNext:
      'Drain the body (res.resume() or await res.text()) and run again: the connections drop to 1. Cancelling an unfinished fetch body destroys the connection instead.',
  },
  'keepalive-off': {
    title: 'Keep-alive off',
    whatYouSee: 'Every request opened and closed its own connection[: {connections} handshakes for {requests} requests].',
    whyConcluded:
      'The agent was created with keepAlive [{keepAlive}|off], so each socket is closed after its response (Connection: close).',
    tryNext: 'Turn keep-alive on (Node ≥ 19’s global agent already has it) and compare the handshakes and the total time.',
  },
  'queued-above-max-sockets': {
    // {limitSetting}: the client's name for its limit, maxSockets (http.Agent) or connections (undici)
    title: 'Requests queued above the connection limit ([{limitSetting}|maxSockets])',
    whatYouSee: 'Requests waited before they got a connection: the client had reached its connection limit.',
    whyConcluded:
      '[{waiting request/requests}|Requests] waited because every connection allowed ([{limitSetting}|maxSockets][ = {maxSockets}]) was busy[; the longest wait was {waitMs} ms].',
    tryNext: 'Raise [{limitSetting}|maxSockets] or lower concurrency, and watch the queue time (like DevTools’ “Queueing”) fall.',
  },
  'stale-race': {
    title: 'The stale-connection race',
    whatYouSee: 'A request on a reused connection failed at once: the server had just closed that idle connection.',
    whyConcluded:
      '[Request {request}|A request] reused [connection {conn}|a connection] and failed[ with {error}]; the server closed that idle connection[ (keep-alive timeout {serverTimeoutMs} ms)] as the request reached it, so its FIN or RST crossed the request.',
    tryNext:
      'Make the client’s idle timeout shorter than the server’s, retry idempotent requests when req.reusedSocket is true, and keep LIFO scheduling.',
  },
  'half-open-peer': {
    title: 'Half-open peer',
    whatYouSee: 'This side believes the connection is open but the peer is gone (crashed, rebooted, cable pulled): nothing comes back.',
    whyConcluded: '[{reason}|The lab recorded the peer as gone; what gave it away was not recorded.]',
    tryNext:
      'TCP keepalive finds it after idle + interval × count seconds; a peer that lost state answers a probe with RST. TCP_USER_TIMEOUT bounds it while data is unacknowledged.',
  },
  'fin-vs-rst': {
    title: 'Closed with FIN or RST',
    whatYouSee:
      'How the connection ended: FIN is an orderly close (“I have nothing more to send”), RST an abort (“this connection no longer exists”).',
    whyConcluded: '[Connection {conn}|A connection] ended with [{how}|a FIN or a RST][ from {by}].',
    tryNext:
      'A RST in answer to a keep-alive probe or a request means the peer had forgotten the connection; an idle FIN from the server is its keep-alive timeout.',
  },
  'pool-wait': {
    title: 'Waiting for a pooled connection',
    whatYouSee: 'A borrower waited because every connection in the pool was in use.',
    whyConcluded: '[{waiting borrower/borrowers}|Borrowers] waited[; the pool size was {poolSize}].',
    tryNext: 'Grow the pool, shorten the time each borrower holds a connection, or add a wait timeout.',
  },
  'capture-mid-connection': {
    title: 'Capture started mid-connection',
    whatYouSee: 'The capture began after the handshake, so the tools do not know where the byte stream was.',
    whyConcluded:
      '[Stream {stream}|A stream] has no SYN[; its first segment is frame {frame}]. Until the next expected sequence is known, the first probe is not flagged, its ACK is “ACKed unseen segment”, and later probes and ACKs show as Dup ACKs.',
    tryNext: 'Start the capture before the connection opens to see keep-alives labelled as such.',
  },
  ...TLS_TEXTS,
};

export const EXPLANATIONS: Readonly<Record<ExplainKind, Explanation>> = Object.fromEntries(
  EXPLAIN_KINDS.map((kind) => [kind, { kind, ...TEXTS[kind] }]),
) as Record<ExplainKind, Explanation>;

export function isExplainKind(value: unknown): value is ExplainKind {
  return typeof value === 'string' && (EXPLAIN_KINDS as readonly string[]).includes(value);
}

export function explain(kind: ExplainKind): Explanation {
  return EXPLANATIONS[kind];
}

/**
 * Template syntax, in every field of an explanation:
 *   `{name}`          a value the tool compared;
 *   `[text {name}]`   an optional part, dropped when one of its values is unknown;
 *   `[a {x}|b]`       alternatives: the first whose values are all known (b may have none);
 *   `{name word/words}` a count and its noun: "1 byte", "3 bytes" (never "byte(s)").
 * So a text about many packets states the rule ("one less than the next expected") and a text
 * about one packet names its numbers ("one less than the next expected 1001"); no reader ever
 * sees a bare placeholder. A value outside any optional part that is unknown reads "(not known)".
 */
const TOKEN = /\[([^\]]*)\]|(\{[A-Za-z]+(?: [^{}/|]+\/[^{}/|]+)?\})/g;
const PLACEHOLDER = /\{([A-Za-z]+)(?: ([^{}/|]+)\/([^{}/|]+))?\}/g;
/** what a required value that is not known reads as: plain words, never a symbol */
export const UNKNOWN_VALUE_TEXT = '(not known)';

const FIELDS = ['title', 'whatYouSee', 'whyConcluded', 'tryNext'] as const;

/** The placeholder names an explanation's texts use, in order of first use. */
export function templateFields(kind: ExplainKind): string[] {
  const texts = FIELDS.map((field) => EXPLANATIONS[kind][field]).join(' ');
  return [...new Set([...texts.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

export interface RenderedExplanation extends Explanation {
  /** placeholders that had no value (their optional part was left out, or they read "(not known)") */
  missing: string[];
}

export type ExplainValues = Readonly<Record<string, string | number | boolean | null | undefined>>;

function known(values: ExplainValues, name: string): boolean {
  const value = values[name];
  return value !== undefined && value !== null && value !== '';
}

function valueText(values: ExplainValues, name: string, one?: string, many?: string): string {
  const value = values[name];
  const text = typeof value === 'number' ? formatNumber(value) : String(value);
  if (one === undefined || many === undefined) return text;
  return `${text} ${value === 1 ? one : many}`;
}

/** Fills one template (see the syntax above); names without a value are added to `missing`. */
export function fillTemplate(template: string, values: ExplainValues, missing: string[] = []): string {
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_match, name: string, one: string | undefined, many: string | undefined) => {
      if (known(values, name)) return valueText(values, name, one, many);
      missing.push(name);
      return UNKNOWN_VALUE_TEXT;
    });
  return template.replace(TOKEN, (_match, optional: string | undefined, placeholder: string | undefined) => {
    if (placeholder !== undefined) return fill(placeholder);
    const alternatives = (optional ?? '').split('|');
    for (const alternative of alternatives) {
      const names = [...alternative.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
      const unknown = names.filter((candidate) => !known(values, candidate));
      if (unknown.length === 0) return fill(alternative);
      missing.push(...unknown);
    }
    return '';
  });
}

/** Every field of an explanation with the compared values filled in (integers stay plain digits, as tshark prints sequence numbers). */
export function renderExplanation(
  kind: ExplainKind,
  values: ExplainValues = {},
  /** setting 'capture': someone else's packets, not a lab run (its capture-specific "try next") */
  options: { setting?: 'lab' | 'capture' } = {},
): RenderedExplanation {
  const entry = explanationFor(kind, options.setting ?? 'lab');
  const missing: string[] = [];
  const filled = Object.fromEntries(FIELDS.map((field) => [field, fillTemplate(entry[field], values, missing)])) as Record<
    (typeof FIELDS)[number],
    string
  >;
  return { ...entry, ...filled, missing: [...new Set(missing)] };
}

/** The texts of `kind` for a lab run or a capture (its capture-specific "try next", when it has one). */
export function explanationFor(kind: ExplainKind, setting: 'lab' | 'capture'): Explanation {
  const entry = EXPLANATIONS[kind];
  return setting === 'capture' && entry.tryNextInCapture ? { ...entry, tryNext: entry.tryNextInCapture } : entry;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  // sequence numbers are uint32: keep them as plain digits so they match tshark's output
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(value < 10 ? 3 : 1);
}

/** tshark's `tcp.analysis.<flag>` names → explanation kinds. */
const FLAG_KINDS: Readonly<Record<string, ExplainKind>> = {
  keep_alive: 'keepalive-probe',
  keep_alive_ack: 'keepalive-ack',
  zero_window_probe: 'zero-window-probe',
  zero_window_probe_ack: 'zero-window-probe-ack',
  zero_window: 'zero-window',
  window_update: 'window-update',
  retransmission: 'retransmission',
  fast_retransmission: 'fast-retransmission',
  spurious_retransmission: 'spurious-retransmission',
  out_of_order: 'out-of-order',
  duplicate_ack: 'duplicate-ack',
  lost_segment: 'lost-segment',
  ack_lost_segment: 'ack-lost-segment',
  reused_ports: 'reused-ports',
};

/** Maps a tshark flag name (`keep_alive`) to its explanation kind; null for flags without one (window_full). */
export function explainKindForFlag(flag: string): ExplainKind | null {
  return Object.hasOwn(FLAG_KINDS, flag) ? (FLAG_KINDS[flag] ?? null) : null;
}
