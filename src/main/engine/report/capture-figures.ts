/** Headline figures of an analysed capture, shared by the HTML, Markdown and JSON reports. */
import { explainKindForFlag, type ExplainKind } from '@shared/explain';
import type { CaptureFigures, ReportCapture, ReportStream } from '@shared/report-model';
import { plural } from './session-figures';

export function summarizeCapture(capture: ReportCapture): CaptureFigures {
  let httpRequests = 0;
  let reusedRequests = 0;
  let keepAlives = 0;
  let keepAliveAcks = 0;
  let streamsWithProbes = 0;
  let streamsWithRequests = 0;
  let endedFin = 0;
  let endedRst = 0;
  let stillOpen = 0;
  let partialRequests = 0;
  for (const stream of capture.streams) {
    httpRequests += stream.httpRequests;
    partialRequests += stream.httpPartialRequests ?? 0;
    reusedRequests += Math.max(0, stream.httpRequests - 1);
    if (stream.httpRequests > 0) streamsWithRequests += 1;
    keepAlives += stream.keepAlives;
    keepAliveAcks += stream.keepAliveAcks;
    if (stream.keepAlives > 0) streamsWithProbes += 1;
    if (stream.end === 'fin') endedFin += 1;
    else if (stream.end === 'rst') endedRst += 1;
    else stillOpen += 1;
  }
  const parts = [`${plural(capture.packets, 'packet')} on ${plural(capture.streams.length, 'connection')}`];
  if (keepAlives > 0) parts.push(`${plural(keepAlives, 'keep-alive probe')} on ${plural(streamsWithProbes, 'connection')}`);
  if (httpRequests > 0)
    parts.push(
      `${plural(httpRequests, 'HTTP request')} on ${plural(streamsWithRequests, 'connection')}, ${reusedRequests.toLocaleString('en-US')} reused`,
    );
  if (partialRequests > 0)
    parts.push(`${plural(partialRequests, 'more request')} seen in part (bytes not all captured, not counted, as in tshark)`);
  return {
    file: capture.file,
    packets: capture.packets,
    streams: capture.streams.length,
    httpRequests,
    reusedRequests,
    keepAlives,
    keepAliveAcks,
    streamsWithProbes,
    endedFin,
    endedRst,
    stillOpen,
    headline: parts.join('; '),
  };
}

/**
 * The streams a table lists when there are too many to show: the most
 * instructive first (probes, then requests, then packets), then by index.
 */
export function pickStreams(streams: readonly ReportStream[], limit: number): ReportStream[] {
  if (streams.length <= limit) return [...streams];
  return [...streams]
    .sort(
      (left, right) =>
        right.keepAlives - left.keepAlives ||
        right.httpRequests - left.httpRequests ||
        right.packets - left.packets ||
        left.stream - right.stream,
    )
    .slice(0, limit)
    .sort((left, right) => left.stream - right.stream);
}

/** The time the streams cover, seconds since 1970; null without streams. */
/** Whether a stream has packets in `group` (a ReportCapture's mainGroup); every stream is, without one. */
export function inTimeGroup(stream: ReportStream, group: ReportCapture['mainGroup']): boolean {
  return !group || (stream.lastTime >= group.startS && stream.firstTime <= group.endS);
}

export function captureSpanS(streams: readonly ReportStream[]): { startS: number; endS: number } | null {
  if (streams.length === 0) return null;
  let startS = Infinity;
  let endS = -Infinity;
  for (const stream of streams) {
    startS = Math.min(startS, stream.firstTime);
    endS = Math.max(endS, stream.lastTime);
  }
  return { startS, endS };
}

/**
 * The findings a capture's figures call for, for whoever maps an analysis into
 * a ReportCapture: one per analysis flag seen (in tshark's flag order), then
 * reuse when a stream carried several HTTP requests, then RST ends. Pass
 * `startedMidConnection` when some stream's first segment was not a SYN.
 */
export function captureFindings(capture: Pick<ReportCapture, 'flagCounts' | 'streams'>, startedMidConnection = false): ExplainKind[] {
  const found = new Set<ExplainKind>();
  for (const [flag, frames] of Object.entries(capture.flagCounts)) {
    const kind = explainKindForFlag(flag);
    if (kind !== null && frames > 0) found.add(kind);
  }
  if (capture.streams.some((stream) => stream.httpRequests > 1)) found.add('connection-reused');
  if (capture.streams.some((stream) => stream.end === 'rst')) found.add('fin-vs-rst');
  if (startedMidConnection) found.add('capture-mid-connection');
  return [...found];
}
