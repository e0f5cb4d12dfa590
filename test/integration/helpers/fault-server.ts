/**
 * A misbehaving peer on a real loopback socket (port 0), for fault tests. Each fault is a way a
 * server can fail a client mid-exchange; it speaks either HTTP/1.1 or the lab's JSON lines
 * ({uid,val} → {uid,val,ts}), so the same fault reaches the HTTP lab and the mux client / pool / proxy.
 * `close()` destroys every socket it accepted and resolves when the listener is gone.
 */
import net, { type Socket } from 'node:net';

export type Fault =
  /** answers the start of a response, then RST */
  | 'rst-mid-response'
  /** HTTP: headers promising a body, then FIN; JSON lines: half a reply line, then FIN */
  | 'close-after-headers'
  /** reads everything, answers nothing */
  | 'sends-nothing'
  /** answers one byte a second */
  | 'trickles'
  /** answers bytes that are not the protocol */
  | 'garbage'
  /** accepts, then never reads (the client's writes pile up in the kernel buffers) */
  | 'never-reads'
  /**
   * a correct JSON-lines echo that resets the connection instead of answering one request in ten
   * (seeded): pooled connections live for many requests, so deciding per connection at accept time
   * would kill next to none of the few a pool opens
   */
  | 'kills-a-tenth';

export type Protocol = 'http' | 'json-lines';

export interface FaultServer {
  host: string;
  port: number;
  /** connections accepted so far */
  readonly accepted: number;
  /** connections the server reset on purpose (kills-a-tenth) */
  readonly killed: number;
  close(): Promise<void>;
}

const HTTP_HEADERS = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\nKeep-Alive: timeout=5\r\n\r\n';
/** ms between trickled bytes */
const TRICKLE_EVERY_MS = 1000;
/** share of requests on which kills-a-tenth resets the connection */
const KILL_SHARE = 0.1;

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The reply the fault starts from: a whole HTTP response head or one JSON-lines reply for `line`. */
function replyFor(protocol: Protocol, line: string): string {
  if (protocol === 'http') return HTTP_HEADERS + 'x'.repeat(100);
  try {
    const request = JSON.parse(line) as { uid?: unknown; val?: unknown };
    return `${JSON.stringify({ uid: request.uid, val: `server: hello, ${String(request.val)}`, ts: new Date().toISOString() })}\n`;
  } catch {
    return '{"error":"bad request"}\n';
  }
}

/** Calls `onRequest` once per request: an HTTP request head (up to a blank line) or a JSON line. */
function onRequests(socket: Socket, protocol: Protocol, onRequest: (text: string) => void): void {
  let buffered = '';
  const separator = protocol === 'http' ? '\r\n\r\n' : '\n';
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    for (let end = buffered.indexOf(separator); end !== -1; end = buffered.indexOf(separator)) {
      const text = buffered.slice(0, end);
      buffered = buffered.slice(end + separator.length);
      onRequest(text);
    }
  });
}

function behave(
  socket: Socket,
  fault: Fault,
  protocol: Protocol,
  timers: Set<NodeJS.Timeout>,
  random: () => number,
  onKill: () => void,
): void {
  switch (fault) {
    case 'rst-mid-response':
      return onRequests(socket, protocol, (text) => {
        const reply = replyFor(protocol, text);
        socket.write(reply.slice(0, Math.ceil(reply.length / 2)), () => socket.resetAndDestroy());
      });
    case 'close-after-headers':
      return onRequests(socket, protocol, (text) => {
        socket.end(protocol === 'http' ? HTTP_HEADERS : replyFor(protocol, text).slice(0, 10));
      });
    case 'sends-nothing':
      return onRequests(socket, protocol, () => undefined);
    case 'trickles':
      return onRequests(socket, protocol, (text) => {
        const reply = replyFor(protocol, text);
        let sent = 0;
        const timer = setInterval(() => {
          if (socket.destroyed || sent >= reply.length) {
            clearInterval(timer);
            timers.delete(timer);
            return;
          }
          socket.write(reply[sent++] ?? '');
        }, TRICKLE_EVERY_MS);
        timers.add(timer);
      });
    case 'garbage':
      return onRequests(socket, protocol, () => socket.write('\x00\xffSSH-2.0-nope {not json}\r\n\x7f\x80garbage\n'));
    case 'never-reads':
      socket.pause();
      return;
    case 'kills-a-tenth':
      return onRequests(socket, protocol, (text) => {
        if (random() < KILL_SHARE) {
          onKill();
          socket.resetAndDestroy();
          return;
        }
        socket.write(replyFor(protocol, text));
      });
    default: {
      const unreachable: never = fault;
      return unreachable;
    }
  }
}

export async function startFaultServer(fault: Fault, protocol: Protocol, seed = 1): Promise<FaultServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const random = seededRandom(seed);
  const counts = { accepted: 0, killed: 0 };
  const server = net.createServer((socket) => {
    counts.accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    behave(socket, fault, protocol, timers, random, () => (counts.killed += 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    get accepted() {
      return counts.accepted;
    },
    get killed() {
      return counts.killed;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
