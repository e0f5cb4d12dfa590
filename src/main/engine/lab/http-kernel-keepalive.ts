/**
 * The TCP keepalive settings a lab client socket ends up with. The idle delay is
 * what the client asked for (Node's socket.setKeepAlive floors ms to whole seconds:
 * https://nodejs.org/api/net.html#socketsetkeepaliveenable-initialdelay); interval
 * and count are read back with getsockopt(TCP_KEEPINTVL/TCP_KEEPCNT) through
 * net-keepalive — libuv sets 1 s and 10 probes when it enables keepalive
 * (uv__tcp_keepalive in libuv's src/unix/tcp.c).
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import netKeepalive from 'net-keepalive';
import type { HttpRunConfig } from '@shared/api-http';
import type { KeepaliveSettings } from '@shared/trace';

/** undici's TCP keepalive initial delay (connect.keepAliveInitialDelay default), ms */
export const UNDICI_TCP_KEEPALIVE_DELAY_MS = 60_000;

function readBack(read: () => number): number | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/**
 * `pooled`: read when the client first put the connection back in its pool. Node's http.Agent asks
 * net for keepalive at connect (its keepAlive option), so the socket has it from the start; an
 * https.Agent's TLS socket gets it only from Agent.keepSocketAlive, when it is first pooled. Read
 * at connect, such a socket holds the system's defaults (75 s, 9 probes on Linux) with keepalive off
 * (`ss -tnoe` shows no keepalive timer), and one whose response body is never read never gets it.
 * undici calls setKeepAlive at connect, over TLS too.
 */
export function kernelKeepalive(config: HttpRunConfig, socket: Socket, pooled = false): KeepaliveSettings {
  const notYet = config.client === 'agent' && socket instanceof TLSSocket && !pooled;
  const enabled = (config.client === 'undici' || config.agent.keepAlive) && !notYet;
  const delayMs = config.client === 'undici' ? UNDICI_TCP_KEEPALIVE_DELAY_MS : config.agent.keepAliveMsecs;
  const intervalMs = enabled ? readBack(() => netKeepalive.getKeepAliveInterval(socket)) : null;
  const probes = enabled ? readBack(() => netKeepalive.getKeepAliveProbes(socket)) : null;
  const idleSource = config.client === 'undici' ? 'node-default' : 'lab';
  return {
    enabled,
    idleS: enabled ? Math.floor(delayMs / 1000) : null,
    intervalS: intervalMs === null ? null : intervalMs / 1000,
    count: probes,
    userTimeoutMs: null,
    source: {
      enabled: 'lab',
      idleS: idleSource,
      intervalS: intervalMs === null ? 'unknown' : 'libuv-default',
      count: probes === null ? 'unknown' : 'libuv-default',
      userTimeoutMs: 'os-default',
    },
  };
}
