import type { LessonInput } from '../lesson';

export const keepaliveOff: LessonInput = {
  id: 'keepalive-off',
  title: 'Keep-alive off',
  kind: 'http-lab',
  question: 'The client turns HTTP keep-alive off and sends 10 requests, one after the other, reading every body. How many connections?',
  setup: 'Node’s http.Agent against the lab’s server. Run A has keepAlive on, run B has keepAlive false.',
  choices: [
    { id: 'one', label: '1 — the bodies were read, so it is reused', when: [{ metric: 'b.connectionsOpened', max: 1 }] },
    { id: 'a-few', label: '2 to 9', when: [{ metric: 'b.connectionsOpened', min: 2, max: 9 }] },
    { id: 'ten', label: '10 — a new connection per request', when: [{ metric: 'b.connectionsOpened', min: 10 }] },
  ],
  expected: 'ten',
  experiment: {
    kind: 'http-compare',
    a: { title: 'Keep-alive on', config: { requests: 10, agent: { keepAlive: true } } },
    b: { title: 'Keep-alive off', config: { requests: 10, agent: { keepAlive: false } } },
  },
  runs: 'Runs 10 requests with keep-alive on, then 10 with it off (about a second).',
  figures: [
    { metric: 'a.connectionsOpened', label: 'Connections, keep-alive on (A)' },
    { metric: 'b.connectionsOpened', label: 'Connections, keep-alive off (B)' },
    { metric: 'b.openAtEnd', label: 'Still open after the last request (B)' },
  ],
  highlight: { side: 'b', lanes: 'all' },
  explanation:
    'With keep-alive on, {a.requests} requests shared {a.connectionsOpened} connection. With `keepAlive: false` the request says `Connection: close` and the connection is closed after its response, so {b.requests} requests opened {b.connectionsOpened} connections, each with its own three-way handshake. Reading the body no longer matters: nothing is kept to reuse, and {b.openAtEnd} connections were left open at the end. On a network with a 50 ms round trip, each of those handshakes adds 50 ms before the request can even be sent.',
  tryChanging:
    'In the Lab, keep keep-alive on and set “Connection: close every Nth response” to 1: now the server, not the client, closes after each response — count the connections again.',
};
