/**
 * Runs the same 20 requests, 10 at a time, over HTTP/1.1 with at most 6 connections (a browser's
 * per-host limit) and over HTTP/2 (the HTTP/2 lab's "one-connection" preset), and reads both.
 * Sources: RFC 9113 §5.1.1 (client streams have odd ids), §6.5.2 (SETTINGS_MAX_CONCURRENT_STREAMS),
 * §9.1 (a client should not open more than one HTTP/2 connection per host and port); Chromium's
 * net/socket/client_socket_pool_manager.cc (g_max_sockets_per_group: 6 for normal sockets).
 */
import type { LessonInput } from '../lesson';

export const oneConnectionH2: LessonInput = {
  id: 'one-connection-h2',
  title: 'Why does my browser use one connection for everything?',
  kind: 'http-lab',
  question:
    'A page asks one origin for 20 resources, 10 at a time. Over HTTP/1.1 a browser opens up to 6 connections. Over HTTP/2, how many TCP connections carry them?',
  setup:
    'Run A: Node’s http.Agent limited to 6 sockets per host, as Chromium’s HTTP/1 pool is, against the lab’s HTTP/1.1 server over TLS. Run B: node:http2 over TLS (ALPN “h2”) against the lab’s HTTP/2 server. Each response takes 20 ms.',
  choices: [
    { id: 'one', label: '1 — every request is its own stream on it', when: [{ metric: 'h2.connectionsOpened', max: 1 }] },
    { id: 'six', label: '2 to 6 — like HTTP/1.1', when: [{ metric: 'h2.connectionsOpened', min: 2, max: 6 }] },
    { id: 'many', label: 'More than 6 — one per request in flight', when: [{ metric: 'h2.connectionsOpened', min: 7 }] },
  ],
  expected: 'one',
  experiment: {
    kind: 'http2',
    h1: {
      title: 'HTTP/1.1 over TLS, at most 6 connections',
      config: { requests: 20, concurrency: 10, schedule: 'steady', tls: true, agent: { maxSockets: 6 }, server: { headersDelayMs: 20 } },
    },
    h2: { title: 'HTTP/2 over TLS', preset: 'one-connection', config: {} },
  },
  runs: 'Runs 20 requests over HTTP/1.1, then the same 20 over HTTP/2 (under a second).',
  figures: [
    { metric: 'h1.connectionsOpened', label: 'HTTP/1.1 connections (A)' },
    { metric: 'h1.maxQueuedMs', label: 'Longest wait for a free connection (A)', unit: 'ms' },
    { metric: 'h2.connectionsOpened', label: 'HTTP/2 connections (B)' },
    { metric: 'h2.streamsOnFirstConnection', label: 'Streams on the first HTTP/2 connection (B)' },
    { metric: 'h2.maxConcurrentStreams', label: 'Most streams at once on it (B)' },
  ],
  highlight: { lanes: 'all' },
  explanation:
    'Over HTTP/1.1 the {h1.requests} requests opened {h1.connectionsOpened} connections, each paying its own TCP and TLS handshake, and the longest wait for a free one was {h1.maxQueuedMs} ms: an HTTP/1.1 connection carries one response at a time, and Chromium keeps at most 6 per host (g_max_sockets_per_group in its net/socket/client_socket_pool_manager.cc). Over HTTP/2 the same {h2.requests} requests rode {h2.connectionsOpened} connection, {h2.maxConcurrentStreams} at once, each as its own stream with an odd id: 1, 3, 5 (RFC 9113 §5.1.1). The frames of all those streams are interleaved on the one connection, so a second one would buy nothing, and RFC 9113 §9.1 asks clients not to open more than one per host and port. One TCP and TLS handshake serves the whole page. What limits HTTP/2 is the server’s SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §6.5.2), here {h2.serverStreamLimit} streams at once.',
  tryChanging:
    'In the Lab’s HTTP/2 panel, run “Server limit: streams wait”: with SETTINGS_MAX_CONCURRENT_STREAMS at 5, the extra requests wait for a stream slot on the same connection; no second connection is opened.',
};
