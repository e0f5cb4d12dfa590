import type { LessonInput } from '../lesson';

export const readingACapture: LessonInput = {
  id: 'reading-a-capture',
  title: 'Reading a capture: probes and reused connections',
  kind: 'capture',
  question: 'This capture holds 3 HTTP requests sent 3 s apart. How many TCP connections carried them?',
  setup:
    'A capture the lab recorded with tcpdump on this machine’s loopback: an HTTP client with keep-alive and TCP keepalive on (idle 1 s).',
  choices: [
    { id: 'one', label: '1 — all three on one kept connection', when: [{ metric: 'streams', max: 1 }] },
    { id: 'two', label: '2', when: [{ metric: 'streams', min: 2, max: 2 }] },
    { id: 'three', label: '3 — the idle gaps closed it each time', when: [{ metric: 'streams', min: 3 }] },
  ],
  expected: 'one',
  experiment: { kind: 'example', exampleId: 'http-idle-gaps' },
  runs: 'Opens the example capture “HTTP requests with idle gaps” (instant).',
  figures: [
    { metric: 'streams', label: 'TCP connections (streams)' },
    { metric: 'httpRequests', label: 'HTTP requests' },
    { metric: 'streamsReused', label: 'Connections carrying more than one request' },
    { metric: 'keepAlives', label: 'Keep-alive probes' },
  ],
  highlight: { lanes: 'none', frames: 'keep_alive' },
  explanation:
    'The capture has {streams} TCP stream carrying {httpRequests} HTTP requests: one handshake, then every request on the same connection. A reused connection is a stream with more than one request ({streamsReused} here). In the idle gaps the client’s kernel sent {keepAlives} keep-alive probes and the server answered {keepAliveAcks}; they are listed below. In Wireshark, the filter `tcp.analysis.keep_alive` finds the probes, and `tcp.stream` tells the connections apart.',
  tryChanging: 'On the Captures page, open the example “Ignored bodies: 10 requests on 10 connections” and count its streams.',
};
