/** The contract's summary of an analysed capture (capture.open), shared by the service and the CLI's --report. */
import type { CaptureSummary } from '../../shared/api-capture';
import { listAnnotations, type CaptureAnalysis } from './analyze';
import { ANALYSIS_FLAG_NAMES } from './tcp-flags';

export function captureSummary(captureId: string, path: string, analysis: CaptureAnalysis): CaptureSummary {
  const flagCounts: Record<string, number> = Object.fromEntries(ANALYSIS_FLAG_NAMES.map((name) => [name, 0]));
  for (const annotation of listAnnotations(analysis)) for (const flag of annotation.flags) flagCounts[flag] = (flagCounts[flag] ?? 0) + 1;
  const times = analysis.table.time.subarray(0, analysis.table.length);
  let duration = 0;
  for (const time of times) duration = Math.max(duration, time);
  return {
    captureId,
    path,
    format: analysis.format,
    linkTypes: analysis.linkTypes,
    packets: analysis.packets,
    tcpSegments: analysis.tcpSegments,
    warnings: analysis.warnings,
    hints: analysis.hints,
    startTime: analysis.startTime,
    duration,
    streams: analysis.streams,
    flagCounts,
  };
}
