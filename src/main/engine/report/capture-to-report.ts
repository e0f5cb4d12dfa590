/** An analysed capture's summary (capture.open) → the part of a report that describes it. */
import type { CaptureSummary } from '@shared/api-capture';
import type { ReportCapture } from '@shared/report-model';
import { mainGroup } from '../capture/time-groups';
import { captureFindings } from './capture-figures';

export function captureSummaryToReport(summary: CaptureSummary): ReportCapture {
  const streams = summary.streams.map((s) => ({
    stream: s.stream,
    a: s.a,
    b: s.b,
    firstTime: s.firstTime,
    lastTime: s.lastTime,
    packets: s.packets,
    end: s.end,
    httpRequests: s.httpRequests,
    ...(s.httpPartialRequests ? { httpPartialRequests: s.httpPartialRequests } : {}),
    keepAlives: s.keepAlives,
    keepAliveAcks: s.keepAliveAcks,
    probeSpacingS: s.probeSpacing?.median ?? null,
    inferred: {
      idleS: s.keepalive?.idleSeconds ?? null,
      intervalS: s.keepalive?.intervalSeconds ?? null,
      probes: s.keepalive?.probesBeforeGiveUp ?? null,
    },
  }));
  const groups = summary.timeGroups ?? [];
  // the group the app's timeline opens on
  const main = groups.length > 1 ? mainGroup(groups) : null;
  const capture = {
    ...(main ? { mainGroup: { startS: summary.startTime + main.startS, endS: summary.startTime + main.endS, packets: main.packets } } : {}),
    file: summary.name ?? (summary.path.split(/[\\/]/).pop() || summary.path),
    format: summary.format,
    packets: summary.packets,
    warnings: [...summary.warnings, ...summary.hints.map((hint) => hint.message)],
    streams,
    flagCounts: summary.flagCounts,
    ...(summary.examples ? { examples: summary.examples } : {}),
  };
  const midConnection = summary.hints.some((hint) => hint.code === 'mid-connection');
  return { ...capture, findings: captureFindings(capture, midConnection) };
}
