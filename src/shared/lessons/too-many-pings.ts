/**
 * Runs the HTTP/2 lab's "too-many-pings" preset: a client that PINGs every 40 ms against the lab's
 * HTTP/2 server that allows 2 PINGs a second and answers more with GOAWAY ENHANCE_YOUR_CALM, as gRPC
 * servers enforce their keepalive policy (gRPC proposal A8, "Server Enforcement").
 * Sources: RFC 9113 §6.7 (PING), §6.8 (GOAWAY and its last stream id), §7 (ENHANCE_YOUR_CALM = 0xb);
 * grpc/proposal A8-client-side-keepalive.md (PERMIT_KEEPALIVE_TIME 5 minutes by default; GOAWAY
 * ENHANCE_YOUR_CALM "too_many_pings"; a client that gets it doubles its keepalive time).
 */
import type { LessonInput } from '../lesson';

export const tooManyPings: LessonInput = {
  id: 'too-many-pings',
  title: 'Why did my gRPC-style client get GOAWAY too_many_pings?',
  kind: 'http-lab',
  question:
    'A client keeps its HTTP/2 connection alive with a PING every 40 ms. The server accepts at most 2 PINGs a second. What does the server do?',
  setup:
    'node:http2 over TLS against the lab’s HTTP/2 server, which counts PINGs as gRPC servers do. The client sends 6 requests, 100 ms apart, and PINGs each open connection every 40 ms.',
  choices: [
    { id: 'ack', label: 'Answers every PING with a PING ACK; the connection lives on', when: [{ metric: 'h2.goaways', max: 0 }] },
    {
      id: 'calm',
      label: 'Sends GOAWAY ENHANCE_YOUR_CALM “too_many_pings” and ends the connection',
      when: [{ metric: 'h2.goawayErrorCode', min: 11, max: 11 }],
    },
    { id: 'other', label: 'Ends the connection some other way', when: [{ metric: 'h2.goaways', min: 1 }] },
  ],
  expected: 'calm',
  experiment: { kind: 'http2', h2: { title: 'HTTP/2, a PING every 40 ms', preset: 'too-many-pings', config: {} } },
  runs: 'Runs 6 HTTP/2 requests with a PING every 40 ms against a server that allows one every 500 ms (about half a second).',
  figures: [
    { metric: 'h2.pingIntervalMs', label: 'Client’s PING interval', unit: 'ms' },
    { metric: 'h2.serverMinPingIntervalMs', label: 'Server’s minimum spacing', unit: 'ms' },
    { metric: 'h2.pingsBeforeGoaway', label: 'PINGs before the first GOAWAY' },
    { metric: 'h2.goawayErrorCode', label: 'GOAWAY error code (11 = ENHANCE_YOUR_CALM)' },
    { metric: 'h2.goawayLastStreamId', label: 'GOAWAY last stream id' },
    { metric: 'h2.retried', label: 'Requests sent again (their stream was above the last stream id)' },
    { metric: 'h2.connectionsOpened', label: 'Connections for 6 requests' },
  ],
  highlight: { lanes: 'errors' },
  explanation:
    'The client sent a PING every {h2.pingIntervalMs} ms, but the server accepts one every {h2.serverMinPingIntervalMs} ms; after {h2.pingsBeforeGoaway} PINGs it sent GOAWAY with error code {h2.goawayErrorCode}, ENHANCE_YOUR_CALM (RFC 9113 §7), debug text “too_many_pings” and last stream id {h2.goawayLastStreamId}. Streams up to that id were processed; a request on a stream above it was not, so the client sends it again on a new connection (RFC 9113 §6.8): {h2.retried} in this run, each drawn as a failed stream on the old lane and answered on the next. Every new connection PINGed just as fast: {h2.connectionsOpened} connections, {h2.goaways} ended by GOAWAY, and {h2.answered} of {h2.requests} requests answered in the end. gRPC servers enforce the same rule (by default no keep-alive PING more often than every 5 minutes while calls run), and gRPC proposal A8 asks a client that gets “too_many_pings” to double its keepalive time. Set your client’s keepalive time above the server’s minimum, agreed with the server’s owners.',
  tryChanging:
    'In the Lab’s HTTP/2 panel, run “PING too often: ENHANCE_YOUR_CALM” again with the PING interval at 600 ms and 700 ms between requests: slower than the server’s minimum, so no GOAWAY comes.',
};
