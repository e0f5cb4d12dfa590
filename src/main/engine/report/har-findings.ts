/**
 * A HAR report's findings, each said from the file's own data: which entry reused which
 * connection, which entry set one up and why, which connections were open before the file began,
 * who waited for a free connection. "Try next" fits a HAR: what to look at in the browser's
 * DevTools or in the file, or the lab experiment that reproduces what the file shows, said as such
 * (the lab's knobs are not the reader's to turn on someone else's page load).
 */
import { listWords } from '@shared/connection-cause';
import { connectionLimitWords, HAR_CAUSE_WORDS, type HarCause } from '@shared/har-cause';
import type { HarConnectionFacts } from '@shared/har-report-facts';
import type { SessionFigures } from '@shared/report-model';
import { plural } from '@shared/counting';
import { handshakeMsText } from '@shared/tls-handshake';
import { poolWaits } from '@shared/pool-waits';
import type { TraceEvent } from '@shared/trace';
import type { FindingDetail } from './finding-details';
import { connectText, factsById, openedInFile, type HarRun } from './har-report';

type Ended = Extract<TraceEvent, { kind: 'request-ended' }>;

function finding(
  kind: string,
  title: string,
  texts: { whatYouSee: string; whyConcluded: string; tryNext: string },
  seenHere: string,
): FindingDetail {
  return { explanation: { kind, title, ...texts, missing: [] }, seenHere };
}

/** "#12 GET /data/github-stats.json" by request id (the entry's number and what it asked for). */
function labels(run: HarRun): Map<string, string> {
  const found = new Map<string, string>();
  for (const event of run.session.events) if (event.kind === 'request-started') found.set(event.request, event.label ?? event.request);
  return found;
}

/** A connection as the Connections table names it ("#22269 h1 example.com", "inferred-1 h3 example.com (inferred)"). */
function labelOf(run: HarRun, id: string): string {
  return run.session.connections.find((connection) => connection.id === id)?.label ?? id;
}

/** A cause detail as a sentence of its own ("the only other connection …" → "The only other connection …"). */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function endedEvents(run: HarRun): Ended[] {
  return run.session.events.filter((event): event is Ended => event.kind === 'request-ended');
}

function connectWords(ended: Ended): string {
  const connectUs = ended.timings.connectUs;
  return connectUs === null
    ? 'has no connect time (-1)'
    : `has a connect time of ${connectUs === 0 ? '0' : handshakeMsText(connectUs / 1000)} ms`;
}

/**
 * The entries a connection carried in the order they started (startedDateTime: a bar starts after
 * the entry's blocked time), ties in file order, as the importer orders them: on h2 and h3 a later
 * entry may end first.
 */
function entriesInStartOrder(run: HarRun, conn: string | undefined): Ended[] {
  const onConnection = new Map(
    run.session.events.flatMap((event) => (event.kind === 'request-started' ? [[event.request, event.t] as const] : [])),
  );
  const startOf = (event: Ended) => (onConnection.get(event.request) ?? event.t) - (event.timings.queuedUs ?? 0);
  const entryIndex = (event: Ended) => Number(event.request.slice(1)); // "e12"
  return endedEvents(run)
    .filter((event) => event.conn === conn)
    .sort((left, right) => startOf(left) - startOf(right) || entryIndex(left) - entryIndex(right));
}

function reuseFinding(run: HarRun, figures: SessionFigures, names: Map<string, string>): FindingDetail {
  const busiest = [...figures.perConnection].sort((left, right) => right.reusedRequests - left.reusedRequests)[0];
  const onBusiest = entriesInStartOrder(run, busiest?.id);
  const last = onBusiest.at(-1);
  const earlier = onBusiest.slice(0, -1).map((event) => (names.get(event.request) ?? event.request).split(' ')[0] ?? event.request);
  const shownEarlier = earlier.length > 6 ? [...earlier.slice(0, 5), `${earlier.length - 5} more`] : earlier;
  const how =
    factsById(run.facts).get(busiest?.id ?? '')?.inferred === false
      ? 'the file records the same connection for them'
      : 'the tool put them on it from the origin, the server address and the timings (the file records no connection id)';
  const why = last
    ? `Entry ${names.get(last.request) ?? last.request} ran on ${busiest?.label ?? busiest?.id}, which ${plural(earlier.length, 'earlier entry', 'earlier entries')} (${listWords(shownEarlier)}) had used; it ${connectWords(last)}, and ${how}.`
    : 'No entry ran on a connection an earlier one had used.';
  return finding(
    'har-connection-reused',
    'Connections reused (HTTP keep-alive)',
    {
      whatYouSee: 'Entries sent on a connection an earlier entry of the file had used: they paid no connect or TLS time of their own.',
      whyConcluded: why,
      tryNext:
        'In the browser: DevTools’ Network panel shows no “Initial connection” or “SSL” phase in these entries’ Timing (Chrome and Edge: add the “Connection ID” column to see which requests shared one). In the lab, keepalive-lab http --preset drained-body reproduces it: 10 requests on one kept-alive connection.',
    },
    `${plural(figures.reusedRequests, 'request')} of ${figures.requests.toLocaleString('en-US')} on the network reused a connection: ${plural(figures.reusedRequests, 'set-up')} (connect and TLS) not paid.`,
  );
}

function causeCounts(opened: readonly HarConnectionFacts[]): string {
  const counts = new Map<HarCause, number>();
  for (const connection of opened) if (connection.cause) counts.set(connection.cause, (counts.get(connection.cause) ?? 0) + 1);
  return listWords([...counts].map(([cause, count]) => `${count} ${HAR_CAUSE_WORDS[cause].label}`));
}

function openedTryNext(opened: readonly HarConnectionFacts[]): string {
  const advice: string[] = [];
  const busy = opened.filter((connection) => connection.cause === 'all-busy').length;
  const idle = opened.filter((connection) => connection.cause === 'unexplained' || connection.cause === 'closed-by-server').length;
  if (busy > 0)
    advice.push(
      `${plural(busy, 'connection was', 'connections were')} opened because every other one to the origin was busy: an HTTP/1.1 connection carries one request at a time, so served over HTTP/2 those requests could share one. In the lab, keepalive-lab http --requests 6 --concurrency 3 reproduces it: a client opening a connection per request in flight.`,
    );
  if (idle > 0)
    advice.push(
      `${plural(idle, 'connection was', 'connections were')} opened while another to the origin sat idle: in the browser, look at the idle one’s last response headers (“Connection: close”, “Keep-Alive: timeout=…”) and whether the new one carried requests without credentials (fonts, CORS fetches).`,
    );
  if (advice.length === 0)
    advice.push(
      'Each was the first to its origin, which every page load pays: nothing to reuse yet. In DevTools, the entry’s Timing shows the same set-up as “Initial connection” and “SSL”.',
    );
  return advice.join(' ');
}

function openedFinding(run: HarRun, figures: SessionFigures): FindingDetail {
  const opened = openedInFile(run.facts);
  const byId = factsById(run.facts);
  const first = figures.perConnection
    .map((connection) => byId.get(connection.id))
    .find((facts) => facts !== undefined && facts.openedBy !== null);
  const quic = opened.some((connection) => connection.httpVersion === 'h3');
  const tcp = opened.some((connection) => connection.httpVersion !== 'h3');
  const tls = opened.some((connection) => connection.httpVersion !== 'h3' && connection.tlsMs !== null);
  const setUp = [
    tcp ? `a TCP connect (SYN, SYN-ACK, ACK)${tls ? ', then over HTTPS a TLS handshake' : ''}` : '',
    quic ? 'for HTTP/3 a QUIC handshake over UDP, with TLS inside it' : '',
  ]
    .filter(Boolean)
    .join('; ');
  const before = run.facts.connections.length - opened.length;
  return finding(
    'har-new-connection',
    'Connections opened in the file',
    {
      whatYouSee: `An entry whose timings show a connection being set up (connect above 0): ${setUp}, before its request could go.`,
      whyConcluded: first
        ? `Entry #${first.openedBy} set up ${labelOf(run, first.id)}, connect ${connectText(first)}. ${sentence(first.causeDetail ?? '')}`.trim()
        : 'No entry set up a connection.',
      tryNext: openedTryNext(opened),
    },
    `${plural(opened.length, 'connection')} opened in the file for ${plural(figures.requests, 'request')} on the network (why: ${causeCounts(opened)})${before > 0 ? `; ${plural(before, 'more was', 'more were')} set up before it` : ''}.`,
  );
}

function setUpBeforeFinding(run: HarRun): FindingDetail {
  const before = run.facts.connections.filter((connection) => connection.openedBy === null);
  const names = before.map((connection) => labelOf(run, connection.id));
  return finding(
    'har-set-up-before',
    'Connections set up before the file',
    {
      whatYouSee:
        'A connection whose first entry in the file set nothing up: it was already open when the recording began, or the browser did not record its set-up.',
      whyConcluded: before[0]?.causeDetail ?? '',
      tryNext:
        'In the browser: open DevTools’ Network panel before loading the page (with “Disable cache” ticked) and save the HAR again: every connection’s set-up is then in the file.',
    },
    `${plural(before.length, 'connection')}: ${listWords(names.length > 6 ? [...names.slice(0, 5), `${names.length - 5} more`] : names)}.`,
  );
}

function poolWaitFinding(run: HarRun, names: Map<string, string>): FindingDetail {
  const waits = poolWaits(run.session);
  const longest = endedEvents(run)
    .filter((event) => event.waitedForPoolUs !== undefined)
    .sort((left, right) => (right.waitedForPoolUs ?? 0) - (left.waitedForPoolUs ?? 0))[0];
  const limit = connectionLimitWords(run.facts.connectionLimit);
  return finding(
    'har-pool-wait',
    'Waited for a free connection',
    {
      whatYouSee:
        'An entry that queued (its blocked time) because every connection allowed to its origin was carrying a request: it went out only when one of them finished.',
      whyConcluded: longest
        ? `Entry ${names.get(longest.request) ?? longest.request} waited ${Math.round((longest.waitedForPoolUs ?? 0) / 1000)} ms, then went on ${longest.conn === undefined ? 'a connection' : labelOf(run, longest.conn)} (${limit}).`
        : `Entries waited (${limit}).`,
      tryNext:
        'In the browser: these entries show a long “Queueing” or “Stalled” phase in DevTools’ Timing; over HTTP/2 the origin would carry them at once. In the lab, keepalive-lab http --preset queued-above-max-sockets reproduces it, with the agent’s maxSockets as the limit.',
    },
    `${plural(waits.requests, 'request')} waited, the longest ${waits.longestMs ?? '?'} ms.`,
  );
}

export function harFindingDetails(run: HarRun, figures: SessionFigures): FindingDetail[] {
  const names = labels(run);
  const details: FindingDetail[] = [];
  if (figures.reusedRequests > 0) details.push(reuseFinding(run, figures, names));
  if (openedInFile(run.facts).length > 0) details.push(openedFinding(run, figures));
  if (run.facts.connections.some((connection) => connection.openedBy === null)) details.push(setUpBeforeFinding(run));
  if (figures.poolWaits > 0) details.push(poolWaitFinding(run, names));
  return details;
}
