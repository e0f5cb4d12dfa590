/**
 * Chromium's Network-domain events (https://chromedevtools.github.io/devtools-protocol/tot/Network/)
 * → a HAR 1.2 log, as DevTools' HAR export computes it from ResourceTiming: every phase is an
 * offset in ms from `timing.requestTime`, -1 when it did not happen (a reused connection has no
 * dnsStart/connectStart/sslStart).
 *
 *   blocked  queued before the request reached the network (from requestWillBeSent to the first phase)
 *   dns      dnsEnd − dnsStart          connect  connectEnd − connectStart (includes ssl, as HAR says)
 *   ssl      sslEnd − sslStart          send     sendEnd − sendStart
 *   wait     receiveHeadersEnd − sendEnd
 *   receive  loadingFinished − (requestTime + receiveHeadersEnd)
 */
/** The fields of the protocol's Network events this reads (seconds for timestamps, ms offsets in ResourceTiming). */
interface RequestWillBeSent {
  requestId: string;
  /** monotonic seconds */
  timestamp: number;
  /** seconds since 1970 */
  wallTime: number;
  request: { url: string; method: string; headers: Record<string, string> };
}
interface ResourceTiming {
  /** monotonic seconds the phases below are offsets from (ms) */
  requestTime: number;
  dnsStart: number;
  dnsEnd: number;
  connectStart: number;
  connectEnd: number;
  sslStart: number;
  sslEnd: number;
  sendStart: number;
  sendEnd: number;
  receiveHeadersEnd: number;
}
interface ResponseReceived {
  requestId: string;
  response: {
    status: number;
    statusText: string;
    headers: Record<string, string>;
    mimeType: string;
    protocol?: string;
    remoteIPAddress?: string;
    connectionId: number;
    connectionReused: boolean;
    timing?: ResourceTiming;
  };
}
interface LoadingFinished {
  requestId: string;
  /** monotonic seconds */
  timestamp: number;
  encodedDataLength: number;
}

export interface NetworkEvents {
  sent: RequestWillBeSent[];
  responses: ResponseReceived[];
  finished: LoadingFinished[];
  failed: unknown[];
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
const span = (start: number, end: number) => (start >= 0 && end >= 0 ? round(end - start) : -1);

function headers(values: Record<string, string>): Array<{ name: string; value: string }> {
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}

export function harFromNetworkEvents(events: NetworkEvents, meta: { browserVersion: string; title: string }) {
  const responses = new Map(events.responses.map((event) => [event.requestId, event]));
  const finished = new Map(events.finished.map((event) => [event.requestId, event]));
  const first = events.sent[0];
  const pageId = 'page_1';
  const entries = events.sent.flatMap((sent) => {
    const received = responses.get(sent.requestId);
    const done = finished.get(sent.requestId);
    const timing = received?.response.timing;
    if (!received || !timing || !done) return [];
    const queuedMs = (timing.requestTime - sent.timestamp) * 1000;
    const firstPhase = [timing.dnsStart, timing.connectStart, timing.sendStart].find((value) => value >= 0) ?? 0;
    const timings = {
      blocked: round(Math.max(0, queuedMs + firstPhase)),
      dns: span(timing.dnsStart, timing.dnsEnd),
      connect: span(timing.connectStart, timing.connectEnd),
      ssl: span(timing.sslStart, timing.sslEnd),
      send: round(Math.max(0, timing.sendEnd - timing.sendStart)),
      wait: round(Math.max(0, timing.receiveHeadersEnd - timing.sendEnd)),
      receive: round(Math.max(0, done.timestamp * 1000 - (timing.requestTime * 1000 + timing.receiveHeadersEnd))),
    };
    const time = round(
      timings.blocked + Math.max(0, timings.dns) + Math.max(0, timings.connect) + timings.send + timings.wait + timings.receive,
    );
    const response = received.response;
    return [
      {
        pageref: pageId,
        startedDateTime: new Date(sent.wallTime * 1000).toISOString(),
        time,
        request: {
          method: sent.request.method,
          url: sent.request.url,
          httpVersion: response.protocol ?? '',
          cookies: [],
          headers: headers(sent.request.headers),
          queryString: [],
          headersSize: -1,
          bodySize: 0,
        },
        response: {
          status: response.status,
          statusText: response.statusText,
          httpVersion: response.protocol ?? '',
          cookies: [],
          headers: headers(response.headers),
          content: { size: done.encodedDataLength, mimeType: response.mimeType },
          redirectURL: '',
          headersSize: -1,
          bodySize: -1,
        },
        cache: {},
        timings,
        serverIPAddress: response.remoteIPAddress ?? '',
        connection: String(response.connectionId),
        _connectionReused: response.connectionReused,
      },
    ];
  });
  return {
    log: {
      version: '1.2',
      creator: { name: 'Keepalive Lab recorder (Chromium DevTools protocol)', version: '1' },
      browser: { name: 'Chromium', version: meta.browserVersion },
      pages: first
        ? [{ startedDateTime: new Date(first.wallTime * 1000).toISOString(), id: pageId, title: meta.title, pageTimings: {} }]
        : [],
      entries,
    },
  };
}
