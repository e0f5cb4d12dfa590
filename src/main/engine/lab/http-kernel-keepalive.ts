/**
 * The TCP keepalive settings a lab client socket ends up with. The idle delay is
 * what the client asked for (Node's socket.setKeepAlive floors ms to whole seconds:
 * https://nodejs.org/api/net.html#socketsetkeepaliveenable-initialdelay); interval
 * and count are read back with getsockopt(TCP_KEEPINTVL/TCP_KEEPCNT) through
 * net-keepalive — libuv sets 1 s and 10 probes when it enables keepalive
 * (uv__tcp_keepalive in libuv's src/unix/tcp.c).
 */
import type { Socket } from 'node:net';
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

export function kernelKeepalive(config: HttpRunConfig, socket: Socket): KeepaliveSettings {
  const enabled = config.client === 'undici' || config.agent.keepAlive;
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
