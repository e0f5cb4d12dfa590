/**
 * The HTTP/2 lab's explanations about connections ending and starting again: GOAWAY (idle, or
 * ENHANCE_YOUR_CALM for too many PINGs), TLS resumption on the next connection, and PINGs as
 * keep-alive. Sources: RFC 9113 §6.7 PING, §6.8 GOAWAY, §7 error codes, §10.5; RFC 8446 §2.2;
 * gRPC's doc/keepalive.md.
 *
 * Pure TypeScript: no node:*, no DOM.
 */
import { listWords } from './connection-cause';
import type { Http2RunResult } from './api-http2';
import { median } from './counting';
import { fill, formatNumber, plural, type Http2Explanation } from './explain-http2-text';

/** TLS resumption and PINGs as keep-alive, when the run shows them. */
export function sessionExplanations(result: Http2RunResult): Http2Explanation[] {
  const found: Http2Explanation[] = [];
  const { connections, config } = result;
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
export function goaways(result: Http2RunResult, which: 'ENHANCE_YOUR_CALM' | 'other'): Http2Explanation | null {
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
        : `each time the next request went to a new connection (${listWords(reopened)})`;
  const each = ended.length === 1 ? '' : ' each';
  if (which === 'ENHANCE_YOUR_CALM') {
    const pings = ended.map((connection) => connection.pings.filter((ping) => ping.atMs <= (connection.goaway?.atMs ?? 0)).length);
    return {
      kind: 'too-many-pings',
      title: 'Too many PINGs: GOAWAY ENHANCE_YOUR_CALM',
      whatYouSee: fill(
        '{conns}{each} sent a PING every {interval} ms and got GOAWAY ENHANCE_YOUR_CALM{debug} after {after} and {pings}; {next}.',
        {
          conns: listWords(ids),
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
      conns: listWords(ids),
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
