import type { LessonInput } from '../lesson';

/**
 * Both runs send their two requests one after the other, so the first connection is free for the second
 * request unless its response is still held: the only difference between A and B is the unread body.
 * (Two requests sent at the same moment would need two connections whatever the client does with the bodies.)
 */
export const twoHeldOpen: LessonInput = {
  id: 'two-held-open',
  title: 'Two responses held open',
  kind: 'http-lab',
  question:
    'Two requests, one after the other; the program keeps each response open and never reads its body. How many connections are open at once?',
  setup:
    'Node’s http.Agent with keep-alive on, against the lab’s server. Both runs send request 2 after request 1’s answer has arrived. Run A reads each body to the end; run B never reads them (Response body “ignore — never read it”).',
  choices: [
    { id: 'one', label: '1 — keep-alive shares it', when: [{ metric: 'b.maxOpen', max: 1 }] },
    { id: 'two', label: '2 — one per open response', when: [{ metric: 'b.maxOpen', min: 2 }] },
  ],
  expected: 'two',
  experiment: {
    kind: 'http-compare',
    a: { title: 'Bodies read to the end', config: { requests: 2, concurrency: 1, body: 'drain' } },
    b: { title: 'Bodies never read', config: { requests: 2, concurrency: 1, body: 'ignore' } },
  },
  runs: 'Runs the two requests with the bodies read, then with the bodies never read (under a second).',
  figures: [
    { metric: 'a.connectionsOpened', label: 'Connections, bodies read (A)' },
    { metric: 'b.connectionsOpened', label: 'Connections, bodies never read (B)' },
    { metric: 'b.maxOpen', label: 'Open at the same time (B)' },
  ],
  highlight: { side: 'b', lanes: 'all' },
  explanation:
    'An HTTP/1.1 connection carries one response at a time, and a response is not done until its body has been read. In run B request 1’s body was never read, so its connection stayed busy; request 2 could not use it, and the agent opened another: {b.connectionsOpened} connections, {b.maxOpen} open at the same moment — what `lsof` or `ss` would show for the process. In run A, with each body read, the same two requests used {a.connectionsOpened} connection. Read or discard every body (`res.resume()`) and the connection is free for the next request.',
  tryChanging:
    'In the Lab, set “Requests” to 6, “Concurrency” to 3 and “Response body” to “ignore — never read it”: count the lanes, then switch the body to “drain”.',
};
