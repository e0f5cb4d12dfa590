/** The contract's summary of an analysed capture (capture.open), shared by the service and the CLI's --report. */
import type { CaptureSummary, FlagExample } from '@shared/api-capture';
import { listAnnotations, type CaptureAnalysis } from './analyze';
import { NO_STREAM } from './packet-table';
import { streamTotals } from './stream-window';
import { ANALYSIS_FLAG_NAMES } from './tcp-flags';
import { explainPacket } from './tcp-reasons';

/** The `examples` key of the first stream that began before the capture (not a tshark flag). */
export const MID_CONNECTION_EXAMPLE = 'mid_connection';

/** `name`: the file's name as the person chose it; defaults to the path's last part. */
export function captureSummary(captureId: string, path: string, analysis: CaptureAnalysis, name?: string): CaptureSummary {
  const flagCounts: Record<string, number> = Object.fromEntries(ANALYSIS_FLAG_NAMES.map((flag) => [flag, 0]));
  const examples: Record<string, FlagExample> = {};
  for (const annotation of listAnnotations(analysis)) {
    for (const flag of annotation.flags) {
      flagCounts[flag] = (flagCounts[flag] ?? 0) + 1;
      if (examples[flag] === undefined) examples[flag] = flagExample(analysis, annotation.frame, flag);
    }
  }
  // the first stream without a handshake stands for the 'capture started mid-connection' explanation
  const midStream = analysis.streams.find((stream) => !stream.synSeen);
  if (midStream) examples[MID_CONNECTION_EXAMPLE] = { frame: midStream.firstFrame, stream: midStream.stream, payload: 0, values: {} };
  const times = analysis.table.time.subarray(0, analysis.table.length);
  let duration = 0;
  for (const time of times) duration = Math.max(duration, time);
  return {
    captureId,
    path,
    name: name ?? (path.split(/[\\/]/).pop() || path),
    format: analysis.format,
    linkTypes: analysis.linkTypes,
    packets: analysis.packets,
    tcpSegments: analysis.tcpSegments,
    warnings: analysis.warnings,
    hints: analysis.hints,
    startTime: analysis.startTime,
    duration,
    timeGroups: analysis.timeGroups,
    streams: analysis.streams,
    streamCount: analysis.streams.length,
    streamTotals: streamTotals(analysis.streams),
    flagCounts,
    examples,
  };
}

/** The frame's values for one flag's rule, as the packet panel shows them. */
function flagExample(analysis: CaptureAnalysis, frame: number, flag: string): FlagExample {
  const index = frame - 1;
  const stream = analysis.table.stream[index] ?? NO_STREAM;
  const evidence = analysis.evidence.at(frame);
  const reason =
    evidence === null ? undefined : explainPacket(analysis.table, index, evidence).find((candidate) => candidate.flag === flag);
  return {
    frame,
    stream: stream === NO_STREAM ? null : stream,
    payload: analysis.table.payload[index] ?? 0,
    values: reason?.values ?? {},
  };
}
