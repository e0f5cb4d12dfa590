/**
 * The words a learner meets in the app, each with one line of help: shown on hover and on keyboard
 * focus wherever the word labels an option or names a mark (renderer: `<Term>` and the form fields).
 * One place, so the same word is explained the same way everywhere.
 */
export const GLOSSARY = {
  keepAlive: {
    term: 'keep-alive (HTTP)',
    help: 'Keep the TCP connection open after a response so the next request can reuse it instead of opening a new one.',
  },
  maxSockets: {
    term: 'maxSockets',
    help: 'Most connections Node’s agent opens to one host at a time; further requests wait in its queue. Empty = no limit.',
  },
  maxFreeSockets: {
    term: 'maxFreeSockets',
    help: 'Most idle connections the agent keeps per host for reuse; beyond that a connection is closed when its response ends.',
  },
  scheduling: {
    term: 'scheduling (lifo / fifo)',
    help: 'Which idle connection the agent reuses first: lifo = the most recently used (others can time out), fifo = the oldest (all stay warm).',
  },
  keepAliveMsecs: {
    term: 'keepAliveMsecs',
    help: 'Node’s agent turns TCP keepalive on for its sockets with this idle delay (ms, rounded down to whole seconds) before the first probe.',
  },
  agentTimeout: {
    term: 'socket timeout',
    help: 'The agent closes a connection that has been idle this long (ms); keep it below the server’s keep-alive timeout to avoid the stale race.',
  },
  undiciKeepAliveTimeout: {
    term: 'keepAliveTimeout (undici)',
    help: 'How long undici keeps an idle connection (ms); a server’s `Keep-Alive: timeout=` hint may shorten it.',
  },
  undiciConnections: {
    term: 'connections (undici)',
    help: 'Most connections undici’s pool opens to one origin; empty = no limit.',
  },
  pipelining: {
    term: 'pipelining',
    help: 'Requests undici may send on one connection before the previous answers arrive; 1 = one at a time, 0 = no keep-alive.',
  },
  serverKeepAliveTimeout: {
    term: 'server keep-alive timeout',
    help: 'The server closes a kept connection after it has been idle this long (Node’s server: 5000 ms by default).',
  },
  keepAliveHint: {
    term: 'Keep-Alive: timeout hint',
    help: 'A response header telling the client how long the server will keep an idle connection; Node sends it, nginx does not by default.',
  },
  staleRace: {
    term: 'stale-connection race',
    help: 'The client reuses an idle connection at the moment the server closes it: the request fails with a reset (“socket hang up”).',
  },
  bodyMode: {
    term: 'response body',
    help: 'drain reads each answer to the end (the connection is free again), ignore never reads it (it stays busy), destroy and partial abort it.',
  },
  concurrency: {
    term: 'concurrency',
    help: 'Requests in flight at once: in rounds, this many start together and the next round waits for all; steady starts a new one as soon as one ends.',
  },
  tcpKeepalive: {
    term: 'TCP keepalive',
    help: 'The kernel checks an idle connection by sending probes; no answer after the last probe means the peer is gone and the connection fails.',
  },
  idle: {
    term: 'idle (TCP_KEEPIDLE)',
    help: 'Seconds without any data before the kernel sends the first keep-alive probe (Linux default 7200).',
  },
  interval: {
    term: 'interval (TCP_KEEPINTVL)',
    help: 'Seconds between keep-alive probes while they go unanswered (Linux default 75).',
  },
  count: {
    term: 'count (TCP_KEEPCNT)',
    help: 'Unanswered probes after which the kernel gives up and the connection fails with ETIMEDOUT (Linux default 9).',
  },
  userTimeout: {
    term: 'TCP_USER_TIMEOUT',
    help: 'Longest time (ms) sent data may stay unacknowledged before the kernel drops the connection; with keepalive on, it also decides when unanswered probes end it.',
  },
  keepAliveProbe: {
    term: 'keep-alive probe',
    help: 'An empty segment (or one garbage byte, which RFC 1122 allows) with a sequence number one below the next, sent on an idle connection so the peer must ACK it.',
  },
  keepAliveAck: {
    term: 'keep-alive ACK',
    help: 'The peer’s answer to a keep-alive probe: proof it is still there.',
  },
  zeroWindowProbe: {
    term: 'zero-window probe (ZWP)',
    help: 'A segment sent when the receiver advertised a window of 0, asking whether it has room again.',
  },
  zeroWindow: {
    term: 'zero window',
    help: 'The receiver has no buffer room left: the sender must stop until the window opens.',
  },
  retransmission: {
    term: 'retransmission',
    help: 'A segment sent again because its ACK did not come in time (or was judged lost).',
  },
  dupAck: {
    term: 'Dup ACK',
    help: 'The same acknowledgement sent again: the receiver saw a segment after a gap and is still waiting for the missing one.',
  },
  stream: {
    term: 'stream',
    help: 'One TCP connection in a capture (Wireshark’s tcp.stream number), from its handshake to its close.',
  },
  fin: {
    term: 'FIN',
    help: 'An orderly close: “I have nothing more to send”. Each side sends one; data already sent is still delivered.',
  },
  rst: {
    term: 'RST',
    help: 'An abort: the connection is dropped at once, unread data is lost and the peer gets ECONNRESET.',
  },
  closeWith: {
    term: 'close with FIN or RST',
    help: 'FIN closes in order (each side says it is done, data still arrives); RST aborts at once (unread data is lost, the peer gets ECONNRESET).',
  },
  poolSize: {
    term: 'pool size',
    help: 'Most connections the pool keeps to the server; a request beyond that waits until one is returned.',
  },
  handshake: {
    term: 'handshake',
    help: 'SYN, SYN-ACK, ACK: one round trip paid before a new connection can carry a request.',
  },
  tlsHandshake: {
    term: 'TLS handshake',
    help: 'Over HTTPS, after the TCP handshake: keys agreed and the certificate checked. A resumed one reuses an earlier session: no certificate, less work.',
  },
  poolWait: {
    term: 'pool wait',
    help: 'Time a request waited for a free connection because the limit (maxSockets, connections) was reached.',
  },
  idleGap: {
    term: 'idle gap',
    help: 'Time the connection stayed open with nothing sent either way.',
  },
  // the timeline legend's own entries: each says what its bar or line stands for
  newRequest: {
    term: 'request on a new connection',
    help: 'A request that had to open its connection first: a TCP (and TLS) handshake came before it.',
  },
  reusedRequest: {
    term: 'request on a reused connection',
    help: 'A request sent on a connection an earlier request had used and the client kept: no handshake before it.',
  },
  unknownRequest: {
    term: 'request, new or reused not known',
    help: 'The source cannot tell whether this request opened its connection (e.g. a HAR entry on a connection set up before recording began).',
  },
  failedRequest: {
    term: 'failed request',
    help: 'A request that got no response: the connection was closed or reset under it, or it timed out.',
  },
  bodyUnread: {
    term: 'busy (body unread)',
    help: 'A response whose body nobody has read to the end: its connection cannot carry another request until the body is read or destroyed.',
  },
  http2Ping: {
    term: 'HTTP/2 PING',
    help: 'A frame the other side must answer at once: a keep-alive and round-trip check for the whole connection (RFC 9113 §6.7).',
  },
  goaway: {
    term: 'HTTP/2 GOAWAY',
    help: 'The server ends the connection: streams up to its last stream id were processed, later ones may be sent again elsewhere.',
  },
  streamSlotWait: {
    term: 'waiting for a stream slot',
    help: 'The server’s concurrent-stream limit was reached: a new stream waits on the open connection, not for a new one.',
  },
} as const satisfies Record<string, { term: string; help: string }>;

export type TermId = keyof typeof GLOSSARY;
