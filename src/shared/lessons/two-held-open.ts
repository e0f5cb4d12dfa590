import type { LessonInput } from '../lesson';

export const twoHeldOpen: LessonInput = {
  id: 'two-held-open',
  title: 'Two responses held open',
  kind: 'http-lab',
  question: 'Two requests are sent at the same time and both responses are still being read. How many connections are open at once?',
  setup:
    'Node’s http.Agent with keep-alive on. Run A sends the two requests one after the other; run B sends both at once and holds both bodies open.',
  choices: [
    { id: 'one', label: '1 — keep-alive shares it', when: [{ metric: 'b.maxOpen', max: 1 }] },
    { id: 'two', label: '2 — one per open response', when: [{ metric: 'b.maxOpen', min: 2 }] },
  ],
  expected: 'two',
  experiment: {
    kind: 'http-compare',
    a: { title: 'One after the other, bodies read', config: { requests: 2, concurrency: 1, body: 'drain' } },
    b: { title: 'Both at once, bodies held open', config: { requests: 2, concurrency: 2, body: 'ignore' } },
  },
  runs: 'Runs the two requests one after the other, then both at once (under a second).',
  figures: [
    { metric: 'a.connectionsOpened', label: 'Connections, one after the other (A)' },
    { metric: 'b.connectionsOpened', label: 'Connections, both held open (B)' },
    { metric: 'b.maxOpen', label: 'Open at the same time (B)' },
  ],
  highlight: { side: 'b', lanes: 'all' },
  explanation:
    'An HTTP/1.1 connection carries one request and its response at a time. While request 1’s body was still open, request 2 could not use that connection, so the agent opened another: {b.connectionsOpened} connections, {b.maxOpen} open at the same moment — what `lsof` or `ss` would show for the process. Sent one after the other with the bodies read, the same two requests used {a.connectionsOpened}.',
  tryChanging: 'In the Lab, set “Requests” to 6 and “Concurrency” to 3 with the bodies held: count the lanes.',
};
