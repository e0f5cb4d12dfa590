/**
 * TLS on one TCP stream, read as far as it is readable without keys: the record layer (RFC 8446
 * §5.1, RFC 5246 §6.2), the cleartext handshake messages (ClientHello, ServerHello, and in TLS 1.2
 * the rest of the server's first flight), and from them what a learner asks of a connection:
 * was this a full handshake or a resumed one, which server name (SNI), which application protocol
 * (ALPN), which version, and how long the handshake took.
 *
 *   record:     type(1) version(2) length(2) fragment(length)       types 20 CCS, 21 alert, 22 handshake, 23 data
 *   handshake:  msg_type(1) length(3) body(length)                   may span records; a record may hold several
 *   hello:      version(2) random(32) session_id(1+n) … extensions(2+n): type(2) length(2) data
 *
 * Recognised as Wireshark does: on the ports registered for TLS (TLS_PORTS), and on any other port not
 * registered for HTTP by its TLS heuristic (packet-tls.c, is_sslv3_or_tls): a segment that starts
 * with content type 20–23, version 3.0–3.3 and a length of 1 to 16,384 + 2,048 bytes.
 * What is encrypted is only counted: TLS 1.3 encrypts everything after the ServerHello (so the server's
 * ALPN choice is not visible), TLS 1.2 the Finished messages and any renegotiation.
 */
import { NEED_MORE, NOT_THIS, PduStream } from './pdu-stream';

const RECORD_HEADER_BYTES = 5;
/** RFC 8446 §5.2: a record's fragment may exceed 2^14 by at most 2,048 bytes when protected */
const MAX_RECORD_BYTES = 16_384 + 2_048;
const CONTENT_CHANGE_CIPHER_SPEC = 20;
const CONTENT_HANDSHAKE = 22;
const CONTENT_APPLICATION_DATA = 23;
const CONTENT_HEARTBEAT = 24;
export const HANDSHAKE_CLIENT_HELLO = 1;
export const HANDSHAKE_SERVER_HELLO = 2;
const HANDSHAKE_CERTIFICATE = 11;
const EXTENSION_SERVER_NAME = 0;
const EXTENSION_ALPN = 16;
const EXTENSION_PRE_SHARED_KEY = 41;
const EXTENSION_SUPPORTED_VERSIONS = 43;
/** a handshake message we buffer to read; a longer one (a certificate chain) is counted, not read, bytes */
const MAX_HANDSHAKE_MESSAGE_BYTES = 64 * 1024;
/** handshakes listed per stream; more are counted only */
const MAX_LISTED_HANDSHAKES = 16;
/** SHA-256("HelloRetryRequest"), the random of a ServerHello that asks for a second ClientHello (RFC 8446 §4.1.3) */
const HELLO_RETRY_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

export type TlsHandshakeKind = 'full' | 'resumed' | 'unknown';

/** One handshake as the capture shows it. */
export interface TlsHandshake {
  /** frame of the ClientHello */
  frame: number;
  /** 'unknown' until a ServerHello is seen */
  kind: TlsHandshakeKind;
  /** server name the client asked for (SNI), null when it sent none (as for an IP address) */
  sni: string | null;
  /** application protocols the client offered (ALPN), in its order */
  alpnOffered: string[];
  /** the server's choice, null when not visible (TLS 1.3 encrypts it) or none */
  alpn: string | null;
  /** "TLS 1.3", "TLS 1.2", …; null before the ServerHello */
  version: string | null;
  /** ClientHello to the client's last handshake flight (its ChangeCipherSpec or first encrypted record), ms */
  handshakeMs: number | null;
}

export interface TlsSummary {
  /** the side that sent the ClientHello (the stream's a or b endpoint) */
  clientSide: 'a' | 'b';
  /** ClientHellos seen (a HelloRetryRequest's second ClientHello counts with the first) */
  handshakes: number;
  /** of all the handshakes, how many resumed a session (not only those in `list`) */
  resumed: number;
  /** the first handshake's values, for a one-line view */
  sni: string | null;
  alpn: string | null;
  version: string | null;
  handshakeMs: number | null;
  /** the first MAX_LISTED_HANDSHAKES handshakes */
  list: TlsHandshake[];
}

/** Observes each cleartext handshake message: `frame` completed it (tshark's tls.handshake.type per frame). */
export type TlsHandshakeObserver = (frame: number, type: number) => void;

/**
 * Ports whose streams tshark hands to TLS without a heuristic (tls.tcp.port and the TLS-wrapped
 * protocols that register their own: HTTPS, SMTPS, LDAPS, DNS over TLS, FTPS, telnets, IMAPS, POP3S, SIPS, MQTT over TLS).
 */
export const TLS_PORTS: ReadonlySet<number> = new Set([443, 465, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 8883]);
/** tshark's HTTP ports (http.tcp.port's default): the HTTP dissector claims them before any heuristic runs */
export const HTTP_PORTS: ReadonlySet<number> = new Set([80, 1900, 2710, 2869, 3128, 3132, 5985, 8080, 8088, 11371]);

/** Wireshark's is_sslv3_or_tls: could data[offset, …) start a TLS record? */
export function looksLikeTlsRecord(data: Uint8Array, offset: number, end: number): boolean {
  if (end - offset < RECORD_HEADER_BYTES) return false;
  const type = data[offset]!;
  if (type < CONTENT_CHANGE_CIPHER_SPEC || type > CONTENT_APPLICATION_DATA) return false;
  const version = (data[offset + 1]! << 8) | data[offset + 2]!;
  if (version < 0x0300 || version > 0x0303) return false;
  const length = (data[offset + 3]! << 8) | data[offset + 4]!;
  return length > 0 && length < MAX_RECORD_BYTES;
}

/** Record boundaries; bytes that are no record header make the reader wait for the next segment's start (resync). */
function recordLength(data: Uint8Array, offset: number, available: number): number {
  if (available < RECORD_HEADER_BYTES) return NEED_MORE;
  const type = data[offset]!;
  if (type < CONTENT_CHANGE_CIPHER_SPEC || type > CONTENT_HEARTBEAT || data[offset + 1] !== 3) return NOT_THIS;
  const length = (data[offset + 3]! << 8) | data[offset + 4]!;
  if (length > MAX_RECORD_BYTES) return NOT_THIS;
  return RECORD_HEADER_BYTES + length;
}

const VERSION_NAMES: Record<number, string> = {
  0x0300: 'SSL 3.0',
  0x0301: 'TLS 1.0',
  0x0302: 'TLS 1.1',
  0x0303: 'TLS 1.2',
  0x0304: 'TLS 1.3',
};

interface Hello {
  version: number;
  random: string;
  sessionId: string;
  extensions: Map<number, Uint8Array>;
}

/** Reads a ClientHello or ServerHello body; null when it is cut or malformed. */
function readHello(body: Uint8Array, client: boolean): Hello | null {
  let at = 0;
  const need = (bytes: number) => at + bytes <= body.length;
  if (!need(35)) return null;
  const version = (body[0]! << 8) | body[1]!;
  const random = hex(body.subarray(2, 34));
  at = 34;
  const sessionLength = body[at]!;
  if (!need(1 + sessionLength)) return null;
  const sessionId = hex(body.subarray(at + 1, at + 1 + sessionLength));
  at += 1 + sessionLength;
  if (client) {
    if (!need(2)) return null;
    at += 2 + ((body[at]! << 8) | body[at + 1]!); // cipher suites
    if (!need(1)) return null;
    at += 1 + body[at]!; // compression methods
  } else at += 3; // cipher suite, compression method
  const extensions = new Map<number, Uint8Array>();
  if (at + 2 <= body.length) {
    const end = Math.min(body.length, at + 2 + ((body[at]! << 8) | body[at + 1]!));
    at += 2;
    while (at + 4 <= end) {
      const type = (body[at]! << 8) | body[at + 1]!;
      const length = (body[at + 2]! << 8) | body[at + 3]!;
      if (at + 4 + length > end) break;
      extensions.set(type, body.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
  } else if (at > body.length) return null;
  return { version, random, sessionId, extensions };
}

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

const latin1 = new TextDecoder('latin1');

/** server_name (RFC 6066 §3): list length(2), then type(1) length(2) name; the first host_name. */
function serverName(data: Uint8Array | undefined): string | null {
  if (!data || data.length < 5 || data[2] !== 0) return null;
  const length = (data[3]! << 8) | data[4]!;
  return 5 + length <= data.length ? latin1.decode(data.subarray(5, 5 + length)) : null;
}

/** application_layer_protocol_negotiation (RFC 7301 §3.1): list length(2), then length(1) name … */
function protocolNames(data: Uint8Array | undefined): string[] {
  if (!data || data.length < 2) return [];
  const names: string[] = [];
  for (let at = 2; at < data.length;) {
    const length = data[at]!;
    if (at + 1 + length > data.length) break;
    names.push(latin1.decode(data.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  return names;
}

class Direction {
  readonly records: PduStream;
  /** a ChangeCipherSpec was sent: what follows in this direction is encrypted */
  encrypted = false;
  private message = new Uint8Array(0);
  private messageLength = 0;

  constructor(
    private readonly conversation: TlsConversation,
    readonly name: 'a' | 'b',
  ) {
    this.records = new PduStream(
      recordLength,
      (data, offset, length, frame, time) => this.onRecord(data, offset, length, frame, time),
      true,
    );
  }

  private onRecord(data: Uint8Array, offset: number, length: number, frame: number, time: number): void {
    const type = data[offset]!;
    if (type === CONTENT_HANDSHAKE && !this.encrypted)
      this.onHandshakeBytes(data.subarray(offset + RECORD_HEADER_BYTES, offset + length), frame, time);
    else if (type === CONTENT_CHANGE_CIPHER_SPEC || type === CONTENT_APPLICATION_DATA) {
      this.encrypted = true;
      this.conversation.onProtected(this.name, time);
    }
  }

  /** Handshake messages may span records and a record may hold several: cut them from the concatenation. */
  private onHandshakeBytes(bytes: Uint8Array, frame: number, time: number): void {
    let chunk = bytes;
    if (this.messageLength > 0) {
      const joined = new Uint8Array(this.messageLength + bytes.length);
      joined.set(this.message.subarray(0, this.messageLength), 0);
      joined.set(bytes, this.messageLength);
      chunk = joined;
      this.messageLength = 0;
    }
    let at = 0;
    while (at + 4 <= chunk.length) {
      const length = (chunk[at + 1]! << 16) | (chunk[at + 2]! << 8) | chunk[at + 3]!;
      if (at + 4 + length > chunk.length) break;
      this.conversation.onHandshake(this.name, chunk[at]!, chunk.subarray(at + 4, at + 4 + length), frame, time);
      at += 4 + length;
    }
    const rest = chunk.length - at;
    if (rest > 0 && rest <= MAX_HANDSHAKE_MESSAGE_BYTES) {
      this.message = chunk.slice(at);
      this.messageLength = rest;
    }
  }
}

/** One TCP stream's TLS, both directions. */
export class TlsConversation {
  private readonly a = new Direction(this, 'a');
  private readonly b = new Direction(this, 'b');
  private client: 'a' | 'b' | null = null;
  private current: (TlsHandshake & { time: number; sessionId: string; retried: boolean; serverHelloSeen: boolean }) | null = null;
  private readonly listed: TlsHandshake[] = [];
  private handshakes = 0;
  /** resumed handshakes past the listed ones, settled when the next ClientHello begins */
  private resumedUnlisted = 0;

  constructor(private readonly observer?: TlsHandshakeObserver) {}

  feed(direction: 'a' | 'b', seq: number, data: Uint8Array, start: number, end: number, frame: number, time: number): void {
    (direction === 'a' ? this.a : this.b).records.feed(seq, data, start, end, frame, time);
  }

  onHandshake(direction: 'a' | 'b', type: number, body: Uint8Array, frame: number, time: number): void {
    this.observer?.(frame, type);
    if (type === HANDSHAKE_CLIENT_HELLO) this.onClientHello(direction, body, frame, time);
    else if (type === HANDSHAKE_SERVER_HELLO && direction !== this.client) this.onServerHello(body);
    else if (type === HANDSHAKE_CERTIFICATE && this.current && direction !== this.client && this.current.kind === 'resumed') {
      // TLS 1.2 sent the certificate: a full handshake after all (the server did not take the session id)
      this.current.kind = 'full';
    }
  }

  /** A ChangeCipherSpec or an encrypted record: from the client after the ServerHello, it ends the handshake's clock. */
  onProtected(direction: 'a' | 'b', time: number): void {
    const current = this.current;
    if (!current || direction !== this.client || !current.serverHelloSeen || current.handshakeMs !== null) return;
    current.handshakeMs = Math.max(0, (time - current.time) * 1000);
  }

  private onClientHello(direction: 'a' | 'b', body: Uint8Array, frame: number, time: number): void {
    const hello = readHello(body, true);
    if (this.current?.retried && direction === this.client) {
      this.current.retried = false; // the second ClientHello after a HelloRetryRequest: the same handshake
      return;
    }
    this.client = direction;
    // the previous handshake is over: its kind is final (a TLS 1.2 Certificate can no longer turn it to full)
    if (this.current && !this.listed.includes(this.current) && this.current.kind === 'resumed') this.resumedUnlisted += 1;
    this.handshakes += 1;
    const handshake = {
      frame,
      kind: 'unknown' as TlsHandshakeKind,
      sni: serverName(hello?.extensions.get(EXTENSION_SERVER_NAME)),
      alpnOffered: protocolNames(hello?.extensions.get(EXTENSION_ALPN)),
      alpn: null,
      version: null,
      handshakeMs: null,
      time,
      sessionId: hello?.sessionId ?? '',
      retried: false,
      serverHelloSeen: false,
    };
    this.current = handshake;
    if (this.listed.length < MAX_LISTED_HANDSHAKES) this.listed.push(handshake);
  }

  private onServerHello(body: Uint8Array): void {
    const current = this.current;
    const hello = readHello(body, false);
    if (!current || !hello) return;
    if (hello.random === HELLO_RETRY_RANDOM) {
      current.retried = true;
      return;
    }
    current.serverHelloSeen = true;
    const selected = hello.extensions.get(EXTENSION_SUPPORTED_VERSIONS);
    const version = selected && selected.length >= 2 ? (selected[0]! << 8) | selected[1]! : hello.version;
    current.version = VERSION_NAMES[version] ?? `0x${version.toString(16).padStart(4, '0')}`;
    current.alpn = protocolNames(hello.extensions.get(EXTENSION_ALPN))[0] ?? null;
    const resumed =
      version === 0x0304
        ? hello.extensions.has(EXTENSION_PRE_SHARED_KEY)
        : hello.sessionId.length > 0 && hello.sessionId === current.sessionId;
    current.kind = resumed ? 'resumed' : 'full';
  }

  summary(): TlsSummary | null {
    if (this.handshakes === 0) return null;
    const list = this.listed.map(({ frame, kind, sni, alpnOffered, alpn, version, handshakeMs }) => ({
      frame,
      kind,
      sni,
      alpnOffered,
      alpn,
      version,
      handshakeMs,
    }));
    const current = this.current;
    const currentUnlisted = current !== null && !this.listed.includes(current) && current.kind === 'resumed' ? 1 : 0;
    const resumed = list.filter((handshake) => handshake.kind === 'resumed').length + this.resumedUnlisted + currentUnlisted;
    const first = list[0]!;
    return {
      clientSide: this.client ?? 'a',
      handshakes: this.handshakes,
      resumed,
      sni: first.sni,
      alpn: first.alpn,
      version: first.version,
      handshakeMs: first.handshakeMs,
      list,
    };
  }
}
