/**
 * The engine's capture contract (`src/shared/api-capture.ts`) → the view's shapes
 * (`capture-model.ts`). Pure, so the mapping is tested without a browser.
 */
import { applicationText } from '@shared/application-text';
import type { CaptureStream, CaptureSummary, PacketRow as ContractPacketRow } from '@shared/api-capture';
import { tcpFlagNames } from '@shared/tcp-header-flags';
import type { CaptureOverview, PacketListRow, StreamRow } from './capture-model';

const LINK_TYPE_WORDS: Readonly<Record<string, string>> = {
  ETHERNET: 'Ethernet',
  LINUX_SLL: 'Linux cooked',
  LINUX_SLL2: 'Linux cooked v2',
  NULL: 'BSD loopback',
  LOOP: 'BSD loopback',
  RAW: 'raw IP',
  IPV4: 'raw IPv4',
  IPV6: 'raw IPv6',
};

export function toOverview(summary: CaptureSummary, fileName: string): CaptureOverview {
  // a windowed summary (capture.open's streamWindow) carries the sums over every stream; an older one, every stream
  const totals = summary.streamTotals ?? {
    httpRequests: summary.streams.reduce((sum, stream) => sum + stream.httpRequests, 0),
    httpPartialRequests: summary.streams.reduce((sum, stream) => sum + (stream.httpPartialRequests ?? 0), 0),
    reusedStreams: summary.streams.filter((stream) => stream.httpRequests > 1).length,
  };
  const tlsStreams = totals.tlsStreams ?? summary.streams.filter((stream) => stream.tls).length;
  return {
    captureId: summary.captureId,
    fileName,
    format: summary.format,
    linkTypes: summary.linkTypes.map((name) => LINK_TYPE_WORDS[name] ?? name),
    packets: summary.packets,
    tcpPackets: summary.tcpSegments,
    streams: summary.streamCount ?? summary.streams.length,
    durationS: summary.duration,
    firstTimeS: summary.startTime,
    flagCounts: summary.flagCounts,
    httpRequests: totals.httpRequests,
    httpPartialRequests: totals.httpPartialRequests,
    reusedStreams: totals.reusedStreams,
    tlsStreams,
    // read problems first (they change what the numbers mean), then how the capture was taken
    warnings: [...summary.warnings, ...summary.hints.map((hint) => hint.message)],
    timeGroups: summary.timeGroups ?? [],
  };
}

export function toStreamRow(stream: CaptureStream, startTime: number): StreamRow {
  return {
    stream: stream.stream,
    a: stream.a,
    b: stream.b,
    firstFrame: stream.firstFrame,
    lastFrame: stream.lastFrame,
    // negative for a stream before frame 1 (a time group earlier than frame 1's, a clock that went back): its lane stays in its group
    startS: stream.firstTime - startTime,
    endS: stream.lastTime - startTime,
    packets: stream.packets,
    end: stream.end,
    httpRequests: stream.httpRequests,
    keepAlives: stream.keepAlives,
    keepAliveAcks: stream.keepAliveAcks,
    keepaliveIdleS: stream.keepalive?.idleSeconds ?? null,
    keepaliveIntervalS: stream.keepalive?.intervalSeconds ?? null,
    keepaliveProbes: stream.keepalive?.probesBeforeGiveUp ?? null,
    duplicateProbesIgnored: stream.duplicateProbesIgnored ?? 0,
    synSeen: stream.synSeen,
    ...(stream.httpPartialRequests ? { httpPartialRequests: stream.httpPartialRequests } : {}),
    application: applicationText(stream),
  };
}

/** `streams`: the rows the page holds (a Map, or the bounded cache of open-capture.ts). */
export function toPacketRow(row: ContractPacketRow, streams: { get(stream: number): StreamRow | undefined }): PacketListRow {
  const stream = row.stream === null ? undefined : streams.get(row.stream);
  const nearMiss = row.reasons.find((reason) => reason.flag === 'near-miss');
  return {
    frame: row.frame,
    timeS: row.time,
    stream: row.stream,
    endpoints: stream ? `${stream.a} ⇄ ${stream.b}` : '—',
    tcpFlags: tcpFlagNames(row.tcpFlags),
    payload: row.payload,
    flags: [...row.flags],
    reasons: row.reasons
      .filter((reason) => reason.flag !== 'near-miss')
      .map((reason) => ({ flag: reason.flag, text: reason.text, values: reason.values })),
    nearMiss: nearMiss ? { title: nearMissTitle(nearMiss.text), text: nearMiss.text } : null,
    info: row.info ?? '',
    http: row.http ?? null,
  };
}

/** The heading of a near-miss: the engine's sentence says whether it is ruled out, likely, or not judged. */
export function nearMissTitle(text: string): string {
  if (text.startsWith('likely')) return 'Probably a keep-alive probe or its ACK';
  if (text.startsWith('not judged')) return 'Keep-alive not judged';
  return 'Not a keep-alive probe';
}
