import type { LessonInput } from '../lesson';

/**
 * The server's idle timeout in this lesson, ms; the client waits longer between requests. On a timer the
 * server's FIN would reach the client first (Node's http.Agent then drops the socket and dials again). The
 * race needs the close to cross the request in flight (Node docs, `request.reusedSocket`; RFC 9112 §9.3.1: a
 * connection can close at any time, and a client may retry an idempotent request). On loopback a pause within
 * 5 ms of the 300 ms timeout failed 8 of 20 runs and a 400 ms pause 0 of 4 (runHttpLoop, 2 requests, staleRace
 * off, pauses 280–400 ms 4 times each): too rare to show on every run, so the lab's server closes when the
 * request arrives.
 */
const SERVER_IDLE_MS = 300;

export const staleRace: LessonInput = {
  id: 'stale-race',
  title: 'The stale keep-alive race',
  kind: 'http-lab',
  question:
    'The server’s idle timeout fires just as the client sends its next request on the kept connection: the server’s FIN and the request cross on the wire. What happens to that request?',
  setup:
    'Node’s http.Agent, 3 requests 400 ms apart, against the lab’s server with a 300 ms keep-alive timeout. A close on a timer would reach the client 100 ms before the next request, so here the lab’s server closes at the moment the request arrives: the crossing, on every run. Run B gives the client a 200 ms idle timeout.',
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
    'The client still had the connection in its free list and sent the request on it; the server closed it without answering: {a.errors} of {a.requests} requests failed with “socket hang up” (ECONNRESET), and the next one needed a new connection ({a.connectionsOpened} in all). Neither side did anything wrong: the FIN and the request crossed, which happens when the timeout fires while a request is in flight, so a loopback run rarely hits it by chance. Had the FIN arrived first, the agent would have dropped the connection and quietly dialled a new one (the Node docs, request.reusedSocket). With a client idle timeout of 200 ms, below the server’s 300 ms, the client closed its idle connection first and dialled a fresh one for each later request: {b.errors} failed, {b.connectionsOpened} connections, one per request, as intended. Keep the client’s idle timeout below the server’s keep-alive timeout, or retry once when a reused connection is reset.',
  tryChanging:
    'In the Lab, set the server’s “Stale-connection race” to off, timeout 300 ms: with a 400 ms pause the FIN comes first and the client redials with no error; with a 300 ms pause the request lands as the timer fires and fails in some runs.',
};
