/**
 * What a finished HTTP/2 lab run shows, in plain words with the measured values filled in: the app's
 * Lab panel and the CLI's text output read the same sentences. Each explanation is chosen by what
 * the run measured (not by the preset that started it), most telling first.
 *
 * Templates use explain.ts's `{name}` placeholders; `fill` refuses a template whose value is
 * missing, so no sentence is ever shown with a hole in it.
 * Sources: RFC 9113 (HTTP/2) §5.1.1 stream ids, §5.1.2 and §6.5.2 SETTINGS_MAX_CONCURRENT_STREAMS,
 * §6.7 PING, §6.8 GOAWAY, §6.9 flow control, §8.7 REFUSED_STREAM; RFC 8446 §2.2 resumption;
 * gRPC's doc/keepalive.md (servers allow one PING per 5 minutes without calls by default).
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import type { Http2RunResult } from './api-http2';

export interface Http2Explanation {
  /** stable key (React key, tests) */
  kind: 'multiplexed' | 'stream-limit' | 'refused' | 'unread-bodies' | 'goaway-idle' | 'resumed' | 'too-many-pings' | 'pings' | 'failed';
  title: string;
  /** what the learner sees, with the measured values */
  whatYouSee: string;
  /** why it happens */
  why: string;
  tryNext: string;
}

type Values = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders; a missing value is a bug in the caller, never a “?” on screen. */
export function fill(template: string, values: Values): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`explain-http2: no value for {${name}}`);
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** "1, 3, 5, … 19" for many ids, all of them for a few */
function streamIds(ids: number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  return sorted.length <= 5 ? sorted.join(', ') : `${sorted.slice(0, 3).join(', ')}, … ${sorted.at(-1)}`;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

export function explainHttp2Run(result: Http2RunResult): Http2Explanation[] {
  const found: Http2Explanation[] = [];
  const { connections, requests, config } = result;
  const answered = requests.filter((request) => request.error === null && request.status !== null);
  if (answered.length === 0) {
    const first = requests[0];
    found.push({
      kind: 'failed',
      title: 'No request was answered',
      whatYouSee: fill('All {count} attempts to {target} failed; the first with: {error}.', {
        count: requests.length,
        target: result.target,
        error: first?.error ?? 'no request ran',
      }),
      why: 'The client never had an HTTP/2 connection to send on: the server refused the TCP connection, the TLS handshake failed, or the server does not speak HTTP/2 (over TLS it must offer “h2” in ALPN; in cleartext it must accept h2c with prior knowledge).',
      tryNext: 'Run against the lab’s own server (no URL), or check the URL’s scheme: https:// for h2 over TLS, http:// for h2c.',
    });
    return found;
  }

  found.push(multiplexed(result, answered.length));
  const slots = streamLimit(result);
  if (slots) found.push(slots);

  const refused = requests.filter((request) => request.error?.includes('REFUSED_STREAM'));
  if (refused.length > 0) {
    found.push({
      kind: 'refused',
      title: 'Streams refused and sent again',
      whatYouSee: fill('{refused} refused with REFUSED_STREAM, each sent again and answered.', {
        refused: plural(refused.length, 'stream was', 'streams were'),
      }),
      why: 'The client opened them before the server’s SETTINGS arrived, so it did not know the limit yet. A refused stream was not processed by the server (RFC 9113 §8.7), so sending it again is safe even for a request that is not idempotent.',
      tryNext: 'Turn on “wait for the server’s SETTINGS”: the client then queues past the limit and nothing is refused.',
    });
  }

  if (config.body === 'ignore' && connections.length === 1) {
    found.push({
      kind: 'unread-bodies',
      title: 'Unread bodies did not cost a connection',
      whatYouSee: fill('{unread} left unread until the run ended, all on {conn}.', {
        unread: plural(answered.length, 'response body was', 'response bodies were'),
        conn: connections[0]?.id ?? 'one connection',
      }),
      why: 'In HTTP/2 an unread body stops only its own stream: the server may send it no more than the stream’s flow-control window (65 535 bytes unless the client raises it, RFC 9113 §6.9.2), and the connection carries the other streams on. In HTTP/1.1 the same unread body keeps its whole connection busy, and the next request opens another.',
      tryNext: 'Run the HTTP lab’s “Ignored body” scenario: one connection per request.',
    });
  }

  const calm = goaways(result, 'ENHANCE_YOUR_CALM');
  if (calm) found.push(calm);
  const other = goaways(result, 'other');
  if (other) found.push(other);

  const resumed = connections.filter((connection) => connection.tls?.resumed === true);
  const full = connections.filter((connection) => connection.tls && !connection.tls.resumed && connection.tls.handshakeMs !== null);
  if (resumed.length > 0) {
    const fullMs = median(full.map((connection) => connection.tls?.handshakeMs ?? 0));
    const resumedMs = median(resumed.map((connection) => connection.tls?.handshakeMs ?? 0));
    found.push({
      kind: 'resumed',
      title: 'New connections resumed the TLS session',
      whatYouSee: fill('{resumed} of {connections} resumed the TLS session of the one before{times}.', {
        resumed: resumed.length,
        connections: plural(connections.length, 'connection', 'connections'),
        times:
          fullMs !== null && resumedMs !== null
            ? ` (TLS handshake ${formatNumber(resumedMs)} ms resumed, ${formatNumber(fullMs)} ms in full, median)`
            : '',
      }),
      why: 'The client kept the session ticket the server sent on the first connection and offered it on the next (RFC 8446 §2.2): the server skips its certificate and signature, so the handshake costs less computing, though still one round trip in TLS 1.3.',
      tryNext: 'Turn “resume TLS sessions” off and run again: every connection pays a full handshake.',
    });
  }

  const pinged = connections.filter((connection) => connection.pings.length > 0);
  if (pinged.length > 0 && !connections.some((connection) => connection.goaway?.error === 'ENHANCE_YOUR_CALM')) {
    const rtts = pinged.flatMap((connection) => connection.pings.map((ping) => ping.rttMs)).filter((ms): ms is number => ms !== null);
    const rtt = median(rtts);
    found.push({
      kind: 'pings',
      title: 'PING: HTTP/2’s own keep-alive',
      whatYouSee: fill('{pings} sent every {interval} ms, {answered} answered{rtt}.', {
        pings: plural(
          pinged.reduce((sum, connection) => sum + connection.pings.length, 0),
          'PING was',
          'PINGs were',
        ),
        interval: config.pingIntervalMs ?? 0,
        answered: rtts.length,
        rtt: rtt === null ? '' : `, round trip ${rtt.toFixed(2)} ms (median)`,
      }),
      why: 'A PING (RFC 9113 §6.7) must be answered by the peer’s HTTP/2 layer, so it proves the server process is alive, where a TCP keepalive probe is answered by the kernel alone. It also keeps middleboxes from dropping an idle connection.',
      tryNext: 'Ask the server to allow fewer PINGs than the client sends (the “PING too often” scenario) to see GOAWAY ENHANCE_YOUR_CALM.',
    });
  }
  return found;
}

/** How many streams ran at once: as the lab's server counted them, or as the client did against a URL. */
export function atOnce(result: Http2RunResult): string {
  if (result.server && result.server.length > 0) {
    return `the server worked on up to ${Math.max(...result.server.map((session) => session.maxConcurrent))} of them at once`;
  }
  return `up to ${result.maxConcurrentStreams} were in flight at once`;
}

function multiplexed(result: Http2RunResult, answered: number): Http2Explanation {
  const { connections, requests } = result;
  const idsOf = (id: string) =>
    streamIds(requests.filter((request) => request.connection === id && request.stream !== null).map((request) => request.stream ?? 0));
  const only = connections.length === 1 ? connections[0] : undefined;
  return {
    kind: 'multiplexed',
    title: only ? 'Many requests, one connection' : `${connections.length} connections for ${answered} requests`,
    whatYouSee: only
      ? fill('{requests} on {conn} alone, as streams {ids}; {atOnce}.', {
          requests: plural(answered, 'request was answered', 'requests were answered'),
          conn: only.id,
          ids: idsOf(only.id),
          atOnce: atOnce(result),
        })
      : fill('{requests} on {connections}: {each}.', {
          requests: plural(answered, 'request was answered', 'requests were answered'),
          connections: plural(connections.length, 'connection', 'connections'),
          each: connections
            .map((connection) => `${connection.id} ${streamsWord(requests, connection.id)} ${idsOf(connection.id) || 'none'}`)
            .join('; '),
        }),
    why: only
      ? 'HTTP/2 multiplexes: every request is a stream of its own on one connection (RFC 9113 §5), so a request never waits for a free connection and never opens another. The client numbers its streams with odd ids, 1, 3, 5, … (§5.1.1).'
      : 'HTTP/2 puts every request on one connection as its own stream (RFC 9113 §5); the client opened another connection only when the one before had ended, as the next lines say.',
    tryNext: only
      ? 'Compare with the HTTP lab’s “Ignored body” scenario, where HTTP/1.1 opens a connection per request.'
      : 'Keep the connection alive longer than the gaps between requests, and one connection serves them all.',
  };
}

function streamLimit(result: Http2RunResult): Http2Explanation | null {
  const { connections, config } = result;
  const limit = connections.find((connection) => connection.serverMaxConcurrentStreams !== null)?.serverMaxConcurrentStreams ?? null;
  if (result.waitedForSlot === 0 || limit === null || result.longestWaitMs === null) return null;
  const served = result.server ? Math.max(0, ...result.server.map((session) => session.maxConcurrent)) : null;
  return {
    kind: 'stream-limit',
    title: 'Streams waited for a slot, on the same connection',
    whatYouSee: fill('{waited} of {requests} requests waited for a free stream, the longest {waitMs} ms; {served}.', {
      waited: result.waitedForSlot,
      requests: config.requests,
      waitMs: Math.round(result.longestWaitMs),
      served: served === null ? `the server allowed ${limit} at once` : `the server worked on at most ${served} at once`,
    }),
    why: fill(
      'The server announced SETTINGS_MAX_CONCURRENT_STREAMS {limit} (RFC 9113 §6.5.2): a client may not open more streams than that at once, so it holds the rest until a stream ends. It does not open another connection for them: {connections} in this run.',
      { limit, connections: plural(connections.length, 'connection', 'connections') },
    ),
    tryNext: 'Raise the server’s stream limit, or lower the concurrency to the limit: the waits disappear.',
  };
}

function streamsWord(requests: Http2RunResult['requests'], id: string): string {
  return requests.filter((request) => request.connection === id && request.stream !== null).length === 1 ? 'stream' : 'streams';
}

/** "c1, c2 and c3" */
function listed(ids: string[]): string {
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

/** "3" or "1–3" */
function numberRange(values: number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}–${high}`;
}

/** "127 ms" or "127–152 ms" */
function range(values: number[]): string {
  const low = Math.round(Math.min(...values));
  const high = Math.round(Math.max(...values));
  return low === high ? `${low} ms` : `${low}–${high} ms`;
}

/** One explanation for every connection that ended with GOAWAY ENHANCE_YOUR_CALM, or with any other GOAWAY. */
function goaways(result: Http2RunResult, which: 'ENHANCE_YOUR_CALM' | 'other'): Http2Explanation | null {
  const { connections, config } = result;
  const ended = connections.filter(
    (connection) => connection.goaway && (connection.goaway.error === 'ENHANCE_YOUR_CALM') === (which === 'ENHANCE_YOUR_CALM'),
  );
  const firstGoaway = ended[0]?.goaway;
  if (!firstGoaway) return null;
  const ids = ended.map((connection) => connection.id);
  const after = range(ended.map((connection) => (connection.goaway?.atMs ?? 0) - connection.openedAtMs));
  const reopened = connections.filter((connection) => connection.openedBecause === 'after-goaway').map((connection) => connection.id);
  const next =
    reopened.length === 0
      ? 'no request came after it'
      : reopened.length === 1
        ? `the next request went to ${reopened[0]}, a new connection`
        : `each time the next request went to a new connection (${listed(reopened)})`;
  const each = ended.length === 1 ? '' : ' each';
  if (which === 'ENHANCE_YOUR_CALM') {
    const pings = ended.map((connection) => connection.pings.filter((ping) => ping.atMs <= (connection.goaway?.atMs ?? 0)).length);
    return {
      kind: 'too-many-pings',
      title: 'Too many PINGs: GOAWAY ENHANCE_YOUR_CALM',
      whatYouSee: fill(
        '{conns}{each} sent a PING every {interval} ms and got GOAWAY ENHANCE_YOUR_CALM{debug} after {after} and {pings}; {next}.',
        {
          conns: listed(ids),
          each,
          interval: config.pingIntervalMs ?? 0,
          debug: firstGoaway.debug ? ` “${firstGoaway.debug}”` : '',
          after,
          pings:
            Math.min(...pings) === Math.max(...pings)
              ? plural(pings[0] ?? 0, 'PING', 'PINGs')
              : `${Math.min(...pings)}–${Math.max(...pings)} PINGs`,
          next,
        },
      ),
      why: fill('{allowance} (RFC 9113 §10.5 lets a server limit PINGs; ENHANCE_YOUR_CALM is §7’s code for it). {grpc}', {
        allowance:
          config.url === null && config.server.maxPingsPerWindow !== null
            ? fill('The server allows {allowed} per {window} ms and treats more as abuse', {
                allowed: plural(config.server.maxPingsPerWindow, 'PING', 'PINGs'),
                window: config.server.pingWindowMs,
              })
            : 'The server limits how often a client may PING and treats more as abuse',
        grpc: 'gRPC servers do the same: by default they accept one PING per 5 minutes on a connection without calls, and answer more with “too_many_pings”.',
      }),
      tryNext:
        'Make the client’s PING interval longer than the server allows (the window divided by the allowance): the connection then lives.',
    };
  }
  const idle = config.url === null ? config.server.idleTimeoutMs : null;
  return {
    kind: 'goaway-idle',
    title: `GOAWAY ${firstGoaway.error}: the server ended ${plural(ended.length, 'connection', 'connections')}`,
    whatYouSee: fill('{conns}{each} got GOAWAY {error} with last stream {last} after {after}; {next}.', {
      conns: listed(ids),
      each,
      error: firstGoaway.error,
      last: numberRange(ended.map((connection) => connection.goaway?.lastStreamId ?? 0)),
      after,
      next,
    }),
    why:
      idle !== null
        ? fill(
            'The server closes a connection that carried no stream for {idleMs} ms, and the client paused {pauseMs} ms between requests. GOAWAY (RFC 9113 §6.8) tells the client which streams the server processed (up to the last stream id), so a request above it can be sent again on a new connection.',
            { idleMs: idle, pauseMs: config.pauseMs },
          )
        : 'GOAWAY (RFC 9113 §6.8) says the server takes no new streams on this connection and which it processed (up to the last stream id); a request above it can be sent again on a new connection.',
    tryNext:
      'Send requests (or PINGs the server accepts) more often than its idle timeout, or let it go: with TLS resumption a new connection costs less.',
  };
}
