/** A correlation as the contract's `capture` block (api-correlate.ts): figures first, details after. */
import type { CorrelatedCapture } from '@shared/api-correlate';
import type { Correlation } from './correlate-session';

export function captureReport(
  correlation: Correlation,
  extra: { file: string | null; filter: string | null; warnings: string[] },
): CorrelatedCapture {
  return {
    status: 'captured',
    file: extra.file,
    filter: extra.filter,
    packets: correlation.packets,
    streams: correlation.streams,
    matched: correlation.matched.length,
    unmatched: correlation.unmatchedConnections.length,
    keepAlives: correlation.keepAlives,
    findings: correlation.findings,
    connections: correlation.matched,
    unmatchedConnections: correlation.unmatchedConnections,
    unmatchedStreams: correlation.unmatchedStreams,
    lanes: correlation.lanes,
    requests: correlation.requests,
    warnings: extra.warnings,
    ...(correlation.encrypted ? { encrypted: correlation.encrypted } : {}),
  };
}
