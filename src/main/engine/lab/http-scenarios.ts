/**
 * The learner's presets: each a small configuration that shows one effect, and
 * where it helps a contrasting configuration to run side by side.
 * Configs are partial: they are merged onto the defaults of HttpRunConfigSchema.
 */
import { HttpRunConfigSchema, type HttpPreset, type HttpRunConfig } from '@shared/api-http';

/** Server keepAliveTimeout for the race presets, ms: short so the demo takes about a second. */
const RACE_SERVER_IDLE_MS = 300;

export const HTTP_PRESETS: readonly HttpPreset[] = [
  {
    name: 'drained-body',
    title: 'Drained body: one connection for all requests',
    lesson:
      'Reading each response to its end hands the socket back to the agent, so the next request reuses it: 1 handshake for 10 requests.',
    config: { requests: 10, body: 'drain' },
    contrast: { title: 'Ignored body', config: { requests: 10, body: 'ignore' } },
  },
  {
    name: 'ignored-body',
    title: 'Ignored body: a new connection per request',
    lesson:
      'A response whose body is never read keeps its socket busy, so every request opens another connection (until the run releases them).',
    config: { requests: 10, body: 'ignore' },
    contrast: { title: 'Drained body', config: { requests: 10, body: 'drain' } },
  },
  {
    name: 'keepalive-off',
    title: 'Keep-alive off',
    lesson:
      'With keepAlive false the agent sends `Connection: close`-style requests and closes after each response: every request pays a handshake.',
    config: { requests: 10, agent: { keepAlive: false } },
    contrast: { title: 'Keep-alive on', config: { requests: 10, agent: { keepAlive: true } } },
  },
  {
    name: 'two-held-open',
    title: 'Two responses held open at once',
    lesson:
      'Two requests one after the other whose response bodies are never read: the first response keeps its connection busy, so the second opens another — two sockets open at once, as lsof shows, where reading each body would have let one connection serve both in turn.',
    // one after the other: two requests sent at the same moment would need two connections whatever happens to the bodies
    config: { requests: 2, concurrency: 1, body: 'ignore' },
    contrast: { title: 'Bodies read to the end', config: { requests: 2, concurrency: 1, body: 'drain' } },
  },
  {
    name: 'queued-above-max-sockets',
    title: 'Concurrency above maxSockets: queueing',
    lesson: 'Six requests at once with maxSockets 2: two connections, the other requests wait in the agent queue (see the queued time).',
    config: { requests: 12, concurrency: 6, agent: { maxSockets: 2 }, server: { headersDelayMs: 50 } },
    contrast: { title: 'maxSockets unlimited', config: { requests: 12, concurrency: 6, server: { headersDelayMs: 50 } } },
  },
  {
    name: 'stale-race',
    title: 'The stale-connection race',
    lesson:
      'The client idles 400 ms, the server’s idle timeout is 300 ms. On a timer its FIN would arrive 100 ms early and the client would redial quietly; here the server closes the reused connection as the request arrives — the FIN crossing the request, on every run — and the request fails with ECONNRESET "socket hang up" (undici: "other side closed"). Neither client retries by itself.',
    config: { requests: 3, intervalMs: 400, server: { keepAliveTimeoutMs: RACE_SERVER_IDLE_MS, keepAliveHint: false, staleRace: 'fin' } },
    contrast: {
      title: 'Client idle timeout below the server’s',
      config: {
        requests: 3,
        intervalMs: 400,
        agent: { timeoutMs: 200 },
        server: { keepAliveTimeoutMs: RACE_SERVER_IDLE_MS, keepAliveHint: false, staleRace: 'fin' },
      },
    },
  },
  {
    name: 'stale-race-undici',
    title: 'The stale-connection race with undici',
    lesson: 'Same race with undici: `other side closed` (UND_ERR_SOCKET). A keepAliveTimeout below the server’s avoids it.',
    config: {
      client: 'undici',
      requests: 3,
      intervalMs: 400,
      server: { keepAliveTimeoutMs: RACE_SERVER_IDLE_MS, keepAliveHint: false, staleRace: 'fin' },
    },
    contrast: {
      title: 'undici keepAliveTimeout 200 ms',
      config: {
        client: 'undici',
        requests: 3,
        intervalMs: 400,
        undici: { keepAliveTimeoutMs: 200 },
        server: { keepAliveTimeoutMs: RACE_SERVER_IDLE_MS, keepAliveHint: false, staleRace: 'fin' },
      },
    },
  },
  {
    name: 'stale-race-retry',
    title: 'The race, with a retry on reused-socket resets',
    lesson:
      'The Node docs pattern: retry once when `req.reusedSocket` and the error is ECONNRESET. The request succeeds on a fresh connection.',
    config: {
      requests: 3,
      intervalMs: 400,
      retryReusedReset: true,
      server: { keepAliveTimeoutMs: RACE_SERVER_IDLE_MS, keepAliveHint: false, staleRace: 'fin' },
    },
    contrast: null,
  },
  {
    name: 'undici-not-yet-free',
    title: 'undici: a second connection for sequential requests',
    lesson:
      'Ten requests one after the other over undici, each body read to the end: 2 connections. undici’s pool marks a connection free one event-loop turn after its response ends, so a request sent at once finds none free and dials. Waiting one turn (await setImmediate) between requests gives 1.',
    config: { client: 'undici', requests: 10 },
    contrast: { title: 'One event-loop turn between requests', config: { client: 'undici', requests: 10, yieldBeforeNextRequest: true } },
  },
  {
    name: 'idle-gaps-tcp-keepalive',
    title: 'Idle gaps with TCP keepalive on',
    lesson:
      'Three requests 3 s apart on one kept connection; the agent turns on TCP keepalive with a 1 s idle delay, so the kernel sends probes in the gaps (take a capture to see them) and the connection survives.',
    config: { requests: 3, intervalMs: 3000, agent: { keepAliveMsecs: 1000 }, server: { keepAliveTimeoutMs: 10_000 } },
    contrast: null,
  },
  {
    name: 'tls-ignored-body',
    title: 'Over TLS: what each new connection costs',
    lesson:
      'The ignored-body mistake over HTTPS: every request opens a connection, and each new connection pays a TLS handshake on top of the TCP connect (see each connection: the TLS part is most of it). Reading each body to its end keeps one connection and pays one handshake for all ten requests.',
    config: { tls: true, requests: 10, body: 'ignore' },
    contrast: { title: 'Drained body over TLS', config: { tls: true, requests: 10, body: 'drain' } },
  },
  {
    name: 'tls-resumption',
    // the title says what one run shows: Run is the cache on; Compare runs it beside the cache off (its contrast)
    title: 'TLS session resumption on: later connections resume',
    lesson:
      'Each new connection to the same server can resume the TLS session of an earlier one (the client keeps up to maxCachedSessions of them, 100 by default): no certificate to send and check, so the handshake is shorter. The first connection always pays the full handshake. With the cache off (0) every connection pays it: Compare runs both.',
    // six unread bodies, six connections: ten would repeat tls-ignored-body's run, which the form could not tell apart
    config: { tls: true, requests: 6, body: 'ignore' },
    contrast: {
      title: 'Session cache off (maxCachedSessions 0)',
      config: { tls: true, requests: 6, body: 'ignore', maxCachedSessions: 0 },
    },
  },
  {
    name: 'tls-keepalive-off',
    title: 'Keep-alive off over TLS',
    lesson:
      'With keepAlive false each request closes its connection, so each request pays a TCP connect and a TLS handshake (resumed, so shorter, but still a round trip more than reusing). With keep-alive on, one connection and one handshake serve all ten.',
    config: { tls: true, requests: 10, agent: { keepAlive: false } },
    contrast: { title: 'Keep-alive on over TLS', config: { tls: true, requests: 10, agent: { keepAlive: true } } },
  },
  {
    name: 'steady-load',
    title: 'Steady load: 10,000 requests, 16 in flight',
    lesson:
      'Sixteen requests always in flight, a new one as soon as one ends, as a busy client runs: http.Agent opens 16 connections and reuses them for the other 9,984 requests. In rounds of 16 the same 16 connections serve, but each round waits for its slowest request.',
    config: { requests: 10_000, concurrency: 16, schedule: 'steady' },
    contrast: { title: 'In rounds of 16', config: { requests: 10_000, concurrency: 16, schedule: 'rounds' } },
  },
];

export function findPreset(name: string): HttpPreset | undefined {
  return HTTP_PRESETS.find((preset) => preset.name === name);
}

const NESTED_KEYS = new Set(['server', 'agent', 'undici']);

/** Overlays `override` on `base`, one level deep for the nested option groups. */
export function mergeConfig(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const previous = merged[key];
    merged[key] = NESTED_KEYS.has(key) && isRecord(previous) && isRecord(value) ? { ...previous, ...value } : value;
  }
  return merged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class UnknownPresetError extends Error {
  constructor(name: string) {
    super(`unknown preset "${name}"; known: ${HTTP_PRESETS.map((preset) => preset.name).join(', ')}`);
    this.name = 'UnknownPresetError';
  }
}

/** preset (if any) + overrides → a checked config; throws UnknownPresetError or a ZodError. */
export function resolveHttpConfig(preset: string | undefined, overrides: Record<string, unknown> = {}): HttpRunConfig {
  let base: Record<string, unknown> = {};
  if (preset !== undefined) {
    const found = findPreset(preset);
    if (!found) throw new UnknownPresetError(preset);
    base = found.config;
  }
  return HttpRunConfigSchema.parse(mergeConfig(base, overrides));
}
