/**
 * The HTTP/2 lab's learner presets: each a small configuration that shows one thing HTTP/2 changes
 * about keeping connections. Configs are partial, merged onto the defaults of Http2RunConfigSchema.
 */
import { Http2RunConfigSchema, type Http2Preset, type Http2RunConfig } from '@shared/api-http2';
import { mergeConfig } from './http-scenarios';

export const HTTP2_PRESETS: readonly Http2Preset[] = [
  {
    name: 'one-connection',
    title: 'Many requests, one connection',
    lesson:
      'Twenty requests, ten at a time, over TLS: HTTP/2 carries them all on one connection, each as its own stream (ids 1, 3, 5, …), so one TCP and TLS handshake serves them all.',
    config: { requests: 20, concurrency: 10, server: { delayMs: 20 } },
  },
  {
    name: 'stream-limit',
    title: 'Server limit: streams wait',
    lesson:
      'The server allows 5 streams at once (SETTINGS_MAX_CONCURRENT_STREAMS) and 20 requests want to run together: 15 wait for a free stream on the same connection instead of opening another.',
    config: { requests: 20, concurrency: 20, server: { maxConcurrentStreams: 5, delayMs: 60 } },
  },
  {
    name: 'unread-bodies',
    title: 'Unread bodies don’t cost a connection',
    lesson:
      'Ten responses of 100 000 bytes whose bodies are never read: in HTTP/1.1 each would hold a connection busy; in HTTP/2 an unread body holds only its own stream’s flow-control window.',
    config: { requests: 10, body: 'ignore', server: { responseBytes: 100_000 } },
  },
  {
    name: 'idle-goaway',
    title: 'Idle GOAWAY and TLS resumption',
    lesson:
      'The server ends a connection idle for 150 ms with GOAWAY, and the client pauses 400 ms between requests: each request needs a new connection, and each new one resumes the TLS session of the one before.',
    config: { requests: 3, pauseMs: 400, resumeSessions: true, server: { idleTimeoutMs: 150 } },
  },
  {
    name: 'too-many-pings',
    title: 'PING too often: ENHANCE_YOUR_CALM',
    lesson:
      'The client sends an HTTP/2 PING every 40 ms as its keep-alive; the server allows 2 per second, as gRPC servers limit PINGs, and answers with GOAWAY ENHANCE_YOUR_CALM “too_many_pings”.',
    config: { requests: 6, pauseMs: 100, pingIntervalMs: 40, server: { maxPingsPerWindow: 2, pingWindowMs: 1000 } },
  },
];

export class UnknownHttp2PresetError extends Error {
  constructor(name: string) {
    super(`unknown HTTP/2 preset "${name}"; known: ${HTTP2_PRESETS.map((preset) => preset.name).join(', ')}`);
    this.name = 'UnknownHttp2PresetError';
  }
}

/** preset (if any) + overrides → a checked config; throws UnknownHttp2PresetError or a ZodError. */
export function resolveHttp2Config(preset: string | undefined, overrides: Record<string, unknown> = {}): Http2RunConfig {
  let base: Record<string, unknown> = {};
  if (preset !== undefined) {
    const found = HTTP2_PRESETS.find((candidate) => candidate.name === preset);
    if (!found) throw new UnknownHttp2PresetError(preset);
    base = found.config;
  }
  return Http2RunConfigSchema.parse(mergeConfig(base, overrides));
}
