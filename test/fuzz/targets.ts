/**
 * What the fuzzer runs: the whole capture pipeline on one input (reader → decoder → TCP analysis →
 * stream summaries, which feed the HTTP/1 boundary finder), and the HTTP/1 finder on its own.
 * A case fails when anything other than CaptureFormatError escapes, or when an invariant that the
 * types document does not hold (`InvariantError`). Hangs and memory are watched by the caller.
 */
import { createDecoder } from '@engine/capture/decode';
import { Http1Stream } from '@engine/capture/http1';
import { MAX_PENDING_BYTES, MAX_PENDING_DATAGRAMS } from '@engine/capture/ip-reassembly';
import { createCaptureReader } from '@engine/capture/read-capture';
import { CaptureFormatError, MAX_RECORD_BYTES } from '@engine/capture/read-common';
import { StreamSummarizer } from '@engine/capture/stream-summarizer';
import { TcpAnalyzer } from '@engine/capture/tcp-analysis';
import type { CaptureRecord, TcpSegment } from '@engine/capture/types';

/** a 32-bit µs fraction scaled to ns, the largest raw value a reader may pass on */
const MAX_RAW_NANOSECONDS = 0xffffffff * 1000;

export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantError';
  }
}

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new InvariantError(message());
}

/** What one pipeline run saw; equal for any chunking of the same bytes. */
export interface PipelineOutcome {
  /** CaptureFormatError code, or null when the input read as a capture */
  rejected: string | null;
  records: number;
  segments: number;
  streams: number;
  warnings: string[];
  incomplete: boolean;
  httpRequests: number;
  httpResponses: number;
}

function checkRecord(record: CaptureRecord, expectedFrame: number): void {
  check(record.frame === expectedFrame, () => `frame ${record.frame} after ${expectedFrame - 1}`);
  check(
    record.data.length === record.capturedLength,
    () => `frame ${record.frame}: data ${record.data.length} bytes, capturedLength ${record.capturedLength}`,
  );
  check(
    record.capturedLength <= MAX_RECORD_BYTES,
    () => `frame ${record.frame}: capturedLength ${record.capturedLength} above MAX_RECORD_BYTES`,
  );
  check(Number.isFinite(record.tsSec), () => `frame ${record.frame}: tsSec ${record.tsSec}`);
  // not < 1e9: a pcap record may carry ≥ 1e6 µs (suricata__transform-base64-7296.pcap frame 8) and
  // tshark keeps it unnormalised too (frame.time_epoch 1701999731.1011041000), so we only ask for sanity
  check(
    Number.isInteger(record.tsNsec) && record.tsNsec >= 0 && record.tsNsec <= MAX_RAW_NANOSECONDS,
    () => `frame ${record.frame}: tsNsec ${record.tsNsec} is not a raw 32-bit fraction`,
  );
}

function checkSegment(segment: TcpSegment): void {
  const where = `frame ${segment.frame}`;
  check(
    segment.srcPort >= 0 && segment.srcPort <= 0xffff && segment.dstPort >= 0 && segment.dstPort <= 0xffff,
    () => `${where}: port out of range`,
  );
  check(
    segment.seq >= 0 && segment.seq <= 0xffffffff && segment.ack >= 0 && segment.ack <= 0xffffffff,
    () => `${where}: seq/ack not uint32`,
  );
  check(segment.payloadLength >= 0, () => `${where}: payloadLength ${segment.payloadLength}`);
  check(
    segment.capturedPayloadLength >= 0 && segment.capturedPayloadLength <= segment.payloadLength,
    () => `${where}: capturedPayloadLength ${segment.capturedPayloadLength} of ${segment.payloadLength}`,
  );
  check(
    segment.payloadOffset + segment.capturedPayloadLength <= segment.data.length,
    () => `${where}: payload runs past the captured data`,
  );
  check(segment.src.length > 0 && segment.dst.length > 0, () => `${where}: empty address text`);
}

/** Runs the pipeline on `bytes`, pushed in chunks of the given sizes (cycled; 0 means one chunk). */
export function runPipeline(bytes: Uint8Array, chunkSizes: readonly number[] = [0]): PipelineOutcome {
  const decoder = createDecoder({ reuse: true });
  const analyzer = new TcpAnalyzer();
  const summarizer = new StreamSummarizer();
  let segments = 0;
  let frame = 0;
  const reader = createCaptureReader((record) => {
    frame += 1;
    checkRecord(record, frame);
    const decoded = decoder.decode(record);
    const reassembly = decoder.reassembly!;
    check(
      reassembly.pendingDatagrams <= MAX_PENDING_DATAGRAMS && reassembly.pendingBytes >= 0 && reassembly.pendingBytes <= MAX_PENDING_BYTES,
      () => `frame ${record.frame}: reassembly holds ${reassembly.pendingDatagrams} datagrams, ${reassembly.pendingBytes} bytes`,
    );
    if (!decoded.ok) return;
    const segment = decoded.segment;
    checkSegment(segment);
    segments += 1;
    const evidence = analyzer.analyze(segment, segment.shortHeader !== true);
    check(evidence.stream >= 0, () => `frame ${segment.frame}: stream ${evidence.stream}`);
    summarizer.add(segment, evidence.stream, evidence.flags, evidence.fromA);
  });
  const empty: PipelineOutcome = {
    rejected: null,
    records: 0,
    segments: 0,
    streams: 0,
    warnings: [],
    incomplete: false,
    httpRequests: 0,
    httpResponses: 0,
  };
  try {
    let offset = 0;
    for (let index = 0; offset < bytes.length; index++) {
      const size = chunkSizes[index % chunkSizes.length] ?? 0;
      const next = size <= 0 ? bytes.length : Math.min(bytes.length, offset + size);
      // a fresh copy per chunk: the reader must not depend on the caller keeping chunks alive
      reader.push(bytes.slice(offset, next));
      offset = next;
    }
    const summary = reader.end();
    const streams = summarizer.finish(decoder.addresses).toArray();
    check(summary.records === frame, () => `summary says ${summary.records} records, ${frame} delivered`);
    return {
      ...empty,
      records: summary.records,
      segments,
      streams: streams.length,
      warnings: summary.warnings.map((warning) => `${warning.code}@${warning.offset}`),
      incomplete: summary.incomplete,
      httpRequests: streams.reduce((sum, stream) => sum + stream.httpRequests, 0),
      httpResponses: streams.reduce((sum, stream) => sum + stream.httpResponses, 0),
    };
  } catch (error) {
    if (error instanceof CaptureFormatError) {
      // a rejected input delivers nothing (read-common.ts: "nothing was delivered")
      check(frame === 0, () => `CaptureFormatError ${error.code} after ${frame} records`);
      return { ...empty, rejected: error.code };
    }
    throw error;
  }
}

/** One segment of an HTTP/1 fuzz case. */
export interface Http1Segment {
  direction: 'a' | 'b';
  seq: number;
  payload: Uint8Array;
}

/** Feeds segments to one Http1Stream; counts must stay sane integers. */
export function runHttp1(segments: readonly Http1Segment[]): { requests: number; responses: number } {
  const stream = new Http1Stream();
  for (const segment of segments) stream.feed(segment.direction, segment.seq >>> 0, segment.payload);
  check(Number.isInteger(stream.requests) && stream.requests >= 0, () => `requests ${stream.requests}`);
  check(Number.isInteger(stream.responses) && stream.responses >= 0, () => `responses ${stream.responses}`);
  const messageStarts = segments.length;
  // each message needs a start line at a segment start or right after a previous message: never more than bytes allow
  const totalBytes = segments.reduce((sum, segment) => sum + segment.payload.length, 0);
  check(
    stream.requests + stream.responses <= Math.max(messageStarts, totalBytes / 4),
    () => `${stream.requests + stream.responses} messages from ${totalBytes} bytes`,
  );
  return { requests: stream.requests, responses: stream.responses };
}
