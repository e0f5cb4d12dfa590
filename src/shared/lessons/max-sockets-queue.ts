import type { LessonInput } from '../lesson';

export const maxSocketsQueue: LessonInput = {
  id: 'max-sockets-queue',
  title: 'More requests than maxSockets',
  kind: 'http-lab',
  question: '12 requests, 6 at a time, with maxSockets set to 2. How many connections does the agent open?',
  setup:
    'Node’s http.Agent with keep-alive on; the server waits 50 ms before each answer so that requests overlap. Run A has no limit, run B has maxSockets 2.',
  choices: [
    { id: 'two', label: '2 — the others wait', when: [{ metric: 'b.connectionsOpened', max: 2 }] },
    { id: 'six', label: '6 — one per request in flight', when: [{ metric: 'b.connectionsOpened', min: 3, max: 6 }] },
    { id: 'twelve', label: '12 — one per request', when: [{ metric: 'b.connectionsOpened', min: 7 }] },
  ],
  expected: 'two',
  experiment: {
    kind: 'http-compare',
    a: { title: 'maxSockets unlimited', config: { requests: 12, concurrency: 6, server: { headersDelayMs: 50 } } },
    b: { title: 'maxSockets 2', config: { requests: 12, concurrency: 6, agent: { maxSockets: 2 }, server: { headersDelayMs: 50 } } },
  },
  runs: 'Runs 12 requests, 6 at a time, without a limit and then with maxSockets 2 (about a second).',
  figures: [
    { metric: 'a.connectionsOpened', label: 'Connections, no limit (A)' },
    { metric: 'b.connectionsOpened', label: 'Connections, maxSockets 2 (B)' },
    { metric: 'b.maxQueuedMs', label: 'Longest wait for a socket (B)', unit: 'ms' },
  ],
  highlight: { side: 'b', lanes: 'all' },
  explanation:
    'maxSockets caps the connections to one host: with 2, the agent opened {b.connectionsOpened} connections and the other requests waited in its queue until one was free — the longest wait was {b.maxQueuedMs} ms. Without the cap the same load opened {a.connectionsOpened}. Nothing fails: the wait shows up as the request’s queued time, which from outside looks like a slow server.',
  tryChanging: 'In the Lab, raise the server’s “Delay before headers” to 200 ms with maxSockets 2 and watch the queued time grow.',
};
