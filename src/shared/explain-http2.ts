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
import { goaways, sessionExplanations } from './explain-http2-connections';
import { fill, plural, type Http2Explanation } from './explain-http2-text';

export { fill, type Http2Explanation } from './explain-http2-text';

/** "1, 3, 5, … 19" for many ids, all of them for a few */
function streamIds(ids: number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  return sorted.length <= 5 ? sorted.join(', ') : `${sorted.slice(0, 3).join(', ')}, … ${sorted.at(-1)}`;
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
  if (refused.length > 0 && config.client === 'undici') {
    found.push({
      kind: 'refused',
      title: 'Streams refused, not sent again',
      whatYouSee: fill('{refused} refused with REFUSED_STREAM; undici reported each as an error and did not send it again.', {
        refused: plural(refused.length, 'stream was', 'streams were'),
      }),
      why: 'undici opened more streams at once than the server’s SETTINGS_MAX_CONCURRENT_STREAMS allows; the server refused the extra ones (RFC 9113 §5.1.2). A refused stream was not processed (§8.7), so it would be safe to send again, but undici leaves that to the caller.',
      tryNext:
        'Lower “At once” to the server’s stream limit, or run the same scenario with the node:http2 client, which waits for a free stream.',
    });
  } else if (refused.length > 0) {
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

  found.push(...sessionExplanations(result));
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
