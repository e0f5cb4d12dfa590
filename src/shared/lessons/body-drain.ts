import type { LessonInput } from '../lesson';

export const bodyDrain: LessonInput = {
  id: 'body-drain',
  title: 'Why an unread body costs a connection',
  kind: 'http-lab',
  question: '10 requests, one after the other, and the program never reads the response bodies. How many TCP connections does it open?',
  setup:
    'Node’s http.Agent with keep-alive on, against the lab’s own server on this machine. Run A reads every body to the end; run B ignores them.',
  choices: [
    { id: 'one', label: '1 — keep-alive reuses the connection', when: [{ metric: 'b.connectionsOpened', max: 1 }] },
    { id: 'a-few', label: '2 to 9', when: [{ metric: 'b.connectionsOpened', min: 2, max: 9 }] },
    { id: 'ten', label: '10 — one per request', when: [{ metric: 'b.connectionsOpened', min: 10 }] },
  ],
  expected: 'ten',
  experiment: {
    kind: 'http-compare',
    a: { title: 'Bodies read to the end', config: { requests: 10, body: 'drain' } },
    b: { title: 'Bodies never read', config: { requests: 10, body: 'ignore' } },
  },
  runs: 'Runs 10 requests with the bodies read, then 10 with the bodies ignored (about a second).',
  figures: [
    { metric: 'a.connectionsOpened', label: 'Connections, bodies read (A)' },
    { metric: 'b.connectionsOpened', label: 'Connections, bodies ignored (B)' },
    { metric: 'b.openAtEnd', label: 'Still open after the last request (B)' },
  ],
  highlight: { side: 'b', lanes: 'all' },
  explanation:
    'With every body read to the end, {a.requests} requests used {a.connectionsOpened} connection and {a.reused} of them reused it. With the bodies ignored, the same {b.requests} requests opened {b.connectionsOpened} connections, and {b.openAtEnd} were still open after the last request. A connection carries one response at a time: until its body has been read, the agent cannot hand the socket to the next request, so it dials a new one. Read or discard every body (`res.resume()` in Node, `await body.dump()` in undici) and one connection serves them all.',
  tryChanging:
    'In the Lab, set “Response body” to “destroy”: the socket is thrown away instead of kept, so each request pays a handshake again — compare the connection count.',
};
