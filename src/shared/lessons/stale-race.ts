import type { LessonInput } from '../lesson';

/** The server's idle timeout in this lesson, ms; the client waits longer between requests. */
const SERVER_IDLE_MS = 300;

export const staleRace: LessonInput = {
  id: 'stale-race',
  title: 'The stale keep-alive race',
  kind: 'http-lab',
  question:
    'The server closes idle connections after 300 ms; the client waits 400 ms between requests and reuses its kept connection. What happens to the second request?',
  setup:
    'Node’s http.Agent against the lab’s server, which here closes the idle connection just as the next request arrives, so the race happens on every run. Run B gives the client an idle timeout of 200 ms.',
  choices: [
    {
      id: 'works',
      label: 'It works on the kept connection',
      when: [
        { metric: 'a.errors', max: 0 },
        { metric: 'a.connectionsOpened', max: 1 },
      ],
    },
    { id: 'fails', label: 'It fails with a reset (“socket hang up”)', when: [{ metric: 'a.errors', min: 1 }] },
    {
      id: 'reconnects',
      label: 'The client notices and quietly opens a new connection',
      when: [
        { metric: 'a.errors', max: 0 },
        { metric: 'a.connectionsOpened', min: 2 },
      ],
    },
  ],
  expected: 'fails',
  experiment: {
    kind: 'http-compare',
    a: {
      title: 'No client idle timeout',
      config: { requests: 3, intervalMs: 400, server: { keepAliveTimeoutMs: SERVER_IDLE_MS, keepAliveHint: false, staleRace: 'fin' } },
    },
    b: {
      title: 'Client idle timeout 200 ms',
      config: {
        requests: 3,
        intervalMs: 400,
        agent: { timeoutMs: 200 },
        server: { keepAliveTimeoutMs: SERVER_IDLE_MS, keepAliveHint: false, staleRace: 'fin' },
      },
    },
  },
  runs: 'Runs 3 requests 400 ms apart twice: without and with a client idle timeout (about 3 s).',
  figures: [
    { metric: 'a.errors', label: 'Failed requests, no client timeout (A)' },
    { metric: 'b.errors', label: 'Failed requests, client timeout 200 ms (B)' },
    { metric: 'b.connectionsOpened', label: 'Connections (B)' },
  ],
  highlight: { side: 'a', lanes: 'errors' },
  explanation:
    'The client still had the connection in its free list when the server closed it; the next request went out on it and got no answer: {a.errors} of {a.requests} requests failed with “socket hang up” (ECONNRESET). Neither side did anything wrong: the server’s FIN and the client’s request crossed. With a client idle timeout of 200 ms, below the server’s 300 ms, the client closed its idle connection first and dialled a fresh one for each later request: {b.errors} failed, {b.connectionsOpened} connections. Keep the client’s idle timeout below the server’s keep-alive timeout, or retry once when a reused connection is reset.',
  tryChanging:
    'In the Lab, pick the preset “The race, with a retry on reused-socket resets”: the same race, and the request still succeeds.',
};
