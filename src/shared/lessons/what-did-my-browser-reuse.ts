/**
 * Opens the bundled HAR examples/browser-page-load.har (src/shared/example-hars.ts), recorded
 * from Chromium by `npm run record:example-har`; its figures are harMetrics()
 * (src/shared/har-metrics.ts) of that file.
 */
import type { LessonInput } from '../lesson';

export const whatDidMyBrowserReuse: LessonInput = {
  id: 'what-did-my-browser-reuse',
  title: 'What did my browser reuse?',
  kind: 'capture',
  question:
    'Chromium loads a page — 13 requests: the HTML, a stylesheet, a script and ten images — from one HTTP/1.1 server that answers each after 150 ms. How many TCP connections does it open?',
  setup:
    'A page load the Keepalive Lab project recorded in Chromium from a local server: an HTML page, a stylesheet, a script and ten images from one origin, HTTP/1.1 with keep-alive, saved as a HAR file like DevTools’ “Save all as HAR”.',
  choices: [
    { id: 'one', label: '1 — everything rides the first connection', when: [{ metric: 'connections', max: 1 }] },
    { id: 'six', label: '6 — the per-host limit; the rest wait and reuse', when: [{ metric: 'connections', min: 2, max: 6 }] },
    { id: 'thirteen', label: '13 — one per request', when: [{ metric: 'connections', min: 7 }] },
  ],
  expected: 'six',
  experiment: { kind: 'har-example', exampleId: 'browser-page-load' },
  runs: 'Opens the bundled HAR “browser-page-load.har” (instant).',
  figures: [
    { metric: 'connections', label: 'TCP connections' },
    { metric: 'allBusy', label: 'Opened because all were busy' },
    { metric: 'poolWaits', label: 'Requests queued for one of the six' },
    { metric: 'reused', label: 'Requests on a reused connection' },
  ],
  highlight: { lanes: 'reused' },
  explanation:
    'The browser opened {connections} connections for {requests} requests. {allBusy} of them were opened because every connection already open was carrying a request: an HTTP/1.1 connection carries one request at a time. Chromium opens at most 6 connections per host, so {poolWaits} requests waited in its queue (the HAR’s `blocked` time) until one finished, and then reused it: {reused} requests rode a kept connection and paid no handshake. Over HTTP/2 they would all share one connection, many at once.',
  tryChanging:
    'Save a HAR of a real site from your own browser (DevTools → Network → “Save all as HAR”) and open it on the Captures page: an HTTP/2 origin shows one lane with many requests at once.',
};
